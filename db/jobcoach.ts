// What the jobcoach's pages read from the projection: the trajectories assigned to a jobcoach (with the facts
// access.ts decides on), and one checkpoint of a trajectory with its review so far. The decisions (who may see
// what) are made in api/access.ts; these functions only read.
import type { Db } from './connection';

/** The trajectories whose jobcoach is this contact, with their programme office, oldest cohort first. */
export function trajectoriesOfJobcoach(db: Db, contactId: string) {
  return db
    .selectFrom('trajectory as t')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .leftJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select([
      't.id',
      't.cohort_id',
      't.workflow_id',
      't.status',
      't.reference',
      't.name',
      't.jobcoach_id',
      't.benefit_payer_id',
      't.anonymised_at',
      'c.school_id',
      'v.programme_office_id',
    ])
    .where('t.jobcoach_id', '=', contactId)
    .orderBy('c.start_date')
    .orderBy('t.reference')
    .execute();
}

/** One checkpoint of a trajectory's plan (as last projected) and its review, if recorded. */
export async function checkpointWithReview(db: Db, trajectoryId: string, key: string) {
  const planned = await db
    .selectFrom('planned_checkpoint')
    .select(['key', 'name', 'week', 'week_start', 'week_end'])
    .where('trajectory_id', '=', trajectoryId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!planned) return undefined;
  const review = await db
    .selectFrom('checkpoint_review')
    .select(['status', 'note', 'trainer_confirmed', 'recorded_on'])
    .where('trajectory_id', '=', trajectoryId)
    .where('key', '=', key)
    .executeTakeFirst();
  return { ...planned, review };
}
