// Recurring housekeeping as Temporal Schedules: durable, visible in the Temporal UI, and never run twice
// at once. The worker makes sure they exist (and carry the configured settings) when it starts.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { retentionWorkflow } from '../workflows/retention';

export const RETENTION_SCHEDULE_ID = 'retention';

/** Every night at 03:15 Amsterdam time: anonymise what has passed its retention period. */
export async function ensureRetentionSchedule(client: Client, o: { taskQueue: string; months: number }): Promise<void> {
  const action = { type: 'startWorkflow' as const, workflowType: retentionWorkflow, args: [{ months: o.months }] as [{ months: number }], taskQueue: o.taskQueue, workflowId: 'retention' };
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
