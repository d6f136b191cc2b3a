// The covenant set-up: covenants and their members, contacts, and the API keys partners call with.
import { findApiKey, insertApiKey, listApiKeys, revokeApiKey } from '../../db/api-keys';
import {
  addCovenantMembers,
  findContact,
  findContacts,
  findCovenant,
  insertContact,
  insertCovenant,
  listContacts,
  listCovenants,
  type CovenantWithMembers,
} from '../../db/covenants';
import { findOrganisation, insertOrganisation, listOrganisations } from '../../db/organisations';
import { findOwnedOrganisation, findOwnedOrganisations, insertShare, listShares } from '../../db/ownership';
import type { ApiKey as ApiKeyRow, Contact as ContactRow, Organisation as OrganisationRow } from '../../db/schema';
import type {
  NewOrganisation,
  NewShare,
  Organisation,
  OrganisationKind,
  OrganisationQuery,
  Share,
} from '../schemas/organisation';
import type { Principal } from '../auth';
import { hashSecret, newSecret } from '../auth';
import { refusing, type Denied } from '../access';
import { conflict, unprocessable, type FieldProblem, says } from '../errors';
import { actingOffice, checkChosenId, contactOfOffice, officeIdProblems, organisationRight } from '../ownership';
import type { ApiKey, CreatedApiKey, NewApiKey } from '../schemas/api-key';
import type { Page } from '../schemas/common';
import type { Contact, Covenant, NewContact, NewCovenant, NewMembers } from '../schemas/covenant';
import type { AppDeps } from '../deps';
import { refusal, refusalInDutch, refusalInEnglish } from '../../domain/refusals';

type Deps = Pick<AppDeps, 'db'>;

export const covenantView = (c: CovenantWithMembers): Covenant => ({
  id: c.id,
  name: c.name,
  region: c.region,
  programmeOfficeId: c.programme_office_id,
  members: c.members.map((m) => ({ organisationId: m.organisation_id, role: m.role })),
  createdAt: c.created_at.toISOString(),
});

/** Which kinds of organisation can hold which role in a covenant. */
const MEMBER_KINDS: Record<NewMembers['members'][number]['role'], OrganisationKind[]> = {
  employer: ['employer'],
  school: ['school'],
  funder: ['gemeente', 'uwv'],
  jobcoaching: ['programme_office', 'gemeente'],
};

/**
 * Members an office may put in its covenant: organisations it owns, the admin's shared ones, and those whose
 * owner consented. Another office's organisation is refused exactly like an unknown one (and its owner is told).
 */
async function checkMembers(
  deps: Deps,
  officeId: string,
  members: NewMembers['members'],
  field: string,
): Promise<{ problems: FieldProblem[]; denied: Denied[] }> {
  const orgs = new Map(
    (
      await findOwnedOrganisations(
        deps.db,
        members.map((m) => m.organisationId),
      )
    ).map((o) => [o.id, o]),
  );
  const denied: Denied[] = [];
  const problems = members.flatMap((m, i) => {
    const org = orgs.get(m.organisationId);
    if (!org || !organisationRight(officeId, org)) {
      if (org) denied.push({ resource: 'organisation', id: org.id });
      return [
        {
          field: `${field}[${i}].organisationId`,
          message: `no organisation ${m.organisationId}`,
          nl: `geen organisatie ${m.organisationId}`,
        },
      ];
    }
    if (!MEMBER_KINDS[m.role].includes(org.kind))
      return [
        {
          field: `${field}[${i}].role`,
          message: `a ${org.kind} cannot take part as ${m.role} (needs ${MEMBER_KINDS[m.role].join(' or ')})`,
          nl: `een ${org.kind} kan niet meedoen als ${m.role} (nodig: ${MEMBER_KINDS[m.role].join(' of ')})`,
        },
      ];
    return [];
  });
  return { problems, denied };
}

