// Run each morning by the Temporal Schedule `digest` (infra/schedules.ts): composes every partner's digest
// into the outbox, then delivers it. Delivery retries with backoff while the mail server is down, and waits
// for the next allowed morning outside mail hours; a repeated run composes and sends nothing twice.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { localDate } from '../domain/calendar';

export interface DigestResult {
  date: string;
  mails: number;
  sent: number;
  failed: number;
}

// Both heartbeat as they go: a worker that dies mid-way is noticed within the heartbeat timeout and the
// activity runs again elsewhere, instead of waiting out the whole start-to-close timeout.
const { composeDigests } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { maximumInterval: '5 minutes' },
});
const { deliverMail } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  // No attempt limit: mail waits for the server (or for 07:00) rather than being dropped.
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '15 minutes' },
});

export async function digestWorkflow(): Promise<DigestResult> {
  const date = localDate(Date.now());
  const ids = await composeDigests({ date });
  const { sent, failed } = ids.length ? await deliverMail({ ids }) : { sent: 0, failed: 0 };
  return { date, mails: ids.length, sent, failed };
}
