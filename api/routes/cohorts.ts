import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getCohort, launchCohort, pageCohorts } from '../services/cohorts';
import { COORDINATION, noteAudit } from '../access';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { Cohort, CohortListItem, NewCohort } from '../schemas/cohort';
import { IdParams, Page, Paged, responses } from '../schemas/common';
import type { AppDeps } from '../deps';
import { CohortRisks } from '../schemas/trajectory';
import { cohortRisks } from '../services/trajectories';

export const cohortRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/cohorts',
    {
      config: { access: { roles: COORDINATION, audit: 'change' } },
      schema: {
        tags: ['cohorts'],
        operationId: 'launchCohort',
        summary: 'Launch a cohort: one trajectory workflow per participant',
        description:
          "Under a covenant the caller's programme office coordinates; its school, employers, jobcoaches " +
          'and benefit payers must be partners in it. Idempotent under its Idempotency-Key: a repeat returns ' +
          'the same cohort and starts nothing twice; a repeat after an interrupted launch completes it. The ' +
          'same key with a different body is refused with 422.',
        headers: IdempotencyHeaders,
        body: NewCohort,
        response: responses(
          201,
          Cohort,
          'The launched cohort: each trajectory with its workflow id (a replay: the same cohort)',
        ),
      },
    },
    async (request, reply) => {
      return idempotentReply(
        deps,
        request,
        reply,
        async (cohortId) => ({
          statusCode: 201,
          body: await launchCohort(deps, request.principal, cohortId, request.body),
        }),
        {
          audit: (cohort) => cohort.trajectories.map((t) => t.id),
        },
      );
    },
  );

  app.get(
    '/cohorts',
    {
      config: { access: { roles: ['admin', 'coordinator', 'school'] } },
      schema: {
        tags: ['cohorts'],
        operationId: 'listCohorts',
        summary: "Cohorts: a coordinator's programme office's, or those an ROC teaches",
        querystring: Page,
        response: responses(200, Paged(CohortListItem), 'A page of cohorts, without their trajectories'),
      },
    },
    async (request) => pageCohorts(deps.db, request.principal, request.query),
  );

  app.get(
    '/cohorts/:id',
    {
      config: { access: { roles: ['admin', 'coordinator', 'school'], resource: 'cohort', audit: 'read' } },
      schema: {
        tags: ['cohorts'],
        operationId: 'getCohort',
        summary: 'A cohort with each trajectory and its status',
        params: IdParams,
        response: responses(200, Cohort, 'The cohort with each trajectory and its status'),
      },
    },
    async (request) => {
      const cohort = await getCohort(deps.db, request.params.id);
      noteAudit(
        request,
        cohort.trajectories.map((t) => t.id),
      );
      return cohort;
    },
  );

  app.get(
    '/cohorts/:id/risks',
    {
      config: { access: { roles: COORDINATION, resource: 'cohort', audit: 'read' } },
      schema: {
        tags: ['cohorts'],
        operationId: 'listCohortRisks',
        summary: 'Participants with risk signals, each with its reason in words, most signals first',
        params: IdParams,
        querystring: Page,
        response: responses(200, CohortRisks, 'A page of the participants with risk signals, each with its reasons'),
      },
    },
    async (request) => {
      const risks = await cohortRisks(deps, request.params.id, request.query);
      noteAudit(
        request,
        risks.items.map((i) => i.trajectoryId),
      );
      return risks;
    },
  );
};
