// Run each morning by the Temporal Schedule `digest` (infra/schedules.ts): composes every partner's digest
// into the outbox, then delivers it. Delivery retries with backoff while the mail server is down, and waits
// for the next allowed morning outside mail hours; a repeated run composes and sends nothing twice.
import { patched, proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { localDate } from '../domain/calendar';
import { digestPartsQueue } from './ids';

export interface DigestResult {
  date: string;
  mails: number;
  sent: number;
  failed: number;
}

// Both heartbeat as they go: a worker that dies mid-way is noticed within the heartbeat timeout and the
// activity runs again elsewhere, instead of waiting out the whole start-to-close timeout.
const composing: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { maximumInterval: '5 minutes' },
};
const delivering: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  // No attempt limit: mail waits for the server (or for 07:00) rather than being dropped.
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '15 minutes' },
};
const { composeDigests, digestOffices } = proxyActivities<Activities>(composing);
const { deliverMail } = proxyActivities<Activities>(delivering);

/** The office parts' activities on the queue `taskQueue`. */
const partActivities = (taskQueue: string) => ({
  composeDigests: proxyActivities<Activities>({ ...composing, taskQueue }).composeDigests,
  deliverMail: proxyActivities<Activities>({ ...delivering, taskQueue }).deliverMail,
});

/**
 * How many offices' parts are composed and delivered at once. Each part is an activity on the digest parts' queue
 * (workflows/ids.ts), where each worker process takes at most DIGEST_PARTS_PER_WORKER at once, so the morning
 * spreads over the workers; at most this many at once keeps one worker's memory to a few
 * offices' digests (a province's offices hold 5,000 to 25,000 trajectories each) and the mail within the
 * provider's limits, which each worker's mailer enforces for its own connections (SMTP_MAX_CONNECTIONS,
 * SMTP_RATE_PER_SECOND).
 */
export const OFFICES_AT_ONCE = 4;

export async function digestWorkflow(): Promise<DigestResult> {
  const date = localDate(Date.now());
  // Runs started before the split (one activity for the whole installation) replay as they ran.
  if (!patched('digest-per-office')) {
    const ids = await composeDigests({ date });
    const { sent, failed } = ids.length ? await deliverMail({ ids }) : { sent: 0, failed: 0 };
    return { date, mails: ids.length, sent, failed };
  }
  const offices = await digestOffices();
  // Runs started before the parts had a queue of their own keep them on the workflow's queue.
  const part = patched('digest-parts-queue')
    ? partActivities(digestPartsQueue(workflowInfo().taskQueue))
    : { composeDigests, deliverMail };
  const total: DigestResult = { date, mails: 0, sent: 0, failed: 0 };
  let next = 0;
  // A few lanes, each taking the next office when its previous one is delivered.
  const lane = async () => {
    while (next < offices.length) {
      const officeId = offices[next++]!;
      const ids = await part.composeDigests({ date, officeId });
      const { sent, failed } = ids.length ? await part.deliverMail({ ids }) : { sent: 0, failed: 0 };
      total.mails += ids.length;
      total.sent += sent;
      total.failed += failed;
    }
  };
  await Promise.all(Array.from({ length: Math.min(OFFICES_AT_ONCE, offices.length) }, lane));
  return total;
}
