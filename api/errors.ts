// The few typed errors services throw, and the one place that turns any error into problem+json: in English,
// or in Dutch for a request with Accept-Language: nl (same type, status, fields; only the words differ).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Refusal } from '../domain/refusals';
import { isText, preferredLanguage, says, type Language, type Text } from './language';
import type { Problem } from './schemas/common';

export type { Text } from './language';
export { says } from './language';

export interface FieldProblem {
  field: string;
  /** What is wrong with the field, in English: the API's message as it always read. */
  message: string;
  /** The same in Dutch, sent for Accept-Language: nl. Made together with `message`, where the problem is found. */
  nl: string;
  /** The trajectory's refusal as a fact, when it is one: the pages word it in Dutch. Not sent over the API. */
  refusal?: Refusal;
}

const english = (t: string | Text | undefined) => (isText(t) ? t.en : t);

export class DomainError extends Error {
  readonly title: string;
  /**
   * The title and detail in Dutch. Every error the API makes has them (its factories take a Text); an error made
   * with English strings alone (a page's own 404) is answered in Dutch with a Dutch title and its English detail.
   */
  readonly dutch?: { title: string; detail: string };
  constructor(
    readonly status: number,
    readonly type: string,
    title: string | Text,
    detail?: string | Text,
    readonly errors?: FieldProblem[],
  ) {
    super(english(detail) ?? english(title));
    this.title = english(title)!;
    if (isText(title) && (detail === undefined || isText(detail)))
      this.dutch = { title: title.nl, detail: (detail ?? title).nl };
  }
}

/**
 * A plain string is English only: the pages, which word their own answers, may pass one; everything the API sends
 * passes a Text (tests/api-dutch-errors.test.ts checks the API's sources for that).
 */
const bothOf = (t: string | Text): Text => (isText(t) ? t : says(t, t));

/** `what` names the thing in both languages: `says(\`Trajectory ${id}\`, \`Traject ${id}\`)`. */
export const notFound = (thing: string | Text) => {
  const what = bothOf(thing);
  return new DomainError(
    404,
    'not-found',
    says('Not found', 'Niet gevonden'),
    says(`${what.en} does not exist or is not visible to you`, `${what.nl} bestaat niet of is niet zichtbaar voor u`),
  );
};
export const unprocessable = (errors: FieldProblem[]) =>
  new DomainError(
    422,
    'unprocessable',
    says('The request cannot be carried out', 'Het verzoek kan niet worden uitgevoerd'),
    says(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors.map((e) => `${e.field}: ${e.nl}`).join('; ')),
    errors,
  );
export const conflict = (detail: string | Text) =>
  new DomainError(409, 'conflict', says('Conflict', 'Conflict'), bothOf(detail));
export const unauthorized = () =>
  new DomainError(
    401,
    'unauthorized',
    says('Unauthorized', 'Niet aangemeld'),
    says(
      'Send Authorization: Bearer <token> with a valid token',
      'Stuur Authorization: Bearer <token> mee, met een geldig token',
    ),
  );
export const unavailable = (what: Text) =>
  new DomainError(
    503,
    'unavailable',
    says('Service unavailable', 'Dienst niet beschikbaar'),
    says(`${what.en} is not reachable; try again shortly`, `${what.nl} is niet bereikbaar; probeer het zo opnieuw`),
  );

type Params = Record<string, unknown>;
const list = (v: unknown) => (Array.isArray(v) ? v.map((x) => JSON.stringify(x)).join(', ') : String(v));
const TYPE_NL: Record<string, string> = {
  string: 'tekst',
  integer: 'een geheel getal',
  number: 'een getal',
  boolean: 'true of false',
  array: 'een lijst',
  object: 'een object',
  null: 'null',
};
const typeNl = (t: unknown) =>
  String(t)
    .split(',')
    .map((x) => TYPE_NL[x] ?? x)
    .join(' of ');
