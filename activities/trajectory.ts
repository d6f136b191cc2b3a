// Projections of the trajectory workflow into PostgreSQL. Every write is keyed so a retry is harmless.
import type { ActivityDeps } from './index';
import { writeFollowUp, type FollowUpProjection } from '../db/follow-ups';
import { setTrajectoryStatus, writeProjection, type Projection } from '../db/trajectories';

export function createTrajectoryActivities({ db }: ActivityDeps) {
  return {
    async projectTrajectory(projection: Projection): Promise<void> {
      await writeProjection(db, projection);
    },
    async projectFollowUp(projection: FollowUpProjection): Promise<void> {
      await writeFollowUp(db, projection);
    },
    /** Kept for runs of the first workflow version (workflows/legacy.ts). */
    async recordTrajectoryStatus(input: { trajectoryId: string; status: string }): Promise<void> {
      await setTrajectoryStatus(db, input.trajectoryId, input.status);
    },
  };
}
