// The funders' outcomes page (issue 18.4).
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../api/deps';

export async function outcomeRoutes(_app: FastifyInstance, _o: { deps: AppDeps }) {}
