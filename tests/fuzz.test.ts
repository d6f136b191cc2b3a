// Property-based fuzzing of every /v1 operation from the API's own OpenAPI document. For each operation,
// fast-check builds requests that break the documented contract (one field of a valid example mutated, a bad
// path id, a bad page, a missing or short Idempotency-Key, malformed JSON, a wrong content type, an oversized
// body) and sends them with the admin token and every role's key. Each must be refused with a 4xx
// application/problem+json whose `status` is the HTTP status, and together they must change no row and no
// workflow.
//
// Only requests that really are invalid are sent and counted. That is decided apart from the app: Ajv, through
// the compiler Fastify itself uses, checks each part against the OpenAPI document, with the options api/app.ts
// gives Fastify (coercion on, so "5" is a valid integer and a missing `limit` takes its default).
//
// This file has a database of its own: the before/after snapshot covers every table, and other test files
// write to the shared one while this runs.
import AjvCompiler from '@fastify/ajv-compiler';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fc from 'fast-check';
import { parse as parseQuery } from 'fast-querystring';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../api/app';
import type { Db } from '../db/connection';
import { startTestApi, type TestApi } from './helpers/api';
import { ADMIN_TOKEN } from './helpers/app';
import { cohortRequest } from './helpers/fixtures';
import { seedPartners, type Call, type Partners } from './helpers/partners';
import type { Json as Answer } from './helpers/json';

/** Fixed, so a failure reproduces; fast-check prints it with the counterexample. */
const SEED = 20_260_501;
const RUNS_PER_OPERATION = 150;
/** The dev mailbox exists only with the dev mailer and holds no input worth fuzzing. */
const SKIPPED_PATHS = new Set(['/v1/mailbox']);
/** Columns that change by design on a refused request: a key's last use is stamped when it authenticates. */
const VOLATILE_COLUMNS: Record<string, string[]> = { api_key: ['last_used_at'] };
const BODY_LIMIT = 5 * 1024 * 1024; // api/app.ts

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The part of JSON Schema the OpenAPI document uses. */
interface Schema {
  type?: string;
  enum?: Json[];
  anyOf?: Schema[];
  allOf?: Schema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}

// ---------------------------------------------------------------------------------------------------------
// Judging validity, the way Fastify does.

const compile = AjvCompiler()(
  {},
  { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array' } },
) as unknown as (route: { schema: object }) => (data: unknown) => boolean;
const checkers = new Map<object, (data: unknown) => boolean>();
/** A validity check for `schema` that leaves its input alone (Ajv coerces and fills defaults in place). */
function validator(schema: object): (data: unknown) => boolean {
  let check = checkers.get(schema);
  if (!check) {
    const validate = compile({ schema: structuredClone(schema) });
    check = (data) => validate(structuredClone(data));
    checkers.set(schema, check);
  }
  return check;
}
const objectOf = (ps: Parameter[]): Schema => ({
  type: 'object',
  properties: Object.fromEntries(ps.map((p) => [p.name, p.schema])),
  required: ps.filter((p) => p.required).map((p) => p.name),
});

interface Operation {
  label: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  pathId?: Parameter;
  query: Parameter[];
  idempotencyKey: boolean;
  body?: Schema;
  /** The request examples the document gives for the body. */
  examples: Json[];
  valid: {
    params: (x: unknown) => boolean;
    query: (x: unknown) => boolean;
    headers: (x: unknown) => boolean;
    body: (x: unknown) => boolean;
  };
}

type Media = { schema: Schema; example?: Json; examples?: Record<string, { value: Json }> };
function operations(doc: {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, Media> } }>>;
}): Operation[] {
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/v1/') && !SKIPPED_PATHS.has(path))
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]): Operation => {
        const ps = op.parameters ?? [];
        const of = (where: Parameter['in']) => ps.filter((p) => p.in === where);
        const media = op.requestBody?.content['application/json'];
        const body = media?.schema;
        const examples = media?.examples
          ? Object.values(media.examples).map((e) => e.value)
          : media && 'example' in media
            ? [media.example!]
            : [];
        return {
          label: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase() as Operation['method'],
          path,
          pathId: of('path').find((p) => p.name === 'id'),
          query: of('query'),
          examples,
          idempotencyKey: of('header').some((p) => p.name === 'idempotency-key' && p.required),
          body,
          valid: {
            params: validator(objectOf(of('path'))),
            query: validator(objectOf(of('query'))),
            headers: validator(objectOf(of('header'))),
            body: body ? validator(body) : () => true,
          },
        };
      }),
    );
}

