// A worker process that delivers one outbox row and is killed (SIGKILL, by the test) right after the SMTP
// server accepted the mail, before it records that it did. Run by tests/reminders.test.ts.
import { createReminderActivities } from '../../activities/reminders';
import { connectPostgres } from '../../db/connection';
import { createMailer, type Mailer } from '../../infra/mail';

const [databaseUrl, smtpPort, id, now] = process.argv.slice(2);
const db = connectPostgres(databaseUrl!, 1);
const smtp = createMailer(
  { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>' },
  db,
);
const mailer: Mailer = {
  kind: 'smtp',
  close: () => smtp.close(),
  async send(mail) {
    await smtp.send(mail);
    process.stdout.write('sent\n'); // the test kills this process now
    await new Promise(() => {});
  },
};
await createReminderActivities({ db, mailer, now: () => Number(now) }).deliverMail({ ids: [id!] });
