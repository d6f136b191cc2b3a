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
import { newPayloadKey, payloadDataConverter } from '../infra/payload-codec';
import { DIGEST_SCHEDULE_ID } from '../infra/schedules';
import { TASK_QUEUE } from '../workflows/ids';
import { addDays, localDate } from '../domain/calendar';
import { cohortRequest, thisMonday } from '../tests/helpers/fixtures';
import type { Json } from '../tests/helpers/json';
import { createKey, seedPartners, seedReadiness, type Call, type Partners } from '../tests/helpers/partners';
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
import { workerClockEnv, workerClockShift } from './mail-hours';
import { clearOutboxDay, renderedMails, sendAlone } from './outbox-day';
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
  /** How far the workers' wall clock was moved (workerClockShift), ms. */
  clockShift: number;
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

/**
 * The mail provider's limits the workers are configured with (SMTP_MAX_CONNECTIONS, SMTP_RATE_PER_SECOND): a
 * configuration, not code. infra/config.ts's defaults unless BENCH_SMTP_CONNECTIONS / BENCH_SMTP_RATE say otherwise
 * (as bench/outbox.ts); the baseline's mailer gets the same.
 */
export const SMTP_LIMITS = {
  connections: Number(process.env.BENCH_SMTP_CONNECTIONS ?? DEFAULTS.SMTP_MAX_CONNECTIONS),
  rate: Number(process.env.BENCH_SMTP_RATE ?? DEFAULTS.SMTP_RATE_PER_SECOND),
};

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
  const clockShift = workerClockShift();
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
    SMTP_MAX_CONNECTIONS: String(SMTP_LIMITS.connections),
    SMTP_RATE_PER_SECOND: String(SMTP_LIMITS.rate),
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
    clockShift,
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
            ...workerClockEnv(clockShift, `--max-old-space-size=${WORKER_HEAP_MIB}`),
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
  /** With a region's shape (shapeRegions): the employers, one workplace trainer each, participants are spread over. */
  trainerEmployers?: string[];
  /** With a region's shape: the jobcoaches participants are spread over. */
  jobcoachIds?: string[];
}

/**
 * A region's digest recipients, as bench/outbox.ts seeds them: one employer (with its workplace trainer) per 3
 * participants, one jobcoach per 25, the covenant's ROC coordinator and the office's coordinator.
 */
/** A number in letters (0 a, 1 b, ... 9 j). */
const letters = (n: number) => String(n).replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);

export const REGION_SHAPE = { perTrainer: 3, perJobcoach: 25 } as const;

/**
 * Gives each region (a covenant) the employers and jobcoaches for `perRegion` participants in REGION_SHAPE, through
 * the API as an office records them: each employer its organisation, workplace trainer, readiness for WelSlagen
 * (places for its participants: the launch guard passes, as at a ready employer) and covenant membership.
 */
