// `npm run drill`: the fault drills. Real processes (the worker and the API as children, as in production),
// the Temporal dev server (the real server, SQLite), this machine's PostgreSQL and a real SMTP server:
//
// 1. the worker is killed (SIGKILL) at 20 random moments while a cohort of 20 is recorded, brought to its
//    outcomes and sent its morning digest: no lost records, no duplicate mails, every trajectory reaches
//    its outcome;
// 2. PostgreSQL is restarted during writes: no lost rows, the API answers 503 (never 500) while it is
//    down, and recovers by itself;
// 3. the Temporal server is restarted during writes: worker and API reconnect by themselves, nothing lost.
//
// Every client request is retried with its Idempotency-Key until it is answered 2xx, as a partner's
// client would; the drill counts what it saw on the way. Drill 2 restarts the PostgreSQL cluster: run it
// alone, not beside the tests. Prints a Markdown table; the latest figures are in README ("Fault drills").
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { connectPostgres, type Db } from '../db/connection';
import { newPayloadKey, payloadDataConverter } from '../infra/payload-codec';
import { addDays, localDate } from '../workflows/calendar';
import { scheduleQuery } from '../workflows/trajectory';
import { trajectoryWorkflowId } from '../workflows/ids';
import { buildWorkflowBundle } from '../infra/workflow-bundle';
import { cohortRequest, shortTemplate, thisMonday, uniqueId } from '../tests/helpers/fixtures';
import { seedPartners, type Call, type Partners } from '../tests/helpers/partners';
import { createThrowawayDatabase } from '../tests/helpers/postgres';
import { devServer, freePort, spawnEntry, untilUp, type Proc } from '../tests/helpers/processes';
import { startSmtp } from '../tests/helpers/smtp';

