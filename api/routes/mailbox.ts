import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listDevMail } from '../../db/mailbox';
import { Page, Paged, problemResponses } from '../schemas/common';
import type { AppDeps } from '../deps';

const DevMail = Type.Object({ id: Type.Integer(), to: Type.String(), subject: Type.String(), text: Type.String(), sentAt: Type.String({ format: 'date-time' }) });

/** Only when no SMTP_URL is configured: the development mailbox that keeps every message sent. */
export const mailboxRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get('/mailbox', {
    config: { access: { roles: ['admin'] } },
    schema: { tags: ['development'], summary: 'Messages kept by the development mailbox (no SMTP_URL set)', querystring: Page, response: { 200: Paged(DevMail), ...problemResponses } },
  }, async (request) => {
    const { items, total } = await listDevMail(deps.db, request.query);
    return { items: items.map((m) => ({ id: m.id, to: m.recipient, subject: m.subject, text: m.text, sentAt: m.sent_at.toISOString() })), total, ...request.query };
  });
};
