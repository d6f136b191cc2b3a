// `npm run drill`: the fault drills. Real processes (the worker and the API as children, as in production),
// the Temporal dev server (the real server, SQLite), a PostgreSQL instance of the drill's own (initdb into a
// temporary folder, its own port: see bench/own-postgres.ts; the machine's shared cluster is never touched)
// and a real SMTP server:
//
// 1. the worker is killed (SIGKILL) at DRILL_KILLS (20) random moments while a cohort of DRILL_COHORT (20)
//    is recorded, brought to its outcomes and sent its morning digest: no lost records, no duplicate mails,
//    every trajectory reaches its outcome;
// 2. the drill's PostgreSQL is stopped for 3 s during writes, then started: no lost rows, the API answers 503
//    (never 500) while it is down, and recovers by itself;
// 3. the Temporal server is restarted during writes: worker and API reconnect by themselves, nothing lost.
//
// Every client request is retried with its Idempotency-Key until it is answered 2xx, as a partner's client
// would; the drill counts what it saw on the way. Every claim is a check (bench/drill-checks.ts): the drill
// prints a table of figures and one of checks, names each failed check with its figures, and exits 1 when
// any failed. DRILL_ONLY=worker,postgres,temporal runs some of the drills; DRILL_SEED changes the kill
// moments; DRILL_SABOTAGE=<name> breaks one thing on purpose to show that its check can fail (the list is
// in bench/drill-checks.ts). The latest figures are in README ("Fault drills").
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { connectPostgres, type Db } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { newPayloadKey, payloadDataConverter } from '../infra/payload-codec';
import { addDays, localDate } from '../domain/calendar';
import { scheduleQuery } from '../workflows/trajectory';
import { trajectoryWorkflowId } from '../workflows/ids';
import { buildWorkflowBundle } from '../infra/workflow-bundle';
import { cohortRequest, shortTemplate, thisMonday, uniqueId } from '../tests/helpers/fixtures';
import { seedPartners, type Call, type Partners } from '../tests/helpers/partners';
import { workerClockEnv, workerClockShift } from './mail-hours';
import { devServer, freePort, spawnEntry, untilUp, type DevServer, type Proc } from '../tests/helpers/processes';
import { startDrillSmtp, type DrillSmtp } from './drill-smtp';
import {
  badServerAnswers,
  Checks,
  countBy,
  duplicateMails,
  overlapping,
  parseOnly,
  parseSabotage,
  summarize,
  type CheckId,
  type Drill,
  type Span,
} from './drill-checks';
import { startOwnPostgres, type OwnPostgres } from './own-postgres';
import type { Json } from '../tests/helpers/json';

