// The published OpenAPI document, finished in one place. @fastify/swagger generates it from the route schemas
// (the same TypeBox schemas that validate requests; nothing here changes validation or serialization); this
// module then names the shared schemas as components, declares every error as application/problem+json with
// the Problem schema, every CSV answer as text/csv, the API-Version header on every response, and serves the
// /v1 operations under a server URL that carries the major version. api/openapi-rules.yaml lints the result
// against the Dutch API design rules (`npm run lint:api`, tests/openapi.test.ts).
import type { TSchema } from 'typebox';
import * as apiKey from './api-key';
import * as audit from './audit';
import * as benefit from './benefit';
import * as calendar from './calendar';
import * as cohort from './cohort';
import * as common from './common';
import * as covenant from './covenant';
import * as followUp from './follow-up';
import * as health from './health';
import * as mailbox from './mailbox';
import * as organisation from './organisation';
import * as outbox from './outbox';
import * as outcome from './outcome';
import * as praktijkverklaring from './praktijkverklaring';
import * as praktijkovereenkomst from './praktijkovereenkomst';
import * as legalHold from './legal-hold';
import * as evidence from './evidence';
import * as programme from './programme';
import * as readiness from './readiness';
import * as recruitment from './recruitment';
import * as funnel from './funnel';
import * as candidatePeople from './candidate-people';
import * as candidateLaunch from './candidate-launch';
import * as candidatePrivacy from './candidate-privacy';
import * as recording from './recording';
import * as steering from './steering';
import * as trajectory from './trajectory';

/** The API's version (semver), sent as `API-Version` on every response; its major is the /v1 in every path. */
export const API_VERSION = '1.0.0';
export const API_PREFIX = `/v${API_VERSION.split('.')[0]}`;

/** What each error status means, the same for every operation. */
export const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request: a parameter, header or body field breaks the schema; `errors` names each field',
  401: 'No valid token: send `Authorization: Bearer <token>` with the admin token or a live API key',
  403: "The caller's role may not use this route, or not record this part",
  404: 'Does not exist, or is not visible to the caller (the two look the same)',
  409: 'Conflicts with the current state (or with a row written meanwhile)',
  422:
    'Well-formed, but cannot be carried out; `errors` names each field. Also: an Idempotency-Key reused with ' +
    'another body',
  429: 'Over the rate limit; repeat after `Retry-After` seconds',
  500: 'Something went wrong on our side; `requestId` finds the log line',
  503: 'The database or Temporal is unreachable or too slow; repeat after `Retry-After` seconds',
};

const PROBLEM_NAMES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  422: 'Unprocessable',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

