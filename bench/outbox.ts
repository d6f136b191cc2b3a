// 10,000 due reminders composed and delivered end to end, as the 10:00 digest does it: `composeDigests` reads
// the projection (10,000 running trajectories, each with an overdue checkpoint for its own jobcoach, seeded
// as the projection writes them), renders and queues one mail per jobcoach in the outbox, then `deliverMail`
// claims, sends over the pooled SMTP transport (SMTP_MAX_CONNECTIONS in parallel) and marks each. A repeated
// run (compose and deliver again) must send nothing, and no mail may reach the server twice.
// The baseline, in the same run: the same 10,000 rendered mails sent straight through plain nodemailer,
// pooled the same way (same connections, as many in flight), to the same local SMTP server, greeting delay
// included. Nothing is pre-rendered on the measured side: its clock starts before the composition. Both
// sides are warmed up first on 500 other reminders (not measured).
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { sql } from 'kysely';
import { createReminderActivities } from '../activities/reminders';
import { dutchHolidays } from '../activities/holidays';
import { anyOf, type Db } from '../db/connection';
import { createMailer } from '../infra/mail';
import { mapLimit } from '../infra/map-limit';
import { addDays, isoWeekday, isWorkingDay, localDate, localInstant, nextWorkingDay } from '../domain/calendar';
import { startSmtp } from '../tests/helpers/smtp';

/**
 * n running trajectories, each with its own jobcoach and an overdue intake checkpoint, written as the projection writes
 * them.
 */
async function seed(db: Db, n: number, day: string): Promise<string> {
  const run = randomUUID().slice(0, 8);
  const office = `bench-office-${run}`;
  const school = `bench-roc-${run}`;
  const employer = `bench-zorg-${run}`;
  const cohort = `bench-cohort-${run}`;
  // Week 3 of the cohort: the intake (week 1) is overdue, the BBL decision (week 16) not yet open.
  const monday = addDays(day, 1 - isoWeekday(day));
  const start = addDays(monday, -14);
  // No coordinator contact and no address at the office: the matching risk signals have no recipient, so
  // the run delivers exactly the n jobcoach reminders.
  await db
    .insertInto('organisation')
    .values([
      { id: office, name: 'Programmabureau Bench', kind: 'programme_office', office_id: null },
      { id: school, name: 'ROC Bench', kind: 'school', office_id: null },
      { id: employer, name: 'Zorggroep Bench', kind: 'employer', office_id: null },
    ])
    .execute();
  await db
    .updateTable('organisation')
    .set({ office_id: office })
    .where('id', 'in', [office, school, employer])
    .execute();
  await db
    .insertInto('covenant')
    .values({ id: `bench-covenant-${run}`, name: 'Bench', region: 'Bench', programme_office_id: office })
    .execute();
  await db
    .insertInto('cohort')
    .values({
      id: cohort,
      programme_id: 'welslagen',
      programme_version: 1,
      region: 'Bench',
      start_date: start,
      school_id: school,
      status: 'launched',
      covenant_id: `bench-covenant-${run}`,
    })
    .execute();
  await sql`insert into contact (id, organisation_id, role, name, email, office_id)
    select ${run} || '-jc-' || i, ${office}, 'jobcoach', 'Jobcoach ' || i, 'jobcoach' || i || '.' || ${run} ||
    '@bench.example.nl', ${office} from generate_series(1, ${n}::int) i`.execute(db);
  await sql`insert into trajectory (id, cohort_id, reference, name, email, employer_id, placement_weekdays,
    school_weekday, status, end_date, workflow_id, jobcoach_id)
    select ${run} || '-t-' || i, ${cohort}, 'B-' || lpad(i::text, 5, '0'), 'Deelnemer ' || i, 'deelnemer' || i ||
    '@example.nl', ${employer}, '["monday","tuesday","wednesday"]', 4, 'active',
      ${start}::date + 137, 'trajectory-' || ${run} || '-t-' || i, ${run} || '-jc-' || i from generate_series(1,
    ${n}::int) i`.execute(db);
  await sql`insert into placement (trajectory_id, from_date, employer_id) select id, ${start}::date, ${employer} from
    trajectory where cohort_id = ${cohort}`.execute(db);
  await sql`insert into planned_checkpoint (trajectory_id, key, name, week, week_start, week_end) select id, 'intake',
    'Intake', 1, ${start}::date, ${start}::date + 4 from trajectory where cohort_id = ${cohort}`.execute(db);
  return cohort;
}