const FORMAT_NL: Record<string, string> = {
  date: 'een geldige datum zijn (jjjj-mm-dd)',
  'date-time': 'een geldig tijdstip zijn (jjjj-mm-ddTuu:mm:ssZ, ISO 8601 met tijdzone)',
  time: 'een geldige tijd zijn (uu:mm:ss met tijdzone)',
  email: 'een geldig e-mailadres zijn',
  uuid: 'een geldige UUID zijn',
  uri: 'een geldige URI zijn',
  'uri-reference': 'een geldige URI zijn',
};
const items = (n: unknown) => `${String(n)} ${n === 1 ? 'element' : 'elementen'}`;
const COMPARISON_NL: Record<string, (limit: unknown) => string> = {
  '>=': (l) => `moet ${String(l)} of meer zijn`,
  '<=': (l) => `mag hoogstens ${String(l)} zijn`,
  '>': (l) => `moet groter zijn dan ${String(l)}`,
  '<': (l) => `moet kleiner zijn dan ${String(l)}`,
};
const compared = (p: Params) => COMPARISON_NL[String(p.comparison)]?.(p.limit) ?? `moet ${String(p.limit)} zijn`;

/**
 * What schema validation (Ajv, by keyword) says in Dutch. Ajv words the English; this the Dutch, from the same
 * keyword and parameters. tests/api-dutch-errors.test.ts checks that every keyword the API's schemas use is here.
 */
export const VALIDATION_NL: Record<string, (p: Params) => string> = {
  required: () => 'is verplicht',
  dependentRequired: () => 'is verplicht',
  dependencies: () => 'is verplicht',
  additionalProperties: () => 'is geen bekend veld',
  unevaluatedProperties: () => 'is geen bekend veld',
  type: (p) => `moet ${typeNl(p.type)} zijn`,
  format: (p) => `moet ${FORMAT_NL[String(p.format)] ?? `de vorm "${String(p.format)}" hebben`}`,
  enum: (p) => `moet een van de toegestane waarden zijn (${list(p.allowedValues)})`,
  const: (p) => `moet ${JSON.stringify(p.allowedValue)} zijn`,
  minLength: (p) => (p.limit === 1 ? 'mag niet leeg zijn' : `moet minstens ${String(p.limit)} tekens lang zijn`),
  maxLength: (p) => `mag hoogstens ${String(p.limit)} tekens lang zijn`,
  pattern: (p) => `moet de vorm ${String(p.pattern)} hebben (een reguliere expressie)`,
  minimum: compared,
  maximum: compared,
  exclusiveMinimum: compared,
  exclusiveMaximum: compared,
  formatMinimum: compared,
  formatMaximum: compared,
  formatExclusiveMinimum: compared,
  formatExclusiveMaximum: compared,
  multipleOf: (p) => `moet een veelvoud van ${String(p.multipleOf)} zijn`,
  minItems: (p) => `moet minstens ${items(p.limit)} hebben`,
  maxItems: (p) => `mag hoogstens ${items(p.limit)} hebben`,
  uniqueItems: (p) => `mag geen dubbele elementen hebben (nummer ${String(p.j)} en ${String(p.i)} zijn gelijk)`,
  minProperties: (p) => `moet minstens ${String(p.limit)} ${p.limit === 1 ? 'veld' : 'velden'} hebben`,
  maxProperties: (p) => `mag hoogstens ${String(p.limit)} ${p.limit === 1 ? 'veld' : 'velden'} hebben`,
  propertyNames: () => 'heeft een veldnaam die hier niet kan',
  anyOf: () => 'past bij geen van de toegestane vormen',
  oneOf: () => 'moet bij precies één van de toegestane vormen passen',
  not: () => 'heeft een waarde die hier niet is toegestaan',
  if: (p) => `voldoet niet aan het "${String(p.failingKeyword)}"-schema`,
  contains: () => 'bevat geen enkel element van de gevraagde vorm',
  minContains: (p) => `moet minstens ${items(p.minContains)} van de gevraagde vorm bevatten`,
  maxContains: (p) => `mag hoogstens ${items(p.maxContains)} van de gevraagde vorm bevatten`,
  false: () => 'is hier niet toegestaan',
};

/** '/participants/0/email' → 'participants[0].email' */
function fieldName(context: string | undefined, instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (extra) parts.push(extra);
  const path = parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return context === 'body' || !context ? path || 'body' : path ? `${context}.${path}` : context;
}

