import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Page, Paged, responses } from '../schemas/common';
import { DevMail } from '../schemas/mailbox';
import { pageDevMail } from '../services/mailbox';
import type { AppDeps } from '../deps';

/** Only when no SMTP_URL is configured: the development mailbox that keeps every message sent. */
export const mailboxRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/mailbox',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['development'],
        operationId: 'listDevMail',
        summary: 'Messages kept by the development mailbox (no SMTP_URL set)',
        querystring: Page,
        response: responses(200, Paged(DevMail), 'A page of kept messages'),
      },
    },
    async (request) => pageDevMail(deps, request.query),
  );
};
