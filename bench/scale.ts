// N trajectories running at once (BENCH_SCALE_TRAJECTORIES, default 10,000), as in production: the API and
// the worker each a process of their own (infra/api.ts, infra/worker.ts, spawned with their production
// configuration: the 1 GiB V8 heap ceiling of infra/k8s and WORKER_MAX_CACHED_WORKFLOWS, default 100) against
// one Temporal dev server and one throwaway PostgreSQL database. Set up once, outside every clock:
// - Launched through the API over HTTP in cohorts of 20, under several covenants (each with its own office,
//   ROC, two employers and two jobcoaches, as tests/helpers/partners.ts seeds them), the cohorts' start
//   dates spread over the past 20 weeks (cohort i started i mod 20 weeks ago), so what is due differs per week.
// - Histories: a share (BENCH_SCALE_HISTORIES, default 1,000; the first cohorts launched, every start week)
//   is recorded as partners do: every past week's placement days by the employer (its API key), the school
//   day by the ROC (its key), each checkpoint of a past week by the jobcoach's office (admin token). The
//   rest have nothing recorded (their open attendance is all due: the worst case for the digest's size).
//   The row states the recording time per trajectory measured on the share, and what all N would take.
// - One digest (not measured) renders the mails the baseline sends.
// Then the 10:00 digest, alternating with its baseline (bench/stats.ts: a warm-up pair thrown away, then
// BENCH_RUNS pairs, default 5), today's outbox emptied before each digest so every sample composes and sends
// the same digest:
// - measured: the morning digest exactly as the Schedule starts it (digestWorkflow on the worker's task queue;
//   the real Schedule is paused so it cannot fire by itself): "10:00" is the moment it is started, the figure
//   is when the local SMTP server (tests/helpers/smtp.ts, smtp-server as it is) accepted the last mail. The
//   worker delivers with its production defaults (SMTP pool of 4, 20 mails/s);
// - baseline: the same rendered mails sent from the bench process through the production mailer with the same
//   pool and rate, to the same server: the delivery alone, without Temporal, composing and the outbox.
// Memory from /proc/<pid>/status of the child processes: VmRSS at each stage and after every digest, VmHWM
// (peak) at the end; the worker's sticky cache size from its Prometheus metrics (temporal_sticky_cache_size).
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { mapLimit } from '../infra/map-limit';
import { anyOf, connectPostgres, type Db } from '../db/connection';
import { DEFAULTS } from '../infra/config';
import { createMailer } from '../infra/mail';
import { newPayloadKey, payloadDataConverter } from '../infra/payload-codec';
import { DIGEST_SCHEDULE_ID } from '../infra/schedules';
import { TASK_QUEUE } from '../workflows/ids';
import { addDays, localDate } from '../domain/calendar';
import { cohortRequest, thisMonday } from '../tests/helpers/fixtures';
import { createKey, seedPartners, type Call, type Partners } from '../tests/helpers/partners';
import { createThrowawayDatabase } from '../tests/helpers/postgres';
import {
  devServerInMemory,
  freePort,
  procStatus,
  spawnEntry,
  untilUp,
  type DevServer,
  type Proc,
} from '../tests/helpers/processes';
import { startSmtp } from '../tests/helpers/smtp';
import { alternate, benchRuns, spread } from './stats';

const root = path.resolve(import.meta.dirname, '..');
const log = (s: string) => console.error(`[bench] ${new Date().toISOString().slice(11, 19)} ${s}`);

/** One Temporal dev server, one database, an SMTP server, and `workers` worker and `apis` API processes. */
export interface Stack {
  db: Db;
  client: Client;
  temporal: DevServer;
  smtp: Awaited<ReturnType<typeof startSmtp>>;
  token: string;
  workers: Proc[];
  apis: { proc: Proc; url: string }[];
  metricsPorts: number[];
  dataConverter: DataConverter;
  /** Time (Date.now()) the SMTP server last accepted a mail. */
  lastAccepted(): number;
  /** Replaces the processes with `workers` workers and `apis` APIs (same server, database and keys). */
  processes(workers: number, apis: number): Promise<void>;
  close(): Promise<void>;
}