/** What each group of operations (an operation's tag) is about. */
const TAGS: Record<string, string> = {
  programmes: 'Programme templates and their versions',
  organisations: 'Covenant partners, their contacts, shares and (ROC) closures',
  covenants: 'Regional covenants: who takes part in which role',
  'api keys': "Partners' API keys",
  recruitment: 'Recruitment rounds: candidates through the draaiboek towards a cohort',
  readiness: 'Employer readiness: SBB recognition, praktijkopleider, checklist and places before a placement',
  benefit:
    "Keeping the benefit: each participant's instrument (UWV proefplaatsing, Participatiewet), its maximum, the " +
    "payer's extension decisions, the BBL adjustment and a gemeente's monthly provisions",
  cohorts: 'Launching cohorts, and what became of them',
  trajectories: "A participant's trajectory and schedule",
  recording: 'Attendance, checkpoints, changes and BBL confirmations',
  'follow-up': 'The follow-up after doorstroom',
  praktijkverklaring:
    "The praktijkverklaring route: work processes a placement offers, what the participant showed, the ROC's " +
    'confirmation and its export for the Praktijkloket',
  praktijkovereenkomst:
    'The praktijkovereenkomst (POK) of a participant entering BBL: drawn up, signed per party, its deadline, the ' +
    "employer's SBB recognition at signing and a new bpv-blad after an employer change",
  calendars: 'Schedules as iCalendar feeds, and links to subscribe to them',
  outcomes: 'Figures for funders (small cells suppressed), and per-participant outcomes',
  steering: "The coordinator's steering view",
  evidence:
    "Evidence for funders: the employer's praktijkleren subsidy file, an ESF+ project's participant list and " +
    'staff hours, and the BSN report matched through the keyed hash',
  privacy: 'Audit log, export, erasure and legal holds of personal data (AVG)',
  reminders: 'The outbox of reminder mail',
  operations: 'Health probes',
  development: 'Only in development',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Schemas that only ever describe query or path parameters, which OpenAPI lists one by one. */
const PARAMETER_ONLY = /(Query|Params)$/;

/**
 * Every schema exported by api/schemas under its export name, plus `<Name>Page` for each object schema (the
 * page of a list). A name's schema is found again in the generated document by its content, so the routes use
 * the TypeBox schemas as they are.
 */
export function namedSchemas(): Record<string, TSchema> {
  const modules = [
    common,
    apiKey,
    audit,
    benefit,
    calendar,
    candidateLaunch,
    candidatePrivacy,
    cohort,
    covenant,
    followUp,
    health,
    mailbox,
    organisation,
    outbox,
    outcome,
    praktijkverklaring,
    praktijkovereenkomst,
    legalHold,
    evidence,
    programme,
    readiness,
    recording,
    recruitment,
    funnel,
    candidatePeople,
    steering,
    trajectory,
  ];
  const out: Record<string, TSchema> = {};
  for (const m of modules) {
    for (const [name, value] of Object.entries(m)) {
      if (!/^[A-Z]/.test(name) || PARAMETER_ONLY.test(name) || !isObject(value) || 'content' in value) continue;
      if (!['type', 'anyOf', 'allOf', 'oneOf', 'enum', 'const'].some((k) => k in value)) continue;
      if (out[name] && out[name] !== value) throw new Error(`two schemas are exported as ${name}`);
      out[name] = value as TSchema;
      if ((value as { type?: string }).type === 'object' && !name.endsWith('Page'))
        out[`${name}Page`] = common.Paged(value as TSchema);
    }
  }
  return out;
}

/** What @fastify/swagger does to a schema for OpenAPI 3.1 that matters for finding it again: `const` becomes `enum`. */
function converted(node: unknown): Json {
  if (Array.isArray(node)) return node.map(converted);
  if (!isObject(node)) return node as Json;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$id' || k === '$schema') continue;
    if (k === 'const') out.enum = [v];
    else if (k === 'patternProperties' && isObject(v)) out.additionalProperties = converted(Object.values(v)[0]);
    else if (k === 'properties' && isObject(v))
      out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, converted(s)]));
    else out[k] = converted(v);
  }
  return out;
}

/** A schema's content, for matching: keys sorted, examples left out (the document moves them to the media type). */
function key(node: Json, dropDescription = false): string {
  const norm = (n: Json): Json => {
    if (Array.isArray(n)) return n.map(norm);
    if (!isObject(n)) return n;
    return Object.fromEntries(
      Object.keys(n)
        .filter((k) => k !== 'examples' && k !== 'example')
        .sort()
        .map((k) => [k, norm(n[k]!)]),
    );
  };
  const n = norm(node);
  if (dropDescription && isObject(n)) delete n.description;
  return JSON.stringify(n);
}

const SCHEMA_ARRAYS = ['anyOf', 'allOf', 'oneOf', 'prefixItems'];
const SCHEMA_VALUES = ['items', 'additionalProperties', 'not', 'contains', 'if', 'then', 'else', 'propertyNames'];
const SCHEMA_MAPS = ['properties', 'patternProperties'];

/** Replaces every subschema that is a named schema by a reference to its component (the largest match first). */
type Names = Map<string, string> & { undescribed: Map<string, string> };

function referencing(node: Json, names: Names, used: Set<string>, root: boolean): Json {
  if (!isObject(node)) return node;
  if (!root) {
    const name = names.get(key(node));
    if (name) {
      used.add(name);
      return { $ref: `#/components/schemas/${name}` };
    }
  }
  const out: JsonObject = { ...node };
  for (const k of SCHEMA_ARRAYS)
    if (Array.isArray(out[k])) out[k] = (out[k] as Json[]).map((s) => referencing(s, names, used, false));
  for (const k of SCHEMA_VALUES) if (isObject(out[k])) out[k] = referencing(out[k]!, names, used, false);
  for (const k of SCHEMA_MAPS) {
    if (isObject(out[k]))
      out[k] = Object.fromEntries(
        Object.entries(out[k] as JsonObject).map(([p, s]) => [p, referencing(s, names, used, false)]),
      );
  }
  return out;
}

