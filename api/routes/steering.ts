import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { COORDINATION, noteAudit } from '../access';
import { actingOffice } from '../ownership';
import { pageOf, responses } from '../schemas/common';
import { Steering, SteeringQuery, SteeringRiskQuery, SteeringRisks } from '../schemas/steering';
import { atRisk, steering } from '../services/steering';
import { today } from '../services/trajectories';
import type { AppDeps } from '../deps';

export const steeringRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/steering',
    {
      config: { access: { roles: COORDINATION } },
      schema: {
        tags: ['steering'],
        operationId: 'getSteering',
        summary:
          "The coordinator's steering view: risk signals by kind, partners with overdue registrations and " +
          'checkpoints, checkpoint completion, each cohort week by week',
        description:
          'Counts only, no participant named (the participants at risk: GET /v1/steering/risks). Filter by ' +
          'programme, region, cohort and period (cohort start); look from another day with asOf. ' +
          'docs/outcomes.md defines each figure.',
        querystring: SteeringQuery,
        response: responses(200, Steering, 'The steering view as of `asOf`: counts only'),
      },
    },
    async (request) => {
      const { asOf, ...filter } = request.query;
      const programmeOfficeId = actingOffice(request.principal) ?? undefined;
      return steering(deps, { ...filter, programmeOfficeId }, asOf ?? today(deps));
    },
  );

  app.get(
    '/steering/risks',
    {
      config: { access: { roles: COORDINATION, audit: 'read' } },
      schema: {
        tags: ['steering'],
        operationId: 'listSteeringRisks',
        summary: 'Participants with risk signals, each with its reasons in words, most signals first',
        description: 'Audited: every participant listed is recorded in the audit log.',
        querystring: SteeringRiskQuery,
        response: responses(200, SteeringRisks, 'A page of the participants with risk signals, each with its reasons'),
      },
    },
    async (request) => {
      const { asOf, limit, offset, ...filter } = request.query;
      const on = asOf ?? today(deps);
      const programmeOfficeId = actingOffice(request.principal) ?? undefined;
      const page = pageOf(await atRisk(deps, { ...filter, programmeOfficeId }, on), { limit, offset });
      noteAudit(
        request,
        page.items.map((i) => i.trajectoryId),
      );
      return { asOf: on, ...page };
    },
  );
};
