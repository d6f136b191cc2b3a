// The follow-up after doorstroom, for partners: the questions asked so far (from SQL) and the answers,
// which go to the follow-up workflow as updates (it checks the question is open).
import { listFollowUps } from '../../db/follow-ups';
import { findTrajectory } from '../../db/trajectories';
import { answerFollowUpUpdate, type FollowUpAnswer } from '../../workflows/follow-up';
import { followUpWorkflowId } from '../../workflows/ids';
import { conflict, notFound, says } from '../errors';
import type { FollowUp, FollowUps } from '../schemas/follow-up';
import type { AppDeps } from '../deps';
import { updateProblem } from './trajectories';
import { temporalUpdate } from '../temporal-calls';

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'config'>;
type Row = Awaited<ReturnType<typeof listFollowUps>>[number];

const toView = (r: Row): FollowUp => ({
  months: r.months,
  dueOn: r.due_on,
  closesOn: r.closes_on,
  status: r.status,
  employerId: r.employer_id,
  employed: r.employed,
  employedOn: r.employed_on,
  schoolId: r.school_id,
  enrolled: r.enrolled,
  enrolledOn: r.enrolled_on,
});

export async function getFollowUps(deps: Deps, id: string): Promise<FollowUps> {
  return { trajectoryId: id, followUps: (await listFollowUps(deps.db, id)).map(toView) };
}

export async function answerFollowUp(
  deps: Deps,
  id: string,
  answer: FollowUpAnswer,
  updateId: string,
): Promise<FollowUp> {
  if (!(await findTrajectory(deps.db, id))) throw notFound(says(`Trajectory ${id}`, `Traject ${id}`));
  try {
    await temporalUpdate(deps, followUpWorkflowId(id), answerFollowUpUpdate, answer, updateId);
  } catch (e) {
    const problem = updateProblem(e);
    if (problem === e) throw e;
    // Not found or completed: there is no follow-up running to answer.
    if ((problem as { status?: number }).status === 409)
      throw conflict(
        says(
          'This trajectory has no open follow-up: it follows BBL doorstroom or a job without BBL, and ends ' +
            'after its last question',
          'Dit traject heeft geen lopende nameting: die volgt op BBL-doorstroom of een baan zonder BBL, en stopt ' +
            'na de laatste vraag',
        ),
      );
    throw problem;
  }
  // The workflow projected the answer before the update returned.
  const row = (await listFollowUps(deps.db, id)).find((r) => r.months === answer.months);
  return toView(row!);
}
