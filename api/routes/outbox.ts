import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { COORDINATION } from '../access';
import { Paged, responses } from '../schemas/common';
import { OutboxMail, OutboxQuery } from '../schemas/outbox';
import { pageOutbox } from '../services/outbox';
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
};
