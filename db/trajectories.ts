import type { Db } from './connection';
import type { Trajectory } from './schema';

export function findTrajectory(db: Db, id: string): Promise<Trajectory | undefined> {
  return db.selectFrom('trajectory').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listCohortTrajectories(db: Db, cohortId: string): Promise<Trajectory[]> {
  return db.selectFrom('trajectory').selectAll().where('cohort_id', '=', cohortId).orderBy('reference').execute();
}

export async function setTrajectoryStatus(db: Db, id: string, status: string): Promise<void> {
  await db.updateTable('trajectory').set({ status, updated_at: new Date() }).where('id', '=', id).execute();
}