const only = parseOnly(process.env.DRILL_ONLY);
const sabotage = parseSabotage(process.env.DRILL_SABOTAGE);
const KILLS = Number(process.env.DRILL_KILLS ?? 20);
const COHORT = Number(process.env.DRILL_COHORT ?? 20);
const seed = Number(process.env.DRILL_SEED ?? 20261123);
/** mulberry32: the kill moments are random, and the same for the same seed. */
const random = (() => {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (p: Proc) => p.child.exitCode === null && p.child.signalCode === null;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

const checks = new Checks();
const figures: string[][] = [];
const loadAtStart = load();
const startedAt = new Date();
const dir = mkdtempSync(path.join(os.tmpdir(), 'toeleiding-drill-'));

let own: OwnPostgres | undefined;
let db: Db | undefined;
let temporal: DevServer | undefined;
let smtp: DrillSmtp | undefined;
let apiProc: Proc | undefined;
let worker: Proc | undefined;
let client: Client | undefined;

async function cleanUp() {
  const quietly = async (what: string, f: () => unknown) => {
    try {
      await Promise.race([
        f(),
        sleep(30_000).then(() => {
          throw new Error('no end within 30 s');
        }),
      ]);
    } catch (e) {
      console.error(`drill: cleaning up ${what}: ${(e as Error).message.split('\n')[0]}`);
    }
  };
  await quietly('the Temporal client', () => client?.connection.close());
  await quietly('the API', () => apiProc?.stop());
  await quietly('the worker', () => worker?.stop());
  await quietly('the Temporal dev server', () => temporal?.stop());
  await quietly('the SMTP server', () => smtp?.stop());
  await quietly('the database pool', () => db?.destroy());
  await quietly('the own PostgreSQL', () => own?.remove());
  rmSync(dir, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`drill: ${signal}; cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}
// An error nothing was listening for is a failed check too, and the stack is still cleaned up.
let crashed = false;
const crash = (e: unknown) => {
  console.error(`drill: crashed: ${(e as Error)?.stack ?? e}`);
  if (crashed) return;
  crashed = true;
  checks.failed('no-crash', e);
  void finish();
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
// Whatever happens, the API and worker children do not outlive the drill (the own PostgreSQL has its own hook).
process.on('exit', () => {
  for (const p of [apiProc, worker]) if (p && alive(p)) p.child.kill('SIGKILL');
});

// ---- the stack ---------------------------------------------------------------------------------------------

let api = '';
let token = '';
let env: Record<string, string> = {};
const spawnApi = (port: number) => spawnEntry('api', 'infra/api.ts', { ...env, PORT: String(port), HOST: '127.0.0.1' });
// Run in the evening, the digest drill's worker reads 10:00 (bench/mail-hours.ts), or its digests would wait for 07:00.
const clockShift = workerClockShift();
const spawnWorker = () => spawnEntry('worker', 'infra/worker.ts', { ...env, ...workerClockEnv(clockShift) });

async function startStack() {
  own = await startOwnPostgres(await freePort());
  const admin = new pg.Client({ connectionString: own.url() });
  await admin.connect();
  await admin.query('create database toeleiding_drill');
  await admin.end();
  const databaseUrl = own.url('toeleiding_drill');
  db = connectPostgres(databaseUrl, 4);
  await migrateToLatest(db);
  temporal = await devServer(path.join(dir, 'temporal.sqlite'));
  smtp = await startDrillSmtp();
  const bundle = await buildWorkflowBundle(path.join(dir, 'workflow-bundle.js'));
  token = randomBytes(24).toString('base64url');
  const payloadKeys = newPayloadKey();
  env = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    PAYLOAD_KEYS: payloadKeys,
    WORKFLOW_BUNDLE_PATH: bundle,
    ADMIN_TOKEN: token,
    BSN_HMAC_KEY: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'error',
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    DATABASE_POOL_SIZE: '4',
  };
  const apiPort = await freePort();
  api = `http://127.0.0.1:${apiPort}`;
  apiProc = spawnApi(apiPort);
  worker = spawnWorker();
  await Promise.all([untilUp(`${api}/health`), worker.waitFor(/worker: polling/)]);
  client = new Client({
    connection: await Connection.connect({ address: temporal.address }),
    dataConverter: payloadDataConverter({ PAYLOAD_KEYS: payloadKeys }),
  });
  checks.that('setup', true, `own PostgreSQL on port ${own.port}, Temporal on ${temporal.address}, API on ${api}`);
}

/** True when a TCP connection to host:port is accepted within a second. */
const tcpAccepts = (address: string) =>
  new Promise<boolean>((resolve) => {
    const [host, port] = address.split(':');
    const socket = net.connect({ host, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

// ---- a client that retries like a partner's would, and records every attempt --------------------------------

interface Seen {
  ok: number;
  retried: number;
  status: Record<string, number>;
  spans: Span[];
  aborted: boolean;
  phase: string;
  sample: Record<string, string>;
}
const seen = (): Seen => ({
  ok: 0,
  retried: 0,
  status: {},
  spans: [],
  aborted: false,
  phase: 'setting up',
  sample: {},
});
/** The first answer seen for each status other than 2xx, shortened: what a failed check shows. */
const samples = (s: Seen, bad: (status: string) => boolean) =>
  Object.entries(s.sample)
    .filter(([k]) => bad(k))
    .map(([k, v]) => `first ${k}: ${v}`)
    .join('; ');
const isBad = (k: string) => k === 'network' || (Number(k) >= 500 && k !== '503');

async function send(s: Seen, method: 'GET' | 'POST' | 'PUT', p: string, body?: unknown): Promise<Json> {
  const key = randomUUID();
  for (let attempt = 0; ; attempt++) {
    if (s.aborted) throw new Error(`${method} ${p}: the drill was aborted`);
    let status = 'network';
    const start = Date.now();
    try {
      const res = await fetch(`${api}${p}`, {
        method,
        signal: AbortSignal.timeout(30_000),
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...((method === 'POST' || method === 'PUT') && { 'idempotency-key': key }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      status = String(res.status);
      s.spans.push({ start, end: Date.now(), status });
      if (res.ok) {
        s.ok++;
        s.status[status] = (s.status[status] ?? 0) + 1;
        return res.json();
      }
      const text = await res.text().catch(() => '');
      s.sample[status] ??= `${method} ${p.replace(/[0-9a-f-]{36}/g, ':id')}: ${text.slice(0, 200)}`;
      if (res.status < 500 && res.status !== 409 && res.status !== 429)
        throw new Error(`${method} ${p}: ${res.status} ${text}`);
    } catch (e) {
      if ((e as Error).message.startsWith(`${method} ${p}`)) throw e;
      if (status === 'network') {
        s.spans.push({ start, end: Date.now(), status });
        s.sample.network ??= `${method} ${p.replace(/[0-9a-f-]{36}/g, ':id')}: ${(e as Error).message}`;
      }
    }
    s.status[status] = (s.status[status] ?? 0) + 1;
    s.retried++;
    if (attempt > 600) throw new Error(`${method} ${p}: no answer after ${attempt} attempts`);
    await sleep(250);
  }
}
const call =
  (s: Seen): Call =>
  async (method, p, body) => ({ status: 200, json: await send(s, method as 'GET' | 'POST' | 'PUT', p, body) });

/** Runs one drill with a deadline; a throw or the deadline is a failed `<drill>.completed` check. */
async function drill(name: Drill, deadlineMs: number, run: (s: Seen) => Promise<void>) {
  const s = seen();
  const body = run(s);
  body.catch(() => {}); // after a deadline the body may still reject; it is judged below
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      body,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`deadline of ${deadlineMs / 1000} s passed`)), deadlineMs);
      }),
    ]);
    checks.that(`${name}.completed` as CheckId, true, `${s.ok} requests answered 2xx, ${s.retried} retries`);
  } catch (e) {
    s.aborted = true;
    checks.failed(
      `${name}.completed` as CheckId,
      `${(e as Error).message ?? e} (while ${s.phase}; answers so far ${fmt(s.status)})`,
    );
    console.error(`drill ${name}: ${(e as Error).stack ?? e}\nwhile ${s.phase}; answers so far ${fmt(s.status)}`);
    for (const p of [apiProc, worker])
      if (p) console.error(`--- the ${p.name}'s last output:\n${p.output().slice(-3000)}`);
  } finally {
    clearTimeout(timer);
  }
}

// ---- a cohort whose programme ended last week, so it reaches its outcomes today --------------------------

const programmeId = uniqueId('drill');
async function setUp(s: Seen): Promise<Partners> {
  const partners = await seedPartners(call(s), `Drill ${uniqueId('r')}`);
  for (const [org, role] of [
    [partners.employerIds[0]!, 'workplace_trainer'],
    [partners.employerIds[1]!, 'workplace_trainer'],
    [partners.schoolId, 'roc_coordinator'],
    [partners.officeId, 'coordinator'],
  ] as const) {
    await send(s, 'POST', `/v1/organisations/${org}/contacts`, {
      role,
      name: `${role} ${org.slice(0, 6)}`,
      email: `${role}.${org}@example.nl`,
    });
  }
  return partners;
}

/**
 * Two weeks from Monday two weeks ago: past its end, in the BBL decision window, so every outcome can be reached now.
 */
async function launch(s: Seen, partners: Partners, size: number): Promise<{ cohortId: string; ids: string[] }> {
  const cohort = await send(s, 'POST', '/v1/cohorts', {
    ...cohortRequest({ ...partners, size, startDate: addDays(thisMonday(), -14) }),
    programmeId,
  });
  const ids = (cohort.trajectories as { id: string }[]).map((t) => t.id);
  for (let i = 0; i < 600; i++) {
    const open = await db!
      .selectFrom('trajectory')
      .select('id')
      .where('cohort_id', '=', cohort.id)
      .where('status', '=', 'awaiting_bbl')
      .execute();
    if (open.length === ids.length) return { cohortId: cohort.id, ids };
    await sleep(100);
  }
  throw new Error(`cohort ${cohort.id}: not every trajectory reached awaiting_bbl within 60 s`);
}

/** Records every planned day before today; returns what it recorded. */
async function recordAll(s: Seen, ids: string[], parallel = 4): Promise<Set<string>> {
  const today = localDate(Date.now());
  const recorded = new Set<string>();
  const queue = [...ids];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        const schedule = await send(s, 'GET', `/v1/trajectories/${id}/schedule`);
        const days = (schedule.weeks as { days: { date: string; kind: string; status: string }[] }[])
          .flatMap((w) => w.days)
          .filter((d) => d.status === 'planned' && d.date < today);
        for (const [i, d] of days.entries()) {
          await send(s, 'POST', `/v1/trajectories/${id}/attendance`, {
            entries: [{ date: d.date, kind: d.kind, present: i % 5 !== 0, ...(i % 5 === 0 && { reason: 'sick' }) }],
          });
          recorded.add(`${id}|${d.date}`);
        }
      }
    }),
  );
  return recorded;
}

