// What the evidence files read, set-based: an employer's supervised placement days of a school year, an ESF+
// project's participants with their counted activities, the project's staff hours, and the trajectories whose keyed
// BSN hash a gemeente's list matches. Nothing here writes but the staff hours.
import { sql, type Insertable } from 'kysely';
import type { Db } from './connection';
import type { EsfStaffHoursTable } from './schema';

/** The employer of a placement day: the placement in effect on it (the first one for a day before any). */
const employerOnDay = sql<string>`coalesce(
  (select p.employer_id from placement p where p.trajectory_id = a.trajectory_id and p.from_date <= a.date
    order by p.from_date desc limit 1),
  (select p.employer_id from placement p where p.trajectory_id = a.trajectory_id order by p.from_date limit 1))`;

/**
 * An employer's placement days recorded between `from` and `to` (its weekly confirmations), per participant, with
 * the BBL contract start it confirmed; only the participants of `officeId`'s cohorts when one is given.
 */
export function employerPlacementDays(db: Db, employerId: string, from: string, to: string, officeId: string | null) {
  let q = db
    .selectFrom('attendance as a')
    .innerJoin('trajectory as t', 't.id', 'a.trajectory_id')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .leftJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select(['a.trajectory_id', 't.reference', 't.name', 'a.date', 'a.present'])
    .select(
      sql<string | null>`(select max(e.data->>'contractStartDate') from trajectory_event e
        where e.trajectory_id = t.id and e.type = 'bbl_confirmed')`.as('contract_start'),
    )
    .where('a.kind', '=', 'placement')
    .where('a.date', '>=', from)
    .where('a.date', '<=', to)
    .where(employerOnDay, '=', employerId);
  if (officeId !== null) q = q.where('v.programme_office_id', '=', officeId);
  return q.orderBy('t.reference').orderBy('a.trajectory_id').orderBy('a.date').execute();
}

/** A project's (covenant's) participants, their recorded activities counted, and whether a praktijkverklaring came. */
export function projectParticipants(db: Db, covenantId: string) {
  const count = (where: string) =>
    sql<number>`(select count(*)::int from attendance a where a.trajectory_id = t.id and ${sql.raw(where)})`;
  return db
    .selectFrom('trajectory as t')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .select(['t.id', 't.reference', 't.status', 't.outcome', 't.end_date', 'c.start_date'])
    .select(count(`a.kind = 'placement' and a.present`).as('placement_days'))
    .select(count(`a.kind = 'school' and a.present`).as('school_days'))
    .select(sql<number>`(select count(*)::int from checkpoint_review r where r.trajectory_id = t.id)`.as('checkpoints'))
    .select(sql<boolean>`exists (select 1 from praktijkverklaring p where p.trajectory_id = t.id)`.as('verklaring'))
    .where('c.covenant_id', '=', covenantId)
    .orderBy('c.start_date')
    .orderBy('t.reference')
    .execute();
}

/** Sets an organisation's hours on the project for a month (a correction replaces the figure). */
export async function upsertStaffHours(db: Db, row: Insertable<EsfStaffHoursTable>): Promise<void> {
  await db
    .insertInto('esf_staff_hours')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['covenant_id', 'organisation_id', 'month']).doUpdateSet({
        hours: row.hours,
        note: row.note ?? null,
        recorded_by: row.recorded_by,
        recorded_at: new Date(),
      }),
    )
    .execute();
}

export function staffHoursOf(db: Db, covenantId: string) {
  return db
    .selectFrom('esf_staff_hours as h')
    .innerJoin('organisation as o', 'o.id', 'h.organisation_id')
    .select(['h.organisation_id', 'o.name', 'h.month', 'h.hours', 'h.note', 'h.recorded_by'])
    .where('h.covenant_id', '=', covenantId)
    .orderBy('h.month')
    .orderBy('o.name')
    .execute();
}

/**
 * The trajectories whose keyed BSN hash is among `hashes`, of one payer and/or office: what the BSN report returns.
 * Anonymised trajectories hold no hash any more and never match.
 */
export async function trajectoriesByBsnHash(db: Db, hashes: string[], scope: { payerId?: string; officeId?: string }) {
  const out = [];
  // In slices, so a list of 100,000 stays within a statement's parameters.
  for (let i = 0; i < hashes.length; i += 5000) {
    let q = db
      .selectFrom('trajectory as t')
      .innerJoin('cohort as c', 'c.id', 't.cohort_id')
      .leftJoin('covenant as v', 'v.id', 'c.covenant_id')
      .select(['t.id', 't.bsn_hash', 't.reference', 't.status', 't.outcome', 't.end_date', 'c.start_date'])
      .select(sql<boolean>`exists (select 1 from praktijkverklaring p where p.trajectory_id = t.id)`.as('verklaring'))
      .where('t.bsn_hash', 'in', hashes.slice(i, i + 5000))
      .where('t.anonymised_at', 'is', null);
    if (scope.payerId !== undefined) q = q.where('t.benefit_payer_id', '=', scope.payerId);
    if (scope.officeId !== undefined) q = q.where('v.programme_office_id', '=', scope.officeId);
    out.push(...(await q.execute()));
  }
  return out;
}

/**
 * A participant's supervised weeks between `from` and `to` (a school year) per employer, for the subsidy reminders'
 * facts (activities/deadlines.ts); and whether placement days after `to` exist. Empty once anonymised.
 */
export async function subsidyWeeksOf(db: Db, trajectoryId: string, from: string, to: string) {
  const weeks = await db
    .selectFrom('attendance as a')
    .innerJoin('trajectory as t', 't.id', 'a.trajectory_id')
    .select(employerOnDay.as('employer_id'))
    .select(sql<number>`count(distinct date_trunc('week', a.date))::int`.as('weeks'))
    .where('a.trajectory_id', '=', trajectoryId)
    .where('a.kind', '=', 'placement')
    .where('a.present', '=', true)
    .where('a.date', '>=', from)
    .where('a.date', '<=', to)
    .where('t.anonymised_at', 'is', null)
    .groupBy(employerOnDay)
    .orderBy('employer_id')
    .execute();
  const later = await db
    .selectFrom('attendance')
    .select('trajectory_id')
    .where('trajectory_id', '=', trajectoryId)
    .where('kind', '=', 'placement')
    .where('date', '>', to)
    .limit(1)
    .executeTakeFirst();
  return { weeks, later: later !== undefined };
}