export async function createCovenant(
  deps: Deps,
  principal: Principal,
  body: NewCovenant,
  id: string,
): Promise<Covenant> {
  const chosen = checkChosenId(principal, body.id, 'covenant');
  const problems: FieldProblem[] = [...chosen.problems];
  const office = await findOrganisation(deps.db, body.programmeOfficeId);
  // A coordinator names its own office; any other answers as if it did not exist.
  if (office?.kind !== 'programme_office' || (principal.role !== 'admin' && actingOffice(principal) !== office.id)) {
    problems.push({
      field: 'programmeOfficeId',
      message: `no programme office ${body.programmeOfficeId} of yours`,
      nl: `geen programmabureau ${body.programmeOfficeId} van u`,
    });
  }
  // Members are checked with the caller's own office's rights, never with those of the office it names.
  const members = await checkMembers(
    deps,
    principal.role === 'admin' ? body.programmeOfficeId : actingOffice(principal)!,
    body.members,
    'members',
  );
  problems.push(...members.problems);
  if (problems.length) throw refusing(unprocessable(problems), [...chosen.denied, ...members.denied]);
  const covenantId = body.id ?? id;
  const c = await insertCovenant(
    deps.db,
    { id: covenantId, name: body.name, region: body.region, programme_office_id: body.programmeOfficeId },
    body.members.map((m) => ({ organisation_id: m.organisationId, role: m.role })),
  );
  if (!c)
    throw conflict(
      says(
        `A covenant with id ${covenantId} already exists with other details`,
        `Er is al een convenant met id ${covenantId}, met andere gegevens`,
      ),
    );
  return covenantView(c);
}

/** The covenants the caller coordinates or takes part in, each with its partners and their roles. */
export async function pageCovenants(deps: Deps, principal: Principal, page: Page) {
  const { items, total } = await listCovenants(deps.db, {
    // Not the office rule: the caller's own organisation, for the covenants it coordinates or takes part in as a
    // partner (for a coordinator the same as its office, which the office filter below adds).
    organisationId: principal.role === 'admin' ? undefined : principal.organisationId!,
    officeId: actingOffice(principal) ?? undefined,
    ...page,
  });
  return { items: items.map(covenantView), total, ...page };
}

/** A covenant the route's access check has already found and let the caller see. */
export async function getCovenant(deps: Deps, covenantId: string): Promise<Covenant> {
  return covenantView((await findCovenant(deps.db, covenantId))!);
}

export async function addMembers(deps: Deps, covenantId: string, body: NewMembers): Promise<Covenant> {
  const covenant = (await findCovenant(deps.db, covenantId))!;
  const { problems, denied } = await checkMembers(deps, covenant.programme_office_id, body.members, 'members');
  if (problems.length) throw refusing(unprocessable(problems), denied);
  await addCovenantMembers(
    deps.db,
    covenantId,
    body.members.map((m) => ({ organisation_id: m.organisationId, role: m.role })),
  );
  return covenantView((await findCovenant(deps.db, covenantId))!);
}

export const organisationView = (o: OrganisationRow): Organisation => ({
  id: o.id,
  name: o.name,
  kind: o.kind,
  region: o.region,
  email: o.email,
  officeId: o.office_id,
  createdAt: o.created_at.toISOString(),
});

/**
 * Registers an organisation: a coordinator's belongs to its office; the admin's to the office it names, or is shared.
 */