function validationProblems(error: FastifyError): FieldProblem[] {
  return (error.validation ?? []).map((v) => {
    const params = v.params as Params;
    const extra = (params.missingProperty ?? params.additionalProperty) as string | undefined;
    const message = params.additionalProperty
      ? 'is not a known field'
      : params.missingProperty
        ? 'is required'
        : (v.message ?? 'is invalid');
    const nl = params.additionalProperty
      ? 'is geen bekend veld'
      : params.missingProperty
        ? 'is verplicht'
        : (VALIDATION_NL[v.keyword]?.(params) ?? `is ongeldig (${v.message ?? v.keyword})`);
    return { field: fieldName(error.validationContext, v.instancePath, extra), message, nl };
  });
}

// gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4) are worth a retry; other Temporal errors are not. Calls
// through api/temporal-calls.ts arrive here as 503 DomainErrors already; this catches any other.
const isTemporalUnavailable = (e: unknown) => {
  const err = e as { name?: string; code?: number; cause?: { code?: number } };
  const code = err?.code ?? err?.cause?.code;
  return (
    err?.name === 'TransportError' ||
    err?.name === 'WorkflowUpdateRPCTimeoutOrCancelledError' ||
    code === 14 ||
    code === 4
  );
};

/** Seconds a caller should wait before repeating a request that got 503 (sent as Retry-After). */
export const RETRY_AFTER_SECONDS = 2;

const isDatabaseUnavailable = (e: unknown) => {
  const err = e as { code?: string; message?: string };
  return (
    ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03'].includes(err?.code ?? '') ||
    /^08/.test(err?.code ?? '') ||
    /Connection terminated/.test(err?.message ?? '')
  );
};

/** A Dutch title for an error made with English strings only (none the API makes; a page's own may). */
const TITLE_NL: Record<number, string> = {
  400: 'Onjuist verzoek',
  401: 'Niet aangemeld',
  403: 'Niet toegestaan',
  404: 'Niet gevonden',
  409: 'Conflict',
  422: 'Het verzoek kan niet worden uitgevoerd',
  429: 'Te veel verzoeken',
  503: 'Dienst niet beschikbaar',
};

/** What Fastify's (and its plugins') own 4xx refusals say in Dutch, by their code; English words are Fastify's. */
const FASTIFY_NL: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'De body is te groot',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Dit Content-Type wordt hier niet aangenomen',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'De lengte van de body klopt niet met Content-Length',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'De body mag niet leeg zijn bij Content-Type application/json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'De body is geen geldige JSON, terwijl Content-Type application/json is',
  FST_PARTS_LIMIT: 'Het formulier heeft te veel delen',
  FST_FILES_LIMIT: 'Het formulier heeft te veel bestanden',
  FST_FIELDS_LIMIT: 'Het formulier heeft te veel velden',
  FST_REQ_FILE_TOO_LARGE: 'Het bestand is te groot',
  FST_PROTO_VIOLATION: 'Een veldnaam van het formulier is niet toegestaan',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'Het verzoek is geen multipart-formulier',
};

/** A 4xx from Fastify itself (or a plugin, or the JSON parser) in both languages. */
export function fastifyRefusal(error: { code?: string; message: string; name?: string }): Text {
  const nl =
    FASTIFY_NL[error.code ?? ''] ??
    (error.name === 'SyntaxError'
      ? `De body is geen geldige JSON (${error.message})`
      : error.code === 'FST_ERR_BAD_URL'
        ? `Een deel van het pad is geen geldige URL-component (${error.message})`
        : `Het verzoek is niet in orde (${error.message})`);
  return says(error.message, nl);
}

/** A problem before it is put in words: the texts in both languages. */
export interface Bilingual {
  type: string;
  title: Text;
  status: number;
  detail: Text;
  errors?: FieldProblem[];
}

/** Adds Accept-Language to the Vary header, keeping what is there. */
function varyOnLanguage(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  const now = vary === undefined ? '' : Array.isArray(vary) ? vary.join(', ') : String(vary);
  if (!/(^|,)\s*(accept-language|\*)\s*(,|$)/i.test(now))
    reply.header('vary', now ? `${now}, Accept-Language` : 'Accept-Language');
}

/**
 * The problem in the language the request asks for (English unless Accept-Language prefers Dutch), with
 * Content-Language and Vary: Accept-Language set on the reply. Same fields in either language, in the same order.
 */
