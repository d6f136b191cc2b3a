// Run daily by the Temporal Schedule `retention` (infra/schedules.ts): anonymises the personal data of
// trajectories that ended more than `months` ago, in batches, until none is left.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { localDate } from '../domain/calendar';

export interface RetentionInput {
  months: number;
  /** For candidates who never entered a cohort (CANDIDATE_RETENTION_MONTHS); the activity's default when left out. */
  candidateMonths?: number;
}
export interface RetentionResult {
  anonymised: number;
  forgottenKeys: number;
  /** Candidates anonymised (issue 20); absent in runs from before. */
  candidates?: number;
}

const { anonymiseExpired } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumInterval: '5 minutes' },
});

const BATCH = 200;

export async function retentionWorkflow(input: RetentionInput): Promise<RetentionResult> {
  // The workflow clock is deterministic; today in Amsterdam decides what has expired.
  const today = localDate(Date.now());
  const total: RetentionResult = { anonymised: 0, forgottenKeys: 0, candidates: 0 };
  for (;;) {
    const r = await anonymiseExpired({
      today,
      months: input.months,
      batch: BATCH,
      candidateMonths: input.candidateMonths,
    });
    total.anonymised += r.anonymised;
    total.forgottenKeys += r.forgottenKeys;
    total.candidates! += r.candidates ?? 0;
    if (r.anonymised < BATCH && (r.candidates ?? 0) < BATCH) return total;
  }
}
