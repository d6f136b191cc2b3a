// Delivery over pooled SMTP: `deliverMail` sends as many mails at once as the mailer has connections, over a
// nodemailer pool that never opens more than SMTP_MAX_CONNECTIONS and never sends faster than
// SMTP_RATE_PER_SECOND, and every outbox row still goes out exactly once, also when two deliveries of the
// same rows run at the same time (as a retried activity next to the first attempt would). Counted on a real
// SMTP server in this process (connections from its onConnect, mails from onData); no timing is asserted but
// a lower bound that a loaded machine can only make longer.
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReminderActivities } from '../activities/reminders';
import { connectPostgres, type Db } from '../db/connection';
import { enqueueMail } from '../db/outbox';
import { loadConfig } from '../infra/config';
import { createMailer } from '../infra/mail';
import { localDate, localInstant, nextWorkingDay } from '../domain/calendar';
import { dutchHolidays } from '../activities/holidays';
import { createThrowawayDatabase } from './helpers/postgres';

let database: Awaited<ReturnType<typeof createThrowawayDatabase>>;
let db: Db;
let server: SMTPServer;
let port: number;
let connections = 0;
const received: string[] = [];
const organisationId = `pool-${randomUUID().slice(0, 8)}`;
const holidays = new Set(dutchHolidays('2025-01-01', '2030-12-31').map((h) => h.date));
/** A morning inside mail hours, whatever the time of the run. */
const day = nextWorkingDay(localDate(Date.now()), holidays);
const at10 = localInstant(day, 10);

beforeAll(async () => {
  database = await createThrowawayDatabase();
  db = connectPostgres(database.url, 4);
  await db
    .insertInto('organisation')
    .values({ id: organisationId, name: 'Zorggroep Pool', kind: 'employer' })
    .execute();
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((m) => (received.push(m.messageId ?? ''), callback()), callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db?.destroy();
  await database?.drop();
});

async function queue(n: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const recipient = `${label}${i}@zorggroep.example.nl`;
    ids.push(
      await enqueueMail(
        db,
        {
          id: randomUUID(),
          key: `${recipient}|${organisationId}|digest|${day}`,
          recipient,
          recipient_name: `Ontvanger ${i}`,
          organisation_id: organisationId,
          kind: 'digest',
          day,
          subject: `Toeleiding – overzicht ${i}`,
          text: `Beste ontvanger ${i},`,
          html: `<p>Beste ontvanger ${i},</p>`,
        },
        [],
      ),
    );
  }
  return ids;
}

const config = (over: Record<string, string>) => loadConfig({ SMTP_URL: `smtp://127.0.0.1:${port}`, ...over });

describe('delivery over an SMTP pool', () => {
  it(
    'reads its limits from SMTP_MAX_CONNECTIONS and ' + 'SMTP_RATE_PER_SECOND (4 and 20 unless set; 0: no rate limit)',
    () => {
      expect(loadConfig({})).toMatchObject({ SMTP_MAX_CONNECTIONS: 4, SMTP_RATE_PER_SECOND: 20 });
      expect(loadConfig({ SMTP_MAX_CONNECTIONS: '8', SMTP_RATE_PER_SECOND: '0' })).toMatchObject({
        SMTP_MAX_CONNECTIONS: 8,
        SMTP_RATE_PER_SECOND: 0,
      });
      expect(() => loadConfig({ SMTP_MAX_CONNECTIONS: '0' })).toThrow(/SMTP_MAX_CONNECTIONS/);
    },
  );

  it(
    'delivers N mails in parallel over at most SMTP_MAX_CONNECTIONS connections, each exactly once, also when ' +
      'two deliveries race',
    async () => {
      const n = 60;
      const ids = await queue(n, 'parallel');
      const mailer = createMailer(config({ SMTP_MAX_CONNECTIONS: '3', SMTP_RATE_PER_SECOND: '0' }), db);
      expect(mailer.connections).toBe(3);
      const before = { connections, received: received.length };
      try {
        const { deliverMail } = createReminderActivities({ db, mailer, now: () => at10 });
        // Two attempts of the same delivery at once: each row is claimed (committed) by one of them before its send.
        const [a, b] = await Promise.all([deliverMail({ ids }), deliverMail({ ids: [...ids].reverse() })]);
        expect(a.sent + b.sent).toBe(n);
        expect(a.failed + b.failed).toBe(0);
        // A repeated delivery sends nothing.
        expect(await deliverMail({ ids })).toEqual({ sent: 0, failed: 0 });
      } finally {
        mailer.close();
      }
      const mine = received.slice(before.received);
      expect(mine).toHaveLength(n);
      expect(new Set(mine)).toEqual(new Set(ids.map((id) => `<${id}@toeleiding>`)));
      const opened = connections - before.connections;
      expect(opened).toBeGreaterThanOrEqual(1);
      expect(opened).toBeLessThanOrEqual(3);
      const rows = await db.selectFrom('outbox').select(['status', 'attempts']).where('id', 'in', ids).execute();
      expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    },
  );

  it('honours SMTP_RATE_PER_SECOND: 12 mails at 5 a second take at least two seconds, each sent once', async () => {
    const ids = await queue(12, 'rate');
    const mailer = createMailer(config({ SMTP_MAX_CONNECTIONS: '2', SMTP_RATE_PER_SECOND: '5' }), db);
    const before = { connections, received: received.length };
    const t0 = performance.now();
    try {
      expect(await createReminderActivities({ db, mailer, now: () => at10 }).deliverMail({ ids })).toEqual({
        sent: 12,
        failed: 0,
      });
    } finally {
      mailer.close();
    }
    // Five in the first second, five in the next, two in the third: a lower bound, which load only lengthens.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2000 - 50);
    expect(received.slice(before.received).sort()).toEqual(ids.map((id) => `<${id}@toeleiding>`).sort());
    expect(connections - before.connections).toBeLessThanOrEqual(2);
  });
});
