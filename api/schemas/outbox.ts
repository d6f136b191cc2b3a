import { Type, type Static } from 'typebox';
import { Id, IsoDate, Page } from './common';

export const OutboxStatus = Type.Enum(['queued', 'sending', 'sent', 'failed', 'uncertain', 'superseded'], {
  description:
    'queued: waiting (mail hours, or the mail server is down); sending: being handed to the mail server; ' +
    'sent; failed: the receiving server refused the address, not retried; uncertain: the worker sending it ' +
    'stopped before it could record whether the server took it; it is never sent again, so check with the ' +
    'recipient; superseded: not sent because a newer digest for the same recipient replaced it',
});

export const OutboxQuery = Type.Intersect([
  Page,
  Type.Object({
    trajectoryId: Type.Optional(Id),
    organisationId: Type.Optional(Id),
    status: Type.Optional(OutboxStatus),
  }),
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

export const Resent = Type.Object({
  id: Type.String(),
  status: OutboxStatus,
  requeued: Type.Boolean({
    description: 'Whether this request queued the failed mail again (false: it was not failed)',
  }),
  lastError: Type.Union([Type.String(), Type.Null()]),
});