// ---------------------------------------------------------------------------------------------------------
// A request in parts, and which of its parts break the contract.

type Role = 'admin' | 'coordinator' | 'employer' | 'school' | 'jobcoach' | 'funder';
/** `raw`: put into the path as is, not percent-encoded (broken escapes, encoded dots and slashes). */
interface PathId {
  text: string;
  raw?: boolean;
}
/** `oversized`: a JSON string just over the body limit, made when sent so counterexamples stay printable. */
interface BodyPart {
  contentType?: string;
  payload?: string;
  oversized?: boolean;
}
interface Parts {
  role: Role;
  id?: PathId;
  query: [string, string][];
  key?: string;
  body?: BodyPart;
}

const queryString = (pairs: [string, string][]) =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

function urlOf(op: Operation, p: Parts): string {
  const path = p.id ? op.path.replace('{id}', p.id.raw ? p.id.text : encodeURIComponent(p.id.text)) : op.path;
  return p.query.length ? `${path}?${queryString(p.query)}` : path;
}

const decoded = (id: PathId): string | undefined => {
  try {
    return decodeURIComponent(id.raw ? id.text : encodeURIComponent(id.text));
  } catch {
    return undefined;
  }
};

/** What Fastify would hand its body validator, or 'unparseable' when it cannot get that far (400, 413, 415). */
function parsedBody(b: BodyPart | undefined): { value: unknown } | 'unparseable' {
  if (!b || b.payload === undefined) return b?.oversized ? 'unparseable' : { value: undefined };
  const type = b.contentType?.split(';')[0]!.trim().toLowerCase();
  if (type === 'text/plain') return { value: b.payload };
  if (type !== 'application/json') return 'unparseable';
  try {
    return { value: JSON.parse(b.payload) };
  } catch {
    return 'unparseable';
  }
}

