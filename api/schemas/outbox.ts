import { Type, type Static } from 'typebox';
import { OutboxStatus } from '../../domain/statuses';
import { EXAMPLE_ID, Id, IsoDate, Page, withExample } from './common';

export { OutboxStatus };

export const OutboxQuery = Type.Intersect([
  Page,
  Type.Object({
    trajectoryId: Type.Optional(withExample(Id, EXAMPLE_ID)),
    organisationId: Type.Optional(withExample(Id, 'po-west.bakkerij-de-hoek')),
    status: Type.Optional(withExample(OutboxStatus, 'failed')),
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
