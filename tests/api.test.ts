// The API through app.inject against a migrated PostgreSQL database and the time-skipping Temporal server.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../api/app';
import type { AppDeps } from '../api/deps';
import { connectPostgres, type Db } from '../db/connection';
import { startTestApi, type TestApi } from './helpers/api';
import { ADMIN_TOKEN as TOKEN, admin as auth, injectCall, testDeps, withKey as key } from './helpers/app';
import { cohortRequest as cohortFor, type CohortPartners } from './helpers/fixtures';
import { seedPartners } from './helpers/partners';

let env: TestWorkflowEnvironment;
let api: TestApi;
let db: Db;
let app: App;
let school: string;
let employers: string[];
let partners: CohortPartners;

const deps = (over: Partial<AppDeps> = {}): AppDeps => testDeps(db, env.client, over);
const cohortRequest = (o: { size?: number; startDate?: string } = {}) => cohortFor({ ...partners, ...o });

const counts = async () => ({
  cohorts: Number(
    (
      await db
        .selectFrom('cohort')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  trajectories: Number(
    (
      await db
        .selectFrom('trajectory')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
});

beforeAll(async () => {
  api = await startTestApi();
  ({ db, env, app } = api);
  partners = await seedPartners(injectCall(app));
  school = partners.schoolId;
  employers = partners.employerIds;
});

afterAll(async () => {
  await api?.close();
});

describe('authentication', () => {
  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['another scheme', { authorization: `Basic ${TOKEN}` }],
  ])('refuses %s on every /v1 route with 401', async (_label, headers) => {
    for (const url of [
      '/v1/programmes',
      '/v1/organisations',
      '/v1/cohorts',
      `/v1/cohorts/${randomUUID()}`,
      `/v1/trajectories/${randomUUID()}`,
    ]) {
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('programmes', () => {
  it('lists the WelSlagen template with its version from the first start', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/programmes', headers: auth });
    expect(res.statusCode).toBe(200);
    const welslagen = res
      .json()
      .items.find((p: { id: string; version: number }) => p.id === 'welslagen' && p.version === 1);
    expect(welslagen.template).toMatchObject({
      weeks: 20,
      placementDaysPerWeek: 3,
      schoolDaysPerWeek: 1,
      intendedOutcome: 'bbl_doorstroom',
      checkpoints: [
        { key: 'intake', week: 1 },
        { key: 'pop', week: 3 },
        { key: 'midterm', week: 10 },
        { key: 'pre-bbl', week: 18 },
      ],
    });
  });
});

describe('programme templates', () => {
  it('refuses a programme that cannot run, naming each field, and publishes nothing', async () => {
    const id = `impossible-${randomUUID().slice(0, 8)}`;
    const res = await app.inject({
      method: 'POST',
      url: '/v1/programmes',
      headers: key(),
      payload: {
        id,
        name: 'Onmogelijk',
        template: {
          weeks: 12,
          placementDaysPerWeek: 3,
          schoolDaysPerWeek: 1,
          checkpoints: [
            { key: 'intake', name: 'Intake', week: 1 },
            { key: 'eind', name: 'Eindgesprek', week: 14 },
            { key: 'intake', name: 'Nog een intake', week: 2 },
          ],
          attendanceThreshold: 0.8,
          bblDecisionFromWeek: 16,
          intendedOutcome: 'bbl_doorstroom',
        },
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().errors).toEqual([
      { field: 'template.checkpoints[1].week', message: "week 14 is after the programme's last week (12)" },
      { field: 'template.checkpoints[2].key', message: 'intake appears twice' },
      {
        field: 'template.bblDecisionFromWeek',
        message: "the BBL decision would open in week 16, after the programme's last week (12)",
      },
    ]);
    const listed = await app.inject({ method: 'GET', url: '/v1/programmes?limit=200', headers: auth });
    expect(listed.json().items.map((p: { id: string }) => p.id)).not.toContain(id);
    // A programme without an ROC day is not one the calendar can plan.
    const noSchool = await app.inject({
      method: 'POST',
      url: '/v1/programmes',
      headers: key(),
      payload: {
        id,
        name: 'Zonder ROC',
        template: {
          weeks: 12,
          placementDaysPerWeek: 4,
          schoolDaysPerWeek: 0,
          checkpoints: [],
          attendanceThreshold: 0.8,
          bblDecisionFromWeek: 10,
          intendedOutcome: 'job',
        },
      },
    });
    expect(noSchool.statusCode).toBe(400);
    expect(noSchool.json().detail).toMatch(/schoolDaysPerWeek/);
    // Five placement days and the ROC day do not fit in the five working days: the schema's caps (4 + 1) refuse
    // it, which is why checkTemplate has no check of its own for it.
    const sixDays = await app.inject({
      method: 'POST',
      url: '/v1/programmes',
      headers: key(),
      payload: {
        id,
        name: 'Zes dagen',
        template: {
          weeks: 12,
          placementDaysPerWeek: 5,
          schoolDaysPerWeek: 1,
          checkpoints: [],
          attendanceThreshold: 0.8,
          bblDecisionFromWeek: 10,
          intendedOutcome: 'job',
        },
      },
    });
    expect(sixDays.statusCode).toBe(400);
    expect(sixDays.json().errors).toEqual([
      { field: 'template.placementDaysPerWeek', message: expect.stringMatching(/4/) },
    ]);
  });
});

describe('organisations', () => {
  it('creates and lists partners by kind', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/organisations?kind=employer&limit=200', headers: auth });
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining(employers));
    expect(ids).not.toContain(school);
  });

  it('replays the stored response for a repeated Idempotency-Key and refuses the key with another body', async () => {
    const headers = key();
    const payload = { name: 'Gemeente Breda', kind: 'gemeente' };
    const first = await app.inject({ method: 'POST', url: '/v1/organisations', headers, payload });
    const again = await app.inject({ method: 'POST', url: '/v1/organisations', headers, payload });
    expect(first.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    const other = await app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers,
      payload: { name: 'UWV', kind: 'uwv' },
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().errors[0].field).toBe('headers.idempotency-key');
  });

  it('names the field for an unknown kind and a missing Idempotency-Key', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: key(),
      payload: { name: 'X', kind: 'bank' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('kind');
    const noKey = await app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: auth,
      payload: { name: 'X', kind: 'uwv' },
    });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().errors[0].field).toBe('headers.idempotency-key');
  });
});

describe('launching a cohort', () => {
  it('starts one trajectory workflow per participant, with IDs derived from business IDs', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/cohorts', headers: key(), payload: cohortRequest() });
    expect(res.statusCode).toBe(201);
    const cohort = res.json();
    expect(cohort).toMatchObject({ programmeId: 'welslagen', programmeVersion: 2, status: 'launched' });
    expect(cohort.trajectories).toHaveLength(20);
    for (const t of cohort.trajectories) {
      expect(t.workflowId).toBe(`trajectory-${t.id}`);
      const d = await env.client.workflow.getHandle(t.workflowId).describe();
      expect(d.status.name).toBe('RUNNING');
    }

    const read = await app.inject({ method: 'GET', url: `/v1/cohorts/${cohort.id}`, headers: auth });
    expect(read.statusCode).toBe(200);
    expect(read.json().trajectories.map((t: { reference: string }) => t.reference)).toEqual(
      cohort.trajectories.map((t: { reference: string }) => t.reference),
    );

    const traj = await app.inject({
      method: 'GET',
      url: `/v1/trajectories/${cohort.trajectories[0].id}`,
      headers: auth,
    });
    expect(traj.statusCode).toBe(200);
    expect(traj.json().live).toMatchObject({
      week: 1,
      weeks: 20,
      startDate: cohort.startDate,
      // The newest WelSlagen version: 2 since migration 0024 named its work processes.
      programme: { id: 'welslagen', version: 2 },
    });
    expect(traj.json().live.nextDays.length).toBeGreaterThan(0);
  });

  it('returns the same cohort for a repeated request and starts nothing twice', async () => {
    const headers = key();
    const payload = cohortRequest({ size: 3 });
    const first = await app.inject({ method: 'POST', url: '/v1/cohorts', headers, payload });
    const runIds = await Promise.all(
      first
        .json()
        .trajectories.map(
          async (t: { workflowId: string }) => (await env.client.workflow.getHandle(t.workflowId).describe()).runId,
        ),
    );
    const before = await counts();
    const again = await app.inject({ method: 'POST', url: '/v1/cohorts', headers, payload });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await counts()).toEqual(before);
    const runIdsAfter = await Promise.all(
      first
        .json()
        .trajectories.map(
          async (t: { workflowId: string }) => (await env.client.workflow.getHandle(t.workflowId).describe()).runId,
        ),
    );
    expect(runIdsAfter).toEqual(runIds);

    const changed = await app.inject({
      method: 'POST',
      url: '/v1/cohorts',
      headers,
      payload: { ...payload, schoolWeekday: 'friday' },
    });
    expect(changed.statusCode).toBe(422);
    expect(await counts()).toEqual(before);
  });

  it('completes a launch that was interrupted halfway when the request is repeated', async () => {
    // A Temporal client that fails after 4 starts, as if the API process died mid-launch.
    let starts = 0;
    const flaky = new Client({ connection: env.connection });
    const realStart = flaky.workflow.start.bind(flaky.workflow);
    flaky.workflow.start = (async (...args: Parameters<typeof realStart>) => {
      if (++starts > 4) throw new Error('connection lost');
      return realStart(...args);
    }) as typeof realStart;
    const crashing = await buildApp(deps({ temporal: flaky }));
    const headers = key();
    const payload = cohortRequest({ size: 12 });
    const broken = await crashing.inject({ method: 'POST', url: '/v1/cohorts', headers, payload });
    expect(broken.statusCode).toBe(500);
    await crashing.close();

    const repeated = await app.inject({ method: 'POST', url: '/v1/cohorts', headers, payload });
    expect(repeated.statusCode).toBe(201);
    expect(repeated.json().status).toBe('launched');
    expect(repeated.json().trajectories).toHaveLength(12);
    for (const t of repeated.json().trajectories) {
      expect((await env.client.workflow.getHandle(t.workflowId).describe()).status.name).toBe('RUNNING');
    }
  });

  it.each([
    ['an unknown programme', (p: Record<string, unknown>) => ({ ...p, programmeId: 'onbekend' }), 'programmeId'],
    [
      'a start date that is not a Monday',
      (p: Record<string, unknown>) => ({ ...p, startDate: '2027-04-06' }),
      'startDate',
    ],
    ['a school that is not an ROC', (p: Record<string, unknown>) => ({ ...p, schoolId: employers[0] }), 'schoolId'],
    [
      'a duplicate participant reference',
      (p: { participants: { reference: string }[] }) => ({
        ...p,
        participants: p.participants.map((x) => ({ ...x, reference: 'WB-001' })),
      }),
      'participants[1].reference',
    ],
    [
      'an unknown employer',
      (p: { participants: object[] }) => ({ ...p, participants: [{ ...p.participants[0], employerId: 'nobody' }] }),
      'participants[0].employerId',
    ],
    [
      'placement on the ROC day',
      (p: { participants: object[] }) => ({
        ...p,
        participants: [{ ...p.participants[0], placementWeekdays: ['monday', 'tuesday', 'thursday'] }],
      }),
      'participants[0].placementWeekdays',
    ],
  ])('refuses %s with 422 naming the field, and writes nothing', async (_label, mutate, field) => {
    const before = await counts();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/cohorts',
      headers: key(),
      payload: (mutate as (p: object) => object)(cohortRequest({ size: 2 })),
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['a malformed date', { startDate: '2027-13-01' }, 'startDate'],
    ['no participants', { participants: [] }, 'participants'],
    ['an unknown field', { colour: 'blue' }, 'colour'],
  ])('refuses %s with 400 naming the field', async (_label, patch, field) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/cohorts',
      headers: key(),
      payload: { ...cohortRequest({ size: 1 }), ...patch },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/cohorts',
      headers: { ...key(), 'content-type': 'application/json' },
      payload: '{"programmeId":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('gives 404 for an unknown cohort or trajectory', async () => {
    for (const url of [`/v1/cohorts/${randomUUID()}`, `/v1/trajectories/${randomUUID()}`]) {
      const res = await app.inject({ method: 'GET', url, headers: auth });
      expect(res.statusCode).toBe(404);
    }
  });
});