/** The parts of the request that break the OpenAPI document; empty means a valid request, which is not sent. */
function violations(op: Operation, p: Parts): string[] {
  const out: string[] = [];
  if (p.id) {
    const id = decoded(p.id);
    if (id === undefined || !op.valid.params({ id })) out.push('params');
  }
  if (op.query.length && !op.valid.query(parseQuery(queryString(p.query)))) out.push('querystring');
  if (op.idempotencyKey && !op.valid.headers(p.key === undefined ? {} : { 'idempotency-key': p.key }))
    out.push('headers');
  if (op.body) {
    const body = parsedBody(p.body);
    if (body === 'unparseable' || !op.valid.body(body.value)) out.push('body');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Generators of bad values, driven by the schema of the spot they go into.

const unwrap = (s: Schema): Schema => (s.allOf?.length === 1 ? unwrap({ ...s.allOf[0]!, ...s, allOf: undefined }) : s);

function enumValues(s: Schema): Json[] | undefined {
  const u = unwrap(s);
  if (u.enum) return u.enum;
  if (u.anyOf?.every((b) => enumValues(b))) return u.anyOf.flatMap((b) => enumValues(b)!);
  return undefined;
}

/** The schema that governs `value`: allOf unwrapped, and of an anyOf the branch the value satisfies. */
function governing(s: Schema, value: unknown): Schema {
  const u = unwrap(s);
  if (!u.anyOf) return u;
  return governing(u.anyOf.find((b) => validator(b)(value)) ?? u.anyOf[0]!, value);
}

type Path = (string | number)[];
interface Site {
  at: Path;
  schema: Schema;
  enums?: Json[];
  value: Json;
}

/** Every spot in a valid example, with its schema: the root, each property present, each array item. */
function sites(value: Json, schema: Schema, at: Path = []): Site[] {
  const s = governing(schema, value);
  const here: Site = { at, schema: s, enums: enumValues(schema), value };
  if (s.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    return [
      here,
      ...Object.entries(s.properties ?? {})
        .filter(([k]) => k in value)
        .flatMap(([k, ps]) => sites(value[k]!, ps, [...at, k])),
    ];
  }
  if (s.type === 'array' && Array.isArray(value) && s.items)
    return [here, ...value.flatMap((v, i) => sites(v, s.items!, [...at, i]))];
  return [here];
}

type Edit = { at: Path; op: 'set'; value: Json } | { at: Path; op: 'delete' | 'add'; key: string; value?: Json };

function applyEdit(base: Json, e: Edit): Json {
  if (e.op === 'set' && e.at.length === 0) return e.value;
  const root = structuredClone(base);
  const parent = e.op === 'set' ? e.at.slice(0, -1) : e.at;
  let node = root as Record<string | number, Json>;
  for (const k of parent) node = node[k] as Record<string | number, Json>;
  if (e.op === 'set') node[e.at.at(-1)!] = e.value;
  else if (e.op === 'delete') delete node[e.key];
  else node[e.key] = e.value ?? null;
  return root;
}

const nested = (depth: number): Json => {
  let v: Json = 'x';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

const garbage: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, '', ' ', 'null', [], {}, [null], { '': null }),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  fc.integer({ min: 20, max: 2_000 }).map(nested),
);

const MAX_INT32 = 2 ** 31 - 1;

function badText(s: Schema): fc.Arbitrary<string> {
  const out: fc.Arbitrary<string>[] = [fc.constantFrom('', 'a\u0000b', 'line\nbreak', '\t', '\u001f')];
  if (s.maxLength !== undefined)
    out.push(fc.integer({ min: s.maxLength + 1, max: s.maxLength + 64 }).map((n) => 'a'.repeat(n)));
  if (s.pattern) {
    const re = new RegExp(s.pattern, 'u');
    out.push(fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).filter((x) => !re.test(x)));
    out.push(
      fc.constantFrom(
        '-leading',
        '.hidden',
        'has space',
        'a/b',
        '../etc/passwd',
        "x' or '1'='1",
        'ü',
        '💥',
        'UPPER-case',
      ),
    );
  }
  if (s.format === 'date')
    out.push(
      fc.constantFrom(
        '2027-02-30',
        '2027-13-01',
        '2027-00-10',
        '2027-01-32',
        '2026-02-29',
        '27-01-01',
        '2027-1-1',
        '2027/01/04',
        '04-01-2027',
        '2027-01-04T00:00:00Z',
        '+002027-01-04',
        'today',
      ),
    );
  if (s.format === 'date-time')
    out.push(
      fc.constantFrom(
        '2027-01-04',
        '2027-01-04T25:00:00Z',
        '2027-01-04 10:00',
        'yesterday',
        '2027-02-30T00:00:00Z',
        '1e10',
      ),
    );
  if (s.format === 'email')
    out.push(
      fc.constantFrom(
        'not-an-email',
        'a@',
        '@example.nl',
        'a b@example.nl',
        'a@@example.nl',
        `${'a'.repeat(250)}@example.nl`,
      ),
    );
  return fc.oneof(...out);
}

function badNumber(s: Schema): fc.Arbitrary<Json> {
  const out: fc.Arbitrary<Json>[] = [
    fc.constantFrom<Json>(1.5, -1, 2 ** 53, 2 ** 63, 1e308, -1e308, 'abc', '', '1.5', '1e400', 'NaN', [1, 2], {}),
  ];
  if (s.minimum !== undefined) out.push(fc.integer({ min: -MAX_INT32, max: s.minimum - 1 }));
  if (s.maximum !== undefined)
    out.push(fc.integer({ min: Math.min(Math.floor(s.maximum) + 1, MAX_INT32), max: MAX_INT32 }));
  if (s.type === 'integer')
    out.push(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)));
  return fc.oneof(...out);
}

const notIn = (enums: Json[]): fc.Arbitrary<Json> =>
  fc
    .oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom<Json>(
        ...enums.flatMap((e) =>
          typeof e === 'string' ? [e.toUpperCase(), ` ${e}`, `${e}s`, e.replace(/_/g, '-')] : [String(e), 0],
        ),
      ),
    )
    .filter((x) => !enums.includes(x));

