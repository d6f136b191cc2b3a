// The bare-Temporal baseline for "how late do reminders fire": a workflow that does nothing but wait for
// one timer and report how late it woke (workflow time is the time its workflow task started).
import { sleep } from '@temporalio/workflow';

export async function timerWorkflow(dueAt: number): Promise<number> {
  await sleep(Math.max(dueAt - Date.now(), 1));
  return Date.now() - dueAt;
}
