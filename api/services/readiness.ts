// Employer readiness (issue 20): reading and recording it per office, employer and crebo, SBB's recognitions
// imported all or nothing, and the one guard every start of a placement goes through (the cohort launch, from the
// API or a spreadsheet, and an employer change): a start at an employer that is not ready is refused with 422
// naming the participant and the employer, unless the coordinator overrides it with a reason, which is kept with
// their name and audited.
import { sql, type Insertable } from 'kysely';
import type { Db } from '../../db/connection';
import { findContact, findContacts, findCovenant } from '../../db/covenants';
import { findCohort } from '../../db/cohorts';
import { findProgramme } from '../../db/programmes';
import { findOwnedOrganisation, findOwnedOrganisations } from '../../db/ownership';
import {
  findEmployersByKvk,
  findReadiness,
  insertOverrides,
  listReadiness,
  placesInUse,
  setKvk,
  upsertReadiness,
} from '../../db/readiness';
import type { AuditEventTable, EmployerReadiness, ReadinessOverrideTable } from '../../db/schema';
import { insertAuditEvents } from '../../db/audit';
import { localDate } from '../../domain/calendar';
import {
  CREBO_NAMES,
  creboOf,
  EMPTY_CHECKLIST,
  gapsInWords,
  readinessVerdict,
  registerLink,
  type Gap,
  type ReadinessFacts,
  type ReadinessOverride,
} from '../../domain/readiness';
import type { Principal } from '../auth';
import type { AppDeps } from '../deps';
import { notFound, says, unprocessable, type FieldProblem } from '../errors';
import { refusing, type Denied } from '../access';
import { actingOffice, contactOfOffice, organisationRight } from '../ownership';
import type { Readiness, ReadinessInput, ReadinessList, SbbImport } from '../schemas/readiness';

type Deps = Pick<AppDeps, 'db' | 'now'>;
const today = (deps: Deps) => localDate(deps.now?.() ?? Date.now());

/** Recorded as the checker of a recognition taken from SBB's data. */
export const SBB_IMPORT = 'SBB-import';

const factsOf = (r: EmployerReadiness): ReadinessFacts => ({
  recognition:
    r.recognition_number && r.recognised_on && r.recognition_checked_on
      ? {
          number: r.recognition_number,
          recognisedOn: r.recognised_on,
          checkedOn: r.recognition_checked_on,
          checkedBy: r.recognition_checked_by ?? '',
        }
      : null,
  mentor:
    r.mentor_contact_id && r.mentor_hours_per_week
      ? { contactId: r.mentor_contact_id, hoursPerWeek: r.mentor_hours_per_week }
      : null,
  checklist: { ...EMPTY_CHECKLIST, ...r.checklist },
  places: r.places,
});

async function viewsOf(db: Db, org: { id: string; name: string; kvk: string | null }, rows: EmployerReadiness[]) {
  const mentors = new Map(
    (
      await findContacts(
        db,
        rows.flatMap((r) => (r.mentor_contact_id ? [r.mentor_contact_id] : [])),
      )
    ).map((c) => [c.id, c]),
  );
  const inUse = new Map<string, number>();
  for (const office of new Set(rows.map((r) => r.office_id)))
    inUse.set(office, (await placesInUse(db, office, [org.id])).get(org.id) ?? 0);
  return rows.map((r): Readiness => {
    const facts = factsOf(r);
    const used = inUse.get(r.office_id) ?? 0;
    const verdict = readinessVerdict(facts, used);
    const mentor = facts.mentor && mentors.get(facts.mentor.contactId);
    return {
      employerId: r.employer_id,
      officeId: r.office_id,
      crebo: r.crebo,
      qualification: CREBO_NAMES[r.crebo] ?? `crebo ${r.crebo}`,
      registerLink: registerLink({ crebo: r.crebo, kvk: org.kvk, name: org.name }),
      recognition: facts.recognition,
      mentor:
        facts.mentor && mentor
          ? {
              contactId: mentor.id,
              name: mentor.name,
              email: mentor.email,
              hoursPerWeek: facts.mentor.hoursPerWeek,
              confirmedOn: r.mentor_confirmed_on,
            }
          : null,
      checklist: facts.checklist,
      places: r.places,
      placesInUse: used,
      canStart: verdict.canStart,
      missing: verdict.missing.map((g) => ({ key: g.key, message: g.en, nl: g.nl, blocks: g.blocks })),
      updatedBy: r.updated_by,
      updatedAt: r.updated_at.toISOString(),
    };
  });
}

