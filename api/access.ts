// Authorization, in one place. Every /v1 route declares in its config which roles may call it, which
// resource its `:id` names, and whether it reads or changes personal data; one hook enforces that before
// the handler runs, and records personal-data access in the audit log once the response is ready.
//
// A resource the caller may not see answers exactly as one that does not exist: 404. A route the caller's
// role may never use (without a resource in its path) answers 403; that reveals nothing about any data.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { cohortParties, trajectoryParties, type TrajectoryParties } from '../db/access';
import { findApiKey } from '../db/api-keys';
import { candidateParties, EMPLOYER_AFTER_JUDGEMENT_DAYS } from '../db/candidate-people';
import { insertAuditEvents } from '../db/audit';
import type { AuditAction } from '../db/schema';
import { findCovenant } from '../db/covenants';
import type { Db } from '../db/connection';
import { findOwnedOrganisation, ownerOffice } from '../db/ownership';
import { addDays, localDate } from '../domain/calendar';
import type { Principal, Role } from './auth';
import { DomainError, notFound, says, type FieldProblem, type Text } from './errors';
import { actingOffice, organisationRight } from './ownership';
import { JOBCOACH_CHANGES, type ChangeType } from '../domain/changes';
import type { CandidateState, Draaiboek } from '../domain/recruitment';

export type ResourceKind =
  | 'trajectory'
  | 'benefit'
  | 'cohort'
  | 'organisation'
  | 'covenant'
  | 'api-key'
  | 'recruitment-round'
  | 'candidate'
  | 'mail';

export interface Access {
  /** Who may call the route at all. */
  roles: readonly Role[];
  /** What the path's `:id` names; the caller must be allowed to see it (or manage it, with `manage`). */
  resource?: ResourceKind;
  /** The route changes the resource's set-up (covenant members, keys, contacts), not just records on it. */
  manage?: boolean;
  /** The route decides who else may use the resource (sharing an organisation): its owner only. */
  own?: boolean;
  /** The route reads or changes a participant's personal data: recorded in the audit log on success. */
  audit?: AuditAction;
  /** Role-specific limits on the body (an employer records placement days only). */
  // A method, so that each route's check can name its own body type (method parameters are bivariant).
  body?(principal: Principal, body: unknown, scope: Scope): FieldProblem[];
  /**
   * The body asks for something of the resource the caller's part does not reach (an employer recording another
   * step than its trial day): answered exactly as an unknown resource, 404, not as a refusal that confirms it exists.
   */
  conceals?(principal: Principal, body: unknown, scope: Scope): boolean;
}

/** What the caller may see of the resource: for a later employer, only what happened from its placement on. */
export interface Scope {
  from: string | null;
  /** For an employer on a candidate proposed to it: the key of the draaiboek's trial day, the one step it records. */
  trialDayStep?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    scope: Scope;
    /** Further trajectories whose data the response holds (lists), for the audit log. */
    auditTrajectories: string[];
    /** Objects the request tried to reach and was refused: recorded, after the answer, in their owners' audit logs. */
    denied: Denied[];
  }
}

export const ALL_ROLES: readonly Role[] = ['admin', 'coordinator', 'employer', 'school', 'jobcoach', 'funder'];
export const COORDINATION: readonly Role[] = ['admin', 'coordinator'];

export const forbidden = (detail: Text, errors?: FieldProblem[]) =>
  new DomainError(403, 'forbidden', says('Forbidden', 'Niet toegestaan'), detail, errors);

/** How a 404 names a resource the caller may not see, in both languages. */
const RESOURCE_NL: Record<ResourceKind, string> = {
  trajectory: 'traject',
  benefit: 'traject',
  cohort: 'cohort',
  organisation: 'organisatie',
  covenant: 'convenant',
  'api-key': 'API-sleutel',
  'recruitment-round': 'wervingsronde',
  candidate: 'kandidaat',
  mail: 'mail',
};

const EVERYTHING: Scope = { from: null };

/**
 * Which part of a trajectory a caller may see, or undefined for none. The employer is the one of the
 * placement in effect on `today` (before the start: the first placement); after an employer change the new
 * employer sees the trajectory from the change date, and the former employer no longer does.
 */