type Kind = 'bbl_doorstroom' | 'job_without_bbl' | 'dropout';
const kindOf = (i: number): Kind => (['bbl_doorstroom', 'job_without_bbl', 'dropout'] as const)[i % 3]!;

/** Brings each trajectory to an outcome: BBL doorstroom, job without BBL, or dropout. `skip` ids are left undecided. */
async function decide(s: Seen, ids: string[], skip: Set<string>): Promise<void> {
  for (const [i, id] of ids.entries()) {
    if (skip.has(id)) continue;
    const kind = kindOf(i);
    if (kind === 'bbl_doorstroom') {
      await send(s, 'POST', `/v1/trajectories/${id}/bbl`, {
        by: 'employer',
        contractStartDate: addDays(thisMonday(), 14),
      });
      await send(s, 'POST', `/v1/trajectories/${id}/bbl`, { by: 'school' });
    } else if (kind === 'job_without_bbl') {
      await send(s, 'POST', `/v1/trajectories/${id}/bbl`, { by: 'employer', jobWithoutBbl: true });
    } else {
      await send(s, 'POST', `/v1/trajectories/${id}/changes`, {
        type: 'dropout',
        reason: 'found_other_work',
        text: 'Werk gevonden',
      });
    }
  }
}

const sqlKind = sql<string | null>`outcome->>'kind'`.as('kind');

