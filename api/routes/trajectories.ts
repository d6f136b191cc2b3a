import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getTrajectory } from '../services/trajectories';
import { IdParams, problemResponses } from '../schemas/common';
import { Trajectory } from '../schemas/trajectory';
import type { AppDeps } from '../deps';

export const trajectoryRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get('/trajectories/:id', {
    schema: { tags: ['trajectories'], summary: "A participant's trajectory with its live state (week, status, next planned days)", params: IdParams, response: { 200: Trajectory, ...problemResponses } },
  }, async (request) => getTrajectory(deps, request.params.id));
};