export async function benchOutbox(db: Db, n = 10_000, connections = Number(process.env.BENCH_SMTP_CONNECTIONS ?? 4)) {
  const smtp = await startSmtp();
  const url = `smtp://127.0.0.1:${smtp.port}`;
  // A local server has no provider's limit; SMTP_RATE_PER_SECOND's default (20) would make 10,000 mails take 500 s by
  // design.
  const rate = Number(process.env.BENCH_SMTP_RATE ?? 0);
  // A working morning inside mail hours, whatever the day of the run (the digest is not composed on Sundays and
  // holidays).
  const holidays = new Set(
    dutchHolidays(addDays(localDate(Date.now()), -30), addDays(localDate(Date.now()), 60)).map((h) => h.date),
  );
  const today = localDate(Date.now());
  const day = isWorkingDay(today, holidays) ? today : nextWorkingDay(today, holidays);
  const at10 = localInstant(day, 10);
  const mailer = createMailer(
    {
      SMTP_URL: url,
      MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>',
      SMTP_MAX_CONNECTIONS: connections,
      SMTP_RATE_PER_SECOND: rate,
    },
    db,
  );
  const reminders = createReminderActivities({
    db,
    mailer,
    publicUrl: 'https://toeleiding.example.nl',
    now: () => at10,
  });
  const plain = () => nodemailer.createTransport({ url, pool: true, maxConnections: connections, maxRequeues: 0 });
  const sendPlain = (
    transport: ReturnType<typeof plain>,
    rows: { id: string; recipient: string; subject: string; text: string; html: string }[],
  ) =>
    mapLimit(rows, connections, (r) =>
      transport.sendMail({
        from: 'Toeleiding <noreply@toeleiding.local>',
        to: r.recipient,
        subject: r.subject,
        text: r.text,
        html: r.html,
        messageId: `<direct-${r.id}@bench>`,
      }),
    );
  const rowsOf = (ids: string[]) =>
    db
      .selectFrom('outbox')
      .select(['id', 'recipient', 'subject', 'text', 'html'])
      .where('id', '=', anyOf(ids))
      .execute();

  // Warm-up, not measured: both sides' code once over 500 reminders, so neither pays the JIT's first pass.
  const warm = await seed(db, Math.min(500, n), day);
  const warmIds = await reminders.composeDigests({ date: day });
  await reminders.deliverMail({ ids: warmIds });
  const warmTransport = plain();
  await sendPlain(warmTransport, await rowsOf(warmIds));
  warmTransport.close();
  await db.updateTable('trajectory').set({ status: 'ended' }).where('cohort_id', '=', warm).execute();
  smtp.received.length = 0;

  let t0 = performance.now();
  await seed(db, n, day);
  const seedMs = performance.now() - t0;

  // Measured: compose from the projection, then deliver; nothing prepared beforehand but the projection's rows.
  t0 = performance.now();
  const ids = await reminders.composeDigests({ date: day });
  const composeMs = performance.now() - t0;
  const delivered = await reminders.deliverMail({ ids });
  const endToEndMs = performance.now() - t0;
  const deliverMs = endToEndMs - composeMs;
  // Repeated, as a second run of the digest that morning would: composes nothing new, sends nothing.
  const againIds = await reminders.composeDigests({ date: day });
  const again = await reminders.deliverMail({ ids: againIds });
  mailer.close();
  const received = smtp.received.map((m) => m.messageId ?? '');
  const items = await db
    .selectFrom('outbox_item')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('outbox_id', '=', anyOf(ids))
    .executeTakeFirstOrThrow();
  smtp.received.length = 0;

  // Baseline: the same rendered mails, plain nodemailer pooled the same way, as many in flight as connections.
  const rows = await rowsOf(ids);
  const transport = plain();
  t0 = performance.now();
  await sendPlain(transport, rows);
  const directMs = performance.now() - t0;
  transport.close();
  const directReceived = smtp.received.length;
  await smtp.stop();

  const result = {
    n,
    connections,
    rate,
    seedMs,
    composeMs,
    deliverMs,
    endToEndMs,
    directMs,
    directReceived,
    mails: ids.length,
    items: Number(items.n),
    sent: delivered.sent,
    failed: delivered.failed,
    resent: again.sent,
    recomposed: againIds.length,
    received: received.length,
    duplicates: received.length - new Set(received).size,
    // The names bench/run.ts prints (its outbox row): queueing is now composing, the outbox time the delivery.
    enqueueMs: composeMs,
    outboxMs: deliverMs,
  };
  // The end-to-end figure, as a row of its own (bench/run.ts prints the delivery part in its table).
  const cells = [
    `${n.toLocaleString('en')} due reminders composed from the projection and delivered end to end ` +
      `(${connections} pooled SMTP connections, ${rate ? `${rate}/s` : 'no rate limit'}; projection seeded ` +
      `in ${(seedMs / 1000).toFixed(1)} s)`,
    `the same ${rows.length.toLocaleString('en')} rendered mails through plain nodemailer, pooled the ` +
      `same way, ${connections} in flight: ${directMs.toFixed(0)} ms (${directReceived} received)`,
    `composeDigests ${composeMs.toFixed(0)} ms (${result.items.toLocaleString('en')} items ` +
      `into ${ids.length.toLocaleString('en')} mails) + deliverMail ${deliverMs.toFixed(0)} ms ` +
      `= ${endToEndMs.toFixed(0)} ms; ${delivered.sent} sent, ${received.length} received, ` +
      `duplicates ${result.duplicates}; a repeated run sent ${again.sent}`,
    `end to end ${(endToEndMs / directMs).toFixed(2)}, delivery ${(deliverMs / directMs).toFixed(2)}`,
  ];
  console.log(`| ${cells.join(' | ')} |`);
  return result;
}