export function trajectoryScope(p: Principal, t: TrajectoryParties, today: string): Scope | undefined {
  // A key made by a coordinator never reaches beyond that coordinator's programme office.
  const office = actingOffice(p);
  if (office !== null && t.programmeOfficeId !== office) return undefined;
  switch (p.role) {
    case 'admin':
      return EVERYTHING;
    case 'coordinator':
      return t.programmeOfficeId !== null && t.programmeOfficeId === office ? EVERYTHING : undefined;
    case 'school':
      return t.schoolId === p.organisationId ? EVERYTHING : undefined;
    case 'jobcoach':
      return t.jobcoachId !== null && t.jobcoachId === p.contactId ? EVERYTHING : undefined;
    case 'employer': {
      const current = t.placements.filter((x) => x.from <= today).at(-1) ?? t.placements[0];
      if (!current || current.employerId !== p.organisationId) return undefined;
      return { from: current === t.placements[0] ? null : current.from };
    }
    case 'funder':
      return undefined; // funders see outcomes only, through /v1/outcomes
  }
}

/**
 * Whether the employer proposed for a candidate's trial day still sees it: while the candidate is in progress at or
 * before the trial day, and for EMPLOYER_AFTER_JUDGEMENT_DAYS after the trial day was judged (to see what it
 * recorded); after that, or once the candidate left before it, not at all. The trial day's step key, or undefined.
 */
export function employerSeesCandidate(
  c: { status: string; step: string; state: CandidateState; draaiboek: Draaiboek },
  today: string,
): string | undefined {
  const steps = c.draaiboek.steps;
  const trialDay = steps.findIndex((s) => s.kind === 'meeloopdag');
  if (trialDay < 0) return undefined;
  const key = steps[trialDay]!.key;
  const at = steps.findIndex((s) => s.key === c.step);
  if (c.status === 'in_progress' && at >= 0 && at <= trialDay) return key;
  const judged = c.state.history?.filter((h) => h.step === key).at(-1);
  return judged && addDays(judged.on, EMPLOYER_AFTER_JUDGEMENT_DAYS) >= today ? key : undefined;
}

/** See it; manage its set-up (contacts, keys, members); own it (decide who else may use it). */
type Level = 'see' | 'manage' | 'own';

/** What a caller may do with one resource (see, manage) and what part of it it sees; undefined: nothing. */
export async function resourceLevel(
  db: Db,
  p: Principal,
  kind: ResourceKind,
  id: string,
  today: string,
): Promise<{ level: Level; scope: Scope; trajectoryId?: string } | undefined> {
  const admin = p.role === 'admin';
  const office = actingOffice(p);
  switch (kind) {
    case 'trajectory': {
      const t = await trajectoryParties(db, id);
      const scope = t && trajectoryScope(p, t, today);
      return scope && { level: p.role === 'coordinator' || admin ? 'manage' : 'see', scope, trajectoryId: id };
    }
    case 'benefit': {
      // A participant's benefit instrument: the office's coordinators as for the trajectory, and the participant's
      // own benefit payer (gemeente or UWV), who sees nothing else of the trajectory.
      const t = await trajectoryParties(db, id);
      if (!t || (office !== null && t.programmeOfficeId !== office)) return undefined;
      const payer = p.role === 'funder' && t.benefitPayerId !== null && t.benefitPayerId === p.organisationId;
      const coordination = (admin || p.role === 'coordinator') && trajectoryScope(p, t, today);
      return payer || coordination ? { level: 'manage', scope: EVERYTHING, trajectoryId: id } : undefined;
    }
    case 'cohort': {
      const c = await cohortParties(db, id);
      if (!c || (office !== null && c.programmeOfficeId !== office)) return undefined;
      if (admin || (p.role === 'coordinator' && c.programmeOfficeId === office))
        return { level: 'manage', scope: EVERYTHING };
      if (p.role === 'school' && c.schoolId === p.organisationId) return { level: 'see', scope: EVERYTHING };
      return undefined;
    }
    case 'organisation': {
      // Organisations themselves are not personal data, but a partner sees only its own record, and an office
      // only what it owns, what the admin shared, or what another office consented to share with it.
      const org = await findOwnedOrganisation(db, id);
      if (!org) return undefined;
      if (admin) return { level: 'own', scope: EVERYTHING };
      if (p.role === 'coordinator' && office !== null) {
        const right = organisationRight(office, org);
        return right && { level: right === 'own' ? 'own' : 'manage', scope: EVERYTHING };
      }
      if (p.organisationId === id)
        return { level: p.role === 'jobcoach' || p.role === 'funder' ? 'see' : 'manage', scope: EVERYTHING };
      return undefined;
    }
    case 'covenant': {
      const c = await findCovenant(db, id);
      if (!c || (office !== null && c.programme_office_id !== office)) return undefined;
      if (admin || (p.role === 'coordinator' && c.programme_office_id === office))
        return { level: 'manage', scope: EVERYTHING };
      // Not the office rule: the partner's own organisation, coordinating the covenant or taking part in it.
      if (c.programme_office_id === p.organisationId || c.members.some((m) => m.organisation_id === p.organisationId))
        return { level: 'see', scope: EVERYTHING };
      return undefined;
    }
    case 'candidate': {
      // The office's coordinators; the employer proposed for the trial day; the jobcoach assigned. Nobody else.
      const c = await candidateParties(db, id);
      if (!c || (office !== null && c.office_id !== office)) return undefined;
      if (admin || (p.role === 'coordinator' && c.office_id === office)) return { level: 'manage', scope: EVERYTHING };
      if (p.role === 'employer' && c.proposed_employer_id !== null && c.proposed_employer_id === p.organisationId) {
        const trialDay = employerSeesCandidate(c, today);
        return trialDay === undefined ? undefined : { level: 'see', scope: { from: null, trialDayStep: trialDay } };
      }
      if (p.role === 'jobcoach' && c.jobcoach_id !== null && c.jobcoach_id === p.contactId)
        return { level: 'see', scope: EVERYTHING };
      return undefined;
    }
    case 'recruitment-round':
    case 'mail': {
      // The office's own work: its coordinators see and manage its rounds, candidates and mails.
      const owner = await ownerOffice(db, kind, id);
      if (owner === undefined || owner === null) return undefined;
      if (admin || (p.role === 'coordinator' && owner === office)) return { level: 'manage', scope: EVERYTHING };
      return undefined;
    }
    case 'api-key': {
      const k = await findApiKey(db, id);
      if (!k) return undefined;
      if (admin) return { level: 'manage', scope: EVERYTHING };
      // A coordinator manages the keys its office made, and those the admin made for its own organisation.
      if (
        p.role === 'coordinator' &&
        (k.office_id === office || (k.office_id === null && k.organisation_id === p.organisationId))
      )
        return { level: 'manage', scope: EVERYTHING };
      return undefined;
    }
  }
}