/**
 * An employer's readiness: a coordinator sees its own office's records, the employer's key the admin made its own
 * records of every office it works with, an employer's key an office made only that office's records (the office
 * may merely use the employer), the admin all. The route's policy has already decided the caller may see the
 * employer.
 */
export async function getReadiness(deps: Deps, principal: Principal, employerId: string): Promise<ReadinessList> {
  const org = await findOwnedOrganisation(deps.db, employerId);
  if (!org) throw notFound(says(`Organisation ${employerId}`, `Organisatie ${employerId}`));
  const office = actingOffice(principal);
  const rows = org.kind === 'employer' ? await listReadiness(deps.db, employerId, office) : [];
  return { employerId, kvk: org.kvk, records: await viewsOf(deps.db, org, rows) };
}

/** The office a coordinator records for: its own; the admin names one in the body. */
async function officeOf(db: Db, principal: Principal, officeId: string | undefined): Promise<string> {
  const office = actingOffice(principal);
  if (office !== null) {
    if (officeId !== undefined && officeId !== office)
      throw unprocessable([
        {
          field: 'officeId',
          message: 'you record for your own programme office; leave officeId out',
          nl: 'u legt vast voor uw eigen programmabureau; laat officeId weg',
        },
      ]);
    return office;
  }
  const named = officeId === undefined ? undefined : await findOwnedOrganisation(db, officeId);
  if (named?.kind !== 'programme_office')
    throw unprocessable([
      {
        field: 'officeId',
        message: 'name the programme office the record is for',
        nl: 'noem het programmabureau waarvoor u dit vastlegt',
      },
    ]);
  return named.id;
}

async function requireEmployerFor(db: Db, office: string, employerId: string) {
  const org = await findOwnedOrganisation(db, employerId);
  if (!org || !organisationRight(office, org))
    throw notFound(says(`Organisation ${employerId}`, `Organisatie ${employerId}`));
  if (org.kind !== 'employer')
    throw unprocessable([
      {
        field: 'id',
        message: `${employerId} is no employer: readiness is recorded for employers`,
        nl: `${employerId} is geen werkgever: gereedheid wordt voor werkgevers vastgelegd`,
      },
    ]);
  return org;
}

