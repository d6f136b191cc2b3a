// A week of days for a set of trajectories, as the projection holds them: the plan and what was recorded.
// What the week page shows before anyone records (web/week.ts); the recording itself goes to the workflows.
import type { Db } from './connection';
import { OPEN_STATUSES } from '../domain/statuses';

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

/**
 * The planned days of `kind` before `before` that nobody recorded, of trajectories still open: the digest's rule for
 * attendance still to record (db/reminders.ts `unrecorded`), from the same projection rows.
 */
export async function unrecordedDays(db: Db, trajectoryIds: string[], kind: 'placement' | 'school', before: string) {
  if (trajectoryIds.length === 0) return [];
  return db
    .selectFrom('planned_day as pd')
    .innerJoin('trajectory as t', 't.id', 'pd.trajectory_id')
    .select(['pd.trajectory_id', 'pd.date'])
    .where('pd.trajectory_id', 'in', trajectoryIds)
    .where('t.status', 'in', OPEN_STATUSES)
    .where('pd.kind', '=', kind)
    .where('pd.planned', '=', true)
    .where('pd.date', '<', before)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('attendance as a')
            .select('a.date')
            .whereRef('a.trajectory_id', '=', 'pd.trajectory_id')
            .whereRef('a.date', '=', 'pd.date'),
        ),
      ),
    )
    .orderBy('pd.date')
    .execute();
}
