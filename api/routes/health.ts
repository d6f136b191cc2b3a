import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../deps';
import { Health, Liveness } from '../schemas/health';
import { temporalCall } from '../temporal-calls';

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);

async function check(probe: () => Promise<unknown>) {
  try {
    await within(probe(), 3000);
    return { status: 'up' as const };
  } catch (e) {
    return { status: 'down' as const, detail: (e as Error).message.split('\n')[0] };
  }
}

export const healthRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  // Liveness: the process answers. Kept apart from readiness, so an outage of the database or Temporal
  // takes the API out of the load balancer (503 below) without the orchestrator restarting it.
  app.get(
    '/health/live',
    {
      schema: {
        tags: ['operations'],
        operationId: 'getLiveness',
        summary: 'The process is up (liveness); says nothing about the database or Temporal',
        security: [],
        response: { 200: { ...Liveness, description: 'The process answers' } },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        operationId: 'getHealth',
        summary: 'Database (a query on the path requests take) and Temporal reachability; 503 names what is down',
        security: [],
        response: {
          200: { ...Health, description: 'The database and Temporal both answer' },
          503: { ...Health, description: 'The database or Temporal is down: its check says so, with the reason' },
        },
      },
    },
    async (_request, reply) => {
      const [database, temporal] = await Promise.all([
        // The path every request takes: a connection from the API's own pool, the statement parsed and bound
        // like the app's, a table found through the session's search_path (every authenticated call reads
        // api_key). A bare `select 1` answers even when the tables cannot be found.
        check(() => deps.db.selectFrom('api_key').select('id').where('id', '=', 'health-probe').execute()),
        // Under the call deadline too, so probes of a hung server do not pile up unanswered calls.
        check(() => temporalCall(deps, (c) => c.workflowService.getSystemInfo({}))),
      ]);
      const ok = database.status === 'up' && temporal.status === 'up';
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', database, temporal });
    },
  );
};