export async function setReadiness(
  deps: Deps,
  principal: Principal,
  employerId: string,
  crebo: string,
  body: ReadinessInput,
): Promise<Readiness> {
  const { db } = deps;
  const office = await officeOf(db, principal, body.officeId);
  const org = await requireEmployerFor(db, office, employerId);
  const problems: FieldProblem[] = [];
  const denied: Denied[] = [];
  if (body.mentor) {
    const c = await findContact(db, body.mentor.contactId);
    if (c && c.organisation_id === employerId && !contactOfOffice(office, c))
      denied.push({ resource: 'contact', id: c.id });
    if (!c || c.organisation_id !== employerId || c.role !== 'workplace_trainer' || !contactOfOffice(office, c))
      problems.push({
        field: 'mentor.contactId',
        message: `no workplace trainer ${body.mentor.contactId} of ${employerId}`,
        nl: `geen praktijkopleider ${body.mentor.contactId} van ${employerId}`,
      });
  }
  if (body.kvk !== undefined && body.kvk !== org.kvk) {
    // The KvK number is the organisation's own, seen by every office that uses it: only its owner (or the admin)
    // records or changes it. An office that merely uses the organisation may repeat the number as it stands.
    if (principal.role !== 'admin' && organisationRight(office, org) !== 'own')
      problems.push({
        field: 'kvk',
        message: 'only the programme office that registered the organisation records its KvK number; leave kvk out',
        nl: 'alleen het programmabureau dat de organisatie heeft geregistreerd legt het KvK-nummer vast; laat kvk weg',
      });
    // One answer for every number that cannot be recorded, never whose it is.
    else if ((await findEmployersByKvk(db, [body.kvk])).some((o) => o.id !== employerId))
      problems.push({
        field: 'kvk',
        message: 'this KvK number cannot be recorded for this organisation; check the number',
        nl: 'dit KvK-nummer kan niet voor deze organisatie worden vastgelegd; controleer het nummer',
      });
  }
  if (body.recognition && body.recognition.recognisedOn > body.recognition.checkedOn)
    problems.push({
      field: 'recognition.recognisedOn',
      message: 'lies after the day it was checked',
      nl: 'ligt na de dag waarop de erkenning is gecontroleerd',
    });
  if (problems.length) throw refusing(unprocessable(problems), denied);

  const before = await findReadiness(db, { officeId: office, employerId, crebo });
  const r = body.recognition;
  // Saving the form again does not make the saver the checker of a recognition someone else checked.
  const sameCheck =
    r && before?.recognition_number === r.number && before.recognition_checked_on === r.checkedOn && before;
  await db.transaction().execute(async (trx) => {
    if (body.kvk !== undefined && body.kvk !== org.kvk) await setKvk(trx, employerId, body.kvk);
    await upsertReadiness(trx, {
      office_id: office,
      employer_id: employerId,
      crebo,
      recognition_number: r?.number ?? null,
      recognised_on: r?.recognisedOn ?? null,
      recognition_checked_on: r?.checkedOn ?? null,
      recognition_checked_by: r ? (sameCheck ? sameCheck.recognition_checked_by : principal.actor) : null,
      mentor_contact_id: body.mentor?.contactId ?? null,
      mentor_hours_per_week: body.mentor?.hoursPerWeek ?? null,
      mentor_confirmed_on:
        body.mentor && before?.mentor_contact_id === body.mentor.contactId ? before.mentor_confirmed_on : null,
      checklist: JSON.stringify(body.checklist),
      places: body.places,
      updated_by: principal.actor,
    });
  });
  const row = (await findReadiness(db, { officeId: office, employerId, crebo }))!;
  const kvk = body.kvk ?? org.kvk;
  return (await viewsOf(db, { ...org, kvk }, [row]))[0]!;
}

/**
 * The employer confirms the praktijkopleider an office's record names for it. A key an office made confirms only
 * that office's record: another office's answers exactly like a record that does not exist.
 */
export async function confirmMentor(
  deps: Deps,
  principal: Principal,
  employerId: string,
  crebo: string,
  officeId: string,
): Promise<Readiness> {
  const office = actingOffice(principal);
  const row =
    office === null || office === officeId ? await findReadiness(deps.db, { officeId, employerId, crebo }) : undefined;
  if (!row) throw notFound(says(`Readiness ${employerId}/${crebo}`, `Gereedheid ${employerId}/${crebo}`));
  if (!row.mentor_contact_id)
    throw unprocessable([
      {
        field: 'officeId',
        message: 'the record names no praktijkopleider to confirm',
        nl: 'er is geen praktijkopleider genoemd om te bevestigen',
      },
    ]);
  await deps.db
    .updateTable('employer_readiness')
    .set({ mentor_confirmed_on: today(deps) })
    .where('office_id', '=', officeId)
    .where('employer_id', '=', employerId)
    .where('crebo', '=', crebo)
    .execute();
  const org = (await findOwnedOrganisation(deps.db, employerId))!;
  const fresh = (await findReadiness(deps.db, { officeId, employerId, crebo }))!;
  return (await viewsOf(deps.db, org, [fresh]))[0]!;
}

/**
 * Recognitions from SBB's data, each matched to an employer the office works with by its id or KvK number, and
 * recorded as checked today by "SBB-import". Every row is checked first; one wrong row and nothing is recorded.
 */
