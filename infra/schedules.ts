// Recurring housekeeping as Temporal Schedules: durable, visible in the Temporal UI, and never run twice
// at once. The worker makes sure they exist (and carry the configured settings) when it starts.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { digestWorkflow } from '../workflows/digest';
import { retentionWorkflow, type RetentionInput } from '../workflows/retention';

export const RETENTION_SCHEDULE_ID = 'retention';
export const DIGEST_SCHEDULE_ID = 'digest';

/**
 * Monday to Saturday at 10:00 Amsterdam time (attendance is reminded when it is not recorded by 10:00 the
 * next working day); the digest itself skips public holidays, and its mails wait for mail hours.
 */
export async function ensureDigestSchedule(client: Client, o: { taskQueue: string }): Promise<void> {
  const action = {
    type: 'startWorkflow' as const,
    workflowType: digestWorkflow,
    args: [] as [],
    taskQueue: o.taskQueue,
    workflowId: 'digest',
  };
  const spec = {
    calendars: [{ dayOfWeek: [{ start: 'MONDAY' as const, end: 'SATURDAY' as const }], hour: 10, minute: 0 }],
    timezone: 'Europe/Amsterdam',
  };
  try {
    // ALLOW_ALL: a digest still waiting for the mail server must not stop the next morning's; delivery then
    // skips the older digest for a recipient who has a newer one (superseded).
    await client.schedule.create({
      scheduleId: DIGEST_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL, catchupWindow: '10 hours' },
    });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    await client.schedule.getHandle(DIGEST_SCHEDULE_ID).update((prev) => ({
      ...prev,
      spec,
      action,
      policies: { ...prev.policies, overlap: ScheduleOverlapPolicy.ALLOW_ALL },
    }));
  }
}

/** Every night at 03:15 Amsterdam time: anonymise what has passed its retention period. */
export async function ensureRetentionSchedule(
  client: Client,
  o: { taskQueue: string; months: number; candidateMonths?: number },
): Promise<void> {
  const action = {
    type: 'startWorkflow' as const,
    workflowType: retentionWorkflow,
    args: [{ months: o.months, candidateMonths: o.candidateMonths }] as [RetentionInput],
    taskQueue: o.taskQueue,
    workflowId: 'retention',
  };
  try {
    await client.schedule.create({
      scheduleId: RETENTION_SCHEDULE_ID,
      spec: { calendars: [{ hour: 3, minute: 15 }], timezone: 'Europe/Amsterdam' },
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    // Already there (another worker, or an earlier start): bring its settings in line with this configuration.
    await client.schedule.getHandle(RETENTION_SCHEDULE_ID).update((prev) => ({ ...prev, action }));
  }
}