/** What was lost or doubled, judged as checks `<drill>.*`; returns the figures for the table. */
async function audit(name: Drill, ids: string[], recorded: Set<string>): Promise<string> {
  const rows = await db!
    .selectFrom('attendance')
    .select(['trajectory_id', 'date'])
    .where('trajectory_id', 'in', ids)
    .execute();
  const inDb = new Set(rows.map((r) => `${r.trajectory_id}|${r.date}`));
  let inWorkflows = 0;
  for (const id of ids) {
    const s = await client!.workflow.getHandle(trajectoryWorkflowId(id)).query(scheduleQuery);
    inWorkflows += s.weeks
      .flatMap((w) => w.days)
      .filter((d) => (d.status === 'attended' || d.status === 'absent') && recorded.has(`${id}|${d.date}`)).length;
  }
  let badSeq = 0;
  for (const id of ids) {
    const seqs = (
      await db!.selectFrom('trajectory_event').select('seq').where('trajectory_id', '=', id).orderBy('seq').execute()
    ).map((e) => e.seq);
    if (seqs.length === 0 || seqs.some((q, i) => q !== i + 1)) badSeq++;
  }
  // A request applied twice (a retry the idempotency key did not catch) records its day twice: a second
  // attendance event for the same date (the drills never correct a day). The row would not show it.
  const attendanceEvents = await db!
    .selectFrom('trajectory_event')
    .select(['trajectory_id', sql<string>`data->>'date'`.as('date')])
    .where('trajectory_id', 'in', ids)
    .where('type', 'in', ['attendance_recorded', 'attendance_corrected'])
    .execute();
  const eventDays = countBy(attendanceEvents.map((e) => ({ status: `${e.trajectory_id}|${e.date}` })));
  const doubled = Object.values(eventDays).reduce((a, n) => a + n - 1, 0);
  const perTrajectory = new Map<string, number>();
  for (const r of recorded) perTrajectory.set(r.split('|')[0]!, (perTrajectory.get(r.split('|')[0]!) ?? 0) + 1);
  const without = ids.filter((id) => !perTrajectory.has(id)).length;
  const lostRows = [...recorded].filter((r) => !inDb.has(r)).length;
  const extraRows = rows.filter((r) => !recorded.has(`${r.trajectory_id}|${r.date}`)).length;
  const lostInWorkflows = recorded.size - inWorkflows;
  checks.that(
    `${name}.recorded` as CheckId,
    ids.length > 0 && without === 0,
    `${recorded.size} days recorded for ${ids.length} trajectories; ${without} trajectories without any`,
  );
  checks.none(`${name}.lost-rows` as CheckId, lostRows, recorded.size, 'recorded days missing from attendance');
  checks.that(
    `${name}.extra-rows` as CheckId,
    rows.length > 0 && attendanceEvents.length > 0 && extraRows === 0 && doubled === 0,
    `attendance rows that were not recorded: ${extraRows} of ${rows.length}; days recorded more than once ` +
      `in the events: ${doubled} (${attendanceEvents.length} attendance events)`,
  );
  checks.none(
    `${name}.in-workflows` as CheckId,
    lostInWorkflows,
    recorded.size,
    'recorded days missing from the workflows',
  );
  checks.none(
    `${name}.event-numbering` as CheckId,
    badSeq,
    ids.length,
    'trajectories without events or with events not numbered 1..n',
  );
  return (
    `lost rows ${lostRows}, extra rows ${extraRows}, days recorded twice ${doubled}, missing from ` +
    `workflows ${lostInWorkflows}, event numbering broken ${badSeq} (of ${recorded.size} ` +
    `days, ${ids.length} trajectories)`
  );
}

