import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { COORDINATION } from '../access';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { IdParams, responses } from '../schemas/common';
import {
  ExportQuery,
  PlacementOffer,
  PlacementOfferView,
  PraktijkverklaringConfirmation,
  PraktijkverklaringExport,
  WorkProcessOverview,
  WorkProcessShown,
} from '../schemas/praktijkverklaring';
import {
  confirmPraktijkverklaring,
  exportDutchCsv,
  exportXlsx,
  praktijkverklaringExport,
  recordWorkProcess,
  setPlacementOffer,
  workProcessOverview,
} from '../services/praktijkverklaring';
import { sendDownload } from '../../web/spreadsheet';
import type { AppDeps } from '../deps';

export const praktijkverklaringRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.post(
    '/organisations/:id/work-processes',
    {
      config: { access: { roles: COORDINATION, resource: 'organisation', manage: true } },
      schema: {
        tags: ['praktijkverklaring'],
        operationId: 'setPlacementWorkProcesses',
        summary: "Set which work processes of a programme's qualification the employer's placement can offer",
        description:
          "The codes must be work processes of the programme's newest version; the list replaces the earlier one. " +
          'Guarded by Idempotency-Key.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: PlacementOffer,
        response: responses(200, PlacementOfferView, 'The work processes the placement now offers'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 200,
        body: await setPlacementOffer(deps, request.principal, request.params.id, request.body),
      })),
  );

  app.get(
    '/trajectories/:id/work-processes',
    {
      config: {
        access: {
          roles: ['admin', 'coordinator', 'employer', 'school', 'jobcoach'],
          resource: 'trajectory',
          audit: 'read',
        },
      },
      schema: {
        tags: ['praktijkverklaring'],
        operationId: 'getWorkProcesses',
        summary:
          "The work processes of the participant's programme: offered by the placement, shown when, with the " +
          "praktijkopleider's note; and the praktijkverklaring once the ROC confirmed it",
        description:
          'For the coordinator, the ROC, the jobcoach and the employer the participant is placed with (an employer ' +
          'sees only what it recorded itself). Audited.',
        params: IdParams,
        response: responses(200, WorkProcessOverview, 'The work processes and what was shown'),
      },
    },
    async (request) => workProcessOverview(deps, request.principal, request.params.id),
  );

  app.post(
    '/trajectories/:id/work-processes',
    {
      config: { access: { roles: ['employer'], resource: 'trajectory', audit: 'change' } },
      schema: {
        tags: ['praktijkverklaring'],
        operationId: 'recordWorkProcess',
        summary: 'The praktijkopleider records that the participant showed a work process, with a short evidence note',
        description:
          "The participant's own employer only, for a work process its placement offers (set by the coordinator), " +
          'shown from the placement on and not in the future. Recording the same work process again replaces the ' +
          'earlier record. Guarded by Idempotency-Key.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: WorkProcessShown,
        response: responses(200, WorkProcessOverview, 'The work processes and what was shown, now'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 200,
        body: await recordWorkProcess(deps, request.principal, request.params.id, request.scope, request.body),
      })),
  );

  app.post(
    '/trajectories/:id/praktijkverklaring',
    {
      config: { access: { roles: ['admin', 'school'], resource: 'trajectory', audit: 'change' } },
      schema: {
        tags: ['praktijkverklaring'],
        operationId: 'confirmPraktijkverklaring',
        summary: 'The ROC confirms the praktijkverklaring of a participant whose trajectory ended without BBL',
        description:
          'Only after the end (no doorstroom, a job without BBL, or a dropout): before it, it is open whether the ' +
          'participant goes on to BBL. Refused while no work process has been shown; names the shown work ' +
          'processes (all, or those given). Once per participant. Guarded by Idempotency-Key.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: PraktijkverklaringConfirmation,
        response: responses(200, WorkProcessOverview, 'The work processes, with the confirmed praktijkverklaring'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 200,
        body: await confirmPraktijkverklaring(deps, request.principal, request.params.id, request.body),
      })),
  );

  app.get(
    '/trajectories/:id/praktijkverklaring/export',
    {
      config: { access: { roles: ['admin', 'coordinator', 'school'], resource: 'trajectory', audit: 'export' } },
      schema: {
        tags: ['praktijkverklaring'],
        operationId: 'exportPraktijkverklaring',
        summary:
          'What the ROC sends the Praktijkloket: each work process shown, the date, the assessor (praktijkopleider) ' +
          'and the employer',
        description:
          'JSON, or a download with `format=xlsx` or `format=csv-nl` (CSV for Dutch Excel). Once confirmed, only ' +
          'the work processes the praktijkverklaring names. Audited.',
        params: IdParams,
        querystring: ExportQuery,
        response: responses(200, PraktijkverklaringExport, 'The rows for the Praktijkloket'),
      },
    },
    async (request, reply) => {
      const e = await praktijkverklaringExport(deps, request.params.id);
      const name = `praktijkverklaring-${e.rows[0]?.reference ?? request.params.id}`;
      if (request.query.format === 'xlsx')
        return sendDownload(reply as FastifyReply, name, { xlsx: await exportXlsx(e) });
      if (request.query.format === 'csv-nl')
        return sendDownload(reply as FastifyReply, name, { csv: exportDutchCsv(e) });
      return e;
    },
  );
};
