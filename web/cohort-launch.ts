// Launching a cohort from a spreadsheet (issue 18.1).
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../api/deps';

export async function cohortLaunchRoutes(_app: FastifyInstance, _o: { deps: AppDeps }) {}