const dir = mkdtempSync(path.join(os.tmpdir(), 'toeleiding-drill-'));
const seed = Number(process.env.DRILL_SEED ?? 20261123);
/** mulberry32: the kill moments are random, and the same for the same seed. */
const random = (() => { let a = seed; return () => { a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; })();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const database = await createThrowawayDatabase();
const db: Db = connectPostgres(database.url, 4);
const temporal = await devServer(path.join(dir, 'temporal.sqlite'));
const smtp = await startSmtp();
const bundle = await buildWorkflowBundle(path.join(dir, 'workflow-bundle.js'));
const token = randomBytes(24).toString('base64url');
const payloadKeys = newPayloadKey();
const env = {
  DATABASE_URL: database.url, TEMPORAL_ADDRESS: temporal.address, PAYLOAD_KEYS: payloadKeys, WORKFLOW_BUNDLE_PATH: bundle, ADMIN_TOKEN: token,
  BSN_HMAC_KEY: randomBytes(32).toString('base64url'), LOG_LEVEL: 'error', SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, DATABASE_POOL_SIZE: '4',
};
const apiPort = await freePort();
const api = `http://127.0.0.1:${apiPort}`;
const apiProc = spawnEntry('api', 'infra/api.ts', { ...env, PORT: String(apiPort), HOST: '127.0.0.1' });
let worker: Proc = spawnEntry('worker', 'infra/worker.ts', env);
await Promise.all([untilUp(`${api}/health`), worker.waitFor(/worker: polling/)]);
const client = new Client({ connection: await Connection.connect({ address: temporal.address }), dataConverter: payloadDataConverter({ PAYLOAD_KEYS: payloadKeys }) });

// ---- a client that retries like a partner's would, and counts what it saw ---------------------------------

interface Seen { ok: number; retried: number; status: Record<string, number> }
const seen = (): Seen => ({ ok: 0, retried: 0, status: {} });

async function send(s: Seen, method: 'GET' | 'POST', p: string, body?: unknown): Promise<any> {
  const key = randomUUID();
  for (let attempt = 0; ; attempt++) {
    let status = 'network';
    try {
      const res = await fetch(`${api}${p}`, {
        method, signal: AbortSignal.timeout(30_000),
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...(method === 'POST' && { 'idempotency-key': key }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      status = String(res.status);
      if (res.ok) {
        s.ok++;
        s.status[status] = (s.status[status] ?? 0) + 1;
        return res.json();
      }
      if (res.status < 500 && res.status !== 409 && res.status !== 429) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    } catch (e) {
      if ((e as Error).message.startsWith(`${method} ${p}`)) throw e;
    }
    s.status[status] = (s.status[status] ?? 0) + 1;
    s.retried++;
    if (attempt > 600) throw new Error(`${method} ${p}: no answer after ${attempt} attempts`);
    await sleep(250);
  }
}
const call = (s: Seen): Call => async (method, p, body) => ({ status: 200, json: await send(s, method as 'GET' | 'POST', p, body) });

// ---- a cohort whose programme ended last week, so it reaches its outcomes today --------------------------

const programmeId = uniqueId('drill');
async function setUp(s: Seen): Promise<Partners> {
  const partners = await seedPartners(call(s), `Drill ${uniqueId('r')}`);
  for (const [org, role] of [[partners.employerIds[0]!, 'workplace_trainer'], [partners.employerIds[1]!, 'workplace_trainer'], [partners.schoolId, 'roc_coordinator'], [partners.officeId, 'coordinator']] as const) {
    await send(s, 'POST', `/v1/organisations/${org}/contacts`, { role, name: `${role} ${org.slice(0, 6)}`, email: `${role}.${org}@example.nl` });
  }
  return partners;
}

/** Two weeks from Monday two weeks ago: past its end, in the BBL decision window, so every outcome can be reached now. */
async function launch(s: Seen, partners: Partners, size: number): Promise<{ cohortId: string; ids: string[] }> {
  const cohort = await send(s, 'POST', '/v1/cohorts', { ...cohortRequest({ ...partners, size, startDate: addDays(thisMonday(), -14) }), programmeId });
  const ids = (cohort.trajectories as { id: string }[]).map((t) => t.id);
  for (let i = 0; i < 600; i++) {
    const open = await db.selectFrom('trajectory').select('id').where('cohort_id', '=', cohort.id).where('status', '=', 'awaiting_bbl').execute();
    if (open.length === ids.length) break;
    await sleep(100);
  }
  return { cohortId: cohort.id, ids };
}

/** Records every planned day before today; returns what it recorded. */
async function recordAll(s: Seen, ids: string[], parallel = 4): Promise<Set<string>> {
  const today = localDate(Date.now());
  const recorded = new Set<string>();
  const queue = [...ids];
  await Promise.all(Array.from({ length: parallel }, async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      const schedule = await send(s, 'GET', `/v1/trajectories/${id}/schedule`);
      const days = (schedule.weeks as { days: { date: string; kind: string; status: string }[] }[]).flatMap((w) => w.days).filter((d) => d.status === 'planned' && d.date < today);
      for (const [i, d] of days.entries()) {
        await send(s, 'POST', `/v1/trajectories/${id}/attendance`, { entries: [{ date: d.date, kind: d.kind, present: i % 5 !== 0, ...(i % 5 === 0 && { reason: 'sick' }) }] });
        recorded.add(`${id}|${d.date}`);
      }
    }
  }));
  return recorded;
}

/** Brings each trajectory to an outcome: BBL doorstroom, job without BBL, or dropout. */
async function decide(s: Seen, ids: string[]): Promise<Record<string, number>> {
  const expected: Record<string, number> = {};
  for (const [i, id] of ids.entries()) {
    const kind = ['bbl_doorstroom', 'job_without_bbl', 'dropout'][i % 3]!;
    expected[kind] = (expected[kind] ?? 0) + 1;
    if (kind === 'bbl_doorstroom') {
      await send(s, 'POST', `/v1/trajectories/${id}/bbl`, { by: 'employer', contractStartDate: addDays(thisMonday(), 14) });
      await send(s, 'POST', `/v1/trajectories/${id}/bbl`, { by: 'school' });
    } else if (kind === 'job_without_bbl') {
      await send(s, 'POST', `/v1/trajectories/${id}/bbl`, { by: 'employer', jobWithoutBbl: true });
    } else {
      await send(s, 'POST', `/v1/trajectories/${id}/changes`, { type: 'dropout', reason: 'found_other_work', text: 'Werk gevonden' });
    }
  }
  return expected;
}

/** What was lost or doubled: recordings missing from the rows or the workflow, events numbered with a gap or twice, outcomes missing. */
async function audit(ids: string[], recorded: Set<string>, expected: Record<string, number>) {
  const rows = await db.selectFrom('attendance').select(['trajectory_id', 'date']).where('trajectory_id', 'in', ids).execute();
  const inDb = new Set(rows.map((r) => `${r.trajectory_id}|${r.date}`));
  let inWorkflows = 0;
  for (const id of ids) {
    const s = await client.workflow.getHandle(trajectoryWorkflowId(id)).query(scheduleQuery);
    inWorkflows += s.weeks.flatMap((w) => w.days).filter((d) => (d.status === 'attended' || d.status === 'absent') && recorded.has(`${id}|${d.date}`)).length;
  }
  let badSeq = 0;
  for (const id of ids) {
    const seqs = (await db.selectFrom('trajectory_event').select('seq').where('trajectory_id', '=', id).orderBy('seq').execute()).map((e) => e.seq);
    if (seqs.some((q, i) => q !== i + 1)) badSeq++;
  }
  const outcomes: Record<string, number> = {};
  for (let i = 0; i < 300; i++) {
    const done = await db.selectFrom('trajectory').select(sqlKind).where('id', 'in', ids).execute();
    for (const k of Object.keys(outcomes)) delete outcomes[k];
    for (const d of done) if (d.kind) outcomes[d.kind] = (outcomes[d.kind] ?? 0) + 1;
    if (JSON.stringify(Object.entries(outcomes).sort()) === JSON.stringify(Object.entries(expected).sort())) break;
    await sleep(200);
  }
  return {
    lostRows: [...recorded].filter((r) => !inDb.has(r)).length,
    extraRows: rows.length - recorded.size,
    lostInWorkflows: recorded.size - inWorkflows,
    badSeq,
    outcomesReached: Object.values(outcomes).reduce((a, b) => a + b, 0),
    outcomesExpected: Object.values(expected).reduce((a, b) => a + b, 0),
  };
}
const sqlKind = sql<string | null>`outcome->>'kind'`.as('kind');

const results: string[][] = [];
await send(seen(), 'POST', '/v1/programmes', {
  id: programmeId, name: 'Drill: two weeks',
  template: shortTemplate(),
});
const fmt = (s: Seen) => Object.entries(s.status).sort().map(([k, v]) => `${k}: ${v}`).join(', ');

// ---- 1. the worker killed 20 times ---------------------------------------------------------------------------

{
  const s = seen();
  const partners = await setUp(s);
  const { ids } = await launch(s, partners, 20);
  const kills: number[] = [];
  const digests: Promise<unknown>[] = [];
  let stopKilling = false;
  const killer = (async () => {
    for (let k = 0; k < 20 && !stopKilling; k++) {
      await sleep(200 + random() * 1300);
      worker.child.kill('SIGKILL');
      await worker.stop();
      const t0 = Date.now();
      worker = spawnEntry('worker', 'infra/worker.ts', env);
      await worker.waitFor(/worker: polling/);
      kills.push(Date.now() - t0);
      // The morning digest (as its Schedule starts it), composed and delivered while the worker keeps dying.
      if (k % 5 === 2) digests.push(client.workflow.execute('digestWorkflow', { taskQueue: 'toeleiding', workflowId: `drill-digest-${k}` }));
    }
  })();
  const t0 = Date.now();
  const recorded = await recordAll(s, ids);
  const expected = await decide(s, ids);
  await killer;
  stopKilling = true;
  // Every digest run finishes, whatever happened to the workers that ran it.
  await Promise.all(digests);
  const a = await audit(ids, recorded, expected);
  const outbox = await db.selectFrom('outbox').select(['id', 'status']).execute();
  // A duplicate: the same outbox mail twice, or two mails to one recipient on one morning.
  const ids_ = smtp.received.map((m) => m.messageId);
  const recipients = smtp.received.map((m) => (m.to as { text: string } | undefined)?.text);
  const duplicates = Math.max(ids_.length - new Set(ids_).size, recipients.length - new Set(recipients).size);
  results.push([
    'worker SIGKILLed at 20 random moments while a cohort of 20 is recorded, decided and sent its digest',
    `${kills.length} kills, a new worker polling ${Math.round(kills.reduce((x, y) => x + y, 0) / kills.length)} ms after each on average; ${recorded.size} days recorded and 20 outcomes decided in ${Math.round((Date.now() - t0) / 1000)} s; ${outbox.filter((o) => o.status === 'sent').length} mails sent, ${smtp.received.length} received`,
    `${fmt(s)}; ${s.retried} retries`,
    `lost rows ${a.lostRows}, extra rows ${a.extraRows}, lost in workflows ${a.lostInWorkflows}, event numbering broken in ${a.badSeq}; outcomes reached ${a.outcomesReached} of ${a.outcomesExpected}; duplicate mails ${duplicates}, uncertain ${outbox.filter((o) => o.status === 'uncertain').length}, still queued ${outbox.filter((o) => o.status === 'queued').length}`,
  ]);
}

// ---- 2. PostgreSQL restarted during writes ------------------------------------------------------------------

{
  const s = seen();
  const partners = await setUp(s);
  const { ids } = await launch(s, partners, 10);
  const cluster = readdirSync('/etc/postgresql')[0]!;
  const health: Record<string, number> = {};
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const code = await fetch(`${api}/health`).then((r) => String(r.status), () => 'network');
      health[code] = (health[code] ?? 0) + 1;
      await sleep(100);
    }
  })();
  const writes = recordAll(s, ids, 4);
  await sleep(1500);
  const t0 = Date.now();
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster, 'main', 'stop', '-m', 'fast']);
  await sleep(3000);
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster, 'main', 'start']);
  const downMs = Date.now() - t0;
  await untilUp(`${api}/health`, 120_000);
  const recoveredMs = Date.now() - t0;
  const recorded = await writes;
  watching = false;
  await watcher;
  const a = await audit(ids, recorded, {});
  results.push([
    'PostgreSQL stopped for 3 s during writes (fast shutdown, then start)',
    `down ${downMs} ms; API healthy again ${recoveredMs} ms after the stop, by itself; ${recorded.size} days recorded; /health answered ${Object.entries(health).sort().map(([k, v]) => `${k}: ${v}`).join(', ')}`,
    `${fmt(s)}; ${s.retried} retries`,
    `lost rows ${a.lostRows}, extra rows ${a.extraRows}, lost in workflows ${a.lostInWorkflows}, event numbering broken in ${a.badSeq}`,
  ]);
}

