// 10,000 due reminders delivered through the outbox to a local SMTP server: the deliverMail activity as the
// digest workflow runs it (claim, send, mark, one mail at a time per activity, four activities in parallel
// as four workers would), against the same 10,000 mails sent straight through the same nodemailer
// transport in the same run. Total time, and duplicates (must be 0).
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { createReminderActivities } from '../activities/reminders';
import type { Db } from '../db/connection';
import { enqueueMail } from '../db/outbox';
import { createMailer } from '../infra/mail';
import { mapLimit } from '../infra/map-limit';
import { localDate, localInstant } from '../workflows/calendar';
import { startSmtp } from '../tests/helpers/smtp';

export async function benchOutbox(db: Db, n = 10_000, workers = 4) {
  const smtp = await startSmtp();
  const url = `smtp://127.0.0.1:${smtp.port}`;
  // A morning inside mail hours, whatever the time of the run (delivery waits for 07:00 otherwise).
  const day = localDate(Date.now());
  const at10 = localInstant(day, 10);
  const org = (await db.selectFrom('organisation').select('id').limit(1).executeTakeFirst())?.id
    ?? (await db.insertInto('organisation').values({ id: `bench-org-${randomUUID().slice(0, 8)}`, name: 'Bench', kind: 'employer' }).returning('id').executeTakeFirstOrThrow()).id;
  const body = (i: number) => ({ subject: `Toeleiding – 1 actie voor maandag (${i})`, text: `Beste ontvanger ${i},\n\nHieronder vindt u het overzicht.`, html: `<p>Beste ontvanger ${i},</p>` });

  // Baseline: the same mails, straight through one nodemailer transport, as many at a time.
  const transport = nodemailer.createTransport(url);
  let t0 = performance.now();
  await mapLimit(Array.from({ length: n }, (_, i) => i), workers, async (i) => {
    await transport.sendMail({ from: 'Toeleiding <noreply@toeleiding.local>', to: `direct${i}@example.nl`, ...body(i), messageId: `<direct-${i}@bench>` });
  });
  const directMs = performance.now() - t0;
  transport.close();
  smtp.received.length = 0;

  // Through the outbox: queued as the digest composes them, then delivered by the activity in batches.
  t0 = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(await enqueueMail(db, {
      id: randomUUID(), key: `bench${i}@example.nl|${org}|digest|${day}`, recipient: `bench${i}@example.nl`, recipient_name: `Ontvanger ${i}`, organisation_id: org, kind: 'digest', day, ...body(i),
    }, []));
  }
  const enqueueMs = performance.now() - t0;
  const mailer = createMailer({ SMTP_URL: url, MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>' }, db);
  const { deliverMail } = createReminderActivities({ db, mailer, now: () => at10 });
  t0 = performance.now();
  const batches = Array.from({ length: workers }, (_, w) => ids.filter((_, i) => i % workers === w));
  const delivered = await Promise.all(batches.map((batch) => deliverMail({ ids: batch })));
  // A second run of every batch, as a retried activity would: it must send nothing.
  const again = await Promise.all(batches.map((batch) => deliverMail({ ids: batch })));
  const outboxMs = performance.now() - t0;
  mailer.close();

  const received = smtp.received.map((m) => (m.to as { text: string } | undefined)?.text);
  await smtp.stop();
  return {
    n, directMs, enqueueMs, outboxMs,
    sent: delivered.reduce((a, d) => a + d.sent, 0), resent: again.reduce((a, d) => a + d.sent, 0),
    received: received.length, duplicates: received.length - new Set(received).size,
  };
}
