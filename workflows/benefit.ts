// What a proposed change would do to the trajectory's planned end, asked before the change is made: the API checks
// the benefit instrument's maximum against it (domain/benefit.ts), for the change itself and for its preview. A
// query only reads the state, writes nothing to history, so running trajectories answer it without a patch.
import { defineQuery } from '@temporalio/workflow';
import type { Change } from '../domain/changes';
import { addDays } from '../domain/calendar';
import { isRefusal, type Refusal } from '../domain/refusals';
import { applyChange, currentPlan, Rejection, type TrajectoryData } from '../domain/state';

/** The planned end after the change, or the workflow's own refusal of it (the update would be refused the same). */
export type EndAfterChange = { endDate: string; endBefore: string } | { refused: { field: string; refusal: Refusal } };

export const endAfterChangeQuery = defineQuery<EndAfterChange, [change: Change, today: string]>('endAfterChange');

/**
 * A pause has no end yet, so it is judged by the least it does: back the next day, one working day later. Its
 * resumption is judged again with its real date.
 */
export function endAfterChange(s: TrajectoryData, today: string, change: Change): EndAfterChange {
  try {
    let next = applyChange(s, today, change);
    if (change.type === 'pause') next = applyChange(next, today, { type: 'resume', date: addDays(change.from, 1) });
    return { endDate: currentPlan(next).endDate, endBefore: currentPlan(s).endDate };
  } catch (e) {
    if (e instanceof Rejection && isRefusal(e.refusal)) return { refused: { field: e.field, refusal: e.refusal } };
    throw e;
  }
}