/** The worker's V8 heap ceiling, as infra/k8s/base/worker.yaml sets it (NODE_OPTIONS=--max-old-space-size=1024). */
export const WORKER_HEAP_MIB = Number(process.env.BENCH_WORKER_HEAP_MIB ?? 1024);

/** The worker's workflow cache bound, as infra/config.ts's default sets it (BENCH_WORKER_CACHE overrides). */
export const WORKER_CACHE = Number(process.env.BENCH_WORKER_CACHE ?? DEFAULTS.WORKER_MAX_CACHED_WORKFLOWS);

/** The SDK's own default maxCachedWorkflows for a worker with that heap ceiling (before the bound was set). */
export function defaultCachedWorkflows(heapMiB = WORKER_HEAP_MIB): { heapLimitMiB: number; cache: number } {
  const limit =
    Number(
      execFileSync(
        process.execPath,
        [`--max-old-space-size=${heapMiB}`, '-p', 'require("v8").getHeapStatistics().heap_size_limit'],
        { encoding: 'utf8' },
      ),
    ) / 1048576;
  return { heapLimitMiB: Math.round(limit), cache: Math.max(Math.floor((Math.max(limit - 200, 0) * 600) / 1024), 10) };
}

export async function startStack(o: { workers: number; apis: number }): Promise<Stack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'toeleiding-scale-'));
  const bundle = path.join(dir, 'workflow-bundle.js');
  execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'infra/workflow-bundle.ts'), bundle], {
    cwd: root,
    stdio: 'ignore',
  });
  const database = await createThrowawayDatabase();
  const db = connectPostgres(database.url, 10);
  const temporal = await devServerInMemory();
  const smtp = await startSmtp();
  let last = 0;
  const push = smtp.received.push.bind(smtp.received);
  smtp.received.push = (...m) => {
    last = Date.now();
    return push(...m);
  };
  const token = randomBytes(24).toString('base64url');
  const keys = newPayloadKey();
  const dataConverter = payloadDataConverter({ PAYLOAD_KEYS: keys });
  const shared = {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    PAYLOAD_KEYS: keys,
    WORKFLOW_BUNDLE_PATH: bundle,
    ADMIN_TOKEN: token,
    BSN_HMAC_KEY: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'warn',
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    RATE_LIMIT_PER_MINUTE: '1000000',
  };
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, dataConverter });
  const stack: Stack = {
    db,
    client,
    temporal,
    smtp,
    token,
    workers: [],
    apis: [],
    metricsPorts: [],
    dataConverter,
    lastAccepted: () => last,
    async processes(workers, apis) {
      await Promise.all([...stack.apis.map((a) => a.proc.stop()), ...stack.workers.map((w) => w.stop())]);
      stack.workers = [];
      stack.apis = [];
      stack.metricsPorts = [];
      for (let n = 1; n <= workers; n++) {
        const port = await freePort();
        stack.metricsPorts.push(port);
        stack.workers.push(
          spawnEntry(`worker ${n}`, 'infra/worker.ts', {
            ...shared,
            METRICS_PORT: String(port),
            NODE_OPTIONS: `--max-old-space-size=${WORKER_HEAP_MIB}`,
            WORKER_MAX_CACHED_WORKFLOWS: String(WORKER_CACHE),
          }),
        );
      }
      for (let n = 1; n <= apis; n++) {
        const port = await freePort();
        stack.apis.push({
          proc: spawnEntry(`api ${n}`, 'infra/api.ts', { ...shared, PORT: String(port), HOST: '127.0.0.1' }),
          url: `http://127.0.0.1:${port}`,
        });
      }
      await Promise.all([
        ...stack.workers.map((w) => w.waitFor(/worker: polling/, 120_000)),
        ...stack.apis.map((a) => untilUp(`${a.url}/health`, 120_000)),
      ]);
      // The real Schedule would fire at 10:00 Amsterdam time by itself: paused, the benchmark starts the digest.
      await client.schedule.getHandle(DIGEST_SCHEDULE_ID).pause('benchmark starts the digest itself');
    },
    async close() {
      await Promise.all([...stack.apis.map((a) => a.proc.stop()), ...stack.workers.map((w) => w.stop())]);
      await connection.close();
      await smtp.stop();
      await temporal.stop();
      await db.destroy();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await stack.processes(o.workers, o.apis);
  return stack;
}

/** JSON over HTTP to one of the APIs, with the admin token or a partner's key. */
export const httpCall =
  (url: () => string, admin: string): Call =>
  async (method, p, body, key) => {
    // A retry carries the same Idempotency-Key, so a request that did go through is not done twice.
    const idempotencyKey = randomUUID();
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${url()}${p}`, {
        method,
        headers: {
          authorization: `Bearer ${key ?? admin}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...((method === 'POST' || method === 'PUT') && { 'idempotency-key': idempotencyKey }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await res.json().catch(() => undefined);
      // A 503 (Temporal busy past the API's deadline) is retried as a partner's client would, after a pause.
      if (res.status === 503 && attempt < 5) {
        await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
        continue;
      }
      return { status: res.status, json };
    }
  };

export interface Region extends Partners {
  employerKeys: Map<string, string>;
  schoolKey: string;
}

/** `n` covenants, each with its office, ROC, two employers and two jobcoaches, and their digest contacts and keys. */
export async function seedRegions(call: Call, n: number): Promise<Region[]> {
  return mapLimit(
    Array.from({ length: n }, (_, i) => i),
    4,
    async (i) => {
      const p = await seedPartners(call, `Regio ${i + 1}`);
      for (const [org, role] of [
        ...p.employerIds.map((e) => [e, 'workplace_trainer'] as const),
        [p.schoolId, 'roc_coordinator'] as const,
        [p.officeId, 'coordinator'] as const,
      ]) {
        const res = await call('POST', `/v1/organisations/${org}/contacts`, {
          role,
          name: `${role} ${i + 1}`,
          email: `${role}.${org}@example.nl`,
        });
        if (res.status !== 201) throw new Error(`contact: ${res.status} ${JSON.stringify(res.json)}`);
      }
      const employerKeys = new Map<string, string>();
      for (const e of p.employerIds) employerKeys.set(e, await createKey(call, e, 'employer'));
      return { ...p, employerKeys, schoolKey: await createKey(call, p.schoolId, 'school') };
    },
  );
}

export interface Launched {
  id: string;
  employerId: string;
  region: Region;
}

/**
 * Cohorts of 20 through the API, cohort i in region i mod regions, started i mod 20 weeks before this Monday.
 * With `db`, a cohort is sent only while fewer than `pending` launched trajectories have yet to start (as
 * partners launch, a cohort at a time): sent all at once, 10,000 new workflows each needing several workflow
 * tasks overflow the worker's cache (about 500), every task replays, and one worker started 5 a second.
 */
export async function launchCohorts(
  call: Call,
  regions: Region[],
  total: number,
  first = 0,
  inFlight = 4,
  db?: Db,
  pending = 300,
): Promise<Launched[]> {
  const cohorts = Array.from({ length: Math.ceil(total / 20) }, (_, k) => first + k);
  let sent = 0;
  const { c: before } = db
    ? await db
        .selectFrom('trajectory')
        .select((eb) => eb.fn.countAll<number>().as('c'))
        .where('status', '!=', 'planned')
        .executeTakeFirstOrThrow()
    : { c: 0 };
  const out = await mapLimit(cohorts, inFlight, async (i) => {
    while (db) {
      const { c } = await db
        .selectFrom('trajectory')
        .select((eb) => eb.fn.countAll<number>().as('c'))
        .where('status', '!=', 'planned')
        .executeTakeFirstOrThrow();
      if (sent - (Number(c) - Number(before)) < pending) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    sent += 20;
    const region = regions[i % regions.length]!;
    const res = await call(
      'POST',
      '/v1/cohorts',
      cohortRequest({ ...region, size: 20, startDate: addDays(thisMonday(), -7 * (i % 20)) }),
    );
    if (res.status !== 201) throw new Error(`launch: ${res.status} ${JSON.stringify(res.json)}`);
    return (res.json.trajectories as { id: string; employerId: string }[]).map((t) => ({ ...t, region }));
  });
  return out.flat();
}

/** Until every launched workflow has recorded its start in the projection. */
export async function untilActive(db: Db, n: number): Promise<void> {
  for (;;) {
    const { c } = await db
      .selectFrom('trajectory')
      .select((eb) => eb.fn.countAll<number>().as('c'))
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    if (Number(c) >= n) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A trajectory's past weeks as partners record them: requests (employer's week, ROC's day, checkpoints). */
export async function historyOf(call: Call, t: Launched): Promise<{ path: string; body: unknown; key?: string }[]> {
  const today = localDate(Date.now());
  const s = (await call('GET', `/v1/trajectories/${t.id}/schedule`)).json as {
    weeks: { week: number; days: { date: string; kind: 'placement' | 'school'; status: string }[] }[];
  };
  const out: { path: string; body: unknown; key?: string }[] = [];
  const checkpoints: Record<number, string> = { 1: 'intake', 3: 'pop', 10: 'midterm', 18: 'pre-bbl' };
  for (const w of s.weeks) {
    const days = w.days.filter((d) => d.status === 'planned' && d.date < today);
    const placement = days
      .filter((d) => d.kind === 'placement')
      .map((d) => ({ date: d.date, kind: d.kind, present: true }));
    const school = days.filter((d) => d.kind === 'school').map((d) => ({ date: d.date, kind: d.kind, present: true }));
    if (placement.length)
      out.push({
        path: `/v1/trajectories/${t.id}/attendance`,
        body: { entries: placement },
        key: t.region.employerKeys.get(t.employerId)!,
      });
    if (school.length)
      out.push({ path: `/v1/trajectories/${t.id}/attendance`, body: { entries: school }, key: t.region.schoolKey });
    const key = checkpoints[w.week];
    if (key && w.days.length && w.days.at(-1)!.date < today)
      out.push({
        path: `/v1/trajectories/${t.id}/checkpoints`,
        body: { key, status: 'on_track', note: 'Gaat goed; werkt zelfstandig', trainerConfirmed: true },
      });
  }
  return out;
}

/** Records the histories: `lanes` partners at once, each through its own trajectories, one request at a time. */
export async function recordHistories(
  call: Call,
  ts: Launched[],
  lanes = 16,
): Promise<{ requests: number; failed: Record<string, number> }> {
  let requests = 0;
  const failed: Record<string, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let t = ts[next++]; t; t = ts[next++]) {
        for (const r of await historyOf(call, t)) {
          const res = await call('POST', r.path, r.body, r.key);
          requests++;
          if (res.status !== 200 && res.status !== 201) failed[res.status] = (failed[res.status] ?? 0) + 1;
        }
      }
    }),
  );
  return { requests, failed };
}

