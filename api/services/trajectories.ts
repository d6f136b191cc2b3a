// Reading a trajectory (its record, live state from the workflow, events from the projection) and
// recording on it through workflow updates.
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { findCohort } from '../../db/cohorts';
import { listCohortTrajectories, findTrajectory, listTrajectoryEvents } from '../../db/trajectories';
import type { Trajectory as TrajectoryRow } from '../../db/schema';
import { localDate } from '../../workflows/calendar';
import { REJECTION, scheduleQuery, stateQuery, type Recorded } from '../../workflows/trajectory';
import { conflict, notFound, unprocessable } from '../errors';
import type { CohortRisks, Schedule, Trajectory } from '../schemas/trajectory';
import type { AppDeps } from '../deps';

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'now'>;

/** Today in Amsterdam by the app's clock (a simulation runs the API on simulated time). */
export const today = (deps: Pick<AppDeps, 'now'>) => localDate(deps.now?.() ?? Date.now());

async function requireTrajectory(deps: Deps, id: string): Promise<TrajectoryRow> {
  const t = await findTrajectory(deps.db, id);
  if (!t) throw notFound(`Trajectory ${id}`);
  return t;
}

/** The trajectory's record beside its live state, read from the running (or finished) workflow. */
export async function getTrajectory(deps: Deps, id: string): Promise<Trajectory> {
  const t = await requireTrajectory(deps, id);
  const [live, events] = await Promise.all([
    deps.temporal.workflow.getHandle(t.workflow_id).query(stateQuery, today(deps)),
    listTrajectoryEvents(deps.db, id),
  ]);
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
    events: events.map((e) => ({ seq: e.seq, type: e.type, date: e.occurred_on, data: e.data })),
  };
}

export async function getSchedule(deps: Deps, id: string): Promise<Schedule> {
  const t = await requireTrajectory(deps, id);
  const s = await deps.temporal.workflow.getHandle(t.workflow_id).query(scheduleQuery);
  return { trajectoryId: id, ...s };
}

/** A refusal by the workflow's validator becomes a 422 naming the field; a finished trajectory a 409. */
export function updateProblem(e: unknown): unknown {
  if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure && e.cause.type === REJECTION) {
    return unprocessable([{ field: String(e.cause.details?.[0] ?? 'body'), message: e.cause.message }]);
  }
  const err = e as { name?: string; code?: number; message?: string };
  if (err?.name === 'WorkflowNotFoundError' || /already completed|workflow execution already/i.test(err?.message ?? '')) {
    return conflict('This trajectory has finished (or its launch is incomplete); it takes no more recordings');
  }
  return e;
}

/** Sends one recording as a workflow update. `updateId` makes a repeat (after a lost response) a no-op. */
export async function recordOn<Arg>(deps: Deps, id: string, update: UpdateDefinition<Recorded, [Arg]>, arg: Arg, updateId: string): Promise<Recorded> {
  const t = await requireTrajectory(deps, id);
  return sendUpdate(deps.temporal, t.workflow_id, update, arg, updateId);
}

export async function sendUpdate<Arg>(client: Client, workflowId: string, update: UpdateDefinition<Recorded, [Arg]>, arg: Arg, updateId: string): Promise<Recorded> {
  try {
    return await client.workflow.getHandle(workflowId).executeUpdate(update, { args: [arg], updateId });
  } catch (e) {
    throw updateProblem(e);
  }
}

/** Everyone in the cohort with at least one risk signal, most signals first. */
export async function cohortRisks(deps: Deps, cohortId: string): Promise<CohortRisks> {
  if (!(await findCohort(deps.db, cohortId))) throw notFound(`Cohort ${cohortId}`);
  const asOf = today(deps);
  const rows = await listCohortTrajectories(deps.db, cohortId);
  const items = await mapLimit(rows, 20, async (t) => {
    const live = await deps.temporal.workflow.getHandle(t.workflow_id).query(stateQuery, asOf);
    return { trajectoryId: t.id, reference: t.reference, status: live.status, week: live.week, risks: live.risks };
  });
  return { cohortId, asOf, items: items.filter((i) => i.risks.length > 0).sort((a, b) => b.risks.length - a.risks.length || a.reference.localeCompare(b.reference)) };
}

/** Runs `work` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
