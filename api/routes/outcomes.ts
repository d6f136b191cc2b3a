import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { noteAudit } from '../access';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { Paged, responses } from '../schemas/common';
import { BsnLookup, FigureQuery, OutcomeFigures, OutcomeQuery, ParticipantOutcome } from '../schemas/outcome';
import {
  figuresCsv,
  figuresDutchCsv,
  lookUpParticipantOutcomes,
  outcomeFigures,
  pageParticipantOutcomes,
} from '../services/outcomes';
import type { AppDeps } from '../deps';

export const outcomeRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/outcomes',
    {
      config: { access: { roles: ['admin', 'coordinator', 'funder'] } },
      schema: {
        tags: ['outcomes'],
        operationId: 'getOutcomeFigures',
        summary:
          'Cohort results for funders: started, where everyone stands, dropout by reason and week, ' +
          'attendance rate, checkpoint results; small cells suppressed',
        description:
          'Filter by programme, region, cohort and period (cohort start). JSON, or CSV with `format=csv` or ' +
          '`Accept: text/csv`, or CSV for Dutch Excel with `format=csv-nl` (semicolons, a byte-order mark, a ' +
          'decimal comma, Dutch headers and words, a suppressed count as "< 5", the attendance rate in percent; ' +
          'the same figures in the same order). A count of 1 to 4 people is null, and so is the next smallest in ' +
          'its group, so none can be worked out from a total (docs/outcomes.md).',
        querystring: FigureQuery,
        produces: ['application/json', 'text/csv'],
        response: responses(
          200,
          OutcomeFigures,
          'The figures, small cells suppressed: JSON, or CSV (one row per figure) with `format=csv` or ' +
            '`Accept: text/csv`, or CSV for Dutch Excel with `format=csv-nl`',
        ),
      },
    },
    async (request, reply) => {
      const figures = await outcomeFigures(deps, request.principal, request.query);
      if (request.query.format === 'csv-nl')
        return (reply as FastifyReply)
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="uitkomsten.csv"')
          .send(figuresDutchCsv(figures));
      if (
        request.query.format === 'csv' ||
        (request.query.format === undefined && /text\/csv/.test(request.headers.accept ?? ''))
      ) {
        // The CSV is sent as it is, past the JSON response schema.
        return (reply as FastifyReply)
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="uitkomsten.csv"')
          .send(figuresCsv(figures));
      }
      return figures;
    },
  );

  app.get(
    '/outcomes/participants',
    {
      config: { access: { roles: ['admin', 'coordinator', 'funder'], audit: 'read' } },
      schema: {
        tags: ['outcomes'],
        operationId: 'listParticipantOutcomes',
        summary:
          'Per-participant outcomes by pseudonymous reference: a gemeente or UWV sees the participants ' +
          'whose benefit it pays',
        description: 'Audited: every participant listed is recorded in the audit log.',
        querystring: OutcomeQuery,
        response: responses(
          200,
          Paged(ParticipantOutcome),
          'A page of participants by reference, with status and outcome',
        ),
      },
    },
    async (request) => {
      const page = await pageParticipantOutcomes(deps, request.principal, request.query);
      noteAudit(
        request,
        page.items.map((i) => i.trajectoryId),
      );
      return page;
    },
  );

  app.post(
    '/outcomes/participant-lookups',
    {
      config: { access: { roles: ['admin', 'funder'], audit: 'read' } },
      schema: {
        tags: ['outcomes'],
        operationId: 'lookUpParticipantOutcome',
        summary:
          'A benefit payer finds its participant by BSN (sent in the body, never in a URL); the BSN is ' +
          'hashed at once and not kept',
        headers: IdempotencyHeaders,
        body: BsnLookup,
        response: responses(
          200,
          Paged(ParticipantOutcome),
          'The participants with that BSN whose benefit the caller pays (none, or one)',
        ),
      },
    },
    async (request, reply) =>
      idempotentReply(
        deps,
        request,
        reply,
        async () => ({
          statusCode: 200,
          body: await lookUpParticipantOutcomes(deps, request.principal, request.body.bsn),
        }),
        { audit: (body) => body.items.map((i) => i.trajectoryId) },
      ),
  );
};