describe('template versions', () => {
  it('a new version applies to new cohorts and never changes running trajectories', async () => {
    const v1Cohort = (
      await app.inject({ method: 'POST', url: '/v1/cohorts', headers: key(), payload: cohortRequest({ size: 1 }) })
    ).json();
    const current = (await app.inject({ method: 'GET', url: '/v1/programmes', headers: auth }))
      .json()
      .items.find((p: { id: string; version: number }) => p.id === 'welslagen' && p.version === 1);
    const published = await app.inject({
      method: 'POST',
      url: '/v1/programmes',
      headers: key(),
      payload: { id: 'welslagen', name: current.name, template: { ...current.template, weeks: 24 } },
    });
    expect(published.statusCode).toBe(201);
    const version = published.json().version;
    expect(version).toBeGreaterThan(1);

    const old = await app.inject({
      method: 'GET',
      url: `/v1/trajectories/${v1Cohort.trajectories[0].id}`,
      headers: auth,
    });
    expect(old.json().live).toMatchObject({ weeks: 20, programme: { version: v1Cohort.programmeVersion } });

    const fresh = (
      await app.inject({ method: 'POST', url: '/v1/cohorts', headers: key(), payload: cohortRequest({ size: 1 }) })
    ).json();
    expect(fresh.programmeVersion).toBe(version);
    const live = (
      await app.inject({ method: 'GET', url: `/v1/trajectories/${fresh.trajectories[0].id}`, headers: auth })
    ).json().live;
    expect(live.weeks).toBe(24);
  });
});

