import { inSlices, type Db } from './connection';
import type { Insertable } from 'kysely';
import type { BenefitInstrumentTable, Cohort, NewCohort, NewTrajectory } from './schema';

/**
 * Writes a cohort and all its trajectories in one transaction: either the whole cohort exists or none of it.
 * A repeat with the same cohort id (a resumed launch) changes nothing.
 */
export async function insertCohort(
  db: Db,
  cohort: NewCohort,
  trajectories: NewTrajectory[],
  benefits: Insertable<BenefitInstrumentTable>[] = [],
  /** More that belongs to the launch (an override of the readiness guard), in the same transaction. */
  also?: (trx: Db) => Promise<void>,
  /** A check once the cohort is claimed and before its trajectories are written (the readiness guard, again). */
  check?: (trx: Db) => Promise<void>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('cohort')
      .values(cohort)
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return;
    await check?.(trx);
    await inSlices(trajectories, 500, async (slice) => {
      await trx.insertInto('trajectory').values(slice).execute();
      await trx
        .insertInto('placement')
        .values(slice.map((t) => ({ trajectory_id: t.id, from_date: cohort.start_date, employer_id: t.employer_id })))
        .execute();
    });
    // In the same transaction: a participant never exists without the instrument its launch named.
    await inSlices(benefits, 500, (slice) => trx.insertInto('benefit_instrument').values(slice).execute());
    await also?.(trx);
  });
}

export function findCohort(db: Db, id: string): Promise<Cohort | undefined> {
  return db.selectFrom('cohort').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function markCohortLaunched(db: Db, id: string): Promise<void> {
  await db.updateTable('cohort').set({ status: 'launched' }).where('id', '=', id).execute();
}

export async function listCohorts(
  db: Db,
  q: { limit: number; offset: number; programmeOfficeId?: string; schoolId?: string },
) {
  let base = db.selectFrom('cohort');
  if (q.programmeOfficeId !== undefined)
    base = base.where(
      'covenant_id',
      'in',
      db.selectFrom('covenant').select('id').where('programme_office_id', '=', q.programmeOfficeId),
    );
  if (q.schoolId !== undefined) base = base.where('school_id', '=', q.schoolId);
  const [items, count] = await Promise.all([
    base.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: count.n };
}
