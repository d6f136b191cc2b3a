import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getCohort, launchCohort, pageCohorts } from '../services/cohorts';
import { IdempotencyHeaders, idempotent } from '../idempotency';
import { Cohort, CohortListItem, NewCohort } from '../schemas/cohort';
import { IdParams, Page, Paged, problemResponses } from '../schemas/common';
import type { AppDeps } from '../deps';
import { CohortRisks } from '../schemas/trajectory';
import { cohortRisks } from '../services/trajectories';

export const cohortRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post('/cohorts', {
    schema: {
      tags: ['cohorts'],
      summary: 'Launch a cohort: one trajectory workflow per participant',
      description:
        'Idempotent under its Idempotency-Key: a repeat returns the same cohort and starts nothing twice; a repeat after an interrupted launch completes it. The same key with a different body is refused with 422.',
      headers: IdempotencyHeaders,
      body: NewCohort,
      response: { 201: Cohort, ...problemResponses },
    },
  }, async (request, reply) => {
    const out = await idempotent(deps.db, { scope: 'POST /v1/cohorts', key: request.headers['idempotency-key'], body: request.body }, async (cohortId) => ({
      statusCode: 201,
      body: await launchCohort(deps, cohortId, request.body),
    }));
    if (out.replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(out.statusCode).header('location', `/v1/cohorts/${out.body.id}`).send(out.body);
  });

  app.get('/cohorts', {
    schema: { tags: ['cohorts'], querystring: Page, response: { 200: Paged(CohortListItem), ...problemResponses } },
  }, async (request) => pageCohorts(deps.db, request.query));

  app.get('/cohorts/:id', {
    schema: { tags: ['cohorts'], summary: 'A cohort with each trajectory and its status', params: IdParams, response: { 200: Cohort, ...problemResponses } },
  }, async (request) => getCohort(deps.db, request.params.id));

  app.get('/cohorts/:id/risks', {
    schema: { tags: ['cohorts'], summary: 'Participants with risk signals, each with its reason in words, most signals first', params: IdParams, response: { 200: CohortRisks, ...problemResponses } },
  }, async (request) => cohortRisks(deps, request.params.id));
};
