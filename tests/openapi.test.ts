// The OpenAPI document partners' developers read: linted against the Dutch API design rules written out in
// api/openapi-rules.yaml (the same check as `npm run lint:api`), with zero errors, and its promises checked one
// by one: every operation named and summarised, every body with a valid example, every parameter with one (so each
// operation that takes input shows a request), named component schemas, every
// error problem+json, CSV declared, and the API-Version header on real responses. Needs no database: the app is
// built with stubs, and the requests sent here never reach one.
import AjvCompiler from '@fastify/ajv-compiler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../api/app';
import type { AppDeps } from '../api/deps';
import { generateOpenApi, lintOpenApi } from '../api/openapi-lint';
import { API_VERSION } from '../api/schemas/openapi';
import { ADMIN_TOKEN, BSN_HMAC_KEY } from './helpers/app';
import type { Json } from './helpers/json';

type Doc = Record<string, Json>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

let app: App;
let doc: Doc;
let flat: Doc;

const operations = (d: Doc) =>
  Object.entries(d.paths as Doc).flatMap(([path, item]) =>
    Object.entries(item as Doc)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ path, method, op: op as Doc, label: `${method.toUpperCase()} ${path}` })),
  );
const component = (d: Doc, ref: string) =>
  ref
    .split('/')
    .slice(1)
    .reduce((n: Doc, k) => n[k], d);

beforeAll(async () => {
  const deps = {
    config: { TEMPORAL_TASK_QUEUE: 'openapi-test', LOG_LEVEL: 'silent', ADMIN_TOKEN, BSN_HMAC_KEY },
    db: {} as AppDeps['db'],
    temporal: {} as AppDeps['temporal'],
    // The document is generated, nothing is sent.
    mailer: { kind: 'dev-mailbox', send: async () => {} },
  } as AppDeps;
  app = await buildApp(deps);
  doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
  flat = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
});

afterAll(async () => {
  await app?.close();
});