function badArray(s: Schema, current: Json[]): fc.Arbitrary<Json> {
  const item = current[0] ?? null;
  const out: fc.Arbitrary<Json>[] = [fc.array(garbage, { minLength: 1, maxLength: 4 })];
  if (s.minItems) out.push(fc.constant(current.slice(0, s.minItems - 1)));
  // Fresh copies each time: the array is mutated no further, but fast-check may print it.
  if (s.maxItems !== undefined)
    out.push(fc.constant(null).map(() => Array.from({ length: s.maxItems! + 1 }, () => item)));
  if (s.uniqueItems && current.length) out.push(fc.constant([item, item]));
  return fc.oneof(...out);
}

/** One edit at a spot that breaks it: wrong type, out of range, too long, wrong enum, missing or unknown property. */
function editsAt(site: Site): fc.Arbitrary<Edit> {
  const { at, schema: s } = site;
  const set = (a: fc.Arbitrary<Json>) => a.map((value): Edit => ({ at, op: 'set', value }));
  const options: fc.Arbitrary<Edit>[] = [set(garbage)];
  if (site.enums) options.push(set(notIn(site.enums)));
  else if (s.type === 'string') options.push(set(badText(s)));
  if (s.type === 'integer' || s.type === 'number') options.push(set(badNumber(s)));
  if (s.type === 'boolean') options.push(set(fc.constantFrom<Json>('yes', 'no', 2, -1, 'TRUE', [true, false], {})));
  if (s.type === 'array' && Array.isArray(site.value)) options.push(set(badArray(s, site.value)));
  if (s.type === 'object') {
    const known = Object.keys(s.properties ?? {});
    if (s.required?.length)
      options.push(fc.constantFrom(...s.required).map((key): Edit => ({ at, op: 'delete', key })));
    options.push(
      fc
        .tuple(
          fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.includes(k)),
          garbage,
        )
        .map(([key, value]): Edit => ({ at, op: 'add', key, value })),
    );
  }
  return fc.oneof(...options);
}

function mutatedBody(bases: Json[], schema: Schema): fc.Arbitrary<Json> {
  return fc.constantFrom(...bases).chain((base) =>
    fc
      .constantFrom(...sites(base, schema))
      .chain(editsAt)
      .map((e) => applyEdit(base, e)),
  );
}

const asJson = (value: Json): BodyPart => ({ contentType: 'application/json', payload: JSON.stringify(value) });

/**
 * Bodies Fastify cannot parse or will not take: broken JSON, prototype pollution, wrong content types, none, too big.
 */
function malformedBody(base: Json): fc.Arbitrary<BodyPart> {
  const text = JSON.stringify(base);
  return fc.oneof(
    fc
      .constantFrom(
        '',
        '{',
        '{"a":',
        '[1,2',
        "{'a':1}",
        'undefined',
        'NaN',
        '{"a":1}}',
        '\u0000',
        '{"__proto__":{"polluted":1}}',
        '{"constructor":{"prototype":{"polluted":1}}}',
      )
      .map((payload): BodyPart => ({ contentType: 'application/json', payload })),
    fc
      .nat({ max: text.length - 1 })
      .map((n): BodyPart => ({ contentType: 'application/json', payload: text.slice(0, n) })),
    fc
      .constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
        'application/jsonx',
        'json',
      )
      .map((contentType): BodyPart => ({ contentType, payload: text })),
    fc.constantFrom<BodyPart>({}, { payload: text }, { contentType: 'application/json', oversized: true }),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Valid values, for the parts a request leaves intact.

const ALNUM = [...'ABCXYZabcxyz0123456789'];
const validIdText = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/);

function validQueryValue(p: Parameter, ids: (name: string) => string[]): fc.Arbitrary<string> {
  const s = unwrap(p.schema);
  const enums = enumValues(p.schema);
  if (enums) return fc.constantFrom(...enums.map(String));
  if (s.type === 'integer')
    return fc.integer({ min: s.minimum ?? 0, max: Math.min(s.maximum ?? 1000, MAX_INT32) }).map(String);
  if (s.format === 'date-time')
    return fc
      .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
  const real = ids(p.name);
  return real.length ? fc.oneof(fc.constantFrom(...real), validIdText) : validIdText;
}

