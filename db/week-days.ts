// A week of days for a set of trajectories, as the projection holds them: the plan and what was recorded.
// What the week page shows before anyone records (web/week.ts); the recording itself goes to the workflows.
import type { Db } from './connection';

export async function weekDays(
  db: Db,
  trajectoryIds: string[],
  kind: 'placement' | 'school',
  from: string,
  to: string,
) {
  if (trajectoryIds.length === 0) return [];
  return db
    .selectFrom('planned_day as pd')
    .innerJoin('trajectory as t', 't.id', 'pd.trajectory_id')
    .leftJoin('attendance as a', (j) =>
      j.onRef('a.trajectory_id', '=', 'pd.trajectory_id').onRef('a.date', '=', 'pd.date'),
    )
    .select([
      'pd.trajectory_id',
      't.name',
      't.reference',
      'pd.date',
      'pd.planned',
      'pd.reason as off_reason',
      'a.present',
      'a.reason as absence_reason',
    ])
    .where('pd.trajectory_id', 'in', trajectoryIds)
    .where('pd.kind', '=', kind)
    .where('pd.date', '>=', from)
    .where('pd.date', '<=', to)
    .orderBy('t.reference')
    .orderBy('pd.date')
    .execute();
}
