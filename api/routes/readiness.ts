import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { COORDINATION } from '../access';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { IdParams, responses } from '../schemas/common';
import {
  MentorConfirmation,
  Readiness,
  ReadinessInput,
  ReadinessList,
  ReadinessParams,
  SbbImport,
  SbbImportResult,
} from '../schemas/readiness';
import { confirmMentor, getReadiness, importRecognitions, setReadiness } from '../services/readiness';
import type { AppDeps } from '../deps';

export const readinessRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/organisations/:id/readiness',
    {
      config: { access: { roles: ['admin', 'coordinator', 'employer'], resource: 'organisation' } },
      schema: {
        tags: ['readiness'],
        operationId: 'getReadiness',
        summary: "An employer's readiness per BBL qualification: recognition, praktijkopleider, checklist, places",
        description:
          "A coordinator sees its office's records, the employer its own records of every office it works with. " +
          'Each says what is missing and whether a placement can start without an override.',
        params: IdParams,
        response: responses(200, ReadinessList, "The employer's readiness records, each with what is missing"),
      },
    },
    async (request) => getReadiness(deps, request.principal, request.params.id),
  );

  app.put(
    '/organisations/:id/readiness/:crebo',
    {
      config: { access: { roles: COORDINATION, resource: 'organisation', manage: true, audit: 'change' } },
      schema: {
        tags: ['readiness'],
        operationId: 'setReadiness',
        summary: "Record an employer's readiness for the BBL qualification (crebo) of the office's programme",
        description:
          'The whole record: a recognition left out is cleared. A recognition with a new number or check date ' +
          'is recorded as checked by you. The praktijkopleider is a workplace trainer of the employer. Guarded ' +
          'by Idempotency-Key.',
        params: ReadinessParams,
        headers: IdempotencyHeaders,
        body: ReadinessInput,
        response: responses(200, Readiness, 'The record, with what is still missing'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 200,
        body: await setReadiness(deps, request.principal, request.params.id, request.params.crebo, request.body),
      })),
  );

  app.post(
    '/organisations/:id/readiness/:crebo/mentor-confirmation',
    {
      config: { access: { roles: ['employer'], resource: 'organisation', manage: true } },
      schema: {
        tags: ['readiness'],
        operationId: 'confirmMentor',
        summary: 'The employer confirms the praktijkopleider a programme office recorded for it',
        params: ReadinessParams,
        headers: IdempotencyHeaders,
        body: MentorConfirmation,
        response: responses(200, Readiness, 'The record, with the confirmation date'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 200,
        body: await confirmMentor(
          deps,
          request.principal,
          request.params.id,
          request.params.crebo,
          request.body.officeId,
        ),
      })),
  );

  app.post(
    '/readiness/sbb-imports',
    {
      config: { access: { roles: COORDINATION } },
      schema: {
        tags: ['readiness'],
        operationId: 'importSbbRecognitions',
        summary: "Import recognitions as erkend leerbedrijf from SBB's data, under an agreement with SBB",
        description:
          'Each row names an employer the office works with by its id or KvK number. Recorded as checked today ' +
          'by "SBB-import". Every row is checked first: one wrong row and nothing is recorded, each wrong row ' +
          'named. Guarded by Idempotency-Key.',
        headers: IdempotencyHeaders,
        body: SbbImport,
        response: responses(201, SbbImportResult, 'How many recognitions were recorded, for which employers'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 201,
        body: await importRecognitions(deps, request.principal, request.body),
      })),
  );
};
