// A trajectory's deadlines on durable timers (issue 21, part 5): the payer's workflow of the issue, one per
// trajectory (`deadlines-<trajectoryId>`), outliving the trajectory's own (the BBL adjustment task starts at the
// contract start, after the 20 weeks). It holds no facts: an activity computes the next day a deadline is reached
// from the database with the pure rules (activities/deadlines.ts), the workflow sleeps until that day, and on it an
// activity records what is reached for the next morning's mail. The API signals `deadlinesChanged` when the facts
// change, which wakes it to compute again; so does a week without a signal, so a lost signal costs at most a week
// (a trajectory without any facts yet, no instrument recorded, sleeps until its own workflow will have ended).
import {
  condition,
  continueAsNew,
  defineSignal,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { addDays, localDate, localInstant } from '../domain/calendar';

export interface DeadlinesInput {
  trajectoryId: string;
  /** The last day a timer fired for this trajectory (carried over continue-as-new); none: yesterday. */
  after?: string;
}

/** The facts of a deadline changed (an instrument, an extension decision, a confirmation, a pause): compute again. */
export const deadlinesChangedSignal = defineSignal('deadlinesChanged');

/** Rounds per run before continuing as new: each is at most a week, so a run's history stays small. */
export const ROUNDS_PER_RUN = 100;

const { nextDeadline, reachDeadlines } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

const today = () => localDate(Date.now());

export async function deadlinesWorkflow(input: DeadlinesInput): Promise<void> {
  const { trajectoryId } = input;
  let after = input.after ?? addDays(today(), -1);
  let changed = false;
  setHandler(deadlinesChangedSignal, () => {
    changed = true;
  });

  for (let round = 0; round < ROUNDS_PER_RUN && !workflowInfo().continueAsNewSuggested; round++) {
    // Cleared before the facts are read: a signal while they are read wakes the timer below at once.
    changed = false;
    const next = await nextDeadline({ trajectoryId, after, today: today() });
    if (next.done) return;
    const recheck = localInstant(next.recheckOn);
    // The day starts at midnight in Amsterdam, so what it brings is recorded before the 10:00 digest.
    const due = next.on === undefined ? undefined : localInstant(next.on);
    const until = due !== undefined && due < recheck ? due : recheck;
    const wait = until - Date.now();
    const woken = wait > 0 && (await condition(() => changed, wait));
    if (woken || next.on === undefined || until !== due) continue;
    await reachDeadlines({ trajectoryId, on: next.on });
    after = next.on;
  }
  await continueAsNew<typeof deadlinesWorkflow>({ trajectoryId, after });
}
