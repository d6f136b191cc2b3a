import { findTrajectory } from '../../db/trajectories';
import { localDate } from '../../workflows/calendar';
import { stateQuery } from '../../workflows/trajectory';
import { notFound } from '../errors';
import type { Trajectory } from '../schemas/trajectory';
import type { AppDeps } from '../deps';

/** The trajectory's record beside its live state, read from the running (or finished) workflow. */
export async function getTrajectory(deps: Pick<AppDeps, 'db' | 'temporal'>, id: string): Promise<Trajectory> {
  const t = await findTrajectory(deps.db, id);
  if (!t) throw notFound(`Trajectory ${id}`);
  const live = await deps.temporal.workflow.getHandle(t.workflow_id).query(stateQuery, localDate(Date.now()));
  return {
    id: t.id,
    cohortId: t.cohort_id,
    reference: t.reference,
    name: t.name,
    email: t.email,
    employerId: t.employer_id,
    jobcoach: { name: t.jobcoach_name, email: t.jobcoach_email },
    workflowId: t.workflow_id,
    status: t.status,
    live,
  };
}