const fmt = (status: Record<string, number>) =>
  Object.entries(status)
    .sort()
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');

// ---- 1. the worker killed 20 times ---------------------------------------------------------------------------

async function workerDrill(s: Seen) {
  const partners = await setUp(s);
  s.phase = 'launching a cohort';
  const { ids } = await launch(s, partners, COHORT);
  const restartMs: number[] = [];
  const killedAt: number[] = [];
  const digests: Promise<unknown>[] = [];
  const killer = (async () => {
    for (let k = 0; k < KILLS && !s.aborted; k++) {
      await sleep(200 + random() * 1300);
      if (sabotage !== 'no-kills') {
        killedAt.push(Date.now());
        worker!.child.kill('SIGKILL');
        await worker!.stop();
        const t0 = Date.now();
        worker = spawnWorker();
        await worker.waitFor(/worker: polling/);
        restartMs.push(Date.now() - t0);
      }
      // The morning digest (as its Schedule starts it), composed and delivered while the worker keeps dying.
      // The first run starts at the first kill, while most days are still unrecorded (so it has mail to send).
      if (k % 5 === 0)
        digests.push(
          client!.workflow.execute('digestWorkflow', { taskQueue: 'toeleiding', workflowId: `drill-digest-${k}` }),
        );
    }
  })();
  const t0 = Date.now();
  s.phase = 'recording while the worker is killed';
  const recorded = await recordAll(s, ids);
  if (sabotage === 'record-twice') {
    s.phase = 'sabotage record-twice';
    // Before the outcomes (a finished trajectory takes no corrections). As a retry that its Idempotency-Key did not
    // catch would: the same day recorded again (as a correction).
    const [id, date] = [...recorded][0]!.split('|') as [string, string];
    const schedule = await send(s, 'GET', `/v1/trajectories/${id}/schedule`);
    const day = (schedule.weeks as { days: { date: string; kind: string }[] }[])
      .flatMap((w) => w.days)
      .find((d) => d.date === date)!;
    await send(s, 'POST', `/v1/trajectories/${id}/attendance`, {
      entries: [{ date, kind: day.kind, present: true, correctionReason: 'drill sabotage: recorded twice' }],
    });
  }
  s.phase = 'deciding outcomes while the worker is killed';
  const skip = new Set(sabotage === 'skip-decision' ? [ids.at(-1)!] : []);
  await decide(s, ids, skip);
  const writesEnd = Date.now();
  s.phase = 'waiting for the last kills';
  await killer;
  s.phase = 'waiting for the digest runs';
  // Every digest run finishes, whatever happened to the workers that ran it.
  const digestResults = await Promise.allSettled(digests);
  const elapsed = Math.round((Date.now() - t0) / 1000);

  checks.that(
    'worker.kills',
    killedAt.length === KILLS && restartMs.length === KILLS,
    `${killedAt.length} kills of ${KILLS} asked, ${restartMs.length} new workers polling`,
  );
  const allWorker = countBy(s.spans);
  checks.none(
    'worker.never-500',
    badServerAnswers(allWorker),
    s.spans.length,
    `answers that were a 5xx other than 503 or no answer ` +
      `(all: ${fmt(allWorker)})${samples(s, isBad) ? `; ${samples(s, isBad)}` : ''}`,
  );
  checks.atLeast(
    'worker.kills-during-writes',
    killedAt.filter((t) => t >= t0 && t <= writesEnd).length,
    Math.ceil(KILLS / 2),
    `kills between the first and the last write (${Math.round((writesEnd - t0) / 1000)} s)`,
  );

  if (sabotage === 'delete-row') {
    const [id, date] = [...recorded][0]!.split('|') as [string, string];
    await db!.deleteFrom('attendance').where('trajectory_id', '=', id).where('date', '=', date).execute();
  }
  s.phase = 'auditing';
  const lost = await audit('worker', ids, recorded);

  // Outcomes: wait (up to a minute) until each trajectory has the one it was brought to.
  const expected = new Map(ids.map((id, i) => [id, kindOf(i)] as const));
  let wrong: string[] = [];
  for (let i = 0; i < 300; i++) {
    const done = await db!.selectFrom('trajectory').select(['id', sqlKind]).where('id', 'in', ids).execute();
    wrong = done
      .filter((d) => d.kind !== expected.get(d.id))
      .map((d) => `${d.id.slice(0, 8)}: ${d.kind ?? 'none'} instead of ${expected.get(d.id)}`);
    if (done.length === ids.length && wrong.length === 0) break;
    await sleep(200);
  }
  const reached = ids.length - wrong.length;
  checks.that(
    'worker.outcomes',
    ids.length === COHORT && wrong.length === 0,
    `${reached} of ${ids.length} reached their outcome${wrong.length ? `; ${wrong.slice(0, 3).join('; ')}` : ''}`,
  );

  const finished = digestResults.filter((r) => r.status === 'fulfilled').length;
  const digestError = digestResults.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
  checks.that(
    'worker.digests',
    digests.length > 0 && finished === digests.length,
    `${finished} of ${digests.length} digest runs ` +
      `finished${digestError ? `; ${String(digestError).split('\n')[0]}` : ''}`,
  );

  if (sabotage === 'duplicate-mail') {
    if (smtp!.received.length === 0)
      throw new Error('sabotage duplicate-mail not done: no mail was received to send twice');
    const m = smtp!.received[0]!;
    const before = smtp!.received.length;
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtp!.port,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: 'drill@example.nl',
      to: (m.to as { text: string }).text,
      subject: m.subject,
      text: 'again',
      messageId: m.messageId,
    });
    for (let i = 0; i < 50 && smtp!.received.length === before; i++) await sleep(100);
  }
  const outbox = await db!.selectFrom('outbox').select(['id', 'status']).execute();
  const by = countBy(outbox);
  const pending = (by.queued ?? 0) + (by.sending ?? 0) + (by.uncertain ?? 0);
  const received = smtp!.received.length;
  const composed = digestResults
    .map((r) => (r.status === 'fulfilled' ? (r.value as { mails: number }).mails : 'failed'))
    .join(', ');
  checks.that(
    'worker.mails-delivered',
    received > 0 && (by.sent ?? 0) === received && pending === 0,
    `outbox ${fmt(by) || 'empty'}; ${received} received; mails composed per digest run: ${composed || 'no run'}`,
  );
  const mails = smtp!.received.map((m) => ({
    messageId: m.messageId,
    to: (m.to as { text: string } | undefined)?.text,
  }));
  const duplicates = duplicateMails(mails);
  checks.none('worker.duplicate-mails', duplicates, received, 'mails received twice');

  const avg = restartMs.length ? Math.round(restartMs.reduce((x, y) => x + y, 0) / restartMs.length) : 0;
  figures.push([
    `worker SIGKILLed at ${KILLS} random moments while a cohort of ${COHORT} is recorded, decided and ` +
      `sent ${digests.length} digest runs`,
    `${killedAt.length} kills, a new worker polling ${(avg / 1000).toFixed(1)} s after each on ` +
      `average; ${recorded.size} days recorded and ${reached} outcomes reached in ${elapsed} ` +
      `s; ${by.sent ?? 0} mails sent, ${received} received`,
    `${fmt(s.status)}; ${s.retried} retries`,
    `${lost}; outcomes ${reached} of ${ids.length}; duplicate mails ${duplicates}, ` +
      `uncertain ${by.uncertain ?? 0}, still queued ${(by.queued ?? 0) + (by.sending ?? 0)}`,
  ]);
}

