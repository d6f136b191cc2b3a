// buildApp returns the Fastify app; only infra/api.ts listens. Order: external plugins, error handling,
// then routes: /health and the OpenAPI document open, everything under /v1 behind a bearer token.
import Fastify, { type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireBearer } from './auth';
import { installErrorHandler } from './errors';
import { cohortRoutes } from './routes/cohorts';
import { healthRoutes } from './routes/health';
import { mailboxRoutes } from './routes/mailbox';
import { organisationRoutes } from './routes/organisations';
import { programmeRoutes } from './routes/programmes';
import { trajectoryRoutes } from './routes/trajectories';
import type { AppDeps } from './deps';

export async function buildApp(deps: AppDeps, options: FastifyServerOptions = {}) {
  const app = Fastify({
    logger: { level: deps.config.LOG_LEVEL, redact: ['req.headers.authorization'] },
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: 'x-request-id',
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array' } },
    bodyLimit: 5 * 1024 * 1024,
    ...options,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Toeleiding API', version: '1', description: 'Launch, record, inspect and query regional work-and-learn trajectories.' },
      servers: deps.config.PUBLIC_URL ? [{ url: deps.config.PUBLIC_URL }] : [],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  installErrorHandler(app);

  await app.register(healthRoutes, { deps });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (v1) => {
    requireBearer(v1, deps.config.ADMIN_TOKEN);
    for (const routes of [programmeRoutes, organisationRoutes, cohortRoutes, trajectoryRoutes]) await v1.register(routes, { deps });
    if (deps.mailer.kind === 'dev-mailbox') await v1.register(mailboxRoutes, { deps });
  }, { prefix: '/v1' });

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
