// Trajectories whose own workflow closed before deadlines were timers (patch `deadline-timers`) never start their
// deadlines workflow: the patch starts it only at a running trajectory's next activation, the API only on a write.
// Their remaining deadlines (the BBL benefit adjustment after the contract start, the subsidy application after the
// school year) used to come from the digest. The worker starts those once at start: a deadlines workflow that ran
// before, and ended because nothing could come anymore, is not started again (REJECT_DUPLICATE), so a repeated
// start of the worker changes nothing.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { finishedSince } from '../db/deadlines';
import type { Db } from '../db/connection';
import { addDays, localDate } from '../domain/calendar';
import type { DeadlinesInput } from '../workflows/deadlines';
import { deadlinesWorkflowId } from '../workflows/ids';
import { mapLimit } from './map-limit';

/**
 * How far back a finished trajectory can still have a deadline: a school year's subsidy application comes at most
 * about 14 months after a placement week in it; the BBL adjustment task, weekly until confirmed, starts within
 * weeks of the end.
 */
export const BACKFILL_DAYS = 430;

export async function startMissingDeadlines(
  db: Db,
  temporal: Client,
  taskQueue: string,
  now = Date.now(),
): Promise<{ started: number; failed: number }> {
  const rows = await finishedSince(db, addDays(localDate(now), -BACKFILL_DAYS));
  let started = 0;
  let failed = 0;
  await mapLimit(rows, 20, async ({ id }) => {
    const input: DeadlinesInput = { trajectoryId: id };
    try {
      await temporal.workflow.start('deadlinesWorkflow', {
        taskQueue,
        workflowId: deadlinesWorkflowId(id),
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      started++;
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) failed++;
    }
  });
  return { started, failed };
}
