import { IdempotencyHeaders, idempotentReply } from '../idempotency';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { COORDINATION } from '../access';
import { IdParams, Paged, responses } from '../schemas/common';
import { OutboxMail, OutboxQuery, Resent } from '../schemas/outbox';
import { pageOutbox, resendMail } from '../services/outbox';
import type { AppDeps } from '../deps';

export const outboxRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/outbox',
    {
      config: { access: { roles: COORDINATION } },
      schema: {
        tags: ['reminders'],
        operationId: 'listOutbox',
        summary:
          'What was sent to whom and when, what is queued, and what failed: per trajectory (trajectoryId) ' +
          'or per partner (organisationId)',
        description: "A coordinator sees the mails about its programme office's participants.",
        querystring: OutboxQuery,
        response: responses(200, Paged(OutboxMail), 'A page of mails with their status and the items each carries'),
      },
    },
    async (request) => pageOutbox(deps, request.principal, request.query),
  );

  app.post(
    '/outbox/:id/resend',
    {
      config: { access: { roles: COORDINATION, resource: 'mail' } },
      schema: {
        tags: ['reminders'],
        operationId: 'resendMail',
        summary: 'Send a failed mail again, now',
        description:
          'Only a mail whose status is failed is queued again and delivered at once; a second request (a double ' +
          'click) finds it no longer failed and sends nothing (requeued: false). A refusal of the address makes ' +
          'it failed again, and so does a mail server that is down (lastError says which). A coordinator ' +
          "resends the mails about its programme office's participants; another office's mail answers 404.",
        headers: IdempotencyHeaders,
        params: IdParams,
        response: responses(200, Resent, "The mail's status after the attempt, and whether this request queued it"),
      },
    },
    async (request, reply) =>
      idempotentReply(deps, request, reply, async () => ({
        statusCode: 200,
        body: await resendMail(deps, request.principal, request.params.id),
      })),
  );
};
