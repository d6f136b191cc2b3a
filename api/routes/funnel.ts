import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { sendDownload } from '../../web/spreadsheet';
import { IdempotencyHeaders } from '../idempotency';
import { IdParams, responses } from '../schemas/common';
import {
  FunnelQuery,
  NewRoundPreview,
  RecruitmentFigureQuery,
  RecruitmentFigures,
  RoundFunnel,
  RoundPreviewView,
} from '../schemas/funnel';
import {
  figuresCsv,
  figuresXlsx,
  funnelCsv,
  funnelXlsx,
  previewRoundDates,
  recruitmentFigures,
  roundFunnel,
} from '../services/funnel';
import type { AppDeps } from '../deps';

/** As the outcome figures (GET /v1/outcomes): the office's coordinators, the funders, the admin. */
const FIGURES = ['admin', 'coordinator', 'funder'] as const;

export const funnelRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/recruitment-rounds/:id/funnel',
    {
      config: { access: { roles: ['admin', 'coordinator'], resource: 'recruitment-round' } },
      schema: {
        tags: ['recruitment'],
        operationId: 'getRecruitmentFunnel',
        summary: 'The round as a funnel: per step how many reached it, went on, left (and why), are still at it',
        description:
          "Counted from every candidate's recorded steps, replayed by the draaiboek's rules: a stopping outcome " +
          'counts with the reason it implies (absent at the information session: no_show). Per step also the ' +
          'calendar days from reaching it to its outcome (median, quartiles, shortest, longest). Counts only, no ' +
          'names. `format=csv-nl` or `format=xlsx` answers with a download for Dutch Excel, one row per step.',
        params: IdParams,
        querystring: FunnelQuery,
        response: responses(200, RoundFunnel, 'The funnel (or, with format, the download)'),
      },
    },
    async (request, reply) => {
      const funnel = await roundFunnel(deps, request.params.id);
      const { format } = request.query;
      if (format === 'csv-nl') return sendDownload(reply as FastifyReply, 'trechter', { csv: funnelCsv(funnel) });
      if (format === 'xlsx') return sendDownload(reply as FastifyReply, 'trechter', { xlsx: await funnelXlsx(funnel) });
      return funnel;
    },
  );

  app.get(
    '/recruitment-figures',
    {
      config: { access: { roles: FIGURES } },
      schema: {
        tags: ['outcomes'],
        operationId: 'getRecruitmentFigures',
        summary: 'Recruitment funnels for funders, per round or per programme and region; small cells suppressed',
        description:
          'Per step how many reached it, went on, left (per reason) and are still at it, and the median days to ' +
          "its outcome. A coordinator sees its office's rounds, a funder every office's (or, with a key a " +
          "coordinator made, that office's). Per round (the default for a coordinator and the admin) only for a " +
          'coordinator and the admin; everyone else gets the figures per programme and region only (the default ' +
          'for them), and `per=round` or a `roundId` answers 422, so a region total minus the rounds shown never ' +
          'gives a hidden round back. A count of 1 to 4 people ' +
          'is null, and so is the next smallest of its step, so none can be worked out from a total; a null passed ' +
          "hides every later step (it is the next step's total). A median needs 5 outcomes and all counts of the " +
          'step shown. `per=region` adds up the rounds of a programme and region that share their steps. ' +
          '`format=csv-nl` or `format=xlsx`: a ' +
          'download for Dutch Excel, a suppressed count as "< 5".',
        querystring: RecruitmentFigureQuery,
        response: responses(200, RecruitmentFigures, 'The figures (or, with format, the download)'),
      },
    },
    async (request, reply) => {
      const figures = await recruitmentFigures(deps, request.principal, request.query);
      const { format } = request.query;
      if (format === 'csv-nl') return sendDownload(reply as FastifyReply, 'werving', { csv: figuresCsv(figures) });
      if (format === 'xlsx')
        return sendDownload(reply as FastifyReply, 'werving', { xlsx: await figuresXlsx(figures) });
      return figures;
    },
  );

  app.post(
    '/recruitment-rounds/preview',
    {
      config: { access: { roles: ['admin', 'coordinator'] } },
      schema: {
        tags: ['recruitment'],
        operationId: 'previewRecruitmentRound',
        summary: "A round's dates from its information session to the earliest cohort start, before it opens",
        description:
          "The draaiboek (WelSlagen's unless given) run forward with every step done at its latest: a step's " +
          'deadline counts from the step before, as the candidate process counts it; a deadline on a weekend or ' +
          'public holiday moves to the working day before. The cohort starts the Monday after the match (the next ' +
          'one when that Monday is a public holiday). Records nothing; an Idempotency-Key is accepted as on ' +
          'every POST.',
        headers: IdempotencyHeaders,
        body: NewRoundPreview,
        response: responses(200, RoundPreviewView, 'The dates'),
      },
    },
    async (request) => previewRoundDates(deps, request.principal, request.body),
  );
};
