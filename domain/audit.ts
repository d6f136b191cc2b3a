// What the audit log records of each request that touches personal data (AVG): the kind of access, once, for the
// log's rows and the API that lists them.
import { Type } from 'typebox';

export const AUDIT_ACTIONS = ['read', 'change', 'export', 'erase', 'anonymise', 'denied'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const AuditAction = Type.Enum(AUDIT_ACTIONS, {
  description: "denied: a request refused because the object belongs to another office (or none of the caller's)",
});