export async function shapeRegions(call: Call, regions: Region[], perRegion: number): Promise<void> {
  const ok = (what: string, res: { status: number; json: Json }) => {
    if (res.status !== 200 && res.status !== 201) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
  };
  // Ids and addresses in letters only: thousands of numbered ones would now and then hold digits that pass the
  // BSN's elfproef, which the API refuses (api/bsn.ts).
  const run = letters(Date.now());
  const contact = async (org: string, role: string, n: string) =>
    ok(
      'contact',
      await call('POST', `/v1/organisations/${org}/contacts`, {
        role,
        name: `${role} ${n}`,
        email: `${role}.${run}.${n}@example.nl`,
      }),
    ).id as string;
  await mapLimit(
    regions.map((region, r) => ({ region, r })),
    2,
    async ({ region, r }) => {
      const employers = Math.ceil(perRegion / REGION_SHAPE.perTrainer);
      region.trainerEmployers = await mapLimit(
        Array.from({ length: employers }, (_, e) => e),
        8,
        async (e) => {
          const n = `${letters(r)}.${letters(e)}`;
          const id = ok(
            'employer',
            await call('POST', '/v1/organisations', {
              id: `werkgever-${run}-${letters(r)}-${letters(e)}`,
              name: `Zorgaanbieder ${n}`,
              kind: 'employer',
              region: `Regio ${r + 1}`,
              officeId: region.officeId,
            }),
          ).id as string;
          await contact(id, 'workplace_trainer', n);
          await seedReadiness(call, region.officeId, id, REGION_SHAPE.perTrainer);
          return id;
        },
      );
      for (let i = 0; i < employers; i += 500)
        ok(
          'members',
          await call('POST', `/v1/covenants/${region.covenantId}/members`, {
            members: region.trainerEmployers
              .slice(i, i + 500)
              .map((organisationId) => ({ organisationId, role: 'employer' })),
          }),
        );
      region.jobcoachIds = await mapLimit(
        Array.from({ length: Math.ceil(perRegion / REGION_SHAPE.perJobcoach) }, (_, j) => j),
        8,
        (j) => contact(region.officeId, 'jobcoach', `${letters(r)}.${letters(j)}`),
      );
    },
  );
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
    const request = cohortRequest({ ...region, size: 20, startDate: addDays(thisMonday(), -7 * (i % 20)) });
    // In a region's shape participant j of the region goes to employer j / 3 and jobcoach j / 25.
    const { trainerEmployers: employers, jobcoachIds: coaches } = region;
    if (employers && coaches)
      request.participants.forEach((p, k) => {
        const j = Math.floor(i / regions.length) * 20 + k;
        p.employerId = employers[Math.floor(j / REGION_SHAPE.perTrainer)]!;
        p.jobcoachId = coaches[Math.floor(j / REGION_SHAPE.perJobcoach)]!;
      });
    const res = await call('POST', '/v1/cohorts', request);
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
export async function runDigest(stack: Stack): Promise<{
  date: string;
  mails: number;
  sent: number;
  failed: number;
  items: number;
  lateMs: number;
  workflowMs: number;
}> {
  const day = localDate(Date.now());
  const before = stack.smtp.received.length;
  const t10 = Date.now();
  const h = await stack.client.workflow.start('digestWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `bench-digest-${randomUUID().slice(0, 8)}`,
    args: [],
  });
  const r = (await h.result()) as { date: string; mails: number; sent: number; failed: number };
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

/** Worker processes of the scale run (BENCH_SCALE_WORKERS, default 1), each with the same configuration. */
export const SCALE_WORKERS = Number(process.env.BENCH_SCALE_WORKERS ?? 1);

export async function benchScale(total = 10_000, historySample = Number(process.env.BENCH_SCALE_HISTORIES ?? 1_000)) {
  const stack = await startStack({ workers: SCALE_WORKERS, apis: 1 });
  try {
    const [api] = stack.apis as [{ proc: Proc; url: string }];
    const call = httpCall(() => api.url, stack.token);
    const { heapLimitMiB: heapMiB, cache: sdkDefaultCache } = defaultCachedWorkflows();
    const workers = () => stack.workers.map((w) => memoryOf(w));
    const caches = () => Promise.all(stack.metricsPorts.map((port) => stickyCache(port)));
    const idle = { workers: workers(), api: memoryOf(api.proc) };
    // Launches wait while this many launched trajectories have yet to start: under the workers' cache bounds, so
    // new workflows' first tasks do not push each other out of the cache (and replay).
    const pending = Math.max(20, Math.min(300 * SCALE_WORKERS, Math.floor(WORKER_CACHE * SCALE_WORKERS * 0.8)));

    // A covenant per 1,000 trajectories, each with its office, ROC and funders (seedRegions), given a region's
    // shape of recipients: an employer with its workplace trainer per 3 participants, a jobcoach per 25.
    const t00 = performance.now();
    const regions = await seedRegions(call, Math.max(1, Math.ceil(total / 1000)));
    const perRegion = Math.ceil(total / 20 / regions.length) * 20;
    await shapeRegions(call, regions, perRegion);
    const seedMs = performance.now() - t00;
    log(`scale: ${regions.length} regions of ${perRegion} seeded in ${(seedMs / 1000).toFixed(0)} s`);
    const sample = Math.min(historySample, total);
    const t0 = performance.now();
    const first = await launchCohorts(call, regions, sample, 0, 4, stack.db, pending);
    await untilActive(stack.db, first.length);
    const sampleLaunched = { workers: workers(), caches: await caches() };
    // The employers' keys for the histories' placement days (only the employers of the sample need one).
    await mapLimit([...new Set(first.map((t) => `${t.employerId}`))], 8, async (employerId) => {
      const region = first.find((t) => t.employerId === employerId)!.region;
      if (!region.employerKeys.has(employerId))
        region.employerKeys.set(employerId, await createKey(call, employerId, 'employer'));
    });
    log(`scale: ${first.length} launched; recording their histories`);
    const t1 = performance.now();
    const histories = await recordHistories(call, first);
    const historyMs = performance.now() - t1;
    const withHistories = { workers: workers(), caches: await caches() };
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
    const running = { workers: workers(), api: memoryOf(api.proc), caches: await caches() };
    const { c: inDatabase } = await stack.db
      .selectFrom('trajectory')
      .select((eb) => eb.fn.countAll<number>().as('c'))
      .executeTakeFirstOrThrow();
    log(`scale: all ${first.length + rest.length} running (launch ${(launchMs / 1000).toFixed(0)} s); the digests`);

    // Every digest composes and sends the same mails: today's outbox emptied before each.
    const day = localDate(Date.now());
    // Set-up: one digest (not measured), whose rendered mails the baseline sends.
    const setup = await runDigest(stack);
    const rendered = await renderedMails(stack.db, day);
    const recipients = await stack.db
      .selectFrom('outbox')
      .leftJoin('contact', 'contact.email', 'outbox.recipient')
      .select(['contact.role', (eb) => eb.fn.countAll<number>().as('n')])
      .where('outbox.day', '=', day)
      .groupBy('contact.role')
      .execute();
    const afterSetup = { workers: workers() };
    stack.smtp.received.length = 0;
    log(`scale: set-up digest ${setup.items} reminders in ${setup.sent} mails, ${(setup.lateMs / 1000).toFixed(1)} s`);
    const digests: Awaited<ReturnType<typeof runDigest>>[] = [];
    const rssAfter: number[][] = [];
    const r = await alternate({
      runs: benchRuns(),
      warmup: 1,
      baseline: async (run) => {
        const before = stack.smtp.received.length;
        const t10 = Date.now();
        await sendAlone(stack.db, stack.smtp.port, rendered, SMTP_LIMITS, run);
        const ms = stack.lastAccepted() - t10;
        if (stack.smtp.received.length - before !== rendered.length) throw new Error('baseline: mails missing');
        stack.smtp.received.length = 0;
        return { ms };
      },
      measured: async () => {
        await clearOutboxDay(stack.db, day);
        const d = await runDigest(stack);
        digests.push(d);
        rssAfter.push(workers().map((w) => w.rss));
        stack.smtp.received.length = 0;
        return { ms: d.lateMs };
      },
      log: 'scale digest',
    });
    const end = { workers: workers(), api: memoryOf(api.proc), caches: await caches() };
    log(
      `scale: digest median ${(r.measured.ms.median / 1000).toFixed(1)} s after 10:00; ` +
        `worker peaks ${end.workers.map((w) => w.peak).join(', ')} MiB`,
    );
    return {
      ...r,
      total: Number(inDatabase),
      regions: regions.length,
      perRegion,
      seedMs,
      workerCount: SCALE_WORKERS,
      clockShift: stack.clockShift,
      smtp: SMTP_LIMITS,
      sample: first.length,
      launchMs,
      historyMs,
      histories,
      historyEvents: Number(events.n),
      setup,
      recipients: Object.fromEntries(recipients.map((x) => [x.role ?? 'other', Number(x.n)])),
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
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const rss = (m: { workers: { rss: number }[] }) => m.workers.map((w) => w.rss).join(' + ');
  const idleRss = sum(sc.idle.workers.map((w) => w.rss));
  const perFresh =
    (sum(sc.sampleLaunched.workers.map((w) => w.rss)) - idleRss) / Math.min(sc.sample, sc.cacheBound * sc.workerCount);
  const perCached = (sum(sc.running.workers.map((w) => w.rss)) - idleRss) / sum(sc.running.caches);
  const perTrajectory = sc.historyMs / 1000 / sc.sample;
  const items = [...new Set(sc.digests.map((d) => d.items))].map((n) => n.toLocaleString('en')).join(', ');
  const mails = [...new Set(sc.digests.map((d) => d.sent))].map((n) => n.toLocaleString('en')).join(', ');
  const failed = sc.digests.reduce((a, d) => a + d.failed, 0);
  const within = sc.digests.filter((d) => d.lateMs <= 60_000).length;
  const workers = sc.workerCount === 1 ? 'one worker process' : `${sc.workerCount} worker processes`;
  const smtp = `${sc.smtp.connections} pooled SMTP connections, ${sc.smtp.rate} mails/s`;
  const who = Object.entries(sc.recipients)
    .map(([role, n]) => `${n.toLocaleString('en')} ${role}`)
    .join(', ');
  return [
    [
      `${sc.total.toLocaleString('en')} trajectories running (cohorts of 20 under ${sc.regions} covenants of ` +
        `${sc.perRegion.toLocaleString('en')}, in a region's shape: an employer with its workplace trainer per 3 ` +
        `participants, a jobcoach per 25, a ROC coordinator per covenant, a coordinator per office; seeded through ` +
        `the API in ${(sc.seedMs / 1000).toFixed(0)} s; start dates spread over the past 20 weeks), launched ` +
        `through the API process over HTTP in ${(sc.launchMs / 1000).toFixed(0)} s ` +
        `(${(sc.total / (sc.launchMs / 1000)).toFixed(1)}/s, a cohort only while fewer than ${sc.pending} launched ` +
        `had yet to start); ${sc.sample.toLocaleString('en')} of them ` +
        `(${((100 * sc.sample) / sc.total).toFixed(0)}%) with realistic histories (the first ${sc.sample / 20} ` +
        `cohorts, start weeks 0-${Math.min(19, sc.sample / 20 - 1)}; ${sc.histories.requests.toLocaleString('en')} ` +
        `requests: employers' weeks, ROCs' days, checkpoints; ${sc.historyEvents.toLocaleString('en')} ` +
        `trajectory_event rows; failed ${JSON.stringify(sc.histories.failed)}; ` +
        `in ${(sc.historyMs / 1000).toFixed(0)} ` +
        `s, ${perTrajectory.toFixed(2)} s a trajectory with 16 partners at once), the rest nothing recorded (every ` +
        `past day due: more reminders than a real morning); then the 10:00 digest as the Schedule starts it, ` +
        `today's outbox emptied before each. API and ${workers} each their own process; each worker with the ` +
        `1 GiB V8 heap ceiling of infra/k8s, WORKER_MAX_CACHED_WORKFLOWS=${sc.cacheBound} and the provider's ` +
        `limits as configuration: SMTP_MAX_CONNECTIONS=${sc.smtp.connections}, ` +
        `SMTP_RATE_PER_SECOND=${sc.smtp.rate}` +
        (sc.clockShift
          ? `; the run fell outside the mail hours (07:00-20:00 in Amsterdam), so the workers' wall clock was ` +
            `moved ${sc.clockShift < 0 ? 'back' : 'ahead'} ${(Math.abs(sc.clockShift) / 3_600_000).toFixed(1)} h, ` +
            `to 10:00 (bench/worker-clock.mjs)`
          : ''),
      `the same ${sc.renderedMails.toLocaleString('en')} rendered mails through the production mailer (${smtp}) ` +
        `from the bench process, no Temporal, no composing, no outbox: ${spread(sc.baseline.ms)}`,
      `digest: ${items} reminders in ${mails} mails (${who}; failed ${failed}); last mail accepted by the SMTP ` +
        `server **${spread(sc.measured.ms)} after 10:00** (target 60 s: ${within} of ${sc.digests.length} ` +
        `samples within). Worker processes (MiB, one figure each): ${rss(sc.idle)} idle; ` +
        `${rss(sc.sampleLaunched)} with ${sc.sample} launched (cache ${sc.sampleLaunched.caches.join(' + ')}); ` +
        `${rss(sc.withHistories)} after their histories (cache ${sc.withHistories.caches.join(' + ')}); ` +
        `${rss(sc.running)} with all running (cache ${sc.running.caches.join(' + ')}; bound ${sc.cacheBound} each, ` +
        `the SDK's default at this heap ceiling would be ${sc.sdkDefaultCache}); after each digest ` +
        `${sc.rssAfter.map((x) => x.join(' + ')).join('; ')}; ` +
        `**peak ${sc.end.workers.map((w) => w.peak).join(' + ')} MiB** (VmHWM over the launch, histories, ` +
        `set-up and all ${2 * (sc.digests.length + 1)} digest and baseline samples; target < 1,536 MiB a ` +
        `process). Per cached workflow ≈ ${perFresh.toFixed(2)} MiB fresh, ` +
        `≈ ${perCached.toFixed(2)} MiB averaged over the full caches (RSS growth from idle: upper bounds). API ` +
        `process: ${sc.running.api.rss} MiB with all running, peak ${sc.end.api.peak} MiB`,
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
