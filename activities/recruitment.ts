// The candidate process's one activity: writing its projection (db/recruitment.ts).
import { writeCandidate, type CandidateProjection } from '../db/recruitment';
import type { ActivityDeps } from './index';

export function createRecruitmentActivities({ db }: ActivityDeps) {
  return {
    async projectCandidate(projection: CandidateProjection): Promise<void> {
      await writeCandidate(db, projection);
    },
  };
}