/** The top schema of a body or response: a named schema as a whole (its description may be the response's). */
function mediaSchema(schema: Json, names: Names, used: Set<string>): Json {
  const name = names.get(key(schema)) ?? names.undescribed.get(key(schema, true));
  if (name) {
    used.add(name);
    return { $ref: `#/components/schemas/${name}` };
  }
  return referencing(schema, names, used, true);
}

const API_VERSION_HEADER = { $ref: '#/components/headers/API-Version' };
const RETRY_AFTER = {
  description: 'Seconds to wait before repeating the request',
  schema: { type: 'integer', minimum: 1 },
};
// Two small counts in a group: both suppressed (empty), so neither can be worked out from `started`.
const CSV_EXAMPLE =
  'figure,category,count\nstarted,,24\nparticipants,active,20\nparticipants,paused,\nparticipants,dropout,\n';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export interface DocumentOptions {
  /** PUBLIC_URL: where the API is reached; the document's servers are relative ('/v1') without it. */
  publicUrl?: string;
}

/**
 * The finishing pass over the generated document (@fastify/swagger's `transformObject`). Paths under /v1 are
 * listed relative to the server `<PUBLIC_URL>/v1`; the few outside it (health, calendar feeds) carry their own
 * server, the root.
 */
export function finishDocument(generated: JsonObject, o: DocumentOptions = {}): JsonObject {
  const base = (o.publicUrl ?? '').replace(/\/+$/, '');
  const all = namedSchemas();
  const names = Object.assign(new Map<string, string>(), { undescribed: new Map<string, string>() });
  const componentOf: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(all)) {
    const c = converted(schema);
    componentOf[name] = c;
    const k = key(c);
    if (!names.has(k)) names.set(k, name);
    const u = key(c, true);
    if (!names.undescribed.has(u)) names.undescribed.set(u, name);
  }
  const used = new Set<string>(['Problem']);
  const problemRef = { $ref: '#/components/schemas/Problem' };
  const problemResponses: JsonObject = {};

  const paths: JsonObject = {};
  for (const [path, item] of Object.entries(generated.paths as JsonObject)) {
    const pathItem: JsonObject = {};
    for (const [method, raw] of Object.entries(item as JsonObject)) {
      if (!METHODS.includes(method)) {
        pathItem[method] = raw;
        continue;
      }
      const op = { ...(raw as JsonObject) };
      const body = op.requestBody as JsonObject | undefined;
      if (body) {
        op.requestBody = {
          ...body,
          content: Object.fromEntries(
            Object.entries(body.content as JsonObject).map(([type, media]) => [
              type,
              { ...(media as JsonObject), schema: mediaSchema((media as JsonObject).schema!, names, used) },
            ]),
          ),
        };
      }
      const responses: JsonObject = {};
      const generatedResponses = { ...(op.responses as JsonObject) };
      // Every operation can fail on our side; the authenticated ones can also be refused for a missing token.
      if (!generatedResponses['500'])
        generatedResponses['500'] = {
          description: 'Internal error',
          content: { 'application/json': { schema: common.Problem as unknown as Json } },
        };
      for (const [status, r] of Object.entries(generatedResponses).sort(([a], [b]) => a.localeCompare(b))) {
        const response = { ...(r as JsonObject) };
        const content = response.content as JsonObject | undefined;
        const headers: JsonObject = { 'API-Version': API_VERSION_HEADER };
        if (status === '401') headers['WWW-Authenticate'] = { description: '`Bearer`', schema: { type: 'string' } };
        if (status === '429' || status === '503') headers['Retry-After'] = RETRY_AFTER;
        const json = content?.['application/json'] as JsonObject | undefined;
        if (Number(status) >= 400 && json && key(converted(json.schema), true) === key(componentOf.Problem!)) {
          // The error handler (api/errors.ts) answers every error as RFC 9457 problem details: one shared
          // response per status.
          const name = PROBLEM_NAMES[Number(status)] ?? `Problem${status}`;
          problemResponses[name] = {
            description: PROBLEM_DESCRIPTIONS[Number(status)] ?? String(response.description),
            headers,
            content: { 'application/problem+json': { schema: problemRef } },
          };
          responses[status] = { $ref: `#/components/responses/${name}` };
          continue;
        } else if (content) {
          const media: JsonObject = {};
          for (const [type, m] of Object.entries(content)) {
            const mm = m as JsonObject;
            if (type === 'text/csv')
              media[type] = {
                schema: {
                  type: 'string',
                  description: 'One row per figure: figure, category, count (empty when suppressed)',
                },
                example: CSV_EXAMPLE,
              };
            else media[type] = { ...mm, schema: mediaSchema(mm.schema!, names, used) };
          }
          response.content = media;
        }
        response.headers = { ...(response.headers as JsonObject | undefined), ...headers };
        responses[status] = response;
      }
      op.responses = responses;
      pathItem[method] = op;
    }
    if (path.startsWith(`${API_PREFIX}/`)) {
      paths[path.slice(API_PREFIX.length)] = pathItem;
    } else {
      // Outside the versioned API: probes and calendar feeds, at the root.
      paths[path] = {
        ...pathItem,
        servers: [{ url: base || '/', description: 'Outside the versioned API: health probes and calendar feeds' }],
      };
    }
  }

  // The components: each named schema that is used, with the named schemas inside it referenced as well.
  const schemas: JsonObject = {};
  const queue = [...used];
  while (queue.length) {
    const name = queue.shift()!;
    if (schemas[name]) continue;
    const inner = new Set<string>();
    schemas[name] = referencing(componentOf[name]!, names, inner, true);
    for (const n of inner) if (!schemas[n]) queue.push(n);
  }

  const components = (generated.components ?? {}) as JsonObject;
  const tags = [
    ...new Set(
      Object.values(paths).flatMap((item) =>
        Object.values(item as JsonObject).flatMap((op) => (isObject(op) && Array.isArray(op.tags) ? op.tags : [])),
      ),
    ),
  ] as string[];
  return {
    ...generated,
    tags: tags.map((name) => ({ name, description: TAGS[name] ?? name })),
    info: {
      ...(generated.info as JsonObject),
      version: API_VERSION,
    },
    servers: [
      {
        url: `${base}${API_PREFIX}`,
        description: `Version ${API_VERSION.split('.')[0]} of the API (API-Version ${API_VERSION})`,
      },
    ],
    paths,
    components: {
      ...components,
      schemas: Object.fromEntries(
        Object.keys(schemas)
          .sort()
          .map((n) => [n, schemas[n]!]),
      ),
      responses: Object.fromEntries(
        [...new Set([...Object.values(PROBLEM_NAMES), ...Object.keys(problemResponses)])]
          .filter((n) => problemResponses[n])
          .map((n) => [n, problemResponses[n]!]),
      ),
      headers: {
        'API-Version': {
          description:
            'The full version (semver) of the API that answered; the major version is the one in the path (/v1)',
          required: true,
          schema: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$', example: API_VERSION },
        },
      },
    },
  };
}