export async function registerOrganisation(
  deps: Deps,
  principal: Principal,
  body: NewOrganisation,
  resourceId: string,
): Promise<Organisation> {
  const { id = resourceId, region, email, officeId, ...rest } = body;
  const chosen = checkChosenId(principal, body.id, 'organisation');
  const problems = [...chosen.problems];
  let owner: string | null;
  if (principal.role !== 'admin') {
    if (officeId !== undefined && officeId !== actingOffice(principal))
      problems.push({
        field: 'officeId',
        message: 'an organisation you register belongs to your own programme office; leave officeId out',
        nl: 'een organisatie die u registreert hoort bij uw eigen programmabureau; laat officeId weg',
      });
    if (body.kind === 'programme_office')
      problems.push({
        field: 'kind',
        message: 'programme offices are registered by the admin',
        nl: 'programmabureaus worden door de beheerder geregistreerd',
      });
    owner = actingOffice(principal);
  } else if (body.kind === 'programme_office') {
    problems.push(...officeIdProblems(id));
    if (officeId !== undefined && officeId !== id)
      problems.push({
        field: 'officeId',
        message: 'a programme office owns itself; leave officeId out',
        nl: 'een programmabureau is van zichzelf; laat officeId weg',
      });
    owner = id;
  } else {
    owner = officeId ?? null;
    if (officeId !== undefined && (await findOrganisation(deps.db, officeId))?.kind !== 'programme_office')
      problems.push({
        field: 'officeId',
        message: `no programme office ${officeId}`,
        nl: `geen programmabureau ${officeId}`,
      });
  }
  if (problems.length) throw refusing(unprocessable(problems), chosen.denied);
  const org = await insertOrganisation(deps.db, {
    id,
    ...rest,
    region: region ?? null,
    email: email ?? null,
    office_id: owner,
  });
  if (!org)
    throw conflict(
      says(
        `An organisation with id ${id} already exists with other details`,
        `Er is al een organisatie met id ${id}, met andere gegevens`,
      ),
    );
  return organisationView(org);
}

/** An organisation the route's access check has already found and let the caller see. */
export async function getOrganisation(deps: Deps, organisationId: string): Promise<Organisation> {
  return organisationView((await findOrganisation(deps.db, organisationId))!);
}

export async function pageOrganisations(deps: Deps, principal: Principal, q: OrganisationQuery) {
  const { items, total } = await listOrganisations(deps.db, { ...q, officeId: actingOffice(principal) ?? undefined });
  return { items: items.map(organisationView), total, limit: q.limit, offset: q.offset };
}

/**
 * The owner's consent that another office may use the organisation; that office still sees only its own participants.
 */
export async function shareOrganisation(
  deps: Deps,
  principal: Principal,
  organisationId: string,
  body: NewShare,
): Promise<Share> {
  const org = (await findOwnedOrganisation(deps.db, organisationId))!;
  // The target is not looked up: whether an office of that id exists is not the owner's business to learn here.
  if (body.officeId === org.office_id || body.officeId === org.id)
    throw unprocessable([
      {
        field: 'officeId',
        message: 'the organisation already belongs to that office',
        nl: 'de organisatie hoort al bij dat programmabureau',
      },
    ]);
  if (org.kind === 'programme_office')
    throw unprocessable([
      {
        field: 'officeId',
        message: 'a programme office is not shared; it takes part in another covenant by that office registering it',
        nl:
          'een programmabureau wordt niet gedeeld; het doet mee in een ander convenant doordat dat bureau het ' +
          'registreert',
      },
    ]);
  await insertShare(deps.db, {
    organisation_id: organisationId,
    office_id: body.officeId,
    granted_by: principal.actor,
  });
  return (await pageShares(deps, organisationId)).find((s) => s.officeId === body.officeId)!;
}

export async function pageShares(deps: Deps, organisationId: string): Promise<Share[]> {
  return (await listShares(deps.db, organisationId)).map((s) => ({
    organisationId: s.organisation_id,
    officeId: s.office_id,
    grantedBy: s.granted_by,
    grantedAt: s.granted_at.toISOString(),
  }));
}

export const contactView = (c: ContactRow): Contact => ({
  id: c.id,
  organisationId: c.organisation_id,
  role: c.role,
  name: c.name,
  email: c.email,
  createdAt: c.created_at.toISOString(),
});