const mib = (kb: number) => Math.round(kb / 1024);
/** VmRSS and VmHWM (peak) of a child process, MiB. */
export function memoryOf(p: Proc): { rss: number; peak: number } {
  const s = procStatus(p.child.pid!);
  return { rss: mib(s.VmRSS ?? 0), peak: mib(s.VmHWM ?? 0) };
}

export async function stickyCache(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const m = /^temporal_sticky_cache_size\S*\s+([\d.e+]+)/m.exec(text);
  return m ? Number(m[1]) : NaN;
}

/**
 * Starts the morning digest as the Schedule does; resolves with its result and the last mail's acceptance after the
 * start.
 */
export async function runDigest(
  stack: Stack,
): Promise<{ mails: number; sent: number; failed: number; items: number; lateMs: number; workflowMs: number }> {
  const day = localDate(Date.now());
  const before = stack.smtp.received.length;
  const t10 = Date.now();
  const h = await stack.client.workflow.start('digestWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `bench-digest-${randomUUID().slice(0, 8)}`,
    args: [],
  });
  const r = (await h.result()) as { mails: number; sent: number; failed: number };
  const workflowMs = Date.now() - t10;
  const received = stack.smtp.received.length - before;
  if (received < r.sent) throw new Error(`digest: ${r.sent} sent, ${received} received`);
  const { n } = await stack.db
    .selectFrom('outbox_item')
    .innerJoin('outbox', 'outbox.id', 'outbox_item.outbox_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('outbox.day', '=', day)
    .executeTakeFirstOrThrow();
  return { ...r, items: Number(n), lateMs: stack.lastAccepted() - t10, workflowMs };
}