describe('the OpenAPI document', () => {
  it('passes the API design rules lint with zero findings, with relative servers and with a PUBLIC_URL', async () => {
    for (const publicUrl of [undefined, 'https://toeleiding.example.nl']) {
      const findings = await lintOpenApi(await generateOpenApi(publicUrl));
      // Warnings too: a partner's developer sees them as well (info-contact was the last one).
      const all = findings.map((f) => `${f.code}: ${f.message} at ${f.path.join('.')}`);
      expect(all, `PUBLIC_URL ${publicUrl ?? '(none)'}`).toEqual([]);
    }
  }, 180_000);

  it('the lint finds what the rules forbid (it is not silently passing)', async () => {
    const broken = structuredClone(doc);
    const op = broken.paths['/cohorts'].post;
    delete op.operationId;
    delete op.requestBody.content['application/json'].example;
    op.responses['201'].description = 'Default Response';
    delete op.responses['201'].headers['API-Version'];
    broken.paths['/cohorts/'] = broken.paths['/cohorts'];
    // A GET whose only parameter lost its example shows no request any more.
    for (const parameter of broken.paths['/cohorts/{id}'].get.parameters) delete parameter.example;
    broken.paths['/cohorts/{id}'].get.responses['404'] = {
      description: 'Not found',
      headers: { 'API-Version': { $ref: '#/components/headers/API-Version' } },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
    const codes = new Set((await lintOpenApi(broken)).filter((f) => f.severity === 0).map((f) => f.code));
    for (const code of [
      'operation-operationId',
      'request-body-example',
      'request-example',
      'response-description',
      'adr-version-header',
      'adr-no-trailing-slash',
      'adr-problem-details',
    ]) {
      expect(codes, code).toContain(code);
    }
  }, 120_000);

  it(
    'versions the API: info.version is semver, the server ' + 'carries the major version, paths have no trailing slash',
    () => {
      expect(doc.info.version).toBe(API_VERSION);
      expect(API_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
      expect(doc.servers.map((s: Doc) => s.url)).toEqual([`/v${API_VERSION.split('.')[0]}`]);
      expect(doc.info.description).toMatch(/API-Version/);
      for (const path of Object.keys(doc.paths)) expect(path).not.toMatch(/.\/$/);
      // The operations outside /v1 carry the root as their own server.
      expect(doc.paths['/health'].servers[0].url).toBe('/');
      expect(doc.paths['/cohorts'].servers).toBeUndefined();
    },
  );

  it('names every operation (unique camelCase operationId) and summarises it', () => {
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(40);
    const ids = ops.map((o) => o.op.operationId);
    for (const { label, op } of ops) {
      expect(op.operationId, label).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      expect(op.summary, label).toBeTruthy();
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/organisations'].get.operationId).toBe('listOrganisations');
    expect(doc.paths['/cohorts'].post.operationId).toBe('launchCohort');
  });

  it('gives every request body a named schema and at least one example, each valid against it', () => {
    const compile = AjvCompiler()(
      {},
      { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array' } },
    ) as unknown as (route: { schema: object }) => (data: unknown) => boolean;
    const bodies = operations(doc).filter((o) => o.op.requestBody);
    expect(bodies.length).toBeGreaterThan(15);
    for (const { label, path, method, op } of bodies) {
      const media = op.requestBody.content['application/json'];
      expect(media.schema.$ref, label).toMatch(/^#\/components\/schemas\/[A-Z]/);
      const examples = media.examples
        ? Object.values(media.examples as Record<string, { value: unknown }>).map((e) => e.value)
        : [media.example];
      expect(examples.filter((e) => e !== undefined).length, label).toBeGreaterThan(0);
      // Validated against the schema as the app validates it (the flat document has it without references).
      const flatPath = doc.paths[path].servers ? path : `/v1${path}`;
      const validate = compile({ schema: flat.paths[flatPath][method].requestBody.content['application/json'].schema });
      for (const e of examples)
        expect(validate(structuredClone(e)), `${label} example ${JSON.stringify(e)}`).toBe(true);
    }
  });

  it('shows a request for every operation that takes input: each parameter has an example valid against it', () => {
    const compile = AjvCompiler()({}, { customOptions: { allErrors: true, strict: false } }) as unknown as (route: {
      schema: object;
    }) => (data: unknown) => boolean;
    const inputless: string[] = [];
    let parameters = 0;
    for (const { label, path, method, op } of operations(doc)) {
      if (!op.requestBody && !op.parameters?.length) inputless.push(label);
      const flatPath = doc.paths[path].servers ? path : `/v1${path}`;
      for (const parameter of (flat.paths[flatPath][method].parameters ?? []) as Doc[]) {
        const name = `${label} ${parameter.in} ${parameter.name}`;
        expect(parameter.example, name).toBeDefined();
        expect(compile({ schema: parameter.schema })(structuredClone(parameter.example)), name).toBe(true);
        parameters++;
      }
    }
    expect(parameters).toBeGreaterThan(150);
    // Only the health probes take nothing at all: no body, no parameter, so there is no request to show.
    expect(inputless.sort()).toEqual(['GET /health', 'GET /health/live']);
    expect(doc.paths['/cohorts/{id}'].get.parameters[0].example).toMatch(/^[0-9a-f-]{36}$/);
    expect(doc.info.contact.name).toMatch(/programme office/);
  });

  it('names its schemas as components and uses every one', () => {
    const schemas = Object.keys(doc.components.schemas);
    expect(schemas.length).toBeGreaterThan(50);
    expect(schemas).toEqual(
      expect.arrayContaining(['Problem', 'NewCohort', 'Cohort', 'Trajectory', 'OrganisationPage', 'Id', 'IsoDate']),
    );
    const text =
      JSON.stringify({ ...doc, components: { ...doc.components, schemas: undefined } }) +
      JSON.stringify(doc.components.schemas);
    for (const name of schemas) expect(text, name).toContain(`"#/components/schemas/${name}"`);
    // Far smaller than every schema inlined (the form /openapi.json serves).
    expect(JSON.stringify(doc).length).toBeLessThan(JSON.stringify(flat).length / 2);
  });

  it('describes every response, and declares every error as application/problem+json with the Problem schema', () => {
    for (const { label, path, op } of operations(doc)) {
      for (const [status, r] of Object.entries(op.responses as Doc)) {
        const response = r.$ref ? component(doc, r.$ref) : r;
        expect(response.description, `${label} ${status}`).toBeTruthy();
        expect(response.description, `${label} ${status}`).not.toBe('Default Response');
        expect(response.headers?.['API-Version'], `${label} ${status}`).toEqual({
          $ref: '#/components/headers/API-Version',
        });
        if (Number(status) >= 400 && !(path === '/health' && status === '503')) {
          expect(Object.keys(response.content), `${label} ${status}`).toEqual(['application/problem+json']);
          expect(response.content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
        }
      }
      expect(op.responses['500'], label).toBeDefined();
    }
    expect(component(doc, doc.paths['/cohorts'].post.responses['422'].$ref).description).toMatch(
      /cannot be carried out/,
    );
  });

  it('declares the CSV answer as text/csv and the calendar feeds as text/calendar', () => {
    const figures = doc.paths['/outcomes'].get.responses['200'].content;
    expect(Object.keys(figures).sort()).toEqual(['application/json', 'text/csv']);
    expect(figures['text/csv'].schema.type).toBe('string');
    expect(figures['text/csv'].example).toMatch(/^figure,category,count\n/);
    expect(doc.paths['/trajectories/{id}/calendar.ics'].get.responses['200'].content['text/calendar']).toBeDefined();
  });

  it('serves the same document at /openapi.json self-contained: paths absolute, no references', () => {
    expect(flat.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(Object.keys(flat.paths)).toEqual(expect.arrayContaining(['/v1/cohorts', '/health', '/feeds/{token}.ics']));
    expect(JSON.stringify(flat)).not.toContain('#/components/');
    expect(
      operations(flat)
        .map((o) => o.op.operationId)
        .sort(),
    ).toEqual(
      operations(doc)
        .map((o) => o.op.operationId)
        .sort(),
    );
  });
});

describe('real responses', () => {
  it('carry the API-Version header: success, problem, router refusal', async () => {
    const answers = await Promise.all([
      app.inject({ method: 'GET', url: '/health/live' }),
      app.inject({ method: 'GET', url: '/v1/programmes' }),
      app.inject({ method: 'GET', url: '/nowhere' }),
      app.inject({ method: 'GET', url: '/v1/cohorts/%zz' }),
      app.inject({ method: 'GET', url: '/docs/json' }),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 401, 404, 400, 200]);
    for (const a of answers) expect(a.headers['api-version'], a.raw.req.url).toBe(API_VERSION);
    for (const a of answers.slice(1, 4)) expect(a.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses a trailing slash with a 404 problem, also for a caller with a valid token', async () => {
    for (const url of ['/v1/cohorts/', '/v1/programmes/', '/v1/trajectories/x/', '/health/live/', '/v1/']) {
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 404, type: '/problems/not-found' });
      expect(res.headers['api-version']).toBe(API_VERSION);
    }
  });
});