export async function importRecognitions(deps: Deps, principal: Principal, body: SbbImport) {
  const { db } = deps;
  const office = await officeOf(db, principal, body.officeId);
  const rows = body.recognitions;
  const byKvk = new Map(
    (
      await findEmployersByKvk(
        db,
        rows.flatMap((r) => (r.kvk ? [r.kvk] : [])),
      )
    ).map((o) => [o.kvk!, o.id]),
  );
  const ids = [...new Set(rows.map((r) => r.employerId ?? (r.kvk && byKvk.get(r.kvk)) ?? ''))].filter(Boolean);
  const orgs = new Map((await findOwnedOrganisations(db, ids)).map((o) => [o.id, o]));
  const problems: FieldProblem[] = [];
  const resolved: string[] = [];
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const at = `recognitions[${i}]`;
    if ((r.employerId === undefined) === (r.kvk === undefined)) {
      problems.push({
        field: `${at}.employerId`,
        message: 'give either employerId or kvk',
        nl: 'geef employerId of kvk, niet allebei en niet geen van beide',
      });
      return;
    }
    const id = r.employerId ?? byKvk.get(r.kvk!);
    const org = id === undefined ? undefined : orgs.get(id);
    // Another office's employer is named exactly like an unknown one.
    if (!org || !organisationRight(office, org) || org.kind !== 'employer') {
      problems.push(
        r.kvk
          ? {
              field: `${at}.kvk`,
              message: `no employer with KvK ${r.kvk} that your office works with`,
              nl: `geen werkgever met KvK ${r.kvk} waarmee uw bureau werkt`,
            }
          : {
              field: `${at}.employerId`,
              message: `no employer ${r.employerId} that your office works with`,
              nl: `geen werkgever ${r.employerId} waarmee uw bureau werkt`,
            },
      );
      return;
    }
    if (seen.has(`${org.id}/${r.crebo}`))
      problems.push({
        field: `${at}.crebo`,
        message: `${org.id} appears twice for crebo ${r.crebo}`,
        nl: `${org.id} komt twee keer voor met crebo ${r.crebo}`,
      });
    if (r.recognisedOn > today(deps))
      problems.push({ field: `${at}.recognisedOn`, message: 'lies in the future', nl: 'ligt in de toekomst' });
    seen.add(`${org.id}/${r.crebo}`);
    resolved[i] = org.id;
  });
  if (problems.length) throw unprocessable(problems);
  const on = today(deps);
  await db.transaction().execute(async (trx) => {
    for (const [i, r] of rows.entries()) {
      const employerId = resolved[i]!;
      const before = await findReadiness(trx, { officeId: office, employerId, crebo: r.crebo });
      await upsertReadiness(trx, {
        office_id: office,
        employer_id: employerId,
        crebo: r.crebo,
        recognition_number: r.recognitionNumber,
        recognised_on: r.recognisedOn,
        recognition_checked_on: on,
        recognition_checked_by: SBB_IMPORT,
        mentor_contact_id: before?.mentor_contact_id ?? null,
        mentor_hours_per_week: before?.mentor_hours_per_week ?? null,
        mentor_confirmed_on: before?.mentor_confirmed_on ?? null,
        checklist: JSON.stringify(before?.checklist ?? EMPTY_CHECKLIST),
        places: before?.places ?? 0,
        updated_by: principal.actor,
      });
    }
  });
  return { imported: rows.length, employerIds: [...new Set(resolved)] };
}

/** One start of a placement: where its field is in the request, whom it is for, at which employer. */
export interface Placement {
  field: string;
  reference: string;
  employerId: string;
}

/** A placement that starts under an override, with what was missing. */
export interface Overridden {
  placement: Placement;
  missing: Gap[];
}

/**
 * The guard, once for every start of a placement: each employer must be ready for the office and crebo, with a
 * place for every participant starting there now. Refused with 422 naming each participant and employer, unless
 * `override` gives the coordinator's reason; then what was overridden is returned, to be recorded with the start.
 */
export async function readinessGuard(
  db: Db,
  o: { officeId: string; crebo: string; placements: Placement[]; override?: ReadinessOverride },
): Promise<Overridden[]> {
  const refused = await readinessGaps(db, o);
  if (refused.length && !o.override) {
    throw unprocessable(
      refused.map(({ placement: p, missing, employerName: name }): FieldProblem => ({
        field: p.field,
        message:
          `participant ${p.reference}: employer ${name} (${p.employerId}) is not ready for crebo ${o.crebo}: ` +
          `${gapsInWords(missing, 'en')}; give readinessOverride.reason to start anyway`,
        nl:
          `deelnemer ${p.reference}: werkgever ${name} (${p.employerId}) is niet gereed voor crebo ${o.crebo}: ` +
          `${gapsInWords(missing, 'nl')}; geef readinessOverride.reason om toch te starten`,
      })),
    );
  }
  return refused;
}

/**
 * The placements that may not start without an override, each with what its employer misses (the guard's check).
 * Inside a transaction it first locks the places of each (office, employer) until the transaction ends, so the
 * transaction that writes the starts counts places no other start can take meanwhile.
 */
