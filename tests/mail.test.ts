// Mail leaves through nodemailer to a real SMTP server (smtp-server, parsed back with mailparser), or, without
// SMTP_URL, lands in the development mailbox; nothing is dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { connectPostgres, type Db } from '../db/connection';
import { listDevMail } from '../db/mailbox';
import { createMailer } from '../infra/mail';

let db: Db;
let server: SMTPServer;
let port: number;
const received: ParsedMail[] = [];

beforeAll(async () => {
  db = connectPostgres(inject('databaseUrl'), 2);
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream).then((m) => (received.push(m), callback()), callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.destroy();
});

describe('mail', () => {
  it('goes out over SMTP when SMTP_URL is set', async () => {
    const mailer = createMailer(
      { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>' },
      db,
    );
    await mailer.send({
      to: 'werkbegeleider@zorggroep.example.nl',
      subject: 'Aanwezigheid week 3',
      text: 'Graag de aanwezigheid van week 3 registreren.',
    });
    mailer.close();
    expect(mailer.kind).toBe('smtp');
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toMatchObject({ text: 'werkbegeleider@zorggroep.example.nl' });
    expect(received[0]!.from?.text).toContain('noreply@toeleiding.local');
    expect(received[0]!.subject).toBe('Aanwezigheid week 3');
    expect(received[0]!.text?.trim()).toBe('Graag de aanwezigheid van week 3 registreren.');
  });

  it('is kept in the development mailbox when no SMTP_URL is set', async () => {
    const mailer = createMailer({ MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>' }, db);
    const subject = `Welkom ${Date.now()}`;
    await mailer.send({ to: 'deelnemer@example.nl', subject, text: 'Welkom bij WelSlagen.' });
    expect(mailer.kind).toBe('dev-mailbox');
    const { items } = await listDevMail(db, { limit: 50, offset: 0 });
    expect(items.find((m) => m.subject === subject)).toMatchObject({
      recipient: 'deelnemer@example.nl',
      text: 'Welkom bij WelSlagen.',
    });
  });
});
