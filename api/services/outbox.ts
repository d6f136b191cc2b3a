// The outbox as coordinators read it: what was sent to whom and when, what is queued, and what failed, scoped to
// the caller's programme office (db/outbox.ts).
import { listOutbox } from '../../db/outbox';
import type { Principal } from '../auth';
import { actingOffice } from '../ownership';
import type { OutboxMail, OutboxQuery } from '../schemas/outbox';
import type { AppDeps } from '../deps';

type Deps = Pick<AppDeps, 'db'>;

/** A page of mails with their status and items: a coordinator's about its office's participants, the admin's all. */
export async function pageOutbox(deps: Deps, p: Principal, q: OutboxQuery) {
  const { items, total } = await listOutbox(deps.db, {
    ...q,
    programmeOfficeId: actingOffice(p) ?? undefined,
  });
  return {
    items: items.map((m): OutboxMail => ({
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
    limit: q.limit,
    offset: q.offset,
  };
}
