import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listOutbox } from '../../db/outbox';
import { COORDINATION } from '../access';
import { Paged, responses } from '../schemas/common';
import { OutboxMail, OutboxQuery } from '../schemas/outbox';
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
    async (request) => {
      const p = request.principal;
      const { items, total } = await listOutbox(deps.db, {
        ...request.query,
        programmeOfficeId: p.role === 'admin' ? undefined : p.organisationId!,
      });
      return {
        items: items.map((m) => ({
          id: m.id,
          to: m.recipient,
          recipientName: m.recipient_name,
          organisationId: m.organisation_id,
          kind: m.kind,
          day: m.day,
          subject: m.subject,
          status: m.status,
          attempts: m.attempts,
          lastError: m.last_error,
          createdAt: m.created_at.toISOString(),
          sentAt: m.sent_at?.toISOString() ?? null,
          items: m.items.map((i) => ({ trajectoryId: i.trajectory_id, kind: i.kind, subject: i.subject })),
        })),
        total,
        limit: request.query.limit,
        offset: request.query.offset,
      };
    },
  );
};
