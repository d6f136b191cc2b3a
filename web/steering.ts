// The programme office's steering pages (issue 18.2).
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../api/deps';

export async function steeringRoutes(_app: FastifyInstance, _o: { deps: AppDeps }) {}