/**
 * Whether a route's policy lets the caller at the resource `id` (role, visibility, manage): what it may see of it, or
 * undefined.
 */
export async function allowed(db: Db, p: Principal, access: Access, id: string, today: string) {
  if (!access.resource || !access.roles.includes(p.role)) return undefined;
  const found = await resourceLevel(db, p, access.resource, id, today);
  if (!found || (access.manage && found.level === 'see') || (access.own && found.level !== 'own')) return undefined;
  return found;
}

/** Installs the one authorization hook and the audit recording for every route in `app`. */
export function authorize(app: FastifyInstance, db: Db, now: () => number): void {
  app.decorateRequest('scope', null as unknown as Scope);
  app.decorateRequest('auditTrajectories', null as unknown as string[]);
  app.decorateRequest('denied', null as unknown as Denied[]);

  app.addHook('onRoute', (route) => {
    // A route without a declared policy would be open to every key: refuse to start instead.
    if (!route.config?.access) throw new Error(`route ${route.method} ${route.url} declares no access policy`);
  });

  app.addHook('preHandler', async (request) => {
    const access = request.routeOptions.config.access!;
    const p = request.principal;
    request.auditTrajectories = [];
    request.denied = [];
    const id = (request.params as { id?: string }).id;
    if (access.resource && id !== undefined) {
      const found = await allowed(db, p, access, id, localDate(now()));
      if (!found || access.conceals?.(p, request.body, found.scope)) {
        request.denied.push({ resource: access.resource, id });
        throw notFound(says(`${access.resource} ${id}`, `${RESOURCE_NL[access.resource]} ${id}`));
      }
      request.scope = found.scope;
      if (found.trajectoryId) request.auditTrajectories.push(found.trajectoryId);
    } else {
      if (!access.roles.includes(p.role))
        throw forbidden(
          says(
            `A ${p.role} key cannot use ${request.method} ${request.routeOptions.url}`,
            `Een ${p.role}-sleutel kan ${request.method} ${request.routeOptions.url} niet gebruiken`,
          ),
        );
      request.scope = EVERYTHING;
    }
    const problems = access.body?.(p, request.body, request.scope) ?? [];
    if (problems.length > 0)
      throw forbidden(
        says(
          problems.map((x) => `${x.field}: ${x.message}`).join('; '),
          problems.map((x) => `${x.field}: ${x.nl}`).join('; '),
        ),
        problems,
      );
  });

  // A refusal that named objects in the body (another office's organisation as a covenant member, ...).
  app.addHook('onError', async (request, _reply, error) => {
    const denied = deniedBy.get(error);
    if (denied && request.denied) request.denied.push(...denied);
  });
  // After the answer has gone, so a refusal takes exactly as long to answer as an unknown id.
  // Not awaited: the 'request completed' log line and the next request need not wait for it.
  app.addHook('onResponse', (request, _reply, done) => {
    if (request.denied?.length && request.principal)
      recordDenied(db, request).catch((e: unknown) =>
        request.log.error({ err: e }, 'could not record a refused attempt in the audit log'),
      );
    done();
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const access = request.routeOptions.config?.access;
    if (!access?.audit || reply.statusCode >= 400 || !request.principal) return payload;
    await insertAuditEvents(db, await auditRows(db, request, access.audit));
    return payload;
  });
}