export async function benchScale(total = 10_000, historySample = Number(process.env.BENCH_SCALE_HISTORIES ?? 1_000)) {
  const stack = await startStack({ workers: 1, apis: 1 });
  try {
    const [worker] = stack.workers as [Proc];
    const [api] = stack.apis as [{ proc: Proc; url: string }];
    const call = httpCall(() => api.url, stack.token);
    const { heapLimitMiB: heapMiB, cache: sdkDefaultCache } = defaultCachedWorkflows();
    const idle = { worker: memoryOf(worker), api: memoryOf(api.proc) };
    // Launches wait while this many launched trajectories have yet to start: under the cache bound, so new
    // workflows' first tasks do not push each other out of the cache (and replay).
    const pending = Math.max(20, Math.min(300, Math.floor(WORKER_CACHE * 0.8)));

    // A covenant per 1,000 trajectories (two employers each): no employer needs more places than its readiness
    // record may hold (READINESS_LIMITS.places), so a province of 50,000 launches as a region of 10,000 does.
    const regions = await seedRegions(call, Math.max(1, Math.ceil(total / 1000)));
    const sample = Math.min(historySample, total);
    const t0 = performance.now();
    const first = await launchCohorts(call, regions, sample, 0, 4, stack.db, pending);
    await untilActive(stack.db, first.length);
    const sampleLaunched = { worker: memoryOf(worker), cache: await stickyCache(stack.metricsPorts[0]!) };
    log(`scale: ${first.length} launched; recording their histories`);
    const t1 = performance.now();
    const histories = await recordHistories(call, first);
    const historyMs = performance.now() - t1;
    const withHistories = { worker: memoryOf(worker), cache: await stickyCache(stack.metricsPorts[0]!) };
    const events = await stack.db
      .selectFrom('trajectory_event')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('trajectory_id', '=', anyOf(first.map((t) => t.id)))
      .executeTakeFirstOrThrow();
    log(`scale: ${histories.requests} history requests in ${(historyMs / 1000).toFixed(0)} s; launching the rest`);
    const t2 = performance.now();
    const rest = await launchCohorts(
      call,
      regions,
      total - first.length,
      Math.ceil(first.length / 20),
      4,
      stack.db,
      pending,
    );
    await untilActive(stack.db, first.length + rest.length);
    const restLaunchMs = performance.now() - t2;
    const launchMs = t1 - t0 + restLaunchMs;
    log(`scale: launched and active in ${(restLaunchMs / 1000).toFixed(0)} s`);
    const running = {
      worker: memoryOf(worker),
      api: memoryOf(api.proc),
      cache: await stickyCache(stack.metricsPorts[0]!),
    };
    const { c: inDatabase } = await stack.db
      .selectFrom('trajectory')
      .select((eb) => eb.fn.countAll<number>().as('c'))
      .executeTakeFirstOrThrow();
    log(`scale: all ${first.length + rest.length} running (launch ${(launchMs / 1000).toFixed(0)} s); the digests`);

    // Every digest composes and sends the same mails: today's outbox emptied before each.
    const day = localDate(Date.now());
    const clearDay = async () => {
      await stack.db
        .deleteFrom('outbox_item')
        .where('outbox_id', 'in', stack.db.selectFrom('outbox').select('id').where('day', '=', day))
        .execute();
      await stack.db.deleteFrom('outbox').where('day', '=', day).execute();
    };
    // Set-up: one digest (not measured), whose rendered mails the baseline sends.
    const setup = await runDigest(stack);
    const rendered = await stack.db
      .selectFrom('outbox')
      .select(['id', 'recipient', 'subject', 'text', 'html'])
      .where('day', '=', day)
      .execute();
    const afterSetup = { worker: memoryOf(worker) };
    stack.smtp.received.length = 0;
    log(`scale: set-up digest ${setup.items} reminders in ${setup.sent} mails, ${(setup.lateMs / 1000).toFixed(1)} s`);
    const digests: Awaited<ReturnType<typeof runDigest>>[] = [];
    const rssAfter: number[] = [];
    const connections = Number(DEFAULTS.SMTP_MAX_CONNECTIONS);
    const r = await alternate({
      runs: benchRuns(),
      warmup: 1,
      baseline: async (run) => {
        const mailer = createMailer(
          {
            SMTP_URL: `smtp://127.0.0.1:${stack.smtp.port}`,
            MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>',
            SMTP_MAX_CONNECTIONS: connections,
            SMTP_RATE_PER_SECOND: Number(DEFAULTS.SMTP_RATE_PER_SECOND),
          },
          stack.db,
        );
        const before = stack.smtp.received.length;
        const t10 = Date.now();
        await mapLimit(rendered, 2 * connections, (m) =>
          mailer.send({
            to: m.recipient,
            subject: m.subject,
            text: m.text,
            html: m.html,
            messageId: `<b${run}-${m.id}@b>`,
          }),
        );
        const ms = stack.lastAccepted() - t10;
        mailer.close();
        if (stack.smtp.received.length - before !== rendered.length) throw new Error('baseline: mails missing');
        stack.smtp.received.length = 0;
        return { ms };
      },
      measured: async () => {
        await clearDay();
        const d = await runDigest(stack);
        digests.push(d);
        rssAfter.push(memoryOf(worker).rss);
        stack.smtp.received.length = 0;
        return { ms: d.lateMs };
      },
      log: 'scale digest',
    });
    const end = { worker: memoryOf(worker), api: memoryOf(api.proc), cache: await stickyCache(stack.metricsPorts[0]!) };
    log(
      `scale: digest median ${(r.measured.ms.median / 1000).toFixed(1)} s after 10:00; ` +
        `worker peak ${end.worker.peak} MiB`,
    );
    return {
      ...r,
      total: Number(inDatabase),
      regions: regions.length,
      sample: first.length,
      launchMs,
      historyMs,
      histories,
      historyEvents: Number(events.n),
      setup,
      renderedMails: rendered.length,
      digests: digests.slice(-r.measured.ms.n),
      rssAfter: rssAfter.slice(-r.measured.ms.n),
      cacheBound: WORKER_CACHE,
      sdkDefaultCache,
      pending,
      heapMiB: Math.round(heapMiB),
      idle,
      sampleLaunched,
      withHistories,
      running,
      afterSetup,
      end,
    };
  } finally {
    await stack.close();
  }
}

