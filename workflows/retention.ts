// Run daily by the Temporal Schedule `retention` (infra/schedules.ts): anonymises the personal data of
// trajectories that ended more than `months` ago, in batches, until none is left.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { localDate } from '../domain/calendar';

export interface RetentionInput {
  months: number;
}
export interface RetentionResult {
  anonymised: number;
  forgottenKeys: number;
}

const { anonymiseExpired } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumInterval: '5 minutes' },
});

const BATCH = 200;

export async function retentionWorkflow(input: RetentionInput): Promise<RetentionResult> {
  // The workflow clock is deterministic; today in Amsterdam decides what has expired.
  const today = localDate(Date.now());
  const total: RetentionResult = { anonymised: 0, forgottenKeys: 0 };
  for (;;) {
    const r = await anonymiseExpired({ today, months: input.months, batch: BATCH });
    total.anonymised += r.anonymised;
    total.forgottenKeys += r.forgottenKeys;
    if (r.anonymised < BATCH) return total;
  }
}