/** An object a request was refused: recorded in the audit log of the office that owns it. */
export interface Denied {
  resource: string;
  id: string;
}

const deniedBy = new WeakMap<Error, Denied[]>();

/** Marks a refusal (a 4xx) as one that touched objects of others, so their owners see the attempt. */
export function refusing<E extends Error>(error: E, denied: Denied[]): E {
  if (denied.length) deniedBy.set(error, denied);
  return error;
}

/** At most this many refused objects of one request are recorded, so one request cannot flood an office's log. */
const DENIED_PER_REQUEST = 20;

/** One 'denied' row per refused object that has an owning office (an unknown id has none: nobody to tell). */
async function recordDenied(db: Db, request: FastifyRequest): Promise<void> {
  const base = auditBy(request, 'denied');
  const rows = [];
  const distinct = [...new Map(request.denied.map((d) => [`${d.resource}/${d.id}`, d])).values()].slice(
    0,
    DENIED_PER_REQUEST,
  );
  for (const d of distinct) {
    const office = await ownerOffice(db, d.resource, d.id);
    if (office)
      rows.push({
        ...base,
        resource: d.resource,
        resource_id: d.id,
        trajectory_id: d.resource === 'trajectory' ? d.id : null,
        office_id: office,
      });
  }
  if (rows.length) await insertAuditEvents(db, rows);
}

/** Who did what through which route, for an audit row. */
export function auditBy(request: FastifyRequest, action: AuditAction) {
  const p = request.principal;
  return {
    actor: p.actor,
    organisation_id: p.organisationId,
    role: p.role,
    action,
    route: `${request.method} ${request.routeOptions.url}`,
    request_id: request.id,
  };
}

/** One audit row per participant (each once). */
const trajectoryRows = (base: ReturnType<typeof auditBy>, ids: Iterable<string>) =>
  [...new Set(ids)].map((t): { resource: string; resource_id: string; trajectory_id: string | null } & typeof base => ({
    ...base,
    resource: 'trajectory',
    resource_id: t,
    trajectory_id: t,
  }));

async function auditRows(db: Db, request: FastifyRequest, action: AuditAction) {
  const access = request.routeOptions.config.access!;
  const id = (request.params as { id?: string }).id;
  const base = auditBy(request, action);
  const rows: (ReturnType<typeof trajectoryRows>[number] & { office_id?: string | null })[] = trajectoryRows(
    base,
    request.auditTrajectories,
  );
  // Named with its office, so the row shows in that office's log (a candidate is no trajectory of a cohort).
  if (access.resource && access.resource !== 'trajectory' && access.resource !== 'benefit' && id !== undefined)
    rows.push({
      ...base,
      resource: access.resource,
      resource_id: id,
      trajectory_id: null,
      office_id: (await ownerOffice(db, access.resource, id)) ?? null,
    });
  return rows;
}

/** Which participants' outcomes a caller may list: a funder those whose benefit it pays. */
export function outcomeFilter(p: Principal): { benefitPayerId?: string; programmeOfficeId?: string } {
  const office = actingOffice(p);
  const scope = office === null ? {} : { programmeOfficeId: office };
  if (p.role === 'funder') return { benefitPayerId: p.organisationId!, ...scope };
  return scope;
}

// Role-specific limits on what a caller records on a trajectory it can see.

export function attendanceLimits(
  p: Principal,
  body: { entries: { date: string; kind: string }[] },
  scope: Scope,
): FieldProblem[] {
  const own = p.role === 'employer' ? 'placement' : p.role === 'school' ? 'school' : undefined;
  const out: FieldProblem[] = [];
  body.entries.forEach((e, i) => {
    if (own && e.kind !== own)
      out.push({
        field: `entries[${i}].kind`,
        message: `a${p.role === 'employer' ? 'n employer' : ' school'} records ${own} days only`,
        nl: `een ${p.role === 'employer' ? 'werkgever legt alleen stagedagen' : 'ROC legt alleen ROC-dagen'} vast`,
      });
    else if (scope.from && e.date < scope.from)
      out.push({
        field: `entries[${i}].date`,
        message: `lies before this trajectory was placed with you (${scope.from})`,
        nl: `ligt vóór de dag waarop dit traject bij u werd geplaatst (${scope.from})`,
      });
  });
  return out;
}

