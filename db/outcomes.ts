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