/**
 * The same document as one self-contained whole, the form `GET /openapi.json` serves: every reference to a
 * component replaced by the schema itself and every path absolute (/v1/cohorts), for tools that read schemas
 * without following references.
 */
export function flatDocument(doc: JsonObject): JsonObject {
  const schemas = ((doc.components as JsonObject).schemas ?? {}) as JsonObject;
  const headers = ((doc.components as JsonObject).headers ?? {}) as JsonObject;
  const responses = ((doc.components as JsonObject).responses ?? {}) as JsonObject;
  const inline = (n: Json): Json => {
    if (Array.isArray(n)) return n.map(inline);
    if (!isObject(n)) return n;
    if (typeof n.$ref === 'string') {
      const [, kind, name] = /^#\/components\/(schemas|headers|responses)\/(.+)$/.exec(n.$ref) ?? [];
      const target = kind ? ({ schemas, headers, responses } as Record<string, JsonObject>)[kind]![name!] : undefined;
      if (target !== undefined) {
        const { $ref: _, ...rest } = n;
        return inline({ ...(target as JsonObject), ...rest });
      }
    }
    return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, inline(v)]));
  };
  const servers = doc.servers as JsonObject[];
  const root = String(servers[0]!.url).slice(0, -API_PREFIX.length) || '/';
  const paths: JsonObject = {};
  for (const [path, item] of Object.entries(doc.paths as JsonObject)) {
    const { servers: own, ...rest } = item as JsonObject;
    paths[own ? path : `${API_PREFIX}${path}`] = inline(rest);
  }
  const { schemas: _s, headers: _h, responses: _r, ...components } = doc.components as JsonObject;
  return { ...doc, servers: [{ url: root, description: servers[0]!.description! }], paths, components };
}
