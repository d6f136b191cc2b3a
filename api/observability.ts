// What operators see of the API: Prometheus metrics at /metrics (request rates and latencies by route and
// status, the outbox queue, overdue registrations) and a trace span per request, active while the request
// is handled, so the Temporal client interceptors carry it into the workflow and its activities.
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { countOverdueRegistrations } from '../db/steering';
import { localDate } from '../domain/calendar';
import type { AppDeps } from './deps';

declare module 'fastify' {
  interface FastifyRequest {
    span?: Span;
  }
}

export function installObservability(app: FastifyInstance, deps: Pick<AppDeps, 'db' | 'now'>): void {
  const tracer = trace.getTracer('toeleiding-api');
  app.addHook('onRequest', (request, _reply, done) => {
    const span = tracer.startSpan(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`, {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': request.method,
        'http.route': request.routeOptions.url ?? '',
        'toeleiding.request_id': request.id,
      },
    });
    request.span = span;
    // Everything after this hook (handler included) runs with the span active.
    context.with(trace.setSpan(context.active(), span), done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.span?.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) request.span?.setStatus({ code: SpanStatusCode.ERROR });
    request.span?.end();
    done();
  });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'toeleiding_api_' });
  const duration = new Histogram({
    name: 'toeleiding_http_request_duration_seconds',
    help: 'API requests by method, route and status: rate from _count, latency from the buckets',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'toeleiding_outbox_mails',
    help: 'Mails in the outbox by status (queued: waiting to be sent)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await deps.db
        .selectFrom('outbox')
        .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      this.reset();
      for (const status of ['queued', 'sending', 'sent', 'failed', 'uncertain', 'superseded'])
        this.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
    },
  });
  new Gauge({
    name: 'toeleiding_overdue_registrations',
    help: 'Planned days before today that nobody recorded, of running trajectories',
    registers: [registry],
    async collect() {
      this.set(await countOverdueRegistrations(deps.db, localDate(deps.now?.() ?? Date.now())));
    },
  });
  app.addHook('onResponse', (request, reply, done) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
  // Counts only, no personal data; still, expose it to the cluster's Prometheus, not to the internet.
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
}

// --- what a request log line shows of the request ----------------------------------------------------------

/**
 * Some paths are credentials: a calendar feed's (`/feeds/<token>.ics`), a web task link's (`/l/<token>`) and a
 * sign-in link's (`/inloggen/<token>`), so no log line may show them. Fastify logs every request's url
 * ("incoming request"); this is its request serializer, the same fields as Fastify's own, with such a path
 * (matched or not, however spelled) logged as `/feeds/[redacted]`, `/l/[redacted]` or `/inloggen/[redacted]`.
 */
export function requestLogSerializer(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactTokens(req.url, req.routeOptions?.url),
    version: req.headers?.['accept-version'] as string | undefined,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** Path segments after which everything is a credential. */
const TOKEN_PATHS = ['/feeds/', '/l/', '/inloggen/'];

/** The url with everything from a credential segment on replaced; the token route's, whatever it looks like. */
export function redactTokens(url: string, route?: string): string {
  const byRoute = TOKEN_PATHS.find((p) => route?.startsWith(p));
  if (byRoute) return `${byRoute}[redacted]`;
  let plain = url;
  try {
    plain = decodeURIComponent(url);
  } catch {
    /* a broken %-escape: look at the url as it came */
  }
  const lower = plain.toLowerCase();
  const found = TOKEN_PATHS.map((p) => ({ p, at: lower.indexOf(p) }))
    .filter((x) => x.at >= 0)
    .sort((a, b) => a.at - b.at)[0];
  return found ? `${plain.slice(0, found.at)}${found.p}[redacted]` : url;
}
