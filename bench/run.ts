// `npm run bench`: every benchmark, each reported as a ratio against a baseline measured in the same run.
// Uses the real Temporal dev server and a throwaway PostgreSQL database (DATABASE_URL's server, else
// 127.0.0.1:5432). Prints a Markdown table to paste into bench/README.md.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../activities';
import { connectPostgres } from '../db/connection';
import { devServerExecutable } from '../infra/temporal-binaries';
import { workflowsPath } from '../infra/workflows-path';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { TASK_QUEUE } from '../workflows/ids';
import { createThrowawayDatabase } from '../tests/helpers/postgres';
import { benchCohortLaunch } from './cohort-launch';
import { benchTrajectoryHistory } from './trajectory-history';
import { benchOutcomes } from './outcomes';
import { benchOutbox } from './outbox';
import { benchRegistrations } from './registrations';
import { benchScale } from './scale';
import { ensureSearchAttributes } from '../infra/temporal';
import { newPayloadKey, payloadDataConverter } from '../infra/payload-codec';
import { testServerExecutable } from '../infra/temporal-binaries';

Runtime.install({ logger: new DefaultLogger('WARN') });
// Payloads encrypted as in production (the cost is part of what is measured), under a key for this run only.
const dataConverter = payloadDataConverter({ PAYLOAD_KEYS: newPayloadKey() });
const database = await createThrowawayDatabase();
const db = connectPostgres(database.url, 10);
const env = await TestWorkflowEnvironment.createLocal({ server: { executable: devServerExecutable(process.env), searchAttributes: SEARCH_ATTRIBUTES }, client: { dataConverter } });
const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowsPath, activities: createActivities({ db, temporal: env.client }), dataConverter });
const running = worker.run();
try {
  const size = Number(process.env.BENCH_COHORT_SIZE ?? 1000);
  const launch = await benchCohortLaunch(env, db, size);
  const rows = [
    ['benchmark', 'baseline', 'measured', 'ratio'],
    ['---', '---', '---', '---'],
    [`cohort launch, ${launch.size} participants`, `${launch.size} bare workflow starts: ${launch.bareMs.toFixed(0)} ms`, `POST /v1/cohorts: ${launch.apiMs.toFixed(0)} ms`, launch.ratio.toFixed(2)],
  ];
  if (!process.env.BENCH_SKIP_TRAJECTORY) {
    const skipping = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable(process.env) }, client: { dataConverter } });
    try {
      await ensureSearchAttributes(skipping.connection, 'default');
      const w = await Worker.create({ connection: skipping.nativeConnection, taskQueue: TASK_QUEUE, workflowsPath, activities: createActivities({ db, temporal: skipping.client }), dataConverter });
      const h = await w.runUntil(benchTrajectoryHistory(skipping, db));
      for (const r of [h.weekly, h.daily]) {
        rows.push([
          `20-week trajectory, every day recorded ${r.pattern} (${r.updates} updates, time-skipping)`,
          `nothing recorded: ${h.baseline.events} events, ${h.baseline.ms.toFixed(0)} ms`,
          `${r.events} events, ${r.ms.toFixed(0)} ms`,
          `events ${(r.events / h.baseline.events).toFixed(1)}, time ${(r.ms / h.baseline.ms).toFixed(1)}`,
        ]);
      }
    } finally {
      await skipping.teardown();
    }
  }
  if (!process.env.BENCH_SKIP_OUTCOMES) {
    const o = await benchOutcomes(db, Number(process.env.BENCH_OUTCOME_TRAJECTORIES ?? 100_000));
    rows.push([
      `funders' outcome query, ${o.n.toLocaleString('en')} trajectories, ${(o.n * 60).toLocaleString('en')} attendance rows (seeded in ${(o.seedMs / 1000).toFixed(0)} s)`,
      `the same aggregates as plain SQL, in sequence: p50 ${o.baseline.p50.toFixed(0)} ms, p95 ${o.baseline.p95.toFixed(0)} ms`,
      `GET /v1/outcomes service: p50 ${o.service.p50.toFixed(0)} ms, p95 ${o.service.p95.toFixed(0)} ms`,
      `p50 ${(o.service.p50 / o.baseline.p50).toFixed(2)}, p95 ${(o.service.p95 / o.baseline.p95).toFixed(2)}`,
    ]);
    rows.push([
      'attendance figure: per-trajectory counts kept by the projection, against counting the attendance rows (as before)',
      `counting ${(o.n * 60).toLocaleString('en')} attendance rows: p50 ${o.scan.p50.toFixed(0)} ms`,
      `the whole outcome query: p50 ${o.service.p50.toFixed(0)} ms`,
      `${(o.scan.p50 / o.service.p50).toFixed(1)}× faster than the attendance count alone`,
    ]);
  }
  if (!process.env.BENCH_SKIP_SCALE) {
    const sc = await benchScale(env, db, dataConverter, Number(process.env.BENCH_SCALE_TRAJECTORIES ?? 10_000));
    const b = sc.bare;
    rows.push([
      `${sc.total.toLocaleString('en')} trajectories running at once (launched through the API in ${(sc.launchMs / 1000).toFixed(0)} s), then the 10:00 digest`,
      `${sc.total.toLocaleString('en')} bare workflows, each waiting for one timer due at the same moment (started in ${(b.launchMs / 1000).toFixed(0)} s${b.startedBeforeDue ? '' : ', NOT all before the timer was due'}): last woke ${(b.maxLateMs / 1000).toFixed(1)} s late (median ${(b.p50LateMs / 1000).toFixed(1)} s); process with them waiting: ${b.memory.rss} MB resident, ${b.memory.heap} MB heap`,
      `before launching: ${sc.memory.rssBefore} MB resident, ${sc.memory.heapBefore} MB heap; with all running: ${sc.memory.rss} MB resident, ${sc.memory.heap} MB heap (API and worker in one process); the digest composed ${sc.items.toLocaleString('en')} reminders into ${sc.mails} mails in ${(sc.composedMs / 1000).toFixed(1)} s and delivered them (${sc.sent} sent): last reminder ${(sc.digestMs / 1000).toFixed(1)} s after 10:00`,
      `lateness ${(sc.digestMs / b.maxLateMs).toFixed(1)}× the bare timers'`,
    ]);
  }
  if (!process.env.BENCH_SKIP_REGISTRATIONS) {
    const r = await benchRegistrations(env, db, Number(process.env.BENCH_REGISTRATION_PARTICIPANTS ?? 50));
    rows.push([
      `${r.requests} attendance registrations over HTTP, ${r.connections} connections (autocannon); ${r.ok} answered 2xx, ${r.non2xx} not`,
      `the same updates straight to the workflows, ${r.connections} in flight: p50 ${r.bare.p50.toFixed(0)} ms, p99 ${r.bare.p99.toFixed(0)} ms, ${r.bare.perSecond.toFixed(0)}/s`,
      `POST /v1/trajectories/{id}/attendance: p50 ${r.http.p50.toFixed(0)} ms, p99 ${r.http.p99.toFixed(0)} ms, ${r.http.perSecond.toFixed(0)}/s`,
      `p50 ${(r.http.p50 / r.bare.p50).toFixed(2)}, p99 ${(r.http.p99 / r.bare.p99).toFixed(2)}`,
    ]);
  }
  if (!process.env.BENCH_SKIP_OUTBOX) {
    const m = await benchOutbox(db, Number(process.env.BENCH_OUTBOX_MAILS ?? 10_000));
    rows.push([
      `${m.n.toLocaleString('en')} due reminders through the outbox to a local SMTP server (4 deliveries in parallel)`,
      `the same mails straight through nodemailer, 4 at a time: ${m.directMs.toFixed(0)} ms`,
      `deliverMail (claim, send, mark): ${m.outboxMs.toFixed(0)} ms, after queueing them in ${m.enqueueMs.toFixed(0)} ms; ${m.sent} sent, ${m.received} received, duplicates ${m.duplicates}, resent by a repeated run ${m.resent}`,
      (m.outboxMs / m.directMs).toFixed(2),
    ]);
  }
  console.log(rows.map((r) => `| ${r.join(' | ')} |`).join('\n'));
} finally {
  worker.shutdown();
  await running;
  await env.teardown();
  await db.destroy();
  await database.drop();
}