export function bblLimits(p: Principal, body: { by: string }): FieldProblem[] {
  if ((p.role === 'employer' || p.role === 'school') && body.by !== p.role)
    return [
      {
        field: 'by',
        message: `a ${p.role} key confirms for ${p.role === 'employer' ? 'the employer' : 'the school'} only`,
        nl: `een ${p.role}-sleutel bevestigt alleen voor ${p.role === 'employer' ? 'de werkgever' : 'het ROC'}`,
      },
    ];
  return [];
}

export function followUpLimits(p: Principal, body: { employed?: boolean; enrolled?: boolean }): FieldProblem[] {
  if (p.role === 'employer' && body.enrolled !== undefined)
    return [
      {
        field: 'enrolled',
        message: 'the ROC answers for the enrolment; an employer answers employed',
        nl: 'het ROC antwoordt over de inschrijving; een werkgever antwoordt employed',
      },
    ];
  if (p.role === 'school' && body.employed !== undefined)
    return [
      {
        field: 'employed',
        message: 'the employer answers for the employment; an ROC answers enrolled',
        nl: 'de werkgever antwoordt over het dienstverband; een ROC antwoordt enrolled',
      },
    ];
  return [];
}

/**
 * An employer records one thing on a candidate: the outcome of the trial day proposed to it, as itself. Any other
 * step, or another organisation as the employer, is concealed (404) like a candidate it does not know.
 */
export function trialDayOnly(p: Principal, body: { step?: string; employerId?: string }, scope: Scope): boolean {
  if (p.role !== 'employer') return false;
  return (
    scope.trialDayStep === undefined ||
    body?.step !== scope.trialDayStep ||
    (body.employerId !== undefined && body.employerId !== p.organisationId)
  );
}

export function changeLimits(p: Principal, body: { type: ChangeType }): FieldProblem[] {
  if (p.role === 'jobcoach' && !JOBCOACH_CHANGES.includes(body.type))
    return [
      {
        field: 'type',
        message: `a jobcoach records ${JOBCOACH_CHANGES.join(', ')}; other changes are the coordinator's`,
        nl: `een jobcoach legt ${JOBCOACH_CHANGES.join(', ')} vast; andere wijzigingen zijn aan de coördinator`,
      },
    ];
  return [];
}

/** Names the trajectories a list response holds, so the audit log records each participant whose data was read. */
export function noteAudit(request: FastifyRequest, trajectoryIds: Iterable<string>): void {
  request.auditTrajectories.push(...trajectoryIds);
}

/** Audits the reading of the candidates a list shows, each once, in its office's log (a candidate is no trajectory). */
export async function auditCandidateReads(
  db: Db,
  request: FastifyRequest,
  candidates: { id: string; officeId: string }[],
): Promise<void> {
  if (candidates.length === 0) return;
  const base = auditBy(request, 'read');
  await insertAuditEvents(
    db,
    candidates.map((c) => ({
      ...base,
      resource: 'candidate',
      resource_id: c.id,
      trajectory_id: null,
      office_id: c.officeId,
    })),
  );
}

/**
 * Audits the reading of candidates a page or answer of one round shows (names, notes), each in the candidate's own
 * audit trail, so its export lists who read it: one insert for all of them, under the round's office.
 */
export async function auditRoundCandidateReads(
  db: Db,
  request: FastifyRequest,
  roundId: string,
  candidateIds: Iterable<string>,
): Promise<void> {
  const ids = [...new Set(candidateIds)];
  if (ids.length === 0) return;
  const office = await ownerOffice(db, 'recruitment-round', roundId);
  if (!office) return;
  await auditCandidateReads(
    db,
    request,
    ids.map((id) => ({ id, officeId: office })),
  );
}

/** Audits changes at once, for a request that is about to fail after changing some participants' data. */
export async function auditNow(
  db: Db,
  request: FastifyRequest,
  action: AuditAction,
  trajectoryIds: string[],
): Promise<void> {
  if (trajectoryIds.length === 0) return;
  await insertAuditEvents(db, trajectoryRows(auditBy(request, action), trajectoryIds));
}