export function problemFor(request: FastifyRequest, reply: FastifyReply, p: Bilingual, path = request.url): Problem {
  const language: Language = preferredLanguage(request.headers['accept-language']);
  reply.header('content-language', language);
  varyOnLanguage(reply);
  return {
    type: p.type,
    title: p.title[language],
    status: p.status,
    detail: p.detail[language],
    errors: p.errors?.map((e) => ({ field: e.field, message: language === 'nl' ? e.nl : e.message })),
    instance: path,
    requestId: request.id,
  };
}

export function installErrorHandler(app: FastifyInstance): void {
  const send = (request: FastifyRequest, reply: FastifyReply, p: Bilingual) =>
    reply
      .code(p.status)
      .type('application/problem+json')
      .send(problemFor(request, reply, p));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      if (error.status === 401) reply.header('www-authenticate', 'Bearer');
      if (error.status === 503) {
        request.log.warn({ err: error }, 'dependency unavailable');
        reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      }
      return send(request, reply, {
        type: `/problems/${error.type}`,
        title: says(error.title, error.dutch?.title ?? TITLE_NL[error.status] ?? error.title),
        status: error.status,
        detail: says(error.message, error.dutch?.detail ?? error.message),
        errors: error.errors,
      });
    }
    if (error.validation) {
      const errors = validationProblems(error);
      return send(request, reply, {
        type: '/problems/validation',
        title: says('Invalid request', 'Ongeldig verzoek'),
        status: 400,
        detail: says(
          errors.map((e) => `${e.field}: ${e.message}`).join('; '),
          errors.map((e) => `${e.field}: ${e.nl}`).join('; '),
        ),
        errors,
      });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return send(request, reply, {
        type: '/problems/bad-request',
        title: says('Bad request', 'Onjuist verzoek'),
        status: error.statusCode,
        detail: fastifyRefusal(error),
      });
    }
    const sqlState = (error as { code?: unknown }).code;
    if (typeof sqlState === 'string' && /^2[23][0-9A-Z]{3}$/.test(sqlState)) {
      // Data (22) and integrity (23) errors from PostgreSQL: the request, not the server, is at fault.
      const status = sqlState.startsWith('23') ? 409 : 400;
      return send(request, reply, {
        type: '/problems/rejected-by-database',
        title: status === 409 ? says('Conflict', 'Conflict') : says('Bad request', 'Onjuist verzoek'),
        status,
        detail:
          status === 409
            ? says('The request conflicts with existing data', 'Het verzoek botst met gegevens die er al zijn')
            : says('A value is out of range', 'Een waarde valt buiten het toegestane bereik'),
      });
    }
    if (error.name === 'WorkflowNotFoundError') {
      return send(request, reply, {
        type: '/problems/launch-incomplete',
        title: says('Launch not complete', 'Start niet afgerond'),
        status: 409,
        detail: says(
          'This trajectory has no workflow yet: its cohort launch was interrupted; repeat the launch ' +
            'request with the same Idempotency-Key',
          'Dit traject heeft nog geen workflow: de start van zijn cohort werd onderbroken; herhaal het ' +
            'startverzoek met dezelfde Idempotency-Key',
        ),
      });
    }
    if (isTemporalUnavailable(error) || isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'dependency unavailable');
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return send(request, reply, {
        type: '/problems/unavailable',
        title: says('Service unavailable', 'Dienst niet beschikbaar'),
        status: 503,
        detail: says(
          'A backing service is not reachable; try again shortly',
          'Een achterliggende dienst is niet bereikbaar; probeer het zo opnieuw',
        ),
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    // 5xx bodies never carry internal detail; the request id finds the log line.
    return send(request, reply, {
      type: '/problems/internal',
      title: says('Internal error', 'Interne fout'),
      status: 500,
      detail: says('Something went wrong on our side', 'Er ging bij ons iets mis'),
    });
  });

  app.setNotFoundHandler((request, reply) =>
    send(request, reply, {
      type: '/problems/not-found',
      title: says('Not found', 'Niet gevonden'),
      status: 404,
      detail: says(`No route ${request.method} ${request.url}`, `Geen route ${request.method} ${request.url}`),
    }),
  );
}
