// The audit log as coordinators read it: who read or changed participants' personal data, scoped to the
// caller's programme office (db/audit.ts).
import { listAuditEvents } from '../../db/audit';
import type { Principal } from '../auth';
import { actingOffice } from '../ownership';
import type { AuditEvent, AuditQuery } from '../schemas/audit';
import type { AppDeps } from '../deps';

type Deps = Pick<AppDeps, 'db'>;

/** A page of audit events: a coordinator's about its office's cohorts and their participants, the admin's all. */
export async function pageAuditEvents(deps: Deps, p: Principal, q: AuditQuery) {
  const { items, total } = await listAuditEvents(deps.db, {
    ...q,
    programmeOfficeId: actingOffice(p) ?? undefined,
  });
  return {
    items: items.map((e): AuditEvent => ({
      id: e.id,
      at: e.at.toISOString(),
      actor: e.actor,
      organisationId: e.organisation_id,
      role: e.role,
      action: e.action,
      resource: e.resource,
      resourceId: e.resource_id,
      trajectoryId: e.trajectory_id,
      route: e.route,
      requestId: e.request_id,
    })),
    total,
    limit: q.limit,
    offset: q.offset,
  };
}
