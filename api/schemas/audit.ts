import { Type, type Static } from 'typebox';
import { AuditAction } from '../../domain/audit';
import { Id, Page } from './common';

export const AuditQuery = Type.Intersect([
  Page,
  Type.Object({
    trajectoryId: Type.Optional(Id),
    actor: Type.Optional(Type.Intersect([Id], { description: "An API key's id, or 'admin'" })),
    organisationId: Type.Optional(Id),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
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
