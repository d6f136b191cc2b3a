// What the digest benchmarks (outbox.ts, scale.ts, digest-province.ts) share: a day's outbox emptied so the next
// sample composes the same morning again, the day's rendered mails, and the baseline that sends those mails through
// the production mailer alone (no Temporal, no composing, no outbox), as many in flight as deliverMail has.
import { sql } from 'kysely';
import type { Db } from '../db/connection';
import { createMailer } from '../infra/mail';
import { mapLimit } from '../infra/map-limit';

export type RenderedMail = { id: string; recipient: string; subject: string; text: string; html: string };

/**
 * Empties `day`'s outbox (its items first), and vacuums the outbox tables: production writes a morning's mails once
 * a day and autovacuum reclaims what it updates, but a benchmark writes, updates and deletes a province's morning
 * every minute or two, and this machine's shared PostgreSQL runs with autovacuum off. Unvacuumed, the dead rows of
 * the samples before (2.1 million outbox items after 8 samples at 50,000) slowed each next sample's composing and
 * delivering by half, so later samples measured the bloat rather than the digest.
 */
export async function clearOutboxDay(db: Db, day: string): Promise<void> {
  await db
    .deleteFrom('outbox_item')
    .where('outbox_id', 'in', db.selectFrom('outbox').select('id').where('day', '=', day))
    .execute();
  await db.deleteFrom('outbox').where('day', '=', day).execute();
  await sql`vacuum (analyze) outbox, outbox_item, outbox_candidate_item`.execute(db);
}

/** The mails `day`'s digest queued, as rendered. */
export function renderedMails(db: Db, day: string): Promise<RenderedMail[]> {
  return db
    .selectFrom('outbox')
    .select(['id', 'recipient', 'subject', 'text', 'html'])
    .where('day', '=', day)
    .execute();
}

/**
 * Sends `mails` through a fresh production mailer (its own pool, so it opens its connections as the workers' do)
 * with the provider's limits, two groups of `connections` in flight as deliverMail has; resolves when every mail
 * was accepted. `run` keeps message ids apart between samples.
 */
export async function sendAlone(
  db: Db,
  smtpPort: number,
  mails: RenderedMail[],
  limits: { connections: number; rate: number },
  run: number,
): Promise<void> {
  const mailer = createMailer(
    {
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>',
      SMTP_MAX_CONNECTIONS: limits.connections,
      SMTP_RATE_PER_SECOND: limits.rate,
    },
    db,
  );
  try {
    await mapLimit(mails, 2 * limits.connections, (m) =>
      mailer.send({
        to: m.recipient,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: `<b${run}-${m.id}@b>`,
      }),
    );
  } finally {
    mailer.close();
  }
}