describe('operations', () => {
  it('reports health 200 when database and Temporal answer', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: { status: 'up' }, temporal: { status: 'up' } });
  });

  it('reports 503 naming what is down', async () => {
    const deadTemporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s' }) });
    const deadDb = connectPostgres('postgres://postgres@127.0.0.1:1/postgres', 1);
    const broken = await buildApp(deps({ temporal: deadTemporal, db: deadDb }));
    const res = await broken.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      status: 'unavailable',
      database: { status: 'down' },
      temporal: { status: 'down' },
    });
    await broken.close();
    await deadDb.destroy();
  });

  it('serves an OpenAPI 3 document generated from the validating schemas, and renders it at /docs', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/cohorts',
        '/v1/cohorts/{id}',
        '/v1/trajectories/{id}',
        '/v1/programmes',
        '/v1/organisations',
      ]),
    );
    const body = doc.paths['/v1/cohorts'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['programmeId', 'startDate', 'participants']));
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });
});

describe('hostile input', () => {
  it.each([
    [
      'a NUL character in a name',
      (p: { participants: object[] }) => ({ ...p, participants: [{ ...p.participants[0], name: 'An\u0000na' }] }),
      400,
    ],
    ['an absurd programme version', (p: object) => ({ ...p, programmeVersion: 2 ** 40 }), 400],
    ['a start date in year 9999', (p: object) => ({ ...p, startDate: '9999-12-27' }), 422],
  ])('refuses %s with a 4xx, never a 500', async (_label, mutate, status) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/cohorts',
      headers: key(),
      payload: (mutate as (p: object) => object)(cohortRequest({ size: 1 })),
    });
    expect(res.statusCode).toBe(status);
  });

  it('refuses an absurd page offset with 400', async () => {
    expect(
      (await app.inject({ method: 'GET', url: '/v1/cohorts?offset=99999999999999999999', headers: auth })).statusCode,
    ).toBe(400);
  });
});
