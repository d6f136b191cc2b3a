// Outgoing mail: nodemailer over SMTP when SMTP_URL is set; otherwise a development mailbox in the
// database (listable at GET /v1/mailbox), so no message is ever silently dropped.
import nodemailer from 'nodemailer';
import type { Db } from '../db/connection';
import { storeDevMail } from '../db/mailbox';
import type { Config } from './config';

export interface Mail { to: string; subject: string; text: string; html?: string; /** Stable per outbox row, so a receiving system can tell a mail apart. */ messageId?: string }
export interface Mailer {
  readonly kind: 'smtp' | 'dev-mailbox';
  send(mail: Mail): Promise<void>;
  close(): void;
}

export function createMailer(config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM'>, db: Db): Mailer {
  if (!config.SMTP_URL) {
    return { kind: 'dev-mailbox', send: (m) => storeDevMail(db, { recipient: m.to, subject: m.subject, text: m.text, html: m.html }), close: () => {} };
  }
  const transport = nodemailer.createTransport(config.SMTP_URL);
  return {
    kind: 'smtp',
    async send(m) {
      await transport.sendMail({ from: config.MAIL_FROM, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId });
    },
    close: () => transport.close(),
  };
}
