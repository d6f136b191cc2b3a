import { sql } from 'kysely';
import type { Db } from './connection';

export interface OutcomeFilter {
  benefitPayerId?: string;
  programmeOfficeId?: string;
  cohortId?: string;
  bsnHash?: string;
  limit: number;
  offset: number;
}

/** Per-participant outcomes, by pseudonymous reference, within what the caller may see. */
export async function listParticipantOutcomes(db: Db, q: OutcomeFilter) {
  let base = db.selectFrom('trajectory as t');
  if (q.benefitPayerId !== undefined) base = base.where('t.benefit_payer_id', '=', q.benefitPayerId);
  if (q.programmeOfficeId !== undefined) {
    base = base.where('t.cohort_id', 'in', db.selectFrom('cohort as c').innerJoin('covenant as v', 'v.id', 'c.covenant_id').select('c.id').where('v.programme_office_id', '=', q.programmeOfficeId));
  }
  if (q.cohortId !== undefined) base = base.where('t.cohort_id', '=', q.cohortId);
  if (q.bsnHash !== undefined) base = base.where('t.bsn_hash', '=', q.bsnHash);
  const [items, count] = await Promise.all([
    base.select(['t.id', 't.reference', 't.cohort_id', 't.benefit_payer_id', 't.status', 't.end_date', 't.outcome']).orderBy('t.cohort_id').orderBy('t.reference').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export interface FigureFilter { programmeOfficeId?: string; programmeId?: string; region?: string; cohortId?: string; from?: string; to?: string }

/** Trajectories (t) with their cohort (c) within a filter: what the funders' figures and the steering view count. */
export function figureScope(db: Db, f: FigureFilter) {
  let base = db.selectFrom('trajectory as t').innerJoin('cohort as c', 'c.id', 't.cohort_id');
  if (f.programmeOfficeId !== undefined) base = base.where('c.covenant_id', 'in', db.selectFrom('covenant').select('id').where('programme_office_id', '=', f.programmeOfficeId));
  if (f.programmeId) base = base.where('c.programme_id', '=', f.programmeId);
  if (f.region) base = base.where('c.region', '=', f.region);
  if (f.cohortId) base = base.where('c.id', '=', f.cohortId);
  if (f.from) base = base.where('c.start_date', '>=', f.from);
  if (f.to) base = base.where('c.start_date', '<=', f.to);
  return base;
}

/** The raw counts behind the funders' figures; suppression is the API's job. Every figure is SQL over projected rows. */
export async function outcomeCounts(db: Db, f: FigureFilter) {
  const base = figureScope(db, f);
  const ids = base.select('t.id');
  const [statuses, dropouts, attendance, checkpoints, followUps] = await Promise.all([
    base.select((eb) => ['t.status', sql<string | null>`t.outcome->>'kind'`.as('kind'), eb.fn.countAll<number>().as('n')]).groupBy(['t.status', sql`t.outcome->>'kind'`]).execute(),
    base.where(sql<boolean>`t.outcome->>'kind' = 'dropout'`)
      .select((eb) => [sql<string>`t.outcome->>'reason'`.as('reason'), sql<number>`(t.outcome->>'week')::int`.as('week'), eb.fn.countAll<number>().as('n')])
      .groupBy([sql`t.outcome->>'reason'`, sql`(t.outcome->>'week')::int`]).execute(),
    // The per-trajectory counts the projection keeps: no attendance row is read here.
    base.select([
      sql<number>`coalesce(sum(t.days_recorded), 0)`.as('days'), sql<number>`coalesce(sum(t.days_attended), 0)`.as('attended'),
      sql<number>`count(*) filter (where t.days_recorded > 0)`.as('participants'),
    ]).executeTakeFirstOrThrow(),
    db.selectFrom('checkpoint_review').where('trajectory_id', 'in', ids).select((eb) => ['key', 'status', eb.fn.countAll<number>().as('n')]).groupBy(['key', 'status']).execute(),
    db.selectFrom('follow_up').where('trajectory_id', 'in', ids)
      .select((eb) => [
        'months', eb.fn.countAll<number>().as('asked'),
        sql<number>`count(*) filter (where employed)`.as('employed_yes'), sql<number>`count(*) filter (where not employed)`.as('employed_no'),
        sql<number>`count(*) filter (where employed is null and status = 'closed')`.as('employed_none'), sql<number>`count(*) filter (where employed is null and status = 'open')`.as('employed_open'),
        sql<number>`count(*) filter (where school_id is not null)`.as('enrolment_asked'),
        sql<number>`count(*) filter (where school_id is not null and enrolled)`.as('enrolled_yes'), sql<number>`count(*) filter (where school_id is not null and not enrolled)`.as('enrolled_no'),
        sql<number>`count(*) filter (where school_id is not null and enrolled is null and status = 'closed')`.as('enrolled_none'),
        sql<number>`count(*) filter (where school_id is not null and enrolled is null and status = 'open')`.as('enrolled_open'),
      ])
      .groupBy('months').orderBy('months').execute(),
  ]);
  return { statuses, dropouts, attendance, checkpoints, followUps };
}