// ---- 2. the drill's PostgreSQL stopped during writes ------------------------------------------------------

async function postgresDrill(s: Seen) {
  const partners = await setUp(s);
  s.phase = 'launching a cohort';
  const { ids } = await launch(s, partners, 10);
  s.phase = 'writing';
  const [apiPid, workerPid] = [apiProc!.child.pid, worker!.child.pid];
  const health: Span[] = [];
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const start = Date.now();
      const status = await fetch(`${api}/health`, { signal: AbortSignal.timeout(10_000) }).then(
        (r) => String(r.status),
        () => 'network',
      );
      health.push({ start, end: Date.now(), status });
      await sleep(100);
    }
  })();
  const writes = recordAll(s, ids, 4);
  writes.catch(() => {});
  await sleep(1500);
  s.phase = 'stopping PostgreSQL';
  const tStop = Date.now();
  if (sabotage !== 'no-postgres-stop') await own!.stop('fast');
  const refusedAtStop = !(await own!.accepts());
  await sleep(3000);
  const refusedBeforeStart = !(await own!.accepts());
  s.phase = 'starting PostgreSQL';
  if (sabotage !== 'no-postgres-stop') await own!.start();
  const tStart = Date.now();
  const acceptsAfter = await own!.accepts();
  if (sabotage === 'restart-api') {
    const port = new URL(api).port;
    await apiProc!.stop();
    apiProc = spawnApi(Number(port));
  }
  s.phase = 'waiting for the API to be healthy';
  let tRecovered: number | undefined;
  try {
    await untilUp(`${api}/health`, 60_000);
    tRecovered = Date.now();
  } catch {
    /* judged below */
  }
  s.phase = 'waiting for the writes to be answered';
  const recorded = await writes;
  s.phase = 'stopping the /health watcher';
  watching = false;
  await watcher;
  s.phase = 'auditing';

  checks.that(
    'postgres.down',
    refusedAtStop && refusedBeforeStart && acceptsAfter,
    `connections refused right after the stop: ${refusedAtStop}, 3 s later: ${refusedBeforeStart}; accepted ` +
      `after the start: ${acceptsAfter}`,
  );
  const outageEnd = tRecovered ?? tStart;
  const writesInOutage = overlapping(s.spans, tStop, tStart);
  checks.atLeast(
    'postgres.requests-during-outage',
    writesInOutage.length,
    1,
    `write attempts while PostgreSQL was down (${tStart - tStop} ms)`,
  );
  const inOutage = countBy([...overlapping(s.spans, tStop, outageEnd), ...overlapping(health, tStop, outageEnd)]);
  checks.atLeast(
    'postgres.503',
    inOutage['503'] ?? 0,
    1,
    `503 answers from the stop until healthy again (all: ${fmt(inOutage)})`,
  );
  const all = countBy([...s.spans, ...health]);
  checks.none(
    'postgres.never-500',
    badServerAnswers(all),
    s.spans.length + health.length,
    `answers that were a 5xx other than 503 or no answer ` +
      `(all: ${fmt(all)})${samples(s, isBad) ? `; ${samples(s, isBad)}` : ''}`,
  );
  const same = apiProc!.child.pid === apiPid && alive(apiProc!) && worker!.child.pid === workerPid && alive(worker!);
  checks.that(
    'postgres.recovered',
    tRecovered !== undefined && same,
    (tRecovered === undefined
      ? 'not healthy within 60 s of the start'
      : `healthy ${tRecovered - tStart} ms after PostgreSQL started`) +
      '; ' +
      `API pid ${apiPid} → ${apiProc!.child.pid}${alive(apiProc!) ? '' : ' (exited)'}, worker ` +
      `pid ${workerPid} → ${worker!.child.pid}${alive(worker!) ? '' : ' (exited)'}`,
  );
  const lost = await audit('postgres', ids, recorded);
  const healthCounts = countBy(overlapping(health, tStop, outageEnd));
  figures.push([
    `the drill's own PostgreSQL stopped (fast shutdown) for 3 s during writes, then started`,
    `down ${tStart - tStop} ms; the API was healthy ` +
      `again ${tRecovered === undefined ? 'never (60 s)' : `${tRecovered - tStart} ms`} after PostgreSQL, by ` +
      `itself; ${recorded.size} days recorded; meanwhile /health ` +
      `answered ${fmt(healthCounts)}, writes ${fmt(countBy(writesInOutage))}`,
    `${fmt(s.status)}; ${s.retried} retries`,
    lost,
  ]);
}

