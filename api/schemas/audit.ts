import { Type, type Static } from 'typebox';
import { AuditAction } from '../../domain/audit';
import { EXAMPLE_ID, Id, Page, withExample } from './common';

export const AuditQuery = Type.Intersect([
  Page,
  Type.Object({
    trajectoryId: Type.Optional(withExample(Id, EXAMPLE_ID)),
    actor: Type.Optional(Type.Intersect([Id], { description: "An API key's id, or 'admin'", examples: ['admin'] })),
    organisationId: Type.Optional(withExample(Id, 'po-west')),
    from: Type.Optional(Type.String({ format: 'date-time', examples: ['2027-03-01T00:00:00Z'] })),
    to: Type.Optional(Type.String({ format: 'date-time', examples: ['2027-04-01T00:00:00Z'] })),
  }),
]);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEvent = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  organisationId: Type.Union([Type.String(), Type.Null()]),
  role: Type.String(),
  action: AuditAction,
  resource: Type.String(),
  resourceId: Type.String(),
  trajectoryId: Type.Union([Type.String(), Type.Null()]),
  route: Type.String(),
  requestId: Type.Union([Type.String(), Type.Null()]),
});
export type AuditEvent = Static<typeof AuditEvent>;
