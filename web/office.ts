// The covenant's partners, keys, audit log and AVG requests (issue 18.3).
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../api/deps';

export async function officeRoutes(_app: FastifyInstance, _o: { deps: AppDeps }) {}