// ---- 3. the Temporal server restarted during writes ---------------------------------------------------------

async function temporalDrill(s: Seen) {
  const partners = await setUp(s);
  s.phase = 'launching a cohort';
  const { ids } = await launch(s, partners, 10);
  s.phase = 'writing';
  const [apiPid, workerPid] = [apiProc!.child.pid, worker!.child.pid];
  const writes = recordAll(s, ids, 4);
  writes.catch(() => {});
  await sleep(1500);
  s.phase = 'stopping Temporal';
  const tStop = Date.now();
  if (sabotage !== 'no-temporal-stop') await temporal!.stop();
  const refusedAtStop = !(await tcpAccepts(temporal!.address));
  await sleep(3000);
  const refusedBeforeStart = !(await tcpAccepts(temporal!.address));
  s.phase = 'starting Temporal';
  if (sabotage !== 'no-temporal-stop') await temporal!.start();
  const tStart = Date.now();
  const acceptsAfter = await tcpAccepts(temporal!.address);
  if (sabotage === 'restart-worker') {
    await worker!.stop('SIGKILL');
    worker = spawnWorker();
    await worker.waitFor(/worker: polling/);
  }
  s.phase = 'waiting for the writes to be answered';
  const recorded = await writes;
  const doneMs = Date.now() - tStop;
  s.phase = 'auditing';

  checks.that(
    'temporal.down',
    refusedAtStop && refusedBeforeStart && acceptsAfter,
    `connections refused right after the stop: ${refusedAtStop}, 3 s later: ${refusedBeforeStart}; accepted ` +
      `after the start: ${acceptsAfter}`,
  );
  const inFlight = overlapping(s.spans, tStop, tStart);
  checks.atLeast(
    'temporal.requests-during-outage',
    inFlight.length,
    1,
    `requests in flight while Temporal was down (${tStart - tStop} ms)`,
  );
  const answeredAfter = s.spans.filter((x) => x.end > tStart && x.status.startsWith('2')).length;
  const same = apiProc!.child.pid === apiPid && alive(apiProc!) && worker!.child.pid === workerPid && alive(worker!);
  checks.that(
    'temporal.reconnected',
    answeredAfter > 0 && same,
    `${answeredAfter} requests answered 2xx after the restart; API pid ${apiPid} ` +
      `→ ${apiProc!.child.pid}${alive(apiProc!) ? '' : ' (exited)'}, worker ` +
      `pid ${workerPid} → ${worker!.child.pid}${alive(worker!) ? '' : ' (exited)'}`,
  );
  const all = countBy(s.spans);
  checks.none(
    'temporal.never-500',
    badServerAnswers(all),
    s.spans.length,
    `answers that were a 5xx other than 503 or no answer ` +
      `(all: ${fmt(all)})${samples(s, isBad) ? `; ${samples(s, isBad)}` : ''}`,
  );
  const lost = await audit('temporal', ids, recorded);
  figures.push([
    'Temporal dev server stopped for 3 s during writes, then started on the same SQLite file',
    `back after ${tStart - tStop} ms; ${inFlight.length} requests in flight meanwhile ` +
      `(${fmt(countBy(inFlight))}); worker and API the same processes; ${recorded.size} days recorded, the ` +
      `last ${doneMs} ms after the stop`,
    `${fmt(s.status)}; ${s.retried} retries`,
    lost,
  ]);
}