// ---- 3. the Temporal server restarted during writes ---------------------------------------------------------

{
  const s = seen();
  const partners = await setUp(s);
  const { ids } = await launch(s, partners, 10);
  const writes = recordAll(s, ids, 4);
  await sleep(1500);
  const t0 = Date.now();
  await temporal.stop();
  await sleep(3000);
  await temporal.start();
  const restartMs = Date.now() - t0;
  const recorded = await writes;
  const doneMs = Date.now() - t0;
  const a = await audit(ids, recorded, {});
  results.push([
    'Temporal dev server stopped for 3 s during writes, then started on the same database',
    `back after ${restartMs} ms; worker and API reconnected by themselves; ${recorded.size} days recorded, the last ${doneMs} ms after the stop`,
    `${fmt(s)}; ${s.retried} retries`,
    `lost rows ${a.lostRows}, extra rows ${a.extraRows}, lost in workflows ${a.lostInWorkflows}, event numbering broken in ${a.badSeq}`,
  ]);
}

console.log(['| drill | what happened | answers | what was lost or doubled |', '| --- | --- | --- | --- |', ...results.map((r) => `| ${r.join(' | ')} |`)].join('\n'));

await apiProc.stop();
await worker.stop();
await client.connection.close();
await temporal.stop();
await smtp.stop();
await db.destroy();
await database.drop();
rmSync(dir, { recursive: true, force: true });