function badQueryValue(p: Parameter, valid: fc.Arbitrary<string>): fc.Arbitrary<string[]> {
  const s = unwrap(p.schema);
  const one: fc.Arbitrary<string>[] = [
    fc.constantFrom(
      '',
      ' ',
      '-1',
      '0',
      '1.5',
      'abc',
      'NaN',
      'Infinity',
      '1e400',
      '99999999999999999999',
      'null',
      '[]',
      '\u0000',
    ),
  ];
  if (s.type === 'integer') {
    one.push(fc.integer({ min: -MAX_INT32, max: (s.minimum ?? 0) - 1 }).map(String));
    one.push(fc.integer({ min: Math.min((s.maximum ?? 1_000_000) + 1, MAX_INT32), max: MAX_INT32 }).map(String));
    one.push(fc.double({ noNaN: true }).map(String), fc.string({ maxLength: 8 }));
  } else {
    const enums = enumValues(p.schema);
    one.push(enums ? notIn(enums).map(String) : badText(s));
  }
  // A repeated parameter arrives as an array, which only an array-typed parameter takes.
  return fc.oneof(
    fc.oneof(...one).map((v) => [v]),
    fc.tuple(valid, valid).map(([a, b]) => [a, b]),
  );
}

// ---------------------------------------------------------------------------------------------------------
// The app, a small real world to aim at, and snapshots of everything a request could change.

let env: TestWorkflowEnvironment;
let api: TestApi;
let db: Db;
let app: App;
let call: Call;
let partners: Partners;
const tokens = {} as Record<Role, string>;
const realIds: Record<'organisation' | 'covenant' | 'cohort' | 'trajectory' | 'api-key', string[]> = {
  organisation: [],
  covenant: [],
  cohort: [],
  trajectory: [],
  'api-key': [],
};
let workflowIds: string[] = [];
let before: Record<string, string>;

