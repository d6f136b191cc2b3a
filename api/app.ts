// buildApp returns the Fastify app; only infra/api.ts listens. Order: external plugins, error handling,
// then routes: /health and the OpenAPI document open; everything under /v1 authenticated (admin token or an
// organisation's API key), rate-limited per key, authorized by the one policy hook (access.ts) and audited.
import Fastify, { type FastifyReply, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import rateLimit from '@fastify/rate-limit';
import { authorize } from './access';
import { authenticate } from './auth';
import { BSN_LEAK_MESSAGE, bsnLeaks, redactLogLine, requestId } from './bsn';
import { DomainError, fastifyRefusal, installErrorHandler, problemFor, says, unprocessable } from './errors';
import { installObservability, requestLogSerializer } from './observability';
import { apiKeyRoutes } from './routes/api-keys';
import { auditRoutes } from './routes/audit';
import { calendarFeedRoutes, calendarRoutes } from './routes/calendars';
import { covenantRoutes } from './routes/covenants';
import { recruitmentRoutes } from './routes/recruitment';
import { funnelRoutes } from './routes/funnel';
import { candidatePeopleRoutes } from './routes/candidate-people';
import { candidateLaunchRoutes } from './routes/candidate-launch';
import { candidatePrivacyRoutes } from './routes/candidate-privacy';
import { readinessRoutes } from './routes/readiness';
import { benefitRoutes } from './routes/benefit';
import { praktijkverklaringRoutes } from './routes/praktijkverklaring';
import { praktijkovereenkomstRoutes } from './routes/praktijkovereenkomst';
import { legalHoldRoutes } from './routes/legal-holds';
import { evidenceRoutes } from './routes/evidence';
import { outboxRoutes } from './routes/outbox';
import { outcomeRoutes } from './routes/outcomes';
import { steeringRoutes } from './routes/steering';
import { cohortRoutes } from './routes/cohorts';
import { healthRoutes } from './routes/health';
import { mailboxRoutes } from './routes/mailbox';
import { organisationRoutes } from './routes/organisations';
import { programmeRoutes } from './routes/programmes';
import { trajectoryRoutes } from './routes/trajectories';
import { API_PREFIX, API_VERSION, finishDocument, flatDocument } from './schemas/openapi';
import { installTextChecks } from './text';
import type { AppDeps } from './deps';
import { webRoutes } from '../web/app';

export async function buildApp(deps: AppDeps, options: FastifyServerOptions = {}) {
  const app = Fastify({
    // No personal data in logs: request lines carry method, path (ids only) and request id, never bodies;
    // database errors can quote a row's values in `detail`, so that goes too.
    // A calendar feed's token is in its path: the request serializer logs that path redacted.
    logger: {
      level: deps.config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'err.detail', 'err.where', 'err.parameters'],
      serializers: { req: requestLogSerializer },
      // The last word on every line: any value holding a BSN, in any notation, is replaced (api/bsn.ts).
      hooks: { streamWrite: redactLogLine },
      ...(deps.logStream && { stream: deps.logStream }),
    },
    // A caller's own x-request-id is kept, unless it holds a BSN: then its keyed hash is the id. Not refused,
    // because the id is set before anything else and every line about the request, its refusal too, carries it.
    genReqId: (req) => requestId(req.headers['x-request-id'], deps.config.BSN_HMAC_KEY),
    // Behind an ingress the connection is the proxy's; the failed-authentication budget is per caller address.
    trustProxy: trustProxy(deps.config.TRUST_PROXY),
    requestIdHeader: false,
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array' } },
    bodyLimit: 5 * 1024 * 1024,
    // Longer than any valid id, so an overlong id reaches validation and gets a 400 naming `params.id`.
    routerOptions: { maxParamLength: 500 },
    // The router's own refusals (a broken %-escape, an absurdly long path segment) never reach the error
    // handler; they get the same problem body here.
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      const r = reply as FastifyReply;
      void r
        .code(status)
        .type('application/problem+json')
        .header('x-request-id', request.id)
        .header('API-Version', API_VERSION)
        .send(
          problemFor(request, r, {
            type: '/problems/bad-request',
            title: says('Bad request', 'Onjuist verzoek'),
            status,
            detail: fastifyRefusal(error),
          }),
        );
    },
    ...options,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Every answer names the API version that gave it (Dutch API design rules, /core/version-header).
    reply.header('API-Version', API_VERSION);
  });
  installTextChecks(app);
  installObservability(app, deps);
  // No trailing slashes (Dutch API design rules, /core/no-trailing-slash): `/v1/cohorts/` is no resource, so it
  // answers 404 like any unknown path, before authentication, rather than matching `/v1/cohorts/:id` with an empty
  // id. The rendered documentation under /docs is a static site and keeps its own paths.
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    if (path.length > 1 && path.endsWith('/') && !path.startsWith('/docs/')) {
      return reply
        .code(404)
        .type('application/problem+json')
        .send(
          problemFor(request, reply, {
            type: '/problems/not-found',
            title: says('Not found', 'Niet gevonden'),
            status: 404,
            detail: says(
              `No route ${request.method} ${path}: paths have no trailing slash`,
              `Geen route ${request.method} ${path}: paden eindigen niet op een schuine streep`,
            ),
          }),
        );
    }
  });

  // The document is generated from the route schemas and finished in one place (api/schemas/openapi.ts): named
  // components, problem+json errors, text/csv, the API-Version header, servers with the major version.
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Toeleiding API',
        version: API_VERSION,
        // Keys, access and questions go through the programme office that runs the installation, not a vendor.
        contact: { name: 'The programme office that runs this installation: ask its coordinator' },
        description:
          'Launch, record, inspect and query regional work-and-learn trajectories.\n\n' +
          `Versioning: the major version is in the path (${API_PREFIX}); a change that breaks a client ` +
          `needs a new major version and path, ` +
          'served beside this one while clients move; additions stay in this version. Every response ' +
          'carries the full version (semver) in the `API-Version` header. ' +
          'Errors are RFC 9457 problem details (`application/problem+json`). Paths have no trailing slash.\n\n' +
          'Languages: errors are in English unless the request prefers Dutch: with `Accept-Language: nl` ' +
          '(also `nl-NL`, or a weighted list that puts Dutch above English) the `title`, the `detail` and each ' +
          '`errors[].message` are Dutch, while `type`, `status`, the structure and every `errors[].field` stay the ' +
          'same, so a client matches on those and shows the words. Such an answer says `Content-Language: nl` ' +
          '(otherwise `en`) and `Vary: Accept-Language`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transformObject: (document) =>
      finishDocument(('openapiObject' in document ? document.openapiObject : document.swaggerObject) as never, {
        publicUrl: deps.config.PUBLIC_URL,
      }),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  installErrorHandler(app);

  await app.register(healthRoutes, { deps });
  // The web pages for people (web/): their own cookies, forms and error pages, the same services and policy.
  await app.register(webRoutes, { deps });
  await app.register(calendarFeedRoutes, { deps });
  // The same document, self-contained: components inlined, paths absolute (/docs/json has it with components).
  let flat: object | undefined;
  app.get('/openapi.json', { schema: { hide: true } }, async () => (flat ??= flatDocument(app.swagger() as never)));

  await app.register(
    async (v1) => {
      authenticate(v1, deps.db, deps.config.ADMIN_TOKEN, deps.config.RATE_LIMIT_PER_MINUTE);
      if (deps.config.RATE_LIMIT_PER_MINUTE) {
        await v1.register(rateLimit, {
          max: deps.config.RATE_LIMIT_PER_MINUTE,
          timeWindow: 60_000,
          keyGenerator: (request) => request.principal?.actor ?? request.ip,
          errorResponseBuilder: (_request, context) =>
            new DomainError(
              429,
              'rate-limited',
              says('Too many requests', 'Te veel verzoeken'),
              says(
                `At most ${context.max} requests per minute per key; try again in ${Math.ceil(context.ttl / 1000)} s`,
                `Hoogstens ${context.max} verzoeken per minuut per sleutel; probeer het over ` +
                  `${Math.ceil(context.ttl / 1000)} s opnieuw`,
              ),
            ),
        });
      }
      authorize(v1, deps.db, deps.now ?? Date.now);
      // A BSN typed into a note or a name would end up in clear everywhere; refuse it, in whatever notation, in
      // any field but `bsn`, before anything is stored.
      v1.addHook('preHandler', async (request) => {
        const fields = bsnLeaks(request.body);
        if (fields.length)
          throw unprocessable(fields.map((field) => ({ field, message: BSN_LEAK_MESSAGE, nl: BSN_LEAK_MESSAGE })));
      });
      const routes = [
        programmeRoutes,
        organisationRoutes,
        covenantRoutes,
        apiKeyRoutes,
        cohortRoutes,
        trajectoryRoutes,
        calendarRoutes,
        outcomeRoutes,
        steeringRoutes,
        auditRoutes,
        outboxRoutes,
        recruitmentRoutes,
        funnelRoutes,
        candidatePeopleRoutes,
        candidateLaunchRoutes,
        candidatePrivacyRoutes,
        readinessRoutes,
        benefitRoutes,
        praktijkverklaringRoutes,
        praktijkovereenkomstRoutes,
        legalHoldRoutes,
        evidenceRoutes,
      ];
      for (const r of routes) await v1.register(r, { deps });
      if (deps.mailer.kind === 'dev-mailbox') await v1.register(mailboxRoutes, { deps });
    },
    { prefix: '/v1' },
  );

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;

/** TRUST_PROXY as Fastify takes it: true, a hop count (the nearest `n` proxies), or the trusted addresses. */
function trustProxy(setting: string | undefined): boolean | string | ((address: string, hop: number) => boolean) {
  if (!setting) return false;
  if (setting === 'true') return true;
  if (!/^\d+$/.test(setting)) return setting;
  const hops = Number(setting);
  return (_address, hop) => hop < hops;
}
