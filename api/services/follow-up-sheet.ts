// One follow-up question of one participant as its page shows it: who it is about (first name and reference,
// from the trajectory's row, so it reads the same after the trajectory's workflow has finished) and the question
// with the answers so far (getFollowUps), or none when that follow-up has not been asked.
import { findTrajectory } from '../../db/trajectories';
import type { AppDeps } from '../deps';
import { notFound, says } from '../errors';
import type { FollowUp } from '../schemas/follow-up';
import { getFollowUps } from './follow-ups';
import { today } from './trajectories';

export interface FollowUpSheet {
  trajectoryId: string;
  firstName: string;
  reference: string;
  today: string;
  months: number;
  /** The question, once asked (from its due date on; before doorstroom there is none). */
  followUp?: FollowUp;
}

export async function followUpSheet(deps: AppDeps, id: string, months: number): Promise<FollowUpSheet> {
  const t = await findTrajectory(deps.db, id);
  if (!t) throw notFound(says(`Trajectory ${id}`, `Traject ${id}`));
  const { followUps } = await getFollowUps(deps, id);
  return {
    trajectoryId: id,
    firstName: t.name.trim().split(/\s+/)[0] ?? '',
    reference: t.reference,
    today: today(deps),
    months,
    followUp: followUps.find((f) => f.months === months),
  };
}