export async function readinessGaps(
  db: Db,
  o: { officeId: string; crebo: string; placements: Placement[] },
): Promise<(Overridden & { employerName: string })[]> {
  const employerIds = [...new Set(o.placements.map((p) => p.employerId))];
  if (employerIds.length === 0) return [];
  if (db.isTransaction) await lockPlaces(db, o.officeId, employerIds);
  const inUse = await placesInUse(db, o.officeId, employerIds);
  const names = new Map((await findOwnedOrganisations(db, employerIds)).map((x) => [x.id, x.name]));
  const gaps = new Map<string, Gap[]>();
  for (const employerId of employerIds) {
    const row = await findReadiness(db, { officeId: o.officeId, employerId, crebo: o.crebo });
    const starting = o.placements.filter((p) => p.employerId === employerId).length;
    const verdict = readinessVerdict(row && factsOf(row), inUse.get(employerId) ?? 0, starting);
    if (!verdict.canStart) gaps.set(employerId, verdict.missing);
  }
  return o.placements
    .filter((p) => gaps.has(p.employerId))
    .map((p) => ({
      placement: p,
      missing: gaps.get(p.employerId)!,
      employerName: names.get(p.employerId) ?? p.employerId,
    }));
}

/**
 * Takes the places of (office, employer) for the rest of the transaction, so two starts at once cannot both count
 * the same free place: the second waits until the first has committed, then counts again. Taken in one order
 * (sorted), so two launches never wait on each other. A lock of the pair of keys, apart from the one-key locks
 * elsewhere (programmes); PGlite has it too.
 */
async function lockPlaces(trx: Db, officeId: string, employerIds: string[]): Promise<void> {
  for (const employerId of [...employerIds].sort())
    await sql`select pg_advisory_xact_lock(hashtext(${officeId}), hashtext(${employerId}))`.execute(trx);
}

/**
 * Records each overridden start (with the trajectory it is for) in the override log and the audit log, naming the
 * person; called inside the transaction that writes the start, so there is never a start without its record.
 */
export async function recordOverrides(
  db: Db,
  principal: Principal,
  o: { officeId: string; crebo: string; reason: string; route: string; requestId?: string | null },
  items: { trajectoryId: string; employerId: string; missing: Gap[] }[],
): Promise<void> {
  if (items.length === 0) return;
  const overrides: Insertable<ReadinessOverrideTable>[] = items.map((i) => ({
    office_id: o.officeId,
    employer_id: i.employerId,
    crebo: o.crebo,
    trajectory_id: i.trajectoryId,
    reason: o.reason,
    missing: JSON.stringify(i.missing),
    actor: principal.actor,
  }));
  const audit: Insertable<AuditEventTable>[] = items.map((i) => ({
    actor: principal.actor,
    organisation_id: principal.organisationId,
    role: principal.role,
    action: 'change',
    resource: 'readiness-override',
    resource_id: i.employerId,
    trajectory_id: i.trajectoryId,
    route: o.route,
    request_id: o.requestId ?? null,
    office_id: o.officeId,
  }));
  await insertOverrides(db, overrides);
  await insertAuditEvents(db, audit);
}

/**
 * The guard at an employer change of a running trajectory: the new employer must be ready for the cohort's office
 * and crebo, with a place for one more. Returns what to record once the change is made (nothing when ready).
 */
export async function guardEmployerChange(
  db: Db,
  t: { cohortId: string; reference: string },
  employerId: string,
  override: ReadinessOverride | undefined,
): Promise<{ officeId: string; crebo: string; overridden: Overridden[] } | undefined> {
  const cohort = await findCohort(db, t.cohortId);
  const covenant = cohort?.covenant_id ? await findCovenant(db, cohort.covenant_id) : undefined;
  // A cohort from before covenants has no office whose readiness could be asked.
  if (!cohort || !covenant) return undefined;
  const programme = await findProgramme(db, cohort.programme_id, cohort.programme_version);
  const crebo = creboOf(programme?.template ?? {});
  const officeId = covenant.programme_office_id;
  const overridden = await readinessGuard(db, {
    officeId,
    crebo,
    override,
    placements: [{ field: 'employerId', reference: t.reference, employerId }],
  });
  return { officeId, crebo, overridden };
}
