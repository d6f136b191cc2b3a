// The covenant set-up: covenants and their members, contacts, and the API keys partners call with.
import { insertApiKey, listApiKeys, revokeApiKey } from '../../db/api-keys';
import { addCovenantMembers, findContact, findCovenant, insertContact, insertCovenant, organisationsUnderOffice, type CovenantWithMembers } from '../../db/covenants';
import { findOrganisation, findOrganisations } from '../../db/organisations';
import type { ApiKey as ApiKeyRow, Contact as ContactRow } from '../../db/schema';
import type { OrganisationKind } from '../schemas/organisation';
import type { Principal } from '../auth';
import { hashSecret, newSecret } from '../auth';
import { conflict, unprocessable, type FieldProblem } from '../errors';
import type { ApiKey, CreatedApiKey, NewApiKey } from '../schemas/api-key';
import type { Page } from '../schemas/common';
import type { Contact, Covenant, NewContact, NewCovenant, NewMembers } from '../schemas/covenant';
import type { AppDeps } from '../deps';

type Deps = Pick<AppDeps, 'db'>;

export const covenantView = (c: CovenantWithMembers): Covenant => ({
  id: c.id, name: c.name, region: c.region, programmeOfficeId: c.programme_office_id,
  members: c.members.map((m) => ({ organisationId: m.organisation_id, role: m.role })), createdAt: c.created_at.toISOString(),
});

/** Which kinds of organisation can hold which role in a covenant. */
const MEMBER_KINDS: Record<NewMembers['members'][number]['role'], OrganisationKind[]> = {
  employer: ['employer'], school: ['school'], funder: ['gemeente', 'uwv'], jobcoaching: ['programme_office', 'gemeente'],
};

async function checkMembers(deps: Deps, members: NewMembers['members'], field: string): Promise<FieldProblem[]> {
  const orgs = new Map((await findOrganisations(deps.db, members.map((m) => m.organisationId))).map((o) => [o.id, o]));
  return members.flatMap((m, i) => {
    const kind = orgs.get(m.organisationId)?.kind;
    if (!kind) return [{ field: `${field}[${i}].organisationId`, message: `no organisation ${m.organisationId}` }];
    if (!MEMBER_KINDS[m.role].includes(kind)) return [{ field: `${field}[${i}].role`, message: `a ${kind} cannot take part as ${m.role} (needs ${MEMBER_KINDS[m.role].join(' or ')})` }];
    return [];
  });
}

export async function createCovenant(deps: Deps, principal: Principal, body: NewCovenant, id: string): Promise<Covenant> {
  const problems: FieldProblem[] = [];
  const office = await findOrganisation(deps.db, body.programmeOfficeId);
  if (office?.kind !== 'programme_office') problems.push({ field: 'programmeOfficeId', message: `no programme office ${body.programmeOfficeId}` });
  else if (principal.role === 'coordinator' && principal.organisationId !== office.id) problems.push({ field: 'programmeOfficeId', message: 'a coordinator creates covenants for its own programme office only' });
  problems.push(...(await checkMembers(deps, body.members, 'members')));
  if (problems.length) throw unprocessable(problems);
  const covenantId = body.id ?? id;
  const c = await insertCovenant(deps.db, { id: covenantId, name: body.name, region: body.region, programme_office_id: body.programmeOfficeId },
    body.members.map((m) => ({ organisation_id: m.organisationId, role: m.role })));
  if (!c) throw conflict(`A covenant with id ${covenantId} already exists with other details`);
  return covenantView(c);
}

export async function addMembers(deps: Deps, covenantId: string, body: NewMembers): Promise<Covenant> {
  const problems = await checkMembers(deps, body.members, 'members');
  if (problems.length) throw unprocessable(problems);
  await addCovenantMembers(deps.db, covenantId, body.members.map((m) => ({ organisation_id: m.organisationId, role: m.role })));
  return covenantView((await findCovenant(deps.db, covenantId))!);
}

export const contactView = (c: ContactRow): Contact => ({ id: c.id, organisationId: c.organisation_id, role: c.role, name: c.name, email: c.email, createdAt: c.created_at.toISOString() });

