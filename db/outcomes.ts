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

/** The raw counts behind the funders' figures; suppression is the API's job. Every figure is SQL over projected rows. */
export async function outcomeCounts(db: Db, f: FigureFilter) {
  let base = db.selectFrom('trajectory as t').innerJoin('cohort as c', 'c.id', 't.cohort_id');
  if (f.programmeOfficeId !== undefined) base = base.where('c.covenant_id', 'in', db.selectFrom('covenant').select('id').where('programme_office_id', '=', f.programmeOfficeId));
  if (f.programmeId) base = base.where('c.programme_id', '=', f.programmeId);
  if (f.region) base = base.where('c.region', '=', f.region);
  if (f.cohortId) base = base.where('c.id', '=', f.cohortId);
  if (f.from) base = base.where('c.start_date', '>=', f.from);
  if (f.to) base = base.where('c.start_date', '<=', f.to);
  const ids = base.select('t.id');
  const [statuses, dropouts, attendance, checkpoints] = await Promise.all([
    base.select((eb) => ['t.status', sql<string | null>`t.outcome->>'kind'`.as('kind'), eb.fn.countAll<number>().as('n')]).groupBy(['t.status', sql`t.outcome->>'kind'`]).execute(),
    base.where(sql<boolean>`t.outcome->>'kind' = 'dropout'`)
      .select((eb) => [sql<string>`t.outcome->>'reason'`.as('reason'), sql<number>`(t.outcome->>'week')::int`.as('week'), eb.fn.countAll<number>().as('n')])
      .groupBy([sql`t.outcome->>'reason'`, sql`(t.outcome->>'week')::int`]).execute(),
    db.selectFrom('attendance').where('trajectory_id', 'in', ids)
      .select((eb) => [eb.fn.countAll<number>().as('days'), sql<number>`count(*) filter (where present)`.as('attended'), sql<number>`count(distinct trajectory_id)`.as('participants')])
      .executeTakeFirstOrThrow(),
    db.selectFrom('checkpoint_review').where('trajectory_id', 'in', ids).select((eb) => ['key', 'status', eb.fn.countAll<number>().as('n')]).groupBy(['key', 'status']).execute(),
  ]);
  return { statuses, dropouts, attendance, checkpoints };
}
