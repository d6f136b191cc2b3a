// Retention: personal data of trajectories that ended long enough ago is anonymised, one trajectory per
// transaction, each recorded in the audit log. Repeating a run is harmless: anonymised rows are skipped.
import { anonymiseTrajectory, forgetIdempotencyKeys, forgetMailBodies, trajectoriesPastRetention } from '../db/privacy';
import type { Client } from '@temporalio/client';
import { forgetSessions } from '../db/web-sessions';
import { forgetCohortDrafts } from '../db/cohort-drafts';
import { forgetCandidateUploads } from '../db/candidate-uploads';
import { deadlinesWorkflowId, followUpWorkflowId } from '../workflows/ids';
import { anonymiseCandidate, candidatesPastRetention } from '../db/candidate-privacy';
import type { ActivityDeps } from './index';

/** Stops a trajectory's follow-up after doorstroom, if one is running: before its participant is anonymised. */
export async function stopFollowUp(temporal: Client, trajectoryId: string, reason: string): Promise<void> {
  await temporal.workflow
    .getHandle(followUpWorkflowId(trajectoryId))
    .terminate(reason)
    .catch((e: Error) => {
      if (e.name !== 'WorkflowNotFoundError') throw e;
    });
}

/** Stops a trajectory's deadlines workflow, if one runs: nothing more is due about a participant anonymised. */
export async function stopDeadlines(temporal: Client, trajectoryId: string, reason: string): Promise<void> {
  await temporal.workflow
    .getHandle(deadlinesWorkflowId(trajectoryId))
    .terminate(reason)
    .catch((e: Error) => {
      if (e.name !== 'WorkflowNotFoundError') throw e;
    });
}

/**
 * Stored responses to repeated requests, and the bodies of mails sent, are kept this long (they may name participants).
 */
const IDEMPOTENCY_DAYS = 30;

/** CANDIDATE_RETENTION_MONTHS's default (infra/config.ts says why), for a schedule made before it existed. */
export const CANDIDATE_RETENTION_MONTHS = 6;

const RETENTION_AUDIT = {
  actor: 'retention',
  organisation_id: null,
  role: 'system',
  action: 'anonymise',
  route: 'schedule retention',
  request_id: null,
} as const;

export function createRetentionActivities({ db, temporal }: ActivityDeps) {
  return {
    /** Anonymises up to `batch` trajectories that ended more than `months` before `today`; returns how many. */
    async anonymiseExpired(input: {
      today: string;
      months: number;
      batch: number;
      candidateMonths?: number;
    }): Promise<{ anonymised: number; forgottenKeys: number; candidates: number }> {
      let anonymised = 0;
      for (const id of await trajectoriesPastRetention(db, input.today, input.months, input.batch)) {
        // A follow-up may run longer than the retention period (up to 36 months): it stops with the data.
        if (temporal) await stopFollowUp(temporal, id, 'the retention period has passed');
        if (temporal) await stopDeadlines(temporal, id, 'the retention period has passed');
        if (await anonymiseTrajectory(db, id, RETENTION_AUDIT)) anonymised++;
      }
      let candidates = 0;
      const months = input.candidateMonths ?? CANDIDATE_RETENTION_MONTHS;
      for (const id of await candidatesPastRetention(db, input.today, months, input.batch))
        if (await anonymiseCandidate(db, id, RETENTION_AUDIT)) candidates++;
      const forgottenKeys = await forgetIdempotencyKeys(db, IDEMPOTENCY_DAYS);
      await forgetMailBodies(db, IDEMPOTENCY_DAYS);
      await forgetSessions(db);
      await forgetCohortDrafts(db);
      await forgetCandidateUploads(db);
      return { anonymised, forgottenKeys, candidates };
    },
  };
}
