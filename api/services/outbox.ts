// The outbox as coordinators read it: what was sent to whom and when, what is queued, and what failed, scoped to
// the caller's programme office (db/outbox.ts).
import { claimMail, findOutboxMail, listOutbox, mailStatus, markMail, markSent, requeueFailed } from '../../db/outbox';
import { refusedAddress } from '../../activities/reminders';
import { notFound, says } from '../errors';
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

/**
 * Sends a failed mail again (the coordinator corrected the address, or the recipient's server is fixed): queued
 * again only while it is `failed` (one statement, so a double click queues it once), then delivered at once the
 * way the morning's delivery does it (claimed before the SMTP conversation, marked after it). A refusal of the
 * address again makes it `failed` again; so does a mail server that is down (with its error, to try later).
 * Another office's mail answers 404 as an unknown one. `requeued` is false when it was not failed (resent already).
 */
export async function resendMail(
  deps: Pick<AppDeps, 'db' | 'mailer'>,
  p: Principal,
  id: string,
): Promise<{ id: string; status: OutboxMail['status']; requeued: boolean; lastError: string | null }> {
  const office = actingOffice(p) ?? undefined;
  if (!(await findOutboxMail(deps.db, id, office))) throw notFound(says(`Mail ${id}`, `Mail ${id}`));
  const requeued = await requeueFailed(deps.db, id);
  if (requeued) {
    const mail = await claimMail(deps.db, id);
    if (mail) {
      try {
        await deps.mailer.send({
          to: mail.recipient,
          subject: mail.subject,
          text: mail.text,
          html: mail.html ?? undefined,
          messageId: `<${mail.id}@toeleiding>`,
        });
        await markSent(deps.db, [mail.id]);
      } catch (e) {
        const message = (e as { message?: string }).message ?? String(e);
        const code = (e as { responseCode?: number }).responseCode;
        await markMail(
          deps.db,
          mail.id,
          // Failed either way, so it can be sent again by hand: no morning delivery takes up an older mail.
          { status: 'failed', error: refusedAddress(e) ? `${code} ${message}` : `mail server: ${message}` },
        );
      }
    }
  }
  const now = await mailStatus(deps.db, id);
  return { id, status: now.status, requeued, lastError: now.last_error };
}