/** Which contacts an organisation of a kind can have. */
const CONTACT_KINDS: Record<NewContact['role'], OrganisationKind[]> = {
  coordinator: ['programme_office'], jobcoach: ['programme_office', 'gemeente'], workplace_trainer: ['employer'], roc_coordinator: ['school'],
};

export async function createContact(deps: Deps, organisationId: string, body: NewContact, id: string): Promise<Contact> {
  const org = (await findOrganisation(deps.db, organisationId))!;
  if (!CONTACT_KINDS[body.role].includes(org.kind)) throw unprocessable([{ field: 'role', message: `a ${org.kind} has no ${body.role} (that is for ${CONTACT_KINDS[body.role].join(' or ')})` }]);
  const contactId = body.id ?? id;
  const c = await insertContact(deps.db, { id: contactId, organisation_id: organisationId, role: body.role, name: body.name, email: body.email });
  if (!c) throw conflict(`A contact with id ${contactId} already exists with other details`);
  return contactView(c);
}

export const apiKeyView = (k: ApiKeyRow): ApiKey => ({
  id: k.id, organisationId: k.organisation_id, role: k.role, contactId: k.contact_id, officeId: k.office_id, label: k.label, createdBy: k.created_by,
  createdAt: k.created_at.toISOString(), revokedAt: k.revoked_at?.toISOString() ?? null, lastUsedAt: k.last_used_at?.toISOString() ?? null,
});

/** Which kinds of organisation a key of a role can belong to. */
const KEY_KINDS: Record<NewApiKey['role'], OrganisationKind[]> = {
  coordinator: ['programme_office'], employer: ['employer'], school: ['school'], jobcoach: ['programme_office', 'gemeente'], funder: ['gemeente', 'uwv'],
};

/** Creates a key and returns its secret, once. A repeated request creates no second key, and cannot show the secret again. */
export async function createApiKey(deps: Deps, principal: Principal, body: NewApiKey, id: string): Promise<CreatedApiKey> {
  const problems: FieldProblem[] = [];
  const org = await findOrganisation(deps.db, body.organisationId);
  const allowed = principal.role === 'admin' || (org && (await organisationsUnderOffice(deps.db, principal.organisationId!)).includes(org.id));
  if (!org || !allowed) problems.push({ field: 'organisationId', message: `no organisation ${body.organisationId} under your programme office` });
  else if (!KEY_KINDS[body.role].includes(org.kind)) problems.push({ field: 'role', message: `a ${org.kind} cannot hold a ${body.role} key (that is for ${KEY_KINDS[body.role].join(' or ')})` });
  else if (principal.role === 'coordinator' && body.role === 'coordinator' && org.id !== principal.organisationId) problems.push({ field: 'organisationId', message: 'a coordinator makes coordinator keys for its own programme office only' });
  if (body.role === 'jobcoach') {
    const contact = body.contactId ? await findContact(deps.db, body.contactId) : undefined;
    if (!contact || contact.role !== 'jobcoach' || contact.organisation_id !== body.organisationId) problems.push({ field: 'contactId', message: `a jobcoach key needs a jobcoach contact of ${body.organisationId}` });
  } else if (body.contactId) problems.push({ field: 'contactId', message: 'only a jobcoach key names a contact' });
  if (problems.length) throw unprocessable(problems);
  const secret = newSecret();
  // A coordinator's key is bound to its office: whatever partner holds it, it sees only that office's cohorts.
  const officeId = principal.role === 'admin' ? null : principal.organisationId;
  const key = await insertApiKey(deps.db, { id, organisation_id: body.organisationId, role: body.role, contact_id: body.contactId ?? null, label: body.label, secret_hash: hashSecret(secret), created_by: principal.actor, office_id: officeId });
  return { ...apiKeyView(key), secret };
}

export async function pageApiKeys(deps: Deps, principal: Principal, page: Page) {
  const { items, total } = await listApiKeys(deps.db, { officeId: principal.role === 'admin' ? undefined : principal.organisationId!, ...page });
  return { items: items.map(apiKeyView), total, ...page };
}

export async function revoke(deps: Deps, id: string): Promise<ApiKey> {
  return apiKeyView((await revokeApiKey(deps.db, id))!);
}

