// API hygiene across all routes: Idempotency-Key on every POST, pagination on every list, a rate limit per
// key (429 with Retry-After), and a request id in every response and every log line.
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildApp, type App } from '../api/app';
import { connectPostgres, type Db } from '../db/connection';
import { ADMIN_TOKEN, injectCall, testDeps } from './helpers/app';
import { createKey, seedPartners } from './helpers/partners';

let db: Db;
let app: App;
let unlimited: App;
let doc: {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string; required?: boolean }[];
        responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }>;
      }
    >
  >;
};
const logLines: string[] = [];

beforeAll(async () => {
  db = connectPostgres(inject('databaseUrl'), 2);
  // Nothing here reaches Temporal; a client that never connects is enough.
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const deps = testDeps(db, temporal);
  app = await buildApp({
    ...deps,
    config: { ...deps.config, LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: 5 },
    logStream: new Writable({
      write(c, _e, done) {
        logLines.push(String(c));
        done();
      },
    }),
  });
  unlimited = await buildApp(deps);
  doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
});

afterAll(async () => {
  await app?.close();
  await unlimited?.close();
  await db?.destroy();
});

const operations = () =>
  Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })))
    .filter((o) => o.path.startsWith('/v1/'));

describe('every route', () => {
  it('requires an Idempotency-Key on every POST', () => {
    const posts = operations().filter((o) => o.method === 'post');
    expect(posts.length).toBeGreaterThan(10);
    for (const { path, op } of posts) {
      expect(op.parameters?.find((p) => p.in === 'header' && p.name === 'idempotency-key')?.required, path).toBe(true);
    }
  });

  it('pages every list: a response with items takes limit and offset', () => {
    const lists = operations().filter(
      (o) => o.method === 'get' && o.op.responses['200']?.content?.['application/json']?.schema.properties?.items,
    );
    expect(lists.length).toBeGreaterThan(8);
    for (const { path, op } of lists) {
      const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      expect(query, path).toEqual(expect.arrayContaining(['limit', 'offset']));
    }
  });
});

describe('rate limiting', () => {
  it('answers a key over its limit with 429, Retry-After and a problem, without slowing other keys', async () => {
    // Set up on an app without a limit, over the same database.
    const call = injectCall(unlimited);
    const partners = await seedPartners(call, 'Rate');
    const key = await createKey(call, partners.schoolId, 'school');
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<App['inject']>> | undefined;
    for (let i = 0; i < 8; i++) {
      const res = await app.inject({
        method: 'GET',
        url: '/v1/programmes',
        headers: { authorization: `Bearer ${key}` },
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) limited = res;
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited!.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited!.json()).toMatchObject({ status: 429, type: '/problems/rate-limited' });
    // Another key has its own budget.
    const other = await createKey(call, partners.officeId, 'coordinator');
    expect(
      (await app.inject({ method: 'GET', url: '/v1/programmes', headers: { authorization: `Bearer ${other}` } }))
        .statusCode,
    ).toBe(200);
  });

  it('refuses an address after too many failed authentications, whatever token it sends next', async () => {
    const guess = (token: string, remoteAddress = '203.0.113.7') =>
      app.inject({
        method: 'GET',
        url: '/v1/programmes',
        remoteAddress,
        headers: { authorization: `Bearer ${token}` },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await guess(`tlk_guess-${i}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // A right guess from that address is refused alike, so the answers tell a guesser nothing.
    const right = await guess(ADMIN_TOKEN);
    expect(right.statusCode).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(right.json()).toMatchObject({ status: 429, type: '/problems/rate-limited' });
    // Other addresses are not held back by it.
    expect((await guess('tlk_guess-other', '198.51.100.9')).statusCode).toBe(401);
    expect((await guess(ADMIN_TOKEN, '198.51.100.10')).statusCode).toBe(200);
  });

  it('behind a proxy named in TRUST_PROXY, counts failures per forwarded address, not per proxy', async () => {
    const deps = testDeps(db, new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }));
    const proxied = await buildApp({ ...deps, config: { ...deps.config, RATE_LIMIT_PER_MINUTE: 2, TRUST_PROXY: '1' } });
    try {
      const via = (client: string, token = 'tlk_wrong') =>
        proxied.inject({
          method: 'GET',
          url: '/v1/programmes',
          remoteAddress: '10.0.0.2',
          headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client },
        });
      expect([
        (await via('192.0.2.1')).statusCode,
        (await via('192.0.2.1')).statusCode,
        (await via('192.0.2.1')).statusCode,
      ]).toEqual([401, 401, 429]);
      // Everyone else behind the same ingress is unaffected.
      expect((await via('192.0.2.2', ADMIN_TOKEN)).statusCode).toBe(200);
    } finally {
      await proxied.close();
    }
  });
});

describe('request ids', () => {
  it(
    'puts a request id in every response and in every log ' + "line about the request, and takes the caller's own",
    async () => {
      const res = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'partner-trace-42' } });
      expect(res.headers['x-request-id']).toBe('partner-trace-42');
      const fresh = await app.inject({
        method: 'GET',
        url: '/v1/cohorts/onbekend',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const id = fresh.headers['x-request-id'] as string;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(fresh.json().requestId).toBe(id);
      const lines = logLines.map((l) => JSON.parse(l)).filter((l) => l.reqId === id);
      expect(lines.length).toBeGreaterThanOrEqual(2); // incoming request and response
      // No log line carries a bearer token or a request body.
      expect(logLines.join('')).not.toContain(ADMIN_TOKEN);
    },
  );
});
