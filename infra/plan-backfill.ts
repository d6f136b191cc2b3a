// Trajectories that were running before the workflow projected its plan (patch `plan-projection`) send it
// with their next recording; one that nobody records on would stay out of the steering view. The worker
// fills those in once at start, from each workflow's own plan (a query), under the same seq guard as the
// projection, so a plan the workflow projects meanwhile is never overwritten by an older one.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { backfillPlan, trajectoriesWithoutPlan } from '../db/trajectories';
import { planQuery } from '../workflows/trajectory';
import { mapLimit } from './map-limit';

export async function backfillPlans(db: Db, temporal: Client): Promise<{ filled: number; failed: number }> {
  const rows = await trajectoriesWithoutPlan(db);
  let filled = 0;
  let failed = 0;
  await mapLimit(rows, 20, async (t) => {
    try {
      const plan = await temporal.workflow.getHandle(t.workflow_id).query(planQuery);
      if (plan.seq > 0) {
        await backfillPlan(db, t.id, plan);
        filled++;
      }
    } catch {
      failed++; // a run on the first version (no plan query) or one that just closed: nothing to fill in
    }
  });
  return { filled, failed };
}