// ---- run, report, exit ---------------------------------------------------------------------------------------

let finishing: Promise<never> | undefined;
/** Cleans up, prints both tables and exits: 1 when any check failed. Runs once, also after a crash. */
function finish(): Promise<never> {
  finishing ??= (async () => {
    // What the processes said, when something failed: the API logs each 500 with its cause (LOG_LEVEL=error).
    if (checks.results.some((r) => !r.pass)) {
      for (const p of [apiProc, worker])
        if (p) console.error(`--- the ${p.name}'s last output:\n${p.output().slice(-4000)}`);
    }
    await cleanUp();
    if (!crashed) checks.that('no-crash', true, 'no unhandled error in the drill process');
    const summary = summarize(checks.results, sabotage);
    console.log(
      [
        `Fault drills, ${startedAt.toISOString()}: DRILL_ONLY=${only.join(',')} DRILL_KILLS=${KILLS} ` +
          `DRILL_COHORT=${COHORT} DRILL_SEED=${seed}${sabotage ? ` DRILL_SABOTAGE=${sabotage}` : ''}`,
        `load average (1, 5, 15 min) at start: ${loadAtStart}; at end: ${load()}; ${os.cpus().length} ` +
          `cores; SMTP connections reset by killed workers: ${smtp?.errors.length ?? 0}` +
          (clockShift ? `; the worker's wall clock moved ${(clockShift / 3_600_000).toFixed(1)} h to 10:00` : ''),
        '',
        '| drill | what happened | answers | what was lost or doubled |',
        '| --- | --- | --- | --- |',
        ...figures.map((r) => `| ${r.join(' | ')} |`),
        '',
        summary.text,
      ].join('\n'),
    );
    process.exit(summary.exitCode);
  })();
  return finishing;
}

try {
  await startStack();
  await send(seen(), 'POST', '/v1/programmes', {
    id: programmeId,
    name: 'Drill: two weeks',
    template: shortTemplate(),
  });
  if (only.includes('worker')) await drill('worker', 15 * 60_000, workerDrill);
  if (only.includes('postgres')) await drill('postgres', 8 * 60_000, postgresDrill);
  if (only.includes('temporal')) await drill('temporal', 8 * 60_000, temporalDrill);
} catch (e) {
  checks.failed('setup', e);
  console.error(`drill: ${(e as Error).stack ?? e}`);
}
await finish();