/** An organisation's contacts as the caller may see them: an office only those it made (and the admin's). */
export async function pageContacts(deps: Deps, principal: Principal, organisationId: string, page: Page) {
  const { items, total } = await listContacts(deps.db, {
    organisationId,
    officeId: actingOffice(principal) ?? undefined,
    ...page,
  });
  return { items: items.map(contactView), total, ...page };
}

/** Which contacts an organisation of a kind can have. */
const CONTACT_KINDS: Record<NewContact['role'], OrganisationKind[]> = {
  coordinator: ['programme_office'],
  jobcoach: ['programme_office', 'gemeente'],
  workplace_trainer: ['employer'],
  roc_coordinator: ['school'],
  funder_analyst: ['gemeente', 'uwv'],
};

/** Who may add which contacts: an employer its workplace trainers, an ROC its coordinators; a coordinator anyone. */
export function contactRoleProblems(p: Principal, role: NewContact['role']): FieldProblem[] {
  if (p.role === 'employer' && role !== 'workplace_trainer')
    return [
      {
        field: 'role',
        message: 'an employer adds its workplace trainers',
        nl: 'een werkgever voegt zijn praktijkbegeleiders toe',
      },
    ];
  if (p.role === 'school' && role !== 'roc_coordinator')
    return [
      { field: 'role', message: 'an ROC adds its ROC coordinators', nl: 'een ROC voegt zijn ROC-coördinatoren toe' },
    ];
  return [];
}

/**
 * Adds a contact. It belongs to the office the caller acts for (the admin's: to the organisation's owner), and
 * the digest mails it only about that office's participants.
 */
export async function createContact(
  deps: Deps,
  principal: Principal,
  organisationId: string,
  body: NewContact,
  id: string,
): Promise<Contact> {
  const org = (await findOrganisation(deps.db, organisationId))!;
  const chosen = checkChosenId(principal, body.id, 'contact');
  const problems = [...chosen.problems];
  if (!CONTACT_KINDS[body.role].includes(org.kind)) {
    const why = refusal('contact_role_kind', { kind: org.kind, role: body.role, allowed: CONTACT_KINDS[body.role] });
    // In both languages: the API's message, its Dutch (Accept-Language: nl), and the fact for the pages.
    const problem = { field: 'role', message: refusalInEnglish(why), nl: refusalInDutch(why), refusal: why };
    problems.push(problem);
  }
  // A coordinator acts for the office it belongs to: an office makes coordinators for itself only, whatever
  // organisation it may otherwise manage (defence in depth: offices cannot be shared today).
  if (body.role === 'coordinator' && principal.role !== 'admin' && organisationId !== actingOffice(principal))
    problems.push({
      field: 'role',
      message: 'an office adds coordinators to itself only',
      nl: 'een programmabureau voegt alleen aan zichzelf coördinatoren toe',
    });
  if (problems.length) throw refusing(unprocessable(problems), chosen.denied);
  const contactId = body.id ?? id;
  const office = actingOffice(principal) ?? org.office_id;
  const c = await insertContact(deps.db, {
    id: contactId,
    organisation_id: organisationId,
    role: body.role,
    name: body.name,
    email: body.email,
    office_id: office,
  });
  if (!c)
    throw conflict(
      says(
        `A contact with id ${contactId} already exists with other details`,
        `Er is al een contactpersoon met id ${contactId}, met andere gegevens`,
      ),
    );
  return contactView(c);
}

export const apiKeyView = (k: ApiKeyRow): ApiKey => ({
  id: k.id,
  organisationId: k.organisation_id,
  role: k.role,
  contactId: k.contact_id,
  officeId: k.office_id,
  label: k.label,
  createdBy: k.created_by,
  createdAt: k.created_at.toISOString(),
  revokedAt: k.revoked_at?.toISOString() ?? null,
  lastUsedAt: k.last_used_at?.toISOString() ?? null,
});

