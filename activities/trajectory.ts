// Projections of the trajectory workflow into PostgreSQL. Every write is keyed so a retry is harmless.
import type { ActivityDeps } from './index';
import { setTrajectoryStatus } from '../db/trajectories';

export function createTrajectoryActivities({ db }: ActivityDeps) {
  return {
    async recordTrajectoryStatus(input: { trajectoryId: string; status: string }): Promise<void> {
      await setTrajectoryStatus(db, input.trajectoryId, input.status);
    },
  };
}
