// 10,000 trajectories running at once on this machine: launched through the API (ten cohorts of 1,000 that
// started last week, so each has days open), then the morning digest as the Schedule runs it (read what is
// open from the projection in PostgreSQL, compose one mail per recipient, deliver over pooled SMTP). Reported: the process's memory
// with them all running (API and worker share the process), and how late the last reminder goes out after
// 10:00, which is the time the digest takes from start to the last mail delivered.
// The baseline, on the same server in the same run: 10,000 bare workflows that each wait for one timer due
// at the same moment (the plain Temporal way to remind), and how late the last of them woke.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { mapLimit } from '../infra/map-limit';
import type { timerWorkflow } from './workflows/timer';
import { createReminderActivities } from '../activities/reminders';
import { dutchHolidays } from '../activities/holidays';
import { benchApp, percentile } from './app';
import type { Db } from '../db/connection';
import { createMailer } from '../infra/mail';
import { addDays, isWorkingDay, localDate, localInstant, nextWorkingDay } from '../workflows/calendar';
import { cohortRequest, thisMonday } from '../tests/helpers/fixtures';
import { injectCall } from '../tests/helpers/app';
import { seedPartners } from '../tests/helpers/partners';
import { startSmtp } from '../tests/helpers/smtp';

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** `total` bare workflows, each with one timer due at the same moment; how late they woke, and the memory. */
async function bareTimers(env: TestWorkflowEnvironment, dataConverter: DataConverter, total: number) {
  const taskQueue = `bench-timers-${randomUUID().slice(0, 8)}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: fileURLToPath(new URL('./workflows/timer.ts', import.meta.url)), dataConverter });
  const running = worker.run();
  try {
    // Due after all are started: about 3 ms a start on this machine (50 in flight), with a wide margin.
    const dueAt = Date.now() + Math.max(60_000, total * 15);
    const t0 = performance.now();
    const handles = await mapLimit(Array.from({ length: total }, (_, i) => i), 50, (i) =>
      env.client.workflow.start<typeof timerWorkflow>('timerWorkflow', { taskQueue, workflowId: `${taskQueue}-${i}`, args: [dueAt] }));
    const launchMs = performance.now() - t0;
    const startedBeforeDue = Date.now() < dueAt;
    global.gc?.();
    const waiting = process.memoryUsage();
    const late = await mapLimit(handles, 50, (h) => h.result());
    return { launchMs, startedBeforeDue, maxLateMs: percentile(late, 100), p50LateMs: percentile(late, 50), memory: { rss: mb(waiting.rss), heap: mb(waiting.heapUsed) } };
  } finally {
    worker.shutdown();
    await running;
  }
}

export async function benchScale(env: TestWorkflowEnvironment, db: Db, dataConverter: DataConverter, total = 10_000) {
  const bare = await bareTimers(env, dataConverter, total);
  const app = await benchApp(db, env.client);
  const call = injectCall(app);
  const partners = await seedPartners(call, 'Schaal');
  for (const [org, role] of [[partners.employerIds[0]!, 'workplace_trainer'], [partners.employerIds[1]!, 'workplace_trainer'], [partners.schoolId, 'roc_coordinator'], [partners.officeId, 'coordinator']] as const) {
    await call('POST', `/v1/organisations/${org}/contacts`, { role, name: role, email: `${role}.${org}@example.nl` });
  }
  const before = process.memoryUsage();
  const t0 = performance.now();
  for (let launched = 0; launched < total; launched += 1000) {
    const res = await call('POST', '/v1/cohorts', cohortRequest({ ...partners, size: Math.min(1000, total - launched), startDate: addDays(thisMonday(), -7) }));
    if (res.status !== 201) throw new Error(`launch: ${res.status} ${JSON.stringify(res.json)}`);
  }
  // Until every workflow has recorded its start.
  for (;;) {
    const { n } = await db.selectFrom('trajectory').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'active').where('cohort_id', 'in', db.selectFrom('cohort').select('id').where('covenant_id', '=', partners.covenantId)).executeTakeFirstOrThrow();
    if (Number(n) >= total) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const launchMs = performance.now() - t0;
  global.gc?.();
  const running = process.memoryUsage();

  // The morning digest of the next working day, as its activities run in the worker.
  const holidays = new Set(dutchHolidays(addDays(localDate(Date.now()), -30), addDays(localDate(Date.now()), 60)).map((h) => h.date));
  const today = localDate(Date.now());
  const morning = isWorkingDay(today, holidays) ? today : nextWorkingDay(today, holidays);
  const smtp = await startSmtp();
  const mailer = createMailer({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>' }, db);
  const reminders = createReminderActivities({ db, mailer, temporal: env.client, now: () => localInstant(morning, 10) });
  const t1 = performance.now();
  const ids = await reminders.composeDigests({ date: morning });
  const composedMs = performance.now() - t1;
  const { sent } = await reminders.deliverMail({ ids });
  const digestMs = performance.now() - t1;
  const items = await db.selectFrom('outbox_item').select((eb) => eb.fn.countAll<number>().as('n')).where('outbox_id', 'in', ids).executeTakeFirstOrThrow();
  mailer.close();
  await smtp.stop();
  await app.close();
  return {
    total, launchMs, composedMs, digestMs, mails: ids.length, sent, items: Number(items.n), bare,
    memory: { rssBefore: mb(before.rss), rss: mb(running.rss), heapBefore: mb(before.heapUsed), heap: mb(running.heapUsed) },
  };
}
