// Temporal faults as the API meets them, on the real dev server: a server that stops answering (a TCP proxy
// between the API and the server that stops forwarding, as a hung or SIGSTOPped server does) makes requests
// answer 503 with Retry-After after the call deadline, never hang; a launch that timed out is completed by its
// repeat. Many concurrent updates to one trajectory (which the server may abort) never answer 500, and a
// client that repeats a 503 under the same Idempotency-Key, as a partner's does, gets every one recorded once.
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  Client,
  Connection,
  ServiceError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp, type App } from '../api/app';
import { DomainError } from '../api/errors';
import { isAbortedUpdate, temporalProblem } from '../api/temporal-calls';
import { connectPostgres, type Db } from '../db/connection';
import { devServerExecutable } from '../infra/temporal-binaries';
import { addDays, localDate } from '../domain/calendar';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { admin, injectCall, testDeps } from './helpers/app';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { seedPartners, type Partners } from './helpers/partners';
import { freePort } from './helpers/processes';
import { untilStarted } from './helpers/seed';
import { createTestWorker, testDataConverter } from './helpers/temporal';

const DEADLINE_MS = 3000;

/** A TCP proxy in front of the Temporal server that can stop forwarding (the server then looks hung). */
interface Proxy {
  address: string;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

async function tcpProxy(target: { host: string; port: number }): Promise<Proxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let frozen = false;
  const server = net.createServer((downstream) => {
    const upstream = net.connect(target);
    const pair: [net.Socket, net.Socket] = [downstream, upstream];
    pairs.add(pair);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
    if (frozen) pair.forEach((s) => s.pause());
    const end = () => {
      pairs.delete(pair);
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    freeze() {
      frozen = true;
      for (const p of pairs) p.forEach((s) => s.pause());
    },
    thaw() {
      frozen = false;
      for (const p of pairs) p.forEach((s) => s.resume());
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const p of pairs) p.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let db: Db;
let proxy: Proxy;
let connection: Connection;
let app: App;
let partners: Partners;
const errors: string[] = [];

beforeAll(async () => {
  db = connectPostgres(inject('databaseUrl'), 5);
  const port = await freePort();
  env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: devServerExecutable(process.env),
      ip: '127.0.0.1',
      port,
      uiPort: await freePort(),
      searchAttributes: SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error'],
    },
    client: { dataConverter: testDataConverter },
  });
  // The worker talks to the server directly; only the API's calls go through the proxy.
  worker = await createTestWorker(env, db);
  running = worker.run();
  proxy = await tcpProxy({ host: '127.0.0.1', port });
  connection = await Connection.connect({ address: proxy.address });
  const temporal = new Client({ connection, namespace: 'default', dataConverter: testDataConverter });
  const deps = testDeps(db, temporal);
  // Errors are logged (and shown when a test fails): a 500 must be explained.
  app = await buildApp({
    ...deps,
    config: { ...deps.config, LOG_LEVEL: 'error', TEMPORAL_CALL_TIMEOUT_MS: DEADLINE_MS },
    logStream: { write: (line) => errors.push(line) },
  });
  partners = await seedPartners(injectCall(app));
}, 120_000);

afterAll(async () => {
  proxy?.thaw();
  await app?.close();
  await connection?.close();
  await proxy?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.destroy();
});

const post = (url: string, payload: unknown, key = randomUUID()) =>
  app.inject({ method: 'POST', url, headers: { ...admin, 'idempotency-key': key }, payload: payload as object });
const get = (url: string) => app.inject({ method: 'GET', url, headers: admin });

/** Launches a cohort that started `weeksAgo` weeks ago and waits until its workflows have started. */
async function launch(size: number, weeksAgo: number): Promise<{ id: string; trajectories: { id: string }[] }> {
  const res = await post(
    '/v1/cohorts',
    cohortRequest({ ...partners, size, startDate: addDays(thisMonday(), -7 * weeksAgo) }),
  );
  expect(res.statusCode).toBe(201);
  await untilStarted(db, res.json().id);
  return res.json();
}

/** Planned days before today, placement and school, from the schedule. */
async function pastPlannedDays(trajectoryId: string): Promise<{ date: string; kind: string }[]> {
  const res = await get(`/v1/trajectories/${trajectoryId}/schedule`);
  expect(res.statusCode).toBe(200);
  const today = localDate(Date.now());
  return (res.json().weeks as { days: { date: string; kind: string; status: string }[] }[])
    .flatMap((w) => w.days)
    .filter((d) => d.status === 'planned' && d.date < today)
    .map(({ date, kind }) => ({ date, kind }));
}

/**
 * Repeats a request that answered 503 under the same Idempotency-Key after its Retry-After (with jitter), as a
 * partner's client does.
 */
async function untilAnswered(send: () => Promise<Awaited<ReturnType<App['inject']>>>, statuses: number[]) {
  for (let attempt = 1; ; attempt++) {
    const res = await send();
    statuses.push(res.statusCode);
    if (res.statusCode !== 503 || attempt >= 30) return res;
    const wait = Number(res.headers['retry-after'] ?? 1) * 1000;
    await new Promise((r) => setTimeout(r, wait * (0.5 + Math.random())));
  }
}

async function timed<T>(p: Promise<T>): Promise<[T, number]> {
  const at = Date.now();
  const out = await p;
  return [out, Date.now() - at];
}

describe('a Temporal server that stops answering', () => {
  it(
    'answers 503 with Retry-After after the deadline, ' + 'reads and recordings alike, and works again afterwards',
    async () => {
      const cohort = await launch(1, 3);
      const t = cohort.trajectories[0]!.id;
      const [day] = await pastPlannedDays(t);
      expect(day).toBeDefined();
      const key = randomUUID();
      const body = { entries: [{ date: day!.date, kind: day!.kind, present: true }] };

      proxy.freeze();
      try {
        const [recording, recordingMs] = await timed(post(`/v1/trajectories/${t}/attendance`, body, key));
        const [read, readMs] = await timed(get(`/v1/trajectories/${t}`));
        const [schedule, scheduleMs] = await timed(get(`/v1/trajectories/${t}/schedule`));
        const [health, healthMs] = await timed(get('/health'));
        console.log(
          `hung Temporal, deadline ${DEADLINE_MS} ms: recording ${recording.statusCode} in ${recordingMs} ms, ` +
            `trajectory ${read.statusCode} in ${readMs} ms, schedule ${schedule.statusCode} in ${scheduleMs} ms, ` +
            `health ${health.statusCode} in ${healthMs} ms`,
        );
        for (const [res, ms] of [
          [recording, recordingMs],
          [read, readMs],
          [schedule, scheduleMs],
        ] as const) {
          expect(res.statusCode).toBe(503);
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
          expect(res.json()).toMatchObject({ status: 503, type: '/problems/temporal-timeout' });
          expect(res.json().detail).toMatch(
            /^De workflowdienst \(Temporal\) antwoordde niet binnen 3 s\. Er is niets verloren/,
          );
          // Not a timing test: only that it answered, not long after the deadline.
          expect(ms).toBeGreaterThanOrEqual(DEADLINE_MS - 100);
          expect(ms).toBeLessThan(3 * DEADLINE_MS);
        }
        expect(health.statusCode).toBe(503);
        expect(healthMs).toBeLessThan(3 * DEADLINE_MS);
      } finally {
        proxy.thaw();
      }

      // The recording that timed out may have reached the server after all; its repeat (same key, so the same
      // update id) answers what happened and records nothing twice.
      const statuses: number[] = [];
      const again = await untilAnswered(() => post(`/v1/trajectories/${t}/attendance`, body, key), statuses);
      expect(again.statusCode, again.body).toBe(200);
      console.log(`the same recording repeated after the server answered again: ${statuses.join(', ')}`);
      expect((await get(`/v1/trajectories/${t}`)).statusCode).toBe(200);
      const attended = (await get(`/v1/trajectories/${t}/schedule`))
        .json()
        .weeks.flatMap((w: { days: { date: string; status: string }[] }) => w.days)
        .find((d: { date: string }) => d.date === day!.date);
      expect(attended.status).toBe('attended');
      const rows = await db
        .selectFrom('attendance')
        .selectAll()
        .where('trajectory_id', '=', t)
        .where('date', '=', day!.date)
        .execute();
      expect(rows).toHaveLength(1);
    },
    120_000,
  );

  it('a launch that timed out is completed by its repeat with the same Idempotency-Key', async () => {
    const key = randomUUID();
    const request = cohortRequest({ ...partners, size: 3, startDate: addDays(thisMonday(), -7) });
    proxy.freeze();
    let first;
    let ms;
    try {
      [first, ms] = await timed(post('/v1/cohorts', request, key));
    } finally {
      proxy.thaw();
    }
    expect(first.statusCode).toBe(503);
    expect(ms).toBeLessThan(3 * DEADLINE_MS);
    const statuses: number[] = [];
    const repeat = await untilAnswered(() => post('/v1/cohorts', request, key), statuses);
    expect(repeat.statusCode, repeat.body).toBe(201);
    expect(repeat.json().status).toBe('launched');
    await untilStarted(db, repeat.json().id);
    for (const tr of repeat.json().trajectories as { id: string }[])
      expect((await get(`/v1/trajectories/${tr.id}`)).statusCode).toBe(200);
    console.log(`launch against a hung Temporal: 503 in ${ms} ms; its repeat: ${statuses.join(', ')}`);
  }, 120_000);
});

describe('many concurrent updates to one trajectory', () => {
  it('never answer 500, and every recording is finally recorded once', async () => {
    const cohort = await launch(1, 11);
    const t = cohort.trajectories[0]!.id;
    const days = (await pastPlannedDays(t)).slice(0, 32);
    expect(days).toHaveLength(32);
    const statuses: number[] = [];
    const problems: string[] = [];
    const started = Date.now();
    const answers = await Promise.all(
      days.map((d) => {
        const key = randomUUID();
        return untilAnswered(async () => {
          const res = await post(
            `/v1/trajectories/${t}/attendance`,
            { entries: [{ date: d.date, kind: d.kind, present: true }] },
            key,
          );
          if (res.statusCode === 503) problems.push(res.json().type);
          return res;
        }, statuses);
      }),
    );
    const count = (s: number) => statuses.filter((x) => x === s).length;
    console.log(
      `32 concurrent recordings on one trajectory: ${statuses.length} answers in ${Date.now() - started} ` +
        `ms; 200: ${count(200)}, 503: ${count(503)} (${[...new Set(problems)].join(', ') || 'none'}), ` +
        `other: ${statuses.filter((s) => s !== 200 && s !== 503).join(', ') || 'none'}`,
    );
    expect(
      statuses.filter((s) => s !== 200 && s !== 503),
      errors.join('\n'),
    ).toEqual([]);
    expect(answers.map((a) => a.statusCode)).toEqual(days.map(() => 200));
    const schedule = (await get(`/v1/trajectories/${t}/schedule`))
      .json()
      .weeks.flatMap((w: { days: { date: string; status: string }[] }) => w.days);
    for (const d of days) expect(schedule.find((x: { date: string }) => x.date === d.date).status).toBe('attended');
    const rows = await db.selectFrom('attendance').select(['date']).where('trajectory_id', '=', t).execute();
    expect(rows.map((r) => r.date).sort()).toEqual(days.map((d) => d.date).sort());
  }, 300_000);
});

describe('which Temporal errors are worth sending again, and which are 503', () => {
  // The shapes the client library throws, as met on the dev server above.
  const grpc = (code: number, details: string) =>
    Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
  const aborted = new ServiceError('Workflow Update failed', { cause: grpc(14, 'workflow update was aborted') });
  const unprocessed = new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.create({
      type: 'UnprocessedUpdate',
      message: "Workflow Update is rejected because it wasn't processed by worker.",
    }),
  );
  const refused = new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.create({ type: 'Rejection', message: 'not a planned day' }),
  );
  const timedOut = new WorkflowUpdateRPCTimeoutOrCancelledError('Deadline exceeded', {
    cause: grpc(4, 'Deadline exceeded'),
  });
  const queryTimedOut = new ServiceError('Failed to query Workflow', { cause: grpc(4, 'Deadline exceeded') });
  const unreachable = new ServiceError('Failed to query Workflow', { cause: grpc(14, 'No connection established') });
  // A worker killed in the middle of the workflow's task (the worker-kill drill met it as a 500).
  const taskFailed = new ServiceError('Workflow Update failed', { cause: grpc(9, 'Workflow Task in failed state') });
  // A query while no worker polls (npm start restarting its worker; found by the end-to-end test as a 500).
  const noWorker = new ServiceError('Failed to query Workflow', {
    cause: grpc(9, 'no poller seen for task queue recently, worker may be down'),
  });

  it('sends again an update the server aborted or rejected unprocessed, not one the workflow refused', () => {
    expect([aborted, unprocessed, refused, timedOut, unreachable].map(isAbortedUpdate)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it(
    'answers 503 for a missed deadline, an unreachable server and an update that could not get through; ' +
      'leaves the rest alone',
    () => {
      const type = (e: unknown) => {
        const p = temporalProblem(e, 5000);
        return p instanceof DomainError ? `${p.status} ${p.type}` : 'as it was';
      };
      expect(
        [timedOut, queryTimedOut, unreachable, aborted, unprocessed, taskFailed, noWorker, refused].map(type),
      ).toEqual([
        '503 temporal-timeout',
        '503 temporal-timeout',
        '503 temporal-unavailable',
        '503 temporal-busy',
        '503 temporal-busy',
        '503 temporal-retrying',
        '503 temporal-no-worker',
        'as it was',
      ]);
    },
  );
});
