// Nothing assumes one process: two API processes and two worker processes, as in production, against one
// Temporal dev server and one PostgreSQL database. A cohort is launched through one API and recorded
// through both; a repeated request reaching the other API is recognised; when one worker stops, the other
// carries on; everything is recorded once.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connectPostgres, type Db } from '../db/connection';
import { newPayloadKey } from '../infra/payload-codec';
import { addDays, localDate } from '../domain/calendar';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { seedPartners, type Call } from './helpers/partners';
import { createThrowawayDatabase } from './helpers/postgres';
import { devServer, freePort, spawnEntry, untilUp, type DevServer, type Proc } from './helpers/processes';
import type { Json } from './helpers/json';

const dir = mkdtempSync(path.join(os.tmpdir(), 'toeleiding-processes-'));
let database: Awaited<ReturnType<typeof createThrowawayDatabase>>;
let db: Db;
let temporal: DevServer;
const apis: { proc: Proc; url: string }[] = [];
const workers: Proc[] = [];
const token = randomBytes(24).toString('base64url');
let metricsPort: number;

const callOn =
  (url: string): Call =>
  async (method, path, body, key) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key ?? token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...((method === 'POST' || method === 'PUT') && { 'idempotency-key': randomUUID() }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json().catch(() => undefined) };
  };
const post = (url: string, p: string, body: unknown, key = randomUUID()) =>
  fetch(`${url}${p}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, json: (await r.json()) as Json }));

beforeAll(async () => {
  database = await createThrowawayDatabase();
  db = connectPostgres(database.url, 3);
  temporal = await devServer(path.join(dir, 'temporal.sqlite'));
  const shared = {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    PAYLOAD_KEYS: newPayloadKey(),
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    ADMIN_TOKEN: token,
    BSN_HMAC_KEY: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'warn',
    SMTP_URL: '',
    DATABASE_POOL_SIZE: '4',
  };
  metricsPort = await freePort();
  for (const n of [1, 2])
    workers.push(
      spawnEntry(`worker ${n}`, 'infra/worker.ts', {
        ...shared,
        ...(n === 2 && { METRICS_PORT: String(metricsPort) }),
      }),
    );
  for (const n of [1, 2]) {
    const port = await freePort();
    apis.push({
      proc: spawnEntry(`api ${n}`, 'infra/api.ts', { ...shared, PORT: String(port), HOST: '127.0.0.1' }),
      url: `http://127.0.0.1:${port}`,
    });
  }
  await Promise.all([
    ...workers.map((w) => w.waitFor(/worker: polling/)),
    ...apis.map((a) => untilUp(`${a.url}/health`)),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([...apis.map((a) => a.proc.stop()), ...workers.map((w) => w.stop())]);
  await temporal?.stop();
  await db?.destroy();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('two APIs and two workers on one Temporal server and one database', () => {
  it('launch, record and read across processes, each thing once, and carry on when a worker stops', async () => {
    const [a, b] = apis.map((x) => x.url) as [string, string];
    const partners = await seedPartners(callOn(a), 'Twee');
    const start = addDays(thisMonday(), -7);
    const request = cohortRequest({ ...partners, size: 4, startDate: start });
    // The same launch sent to both APIs under one Idempotency-Key: one cohort.
    const key = randomUUID();
    const [first, again] = [await post(b, '/v1/cohorts', request, key), await post(a, '/v1/cohorts', request, key)];
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    expect(again).toEqual(first);
    expect(
      await db.selectFrom('cohort').select('id').where('covenant_id', '=', partners.covenantId).execute(),
    ).toHaveLength(1);
    const trajectories = first.json.trajectories as { id: string }[];
    for (
      let i = 0;
      i < 100 &&
      (
        await db
          .selectFrom('trajectory')
          .select('id')
          .where('cohort_id', '=', first.json.id)
          .where('status', '=', 'active')
          .execute()
      ).length < 4;
      i++
    )
      await new Promise((r) => setTimeout(r, 100));

    const today = localDate(Date.now());
    let recordings = 0;
    for (const [i, t] of trajectories.entries()) {
      // Halfway, the first worker stops (SIGTERM, drained); the second takes everything from there.
      if (i === 2) expect(await workers[0]!.stop()).toBe(0);
      const schedule = (await callOn(a)('GET', `/v1/trajectories/${t.id}/schedule`)).json;
      const days = (schedule.weeks as { days: { date: string; kind: string; status: string }[] }[])
        .flatMap((w) => w.days)
        .filter((d) => d.status === 'planned' && d.date < today);
      for (const [j, d] of days.entries()) {
        const via = j % 2 ? a : b;
        const k = randomUUID();
        const res = await post(
          via,
          `/v1/trajectories/${t.id}/attendance`,
          { entries: [{ date: d.date, kind: d.kind, present: true }] },
          k,
        );
        expect(res.status, JSON.stringify(res.json)).toBe(200);
        // A retry of the same request through the other API is the same answer, not a second recording.
        expect(
          await post(
            via === a ? b : a,
            `/v1/trajectories/${t.id}/attendance`,
            { entries: [{ date: d.date, kind: d.kind, present: true }] },
            k,
          ),
        ).toEqual(res);
        recordings++;
      }
      const read = [
        (await callOn(a)('GET', `/v1/trajectories/${t.id}`)).json,
        (await callOn(b)('GET', `/v1/trajectories/${t.id}`)).json,
      ];
      expect(read[0].live.open.attendance).toEqual([]);
      expect(read[1]).toEqual(read[0]);
    }
    expect(recordings).toBeGreaterThan(0);
    const ids = trajectories.map((t) => t.id);
    const rows = await db.selectFrom('attendance').select('trajectory_id').where('trajectory_id', 'in', ids).execute();
    expect(rows).toHaveLength(recordings);
    // Every trajectory's events are numbered without a gap or a repeat, whichever worker wrote them.
    for (const id of ids) {
      const seqs = (
        await db.selectFrom('trajectory_event').select('seq').where('trajectory_id', '=', id).orderBy('seq').execute()
      ).map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    }
    const steering = (await callOn(b)('GET', `/v1/steering?cohortId=${first.json.id}`)).json;
    expect(steering.partners.filter((p: { overdueDays: number }) => p.overdueDays > 0)).toEqual([]);
    // The remaining worker's Temporal runtime reports its workflow task latency to Prometheus.
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^temporal_workflow_task_execution_latency\S*_count\{[^}]*\} [1-9]/m);
  }, 180_000);
});
