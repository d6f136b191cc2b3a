// The development mailbox (only when no SMTP_URL is configured): every message sent, newest first (db/mailbox.ts).
import { listDevMail } from '../../db/mailbox';
import type { Page } from '../schemas/common';
import type { AppDeps } from '../deps';

type Deps = Pick<AppDeps, 'db'>;

/** A page of the messages the development mailbox kept. */
export async function pageDevMail(deps: Deps, page: Page) {
  const { items, total } = await listDevMail(deps.db, page);
  return {
    items: items.map((m) => ({
      id: m.id,
      to: m.recipient,
      subject: m.subject,
      text: m.text,
      sentAt: m.sent_at.toISOString(),
    })),
    total,
    ...page,
  };
}
