import { Type, type Static } from 'typebox';
import { Id, IsoDate, Page } from './common';

export const OutboxStatus = Type.Enum(['queued', 'sending', 'sent', 'failed'], {
  description: 'queued: waiting (mail hours, or the mail server is down); sending: handed to the mail server by a worker that stopped before it could record the outcome, never sent again; sent; failed: refused by the receiving server (e.g. an unknown address), not retried',
});

export const OutboxQuery = Type.Intersect([
  Page,
  Type.Object({ trajectoryId: Type.Optional(Id), organisationId: Type.Optional(Id), status: Type.Optional(OutboxStatus) }),
]);
export type OutboxQuery = Static<typeof OutboxQuery>;

export const OutboxMail = Type.Object({
  id: Type.String(),
  to: Type.String(),
  recipientName: Type.String(),
  organisationId: Id,
  kind: Type.String(),
  day: IsoDate,
  subject: Type.String(),
  status: OutboxStatus,
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  items: Type.Array(Type.Object({ trajectoryId: Id, kind: Type.String(), subject: Type.String() })),
});
export type OutboxMail = Static<typeof OutboxMail>;