async function created(url: string, body: unknown): Promise<Answer> {
  const res = await call('POST', url, body);
  if (res.status !== 201 && res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

/** Per table: rows and an md5 over them in order, without the columns that change by design. */
async function snapshot(): Promise<Record<string, string>> {
  const tables = await sql<{
    name: string;
  }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type =
    'BASE TABLE' order by 1`.execute(db);
  const out: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const volatile = VOLATILE_COLUMNS[name] ?? [];
    const { rows } = await sql<{ n: number; md5: string }>`
      select count(*)::int as n, coalesce(md5(string_agg(r, '|' order by r)), '') as md5
      from (select (to_jsonb(t) - ${volatile}::text[])::text as r from ${sql.table(name)} t) s`.execute(db);
    out[name] = `${rows[0]!.n} rows ${rows[0]!.md5}`;
  }
  for (const id of workflowIds)
    out[`workflow ${id}`] = `${(await env.client.workflow.getHandle(id).describe()).historyLength} events`;
  return out;
}

/** Waits until the launch's workflows have projected their first state and nothing moves any more. */
async function settled(): Promise<Record<string, string>> {
  let last = await snapshot();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const next = await snapshot();
    if (JSON.stringify(next) === JSON.stringify(last)) return next;
    last = next;
  }
  throw new Error('the database kept changing after the launch');
}

beforeAll(async () => {
  // No RATE_LIMIT_PER_MINUTE: thousands of requests per key are the point.
  api = await startTestApi({ ownDatabase: true });
  ({ db, env, app, call } = api);
  partners = await seedPartners(call);
  const cohort = await created('/v1/cohorts', cohortRequest({ ...partners, size: 3 }));
  realIds.organisation.push(
    partners.officeId,
    partners.schoolId,
    ...partners.employerIds,
    partners.gemeenteId,
    partners.uwvId,
  );
  realIds.covenant.push(partners.covenantId);
  realIds.cohort.push(cohort.id);
  realIds.trajectory.push(...cohort.trajectories.map((t: { id: string }) => t.id));
  workflowIds = cohort.trajectories.map((t: { workflowId: string }) => t.workflowId);
  tokens.admin = ADMIN_TOKEN;
  const keyFor: [Exclude<Role, 'admin'>, string, string?][] = [
    ['coordinator', partners.officeId],
    ['employer', partners.employerIds[0]!],
    ['school', partners.schoolId],
    ['jobcoach', partners.officeId, partners.jobcoachId],
    ['funder', partners.gemeenteId],
  ];
  for (const [role, organisationId, contactId] of keyFor) {
    const key = await created('/v1/api-keys', { organisationId, role, contactId, label: `fuzz ${role}` });
    tokens[role] = key.secret;
    realIds['api-key'].push(key.id);
  }
  before = await settled();
});

afterAll(async () => {
  await api?.close();
});

// ---------------------------------------------------------------------------------------------------------
// Valid examples per operation: each bad body is one of these with one spot broken. They are the request
// examples of the OpenAPI document (the `examples` of the body schemas in api/schemas), so the documentation
// and the fuzzer share one source. Every body-taking operation in the document needs one (a test below says
// so), so a new route cannot slip past the fuzzer.

/** Real ids of the resource a path's `{id}` names, so bad bodies also reach existing resources. */
function idsForPath(path: string): string[] {
  const kind = (
    {
      organisations: 'organisation',
      covenants: 'covenant',
      'api-keys': 'api-key',
      cohorts: 'cohort',
      trajectories: 'trajectory',
    } as const
  )[path.split('/')[2]!];
  return kind ? realIds[kind] : [];
}
function idsForQuery(name: string): string[] {
  if (name === 'actor') return ['admin', ...realIds['api-key']];
  const kind = ({ cohortId: 'cohort', trajectoryId: 'trajectory', organisationId: 'organisation' } as const)[name];
  return kind ? realIds[kind] : [];
}

function badPathId(real: string[]): fc.Arbitrary<PathId> {
  return fc.oneof(
    fc
      .constantFrom('', '.', '..', '-x', '_x', '.hidden', 'a b', 'a/b', 'ü', '💥', "1' or '1'='1", 'a;b', 'a?b', 'a#b')
      .map((text) => ({ text })),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map((text) => ({ text })),
    fc.integer({ min: 101, max: 400 }).map((n) => ({ text: 'a'.repeat(n) })),
    ...(real.length
      ? [
          fc
            .tuple(fc.constantFrom(...real), fc.constantFrom(' ', "'", '%', '/', '\u0000', 'é'))
            .map(([id, tail]) => ({ text: id + tail })),
        ]
      : []),
    fc
      .constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '%FF', 'a%', '%%', '%2e%2e', '%2F', '%20')
      .map((text) => ({ text, raw: true })),
  );
}

function requests(op: Operation, bodies: Json[]): fc.Arbitrary<Parts & { broken: string[] }> {
  const real = op.pathId ? idsForPath(op.path) : [];
  const validId = real.length ? fc.oneof(fc.constantFrom(...real), validIdText) : validIdText;
  const validQuery = fc
    .tuple(
      ...op.query.map((p) =>
        fc.option(
          validQueryValue(p, idsForQuery).map((v): [string, string] => [p.name, v]),
          { nil: undefined },
        ),
      ),
    )
    .map((pairs) => pairs.filter((x): x is [string, string] => x !== undefined));
  const parts = fc.record({
    role: fc.constantFrom(...(Object.keys(tokens) as Role[])),
    id: op.pathId
      ? fc.oneof(
          validId.map((text) => ({ text })),
          badPathId(real),
        )
      : fc.constant(undefined),
    query: op.query.length
      ? fc.oneof(
          validQuery,
          fc
            .tuple(validQuery, fc.constantFrom(...op.query))
            .chain(([pairs, p]) =>
              badQueryValue(p, validQueryValue(p, idsForQuery)).map((vs) => [
                ...pairs.filter(([k]) => k !== p.name),
                ...vs.map((v): [string, string] => [p.name, v]),
              ]),
            ),
        )
      : fc.constant<[string, string][]>([]),
    key: op.idempotencyKey
      ? fc.oneof(
          { weight: 3, arbitrary: fc.uuid() },
          fc.constant(undefined),
          fc.string({ unit: fc.constantFrom(...ALNUM), maxLength: 7 }),
          fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 201, maxLength: 300 }),
        )
      : fc.constant(undefined),
    body: op.body
      ? fc.oneof(
          { weight: 1, arbitrary: fc.constantFrom(...bodies).map(asJson) },
          { weight: 6, arbitrary: mutatedBody(bodies, op.body).map(asJson) },
          { weight: 2, arbitrary: malformedBody(bodies[0]!) },
        )
      : fc.constant(undefined),
  });
  return parts.map((p) => ({ ...p, broken: violations(op, p) })).filter((p) => p.broken.length > 0);
}

// ---------------------------------------------------------------------------------------------------------

const statuses = new Map<string, number>();
const brokenParts = new Map<string, number>();
let sent = 0;
const tally = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

async function send(op: Operation, p: Parts) {
  const headers: Record<string, string> = { authorization: `Bearer ${tokens[p.role]}` };
  if (p.key !== undefined) headers['idempotency-key'] = p.key;
  if (p.body?.contentType) headers['content-type'] = p.body.contentType;
  const payload = p.body?.oversized ? `"${'x'.repeat(BODY_LIMIT)}"` : p.body?.payload;
  sent++;
  return app.inject({ method: op.method, url: urlOf(op, p), headers, ...(payload !== undefined ? { payload } : {}) });
}

const clip = (s: string | undefined, n = 600) =>
  s === undefined ? '(none)' : s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s;

describe('bad input against the OpenAPI document', () => {
  let ops: Operation[];
  beforeAll(async () => {
    ops = operations((await app.inject({ method: 'GET', url: '/openapi.json' })).json());
  });

  it('has a valid example for every operation that takes a body', () => {
    for (const op of ops.filter((o) => o.body)) {
      expect(op.examples.length, `add an example to the body schema of ${op.label}`).toBeGreaterThan(0);
      for (const b of op.examples) expect(op.valid.body(b), `${op.label} example ${JSON.stringify(b)}`).toBe(true);
    }
  });

  it('refuses every generated bad request on every /v1 operation, for every role, with a 4xx problem', async () => {
    const started = Date.now();
    console.info(`fuzz: seed ${SEED}, ${RUNS_PER_OPERATION} runs on each of ${ops.length} operations`);
    const failures: string[] = [];
    for (const op of ops) {
      const details = await fc.check(
        fc.asyncProperty(requests(op, op.examples.length ? op.examples : [{}]), async (p) => {
          const res = await send(op, p);
          tally(statuses, String(res.statusCode));
          for (const part of p.broken) tally(brokenParts, part);
          const problem = (() => {
            try {
              return res.json();
            } catch {
              return undefined;
            }
          })();
          const fine =
            res.statusCode >= 400 &&
            res.statusCode < 500 &&
            /^application\/problem\+json/.test(String(res.headers['content-type'])) &&
            problem?.status === res.statusCode;
          if (!fine) {
            throw new Error(
              [
                `${op.method} ${clip(urlOf(op, p), 300)} as ${p.role} (breaks: ${p.broken.join(', ')})`,
                `  idempotency-key: ${clip(p.key, 80)}; content-type: ${p.body?.contentType ?? '(none)'}`,
                `  body: ${p.body?.oversized ? `(${BODY_LIMIT + 2} bytes)` : clip(p.body?.payload)}`,
                `→ ${res.statusCode} ${res.headers['content-type']}: ${clip(res.body)}`,
              ].join('\n'),
            );
          }
        }),
        { seed: SEED, numRuns: RUNS_PER_OPERATION },
      );
      if (details.failed)
        failures.push(
          `${op.label}\n${fc.defaultReportMessage(details)}\n` +
            `${(details.errorInstance as Error | undefined)?.message ?? ''}`,
        );
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.info(
      `fuzz: ${sent} bad requests in ${seconds} s; ` +
        `statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
        `broken parts ${JSON.stringify(Object.fromEntries(brokenParts))}`,
    );
    expect(failures, failures.join('\n\n')).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(3000);
  }, 300_000);

  it('leaves every table and every workflow as it was', async () => {
    const after = await snapshot();
    if (after.audit_event !== before.audit_event) {
      const { rows } = await sql`select * from audit_event order by id desc limit 20`.execute(db);
      console.error('fuzz: audit_event changed; newest rows:', rows);
    }
    expect(after).toEqual(before);
  });
});
