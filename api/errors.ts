// The few typed errors services throw, and the one place that turns any error into problem+json.
import type { FastifyError, FastifyInstance } from 'fastify';
import type { Refusal } from '../domain/refusals';
import type { Problem } from './schemas/common';

export interface FieldProblem {
  field: string;
  message: string;
  /** The trajectory's refusal as a fact, when it is one: the pages word it in Dutch. Not sent over the API. */
  refusal?: Refusal;
}

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldProblem[],
  ) {
    super(detail ?? title);
  }
}

export const notFound = (what: string) =>
  new DomainError(404, 'not-found', 'Not found', `${what} does not exist or is not visible to you`);
export const unprocessable = (errors: FieldProblem[]) =>
  new DomainError(
    422,
    'unprocessable',
    'The request cannot be carried out',
    errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    errors,
  );
export const conflict = (detail: string) => new DomainError(409, 'conflict', 'Conflict', detail);
export const unauthorized = () =>
  new DomainError(401, 'unauthorized', 'Unauthorized', 'Send Authorization: Bearer <token> with a valid token');
export const unavailable = (what: string) =>
  new DomainError(503, 'unavailable', 'Service unavailable', `${what} is not reachable; try again shortly`);

/** '/participants/0/email' → 'participants[0].email' */
function fieldName(context: string | undefined, instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (extra) parts.push(extra);
  const path = parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return context === 'body' || !context ? path || 'body' : path ? `${context}.${path}` : context;
}

function validationProblems(error: FastifyError): FieldProblem[] {
  return (error.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>;
    const extra = (params.missingProperty ?? params.additionalProperty) as string | undefined;
    const message = params.additionalProperty
      ? 'is not a known field'
      : params.missingProperty
        ? 'is required'
        : (v.message ?? 'is invalid');
    return { field: fieldName(error.validationContext, v.instancePath, extra), message };
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

export function installErrorHandler(app: FastifyInstance): void {
  const send = (reply: import('fastify').FastifyReply, p: Problem) =>
    reply.code(p.status).type('application/problem+json').send(p);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const base = { instance: request.url, requestId: request.id };
    if (error instanceof DomainError) {
      if (error.status === 401) reply.header('www-authenticate', 'Bearer');
      if (error.status === 503) {
        request.log.warn({ err: error }, 'dependency unavailable');
        reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      }
      return send(reply, {
        type: `/problems/${error.type}`,
        title: error.title,
        status: error.status,
        detail: error.message,
        errors: error.errors?.map(({ field, message }) => ({ field, message })),
        ...base,
      });
    }
    if (error.validation) {
      const errors = validationProblems(error);
      return send(reply, {
        type: '/problems/validation',
        title: 'Invalid request',
        status: 400,
        detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        errors,
        ...base,
      });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, {
        type: '/problems/bad-request',
        title: 'Bad request',
        status: error.statusCode,
        detail: error.message,
        ...base,
      });
    }
    const sqlState = (error as { code?: unknown }).code;
    if (typeof sqlState === 'string' && /^2[23][0-9A-Z]{3}$/.test(sqlState)) {
      // Data (22) and integrity (23) errors from PostgreSQL: the request, not the server, is at fault.
      const status = sqlState.startsWith('23') ? 409 : 400;
      return send(reply, {
        type: '/problems/rejected-by-database',
        title: status === 409 ? 'Conflict' : 'Bad request',
        status,
        detail: status === 409 ? 'The request conflicts with existing data' : 'A value is out of range',
        ...base,
      });
    }
    if (error.name === 'WorkflowNotFoundError') {
      return send(reply, {
        type: '/problems/launch-incomplete',
        title: 'Launch not complete',
        status: 409,
        detail:
          'This trajectory has no workflow yet: its cohort launch was interrupted; repeat the launch ' +
          'request with the same Idempotency-Key',
        ...base,
      });
    }
    if (isTemporalUnavailable(error) || isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'dependency unavailable');
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return send(reply, {
        type: '/problems/unavailable',
        title: 'Service unavailable',
        status: 503,
        detail: 'A backing service is not reachable; try again shortly',
        ...base,
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    // 5xx bodies never carry internal detail; the request id finds the log line.
    return send(reply, {
      type: '/problems/internal',
      title: 'Internal error',
      status: 500,
      detail: 'Something went wrong on our side',
      ...base,
    });
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, {
      type: '/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: `No route ${request.method} ${request.url}`,
      instance: request.url,
      requestId: request.id,
    }),
  );
}
