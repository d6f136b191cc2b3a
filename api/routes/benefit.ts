import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { noteAudit } from '../access';
import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import { IdParams, responses } from '../schemas/common';
import {
  AdjustmentBody,
  BenefitBody,
  BenefitView,
  ChangePreview,
  ChangePreviewBody,
  ExtensionBody,
  Provisions,
  ProvisionsQuery,
} from '../schemas/benefit';
import {
  getBenefit,
  previewChange,
  provisionsCsv,
  provisionsOf,
  provisionsPage,
  recordAdjustment,
  recordExtension,
  setBenefit,
} from '../services/benefit';
import type { AppDeps } from '../deps';

/** The office's coordinators (and the admin), and the participant's own benefit payer (api/access.ts, 'benefit'). */
const PAYER_OR_OFFICE = { roles: ['admin', 'coordinator', 'funder'], resource: 'benefit' } as const;

export const benefitRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/trajectories/:id/benefit',
    {
      config: { access: { ...PAYER_OR_OFFICE, audit: 'read' } },
      schema: {
        tags: ['benefit'],
        operationId: 'getBenefitInstrument',
        summary: "The participant's benefit instrument, its maximum and whether the planned end lies past it",
        description:
          'UWV proefplaatsing: 2 months, extendable by UWV decision to at most 6; a gemeente instrument under the ' +
          "Participatiewet: its region's rule set (domain/benefit.ts). 404 when none is recorded.",
        params: IdParams,
        response: responses(200, BenefitView, 'The instrument and its check'),
      },
    },
    async (request) => getBenefit(deps, request.params.id),
  );

  app.post(
    '/trajectories/:id/benefit',
    {
      config: { access: { ...PAYER_OR_OFFICE, audit: 'change' } },
      schema: {
        tags: ['benefit'],
        operationId: 'setBenefitInstrument',
        summary: "Set or correct the participant's benefit instrument (coordinator or the payer)",
        description:
          "The instrument defaults from the payer's kind; one the payer's rule set does not know is refused (422). " +
          'Recorded extension decisions stay. Guarded by Idempotency-Key.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: BenefitBody,
        response: responses(200, BenefitView, 'The instrument as it now stands'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 200,
        body: await setBenefit(deps, request.params.id, request.body),
      })),
  );

  app.post(
    '/trajectories/:id/benefit-extensions',
    {
      config: { access: { ...PAYER_OR_OFFICE, audit: 'change' } },
      schema: {
        tags: ['benefit'],
        operationId: 'recordBenefitExtension',
        summary: "Record the payer's decision to extend the instrument up to a date",
        description:
          'A change that would carry the participant past the maximum is accepted once a decision covers it. An ' +
          "extension past the rule's ceiling (UWV proefplaatsing: 6 months from the start) is refused naming " +
          '`until`. Idempotent: a repeat under the same Idempotency-Key records nothing twice.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: ExtensionBody,
        response: responses(201, BenefitView, 'The instrument with the decision'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async (requestId) => ({
        statusCode: 201,
        body: await recordExtension(deps, request.principal, request.params.id, request.body, requestId),
      })),
  );

  app.post(
    '/trajectories/:id/benefit-adjustment',
    {
      config: { access: { ...PAYER_OR_OFFICE, audit: 'change' } },
      schema: {
        tags: ['benefit'],
        operationId: 'confirmBenefitAdjustment',
        summary: 'The payer confirms the benefit was adjusted or ended for the BBL contract',
        description:
          'Ends the task "uitkering aanpassen of beëindigen" the payer gets in its morning mail from the BBL ' +
          'contract start on. Guarded by Idempotency-Key.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: AdjustmentBody,
        response: responses(200, BenefitView, 'The instrument with the confirmation'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 200,
        body: await recordAdjustment(deps, request.principal, request.params.id, request.body),
      })),
  );

  app.post(
    '/trajectories/:id/change-previews',
    {
      config: { access: { roles: ['admin', 'coordinator', 'jobcoach'], resource: 'trajectory', audit: 'read' } },
      schema: {
        tags: ['trajectories'],
        operationId: 'previewChange',
        summary: 'What a change would do, before it is made: the end date, and whether /changes would take it',
        description:
          "The workflow's own checks and the benefit instrument's maximum, the same as /changes makes; nothing " +
          'is recorded. Guarded by Idempotency-Key like every POST.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: ChangePreviewBody,
        response: responses(200, ChangePreview, 'The planned end before and after, and any refusal'),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 200,
        body: await previewChange(deps, request.params.id, request.body),
      })),
  );

  app.get(
    '/benefit-provisions',
    {
      config: { access: { roles: ['funder'], audit: 'read' } },
      schema: {
        tags: ['benefit'],
        operationId: 'listBenefitProvisions',
        summary: "A gemeente's (or UWV's) provisions that ran in a month, for its SRG delivery to CBS",
        description:
          "Only the caller's own participants, by pseudonymous reference: instrument, legal basis, start, end " +
          '(the planned end, the maximum or the dropout, whichever comes first) and decision date. JSON, a page at a ' +
          'time, or the whole month as CSV for Dutch Excel with `format=csv`. Audited per participant.',
        querystring: ProvisionsQuery,
        produces: ['application/json', 'text/csv'],
        response: responses(200, Provisions, 'The provisions of the month'),
      },
    },
    async (request, reply) => {
      const { month, format, limit, offset } = request.query;
      const all = await provisionsOf(deps, request.principal, month);
      if (format === 'csv') {
        noteAudit(
          request,
          all.items.map((i) => i.trajectoryId),
        );
        return (reply as FastifyReply)
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="voorzieningen-${month}.csv"`)
          .send(provisionsCsv(all.items));
      }
      const page = provisionsPage(all, { limit, offset });
      noteAudit(
        request,
        all.items.slice(offset, offset + limit).map((i) => i.trajectoryId),
      );
      return page;
    },
  );
};
