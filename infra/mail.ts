// Outgoing mail: nodemailer over SMTP when SMTP_URL is set; otherwise a development mailbox in the
// database (listable at GET /v1/mailbox), so no message is ever silently dropped.
//
// SMTP goes through a pool: SMTP_MAX_CONNECTIONS connections kept open and reused for many messages (a new
// connection costs the server's greeting delay, typically 100 ms or more, and the TLS handshake), and at most
// SMTP_RATE_PER_SECOND messages a second (0: no limit), the provider's limits. Both apply per mailer, that
// is per worker process.
import nodemailer from 'nodemailer';
import type { Db } from '../db/connection';
import { storeDevMail } from '../db/mailbox';
import type { Config } from './config';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Stable per outbox row, so a receiving system can tell a mail apart. */ messageId?: string;
}
export interface Mailer {
  readonly kind: 'smtp' | 'dev-mailbox';
  /** How many mails it can have in flight at once (the pool's connections); one when not given. */
  readonly connections?: number;
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** The pool's defaults when the configuration does not say (as infra/config.ts's DEFAULTS). */
export const SMTP_POOL_DEFAULTS = { SMTP_MAX_CONNECTIONS: 4, SMTP_RATE_PER_SECOND: 20 } as const;

type MailConfig = Pick<Config, 'SMTP_URL' | 'MAIL_FROM'> &
  Partial<Pick<Config, 'SMTP_MAX_CONNECTIONS' | 'SMTP_RATE_PER_SECOND'>>;

export function createMailer(config: MailConfig, db: Db): Mailer {
  if (!config.SMTP_URL) {
    return {
      kind: 'dev-mailbox',
      send: (m) => storeDevMail(db, { recipient: m.to, subject: m.subject, text: m.text, html: m.html }),
      close: () => {},
    };
  }
  const connections = config.SMTP_MAX_CONNECTIONS ?? SMTP_POOL_DEFAULTS.SMTP_MAX_CONNECTIONS;
  const rate = config.SMTP_RATE_PER_SECOND ?? SMTP_POOL_DEFAULTS.SMTP_RATE_PER_SECOND;
  const transport = nodemailer.createTransport({
    url: config.SMTP_URL,
    pool: true,
    maxConnections: connections,
    // The outbox decides what is sent again, never the pool: a message whose connection closed mid-way is
    // reported as failed here (not re-sent on another connection, which could deliver it twice).
    maxRequeues: 0,
    // Connections idle for a few seconds are closed: the digest sends in one burst each morning.
    idleTimeout: 5_000,
  });
  const turn = pace(rate);
  return {
    kind: 'smtp',
    connections,
    async send(m) {
      await turn();
      await transport.sendMail({
        from: config.MAIL_FROM,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: m.messageId,
      });
    },
    close: () => transport.close(),
  };
}

/**
 * At most `perSecond` sends begin in any second: each waits for its turn, 1/perSecond s after the one before
 * (0: no wait). Not nodemailer's own `rateLimit`: its pool checks the limit only when a connection is handed
 * back, so new connections and the mails already assigned slip past it (12 mails at 5 a second went out in
 * 1.1 s here).
 */
function pace(perSecond: number): () => Promise<void> {
  if (perSecond <= 0) return async () => {};
  const interval = 1000 / perSecond;
  let next = 0;
  return async () => {
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + interval;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  };
}