/** Which kinds of organisation a key of a role can belong to. */
const KEY_KINDS: Record<NewApiKey['role'], OrganisationKind[]> = {
  coordinator: ['programme_office'],
  employer: ['employer'],
  school: ['school'],
  jobcoach: ['programme_office', 'gemeente'],
  funder: ['gemeente', 'uwv'],
};

/**
 * Creates a key and returns its secret, once. A repeated request creates no second key, and cannot show the secret
 * again.
 */
export async function createApiKey(
  deps: Deps,
  principal: Principal,
  body: NewApiKey,
  id: string,
): Promise<CreatedApiKey> {
  const problems: FieldProblem[] = [];
  const denied: Denied[] = [];
  const org = await findOwnedOrganisation(deps.db, body.organisationId);
  const office = actingOffice(principal);
  const allowed = principal.role === 'admin' || (org && office !== null && organisationRight(office, org));
  if (org && !allowed) denied.push({ resource: 'organisation', id: org.id });
  if (!org || !allowed)
    problems.push({
      field: 'organisationId',
      message: `no organisation ${body.organisationId} under your programme office`,
      nl: `geen organisatie ${body.organisationId} onder uw programmabureau`,
    });
  else if (!KEY_KINDS[body.role].includes(org.kind))
    problems.push({
      field: 'role',
      message: `a ${org.kind} cannot hold a ${body.role} key (that is for ${KEY_KINDS[body.role].join(' or ')})`,
      nl: `een ${org.kind} kan geen ${body.role}-sleutel hebben (die is voor ${KEY_KINDS[body.role].join(' of ')})`,
    });
  else if (principal.role === 'coordinator' && body.role === 'coordinator' && org.id !== office)
    problems.push({
      field: 'organisationId',
      message: 'a coordinator makes coordinator keys for its own programme office only',
      nl: 'een coördinator maakt alleen coördinatorsleutels voor zijn eigen programmabureau',
    });
  if (body.role === 'jobcoach') {
    const contact = body.contactId ? await findContact(deps.db, body.contactId) : undefined;
    const ours = contact && (office === null || contactOfOffice(office, contact));
    if (contact && !ours) denied.push({ resource: 'contact', id: contact.id });
    if (!contact || !ours || contact.role !== 'jobcoach' || contact.organisation_id !== body.organisationId)
      problems.push({
        field: 'contactId',
        message: `a jobcoach key needs a jobcoach contact of ${body.organisationId}`,
        nl: `een jobcoachsleutel hoort bij een jobcoach (contactpersoon) van ${body.organisationId}`,
      });
  } else if (body.contactId)
    problems.push({
      field: 'contactId',
      message: 'only a jobcoach key names a contact',
      nl: 'alleen een jobcoachsleutel noemt een contactpersoon',
    });
  if (problems.length) throw refusing(unprocessable(problems), denied);
  const secret = newSecret();
  // A coordinator's key is bound to its office: whatever partner holds it, it sees only that office's cohorts.
  const officeId = principal.role === 'admin' ? null : office;
  const key = await insertApiKey(deps.db, {
    id,
    organisation_id: body.organisationId,
    role: body.role,
    contact_id: body.contactId ?? null,
    label: body.label,
    secret_hash: hashSecret(secret),
    created_by: principal.actor,
    office_id: officeId,
  });
  return { ...apiKeyView(key), secret };
}

export async function pageApiKeys(deps: Deps, principal: Principal, page: Page) {
  const { items, total } = await listApiKeys(deps.db, { officeId: actingOffice(principal) ?? undefined, ...page });
  return { items: items.map(apiKeyView), total, ...page };
}

export async function revoke(deps: Deps, id: string): Promise<ApiKey> {
  return apiKeyView((await revokeApiKey(deps.db, id))!);
}

/** An API key's row: who made a change with it (audit), or the key a page shows. */
export const apiKeyRow = (deps: Deps, id: string) => findApiKey(deps.db, id);

/** Contacts by id (their names beside what they did). */
export const contactRows = (deps: Deps, ids: string[]) => findContacts(deps.db, ids);