/** The rows for bench/README.md (bench/run.ts's table), from benchScale's result. */
export function scaleRows(sc: Awaited<ReturnType<typeof benchScale>>): string[][] {
  const perFresh = (sc.sampleLaunched.worker.rss - sc.idle.worker.rss) / Math.min(sc.sample, sc.cacheBound);
  const perTrajectory = sc.historyMs / 1000 / sc.sample;
  const items = [...new Set(sc.digests.map((d) => d.items))].map((n) => n.toLocaleString('en')).join(', ');
  const mails = [...new Set(sc.digests.map((d) => d.sent))].join(', ');
  const failed = sc.digests.reduce((a, d) => a + d.failed, 0);
  const within = sc.digests.filter((d) => d.lateMs <= 60_000).length;
  return [
    [
      `${sc.total.toLocaleString('en')} trajectories running (cohorts of 20 under ${sc.regions} covenants, ` +
        `start dates spread over the past 20 weeks), launched through the API process over HTTP ` +
        `in ${(sc.launchMs / 1000).toFixed(0)} s (${(sc.total / (sc.launchMs / 1000)).toFixed(1)}/s, a cohort ` +
        `only while fewer than ${sc.pending} launched had yet to start); ${sc.sample.toLocaleString('en')} of them ` +
        `(${((100 * sc.sample) / sc.total).toFixed(0)}%) with realistic histories (the first ${sc.sample / 20} ` +
        `cohorts, start weeks 0-${Math.min(19, sc.sample / 20 - 1)}; ${sc.histories.requests.toLocaleString('en')} ` +
        `requests: employers' weeks, ROCs' days, checkpoints; ${sc.historyEvents.toLocaleString('en')} ` +
        `trajectory_event rows; failed ${JSON.stringify(sc.histories.failed)}; ` +
        `in ${(sc.historyMs / 1000).toFixed(0)} ` +
        `s, ${perTrajectory.toFixed(2)} s a trajectory with 16 partners at once, so all ` +
        `${sc.total.toLocaleString('en')} would take about ${((perTrajectory * sc.total) / 60).toFixed(0)} ` +
        `minutes), the rest nothing recorded (every past day due: more reminders than a real morning); then ` +
        `the 10:00 digest as the Schedule starts it, today's outbox emptied before each. Worker and API each ` +
        `their own process; the worker with the 1 GiB V8 heap ceiling of infra/k8s and ` +
        `WORKER_MAX_CACHED_WORKFLOWS=${sc.cacheBound}`,
      `the same ${sc.renderedMails} rendered mails through the production mailer (4 pooled connections, ` +
        `20 mails/s) from the bench process, no Temporal, no composing, no outbox: ${spread(sc.baseline.ms)}`,
      `digest: ${items} reminders in ${mails} mails (failed ${failed}); last mail accepted by the SMTP ` +
        `server **${spread(sc.measured.ms)} after 10:00** (target 60 s: ${within} of ${sc.digests.length} ` +
        `samples within). Worker process: ${sc.idle.worker.rss} MiB idle; ${sc.sampleLaunched.worker.rss} MiB ` +
        `with ${sc.sample} launched (cache ${sc.sampleLaunched.cache}); ${sc.withHistories.worker.rss} MiB after ` +
        `their histories (cache ${sc.withHistories.cache}); ${sc.running.worker.rss} MiB with all running (cache ` +
        `${sc.running.cache}; bound ${sc.cacheBound}, the SDK's default at this heap ceiling would be ` +
        `${sc.sdkDefaultCache}); after each digest ${sc.rssAfter.join(', ')} MiB; **peak ${sc.end.worker.peak} ` +
        `MiB** (VmHWM over the launch, histories, set-up and all ${2 * (sc.digests.length + 1)} digest and ` +
        `baseline samples; target < 1,536 MiB). Per cached workflow ≈ ${perFresh.toFixed(2)} MiB fresh, ` +
        `≈ ${((sc.running.worker.rss - sc.idle.worker.rss) / sc.running.cache).toFixed(2)} MiB averaged over ` +
        `the full cache (RSS growth from idle: upper bounds). API process: ${sc.running.api.rss} MiB with all ` +
        `running, peak ${sc.end.api.peak} MiB`,
      spread(sc.ratio.ms, '×'),
    ],
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const r = await benchScale(Number(process.env.BENCH_SCALE_TRAJECTORIES ?? 10_000));
  console.log(JSON.stringify(r, null, 2));
  console.log(
    scaleRows(r)
      .map((row) => `| ${row.join(' | ')} |`)
      .join('\n'),
  );
}
