// The API tells a trajectory's deadlines workflow (workflows/deadlines.ts) that the facts its deadlines are computed
// from changed, starting it if it is not running (a trajectory launched before deadlines were timers, or one whose
// deadlines had all ended and that a new instrument or a reverted dropout brings back).
import { deadlinesChangedSignal, type DeadlinesInput } from '../../workflows/deadlines';
import { deadlinesWorkflowId } from '../../workflows/ids';
import { temporalCall, type TemporalDeps } from '../temporal-calls';

/**
 * After the change is written. Best effort: the change itself stands when Temporal does not answer in time, and the
 * workflow computes its deadlines again within a week without a signal (RECHECK_DAYS).
 */
export async function deadlinesChanged(
  deps: TemporalDeps & { config: { TEMPORAL_TASK_QUEUE: string } },
  trajectoryId: string,
): Promise<void> {
  const input: DeadlinesInput = { trajectoryId };
  await temporalCall(deps, (c) =>
    c.workflow.signalWithStart('deadlinesWorkflow', {
      workflowId: deadlinesWorkflowId(trajectoryId),
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      args: [input],
      signal: deadlinesChangedSignal,
      signalArgs: [],
    }),
  ).catch(() => undefined);
}
