// What an operator sees: a trace from the API request through the workflow update into the activity
// (the SDK's OpenTelemetry interceptors, spans collected in memory), and the API's Prometheus metrics.
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createActivities } from '../activities';
import { buildApp, type App } from '../api/app';
import { connectPostgres, type Db } from '../db/connection';
import { startTracing, tracingClientInterceptors, tracingWorkerOptions, type Tracing } from '../infra/telemetry';
import { addDays, localDate } from '../domain/calendar';
import { TASK_QUEUE } from '../workflows/ids';
import { admin, injectCall, testDeps, withKey } from './helpers/app';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { seedPartners } from './helpers/partners';
import { createThrowawayDatabase } from './helpers/postgres';
import { untilStarted } from './helpers/seed';
import { createTimeSkippingEnv, testDataConverter } from './helpers/temporal';

const spans = new InMemorySpanExporter();
let tracing: Tracing;
let database: Awaited<ReturnType<typeof createThrowawayDatabase>>;
let db: Db;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let app: App;
let trajectoryId: string;
let cohortId: string;

beforeAll(async () => {
  tracing = startTracing('toeleiding-test', {}, new SimpleSpanProcessor(spans));
  database = await createThrowawayDatabase();
  db = connectPostgres(database.url, 4);
  env = await createTimeSkippingEnv();
  const client = new Client({
    connection: env.connection,
    dataConverter: testDataConverter,
    interceptors: tracingClientInterceptors(),
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities({ db, temporal: client }),
    dataConverter: testDataConverter,
    ...tracingWorkerOptions(tracing, true),
  });
  running = worker.run();
  app = await buildApp(testDeps(db, client));
  const partners = await seedPartners(injectCall(app), 'Zicht');
  const res = await app.inject({
    method: 'POST',
    url: '/v1/cohorts',
    headers: withKey(),
    payload: cohortRequest({ ...partners, size: 2, startDate: addDays(thisMonday(), -7) }),
  });
  expect(res.statusCode, res.body).toBe(201);
  cohortId = res.json().id;
  trajectoryId = res.json().trajectories[0].id;
  await untilStarted(db, cohortId);
}, 60_000);

afterAll(async () => {
  await app?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.destroy();
  await database?.drop();
  await tracing?.shutdown();
});

describe('tracing', () => {
  it('follows a recording from the API request through the workflow update into the projection activity', async () => {
    const schedule = (
      await app.inject({ method: 'GET', url: `/v1/trajectories/${trajectoryId}/schedule`, headers: admin })
    ).json();
    const day = (schedule.weeks as { days: { date: string; kind: string; status: string }[] }[])
      .flatMap((w) => w.days)
      .find((d) => d.status === 'planned' && d.date < localDate(Date.now()))!;
    spans.reset();
    const res = await app.inject({
      method: 'POST',
      url: `/v1/trajectories/${trajectoryId}/attendance`,
      headers: withKey(),
      payload: { entries: [{ date: day.date, kind: day.kind, present: true }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    // Workflow spans leave the workflow through a sink, after the activation that made them.
    await new Promise((r) => setTimeout(r, 500));
    const finished = spans.getFinishedSpans();
    const request = finished.find((s) => s.name === 'POST /v1/trajectories/:id/attendance')!;
    expect(request, finished.map((s) => s.name).join(', ')).toBeDefined();
    const inTrace = finished
      .filter((s) => s.spanContext().traceId === request.spanContext().traceId)
      .map((s) => s.name);
    expect(inTrace).toEqual(
      expect.arrayContaining([
        'POST /v1/trajectories/:id/attendance',
        'StartWorkflowUpdate:recordAttendance',
        'HandleUpdate:recordAttendance',
        'RunActivity:projectTrajectory',
      ]),
    );
  });
});

describe('metrics', () => {
  it('count requests by route and status, and show the outbox and the overdue registrations', async () => {
    await app.inject({ method: 'GET', url: `/v1/steering?cohortId=${cohortId}`, headers: admin });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const line = (name: string) => res.body.split('\n').find((l) => l.startsWith(name));
    expect(
      line(
        'toeleiding_http_request_duration_seconds_count{method="POST",' +
          'route="/v1/trajectories/:id/attendance",status="200"}',
      ),
    ).toMatch(/ 1$/);
    expect(
      line('toeleiding_http_request_duration_seconds_count{method="GET",route="/v1/steering",status="200"}'),
    ).toBeDefined();
    expect(line('toeleiding_outbox_mails{status="queued"}')).toBe('toeleiding_outbox_mails{status="queued"} 0');
    // The same count the steering view gives, in this database of its own.
    const steering = (await app.inject({ method: 'GET', url: '/v1/steering', headers: admin })).json();
    const overdue = steering.partners.reduce((n: number, p: { overdueDays: number }) => n + p.overdueDays, 0);
    expect(overdue).toBeGreaterThan(0);
    expect(line('toeleiding_overdue_registrations ')).toBe(`toeleiding_overdue_registrations ${overdue}`);
  });
});
