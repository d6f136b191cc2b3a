// 10,000 due reminders composed and delivered end to end by the production path, on a region's shape of
// recipients (issue 19, item 3): `composeDigests` reads the projection's rows (seeded once as the projections
// write them), renders one digest per recipient (with each person's signed task links, as infra/worker.ts
// configures them) and queues it in the outbox; `deliverMail` claims, sends over
// the pooled SMTP transport of infra/mail.ts (the configured SMTP_MAX_CONNECTIONS and SMTP_RATE_PER_SECOND,
// infra/config.ts's defaults unless BENCH_SMTP_CONNECTIONS / BENCH_SMTP_RATE say otherwise) and marks each, to
// the local smtp-server test server (tests/helpers/smtp.ts) with its 100 ms greeting delay per connection.
//
// The region (BENCH_OUTBOX_ITEMS due reminders, default 10,000; 6 a trajectory): two programme offices, each
// with its coordinator; workplace trainers with 3 participants each (one trainer per employer); 4 ROCs, 2 per
// office, each with its ROC coordinator and hundreds of participants; jobcoaches with 25 participants each.
// Every trajectory is in week 5 of its programme with last week unrecorded (3 placement days for its trainer,
// the school day for its ROC) and its intake checkpoint overdue (for its jobcoach, and a risk signal for its
// office's coordinator): 6 reminders a trajectory, about 1 mail for every 16 reminders.
//
// Both sides alternate (bench/stats.ts: one warm-up pair thrown away, then BENCH_RUNS pairs, default 5):
// - measured: today's outbox emptied (outside the clock), then composeDigests + deliverMail, clocked until the
//   last mail is accepted; then (outside the clock) a repeated run, compose and deliver again, must send
//   nothing, and no message id may reach the server twice;
// - baseline: the same rendered mails (composed once in the set-up, held in memory) sent through the same
//   production mailer (createMailer: same pool, connections and rate), as many in flight as deliverMail has
//   (two groups of `connections`), to the same server: the same delivery without composing and without the
//   outbox's claim and mark. Each side gets a fresh mailer per sample, so both open their connections.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createReminderActivities } from '../activities/reminders';
import { dutchHolidays } from '../activities/holidays';
import { anyOf, connectPostgres, type Db } from '../db/connection';
import type { ContactRole } from '../db/schema';
import { DEFAULTS } from '../infra/config';
import { createMailer } from '../infra/mail';
import { addDays, isoWeekday, isWorkingDay, localDate, localInstant, nextWorkingDay } from '../domain/calendar';
import { createThrowawayDatabase } from '../tests/helpers/postgres';
import { startSmtp } from '../tests/helpers/smtp';
import { linkKey } from '../web/links';
import { clearOutboxDay, renderedMails, sendAlone } from './outbox-day';
import { alternate, benchRuns, machineLoad, spread } from './stats';

const log = (s: string) => console.error(`[bench] ${new Date().toISOString().slice(11, 19)} ${s}`);
const FROM = 'Toeleiding <noreply@toeleiding.local>';

export interface RegionShape {
  trajectories: number;
  offices: number;
  rocs: number;
  perTrainer: number;
  perJobcoach: number;
}

/** The region's projection rows, as the workflows' projections write them, for `date`'s digest. */
export async function seedRegion(db: Db, shape: RegionShape, date: string, holidays: ReadonlySet<string>) {
  const monday = addDays(date, 1 - isoWeekday(date));
  // Week 5 of the programme: the intake (week 1) overdue, the BBL decision (week 16) not yet open.
  const start = addDays(monday, -28);
  const lastWeek = addDays(monday, -7);
  const days = [
    ...[0, 1, 2].map((d) => ({ date: addDays(lastWeek, d), kind: 'placement' as const })),
    { date: addDays(lastWeek, 3), kind: 'school' as const },
  ].filter((d) => isWorkingDay(d.date, holidays));
  const orgs: { id: string; name: string; kind: 'programme_office' | 'school' | 'employer'; office_id: string }[] = [];
  const contacts: {
    id: string;
    organisation_id: string;
    role: ContactRole;
    name: string;
    email: string;
    office_id: string;
  }[] = [];
  const contact = (id: string, org: string, role: ContactRole, office: string) =>
    contacts.push({
      id,
      organisation_id: org,
      role,
      name: `${role} ${id}`,
      email: `${id}@bench.example.nl`,
      office_id: office,
    });
  const rocsPerOffice = Math.max(1, Math.round(shape.rocs / shape.offices));
  const cohorts = new Map<string, { office: number; school: string }>();
  const trajectories: { id: string; cohort: string; employer: string; jobcoach: string; i: number }[] = [];
  for (let o = 0; o < shape.offices; o++) {
    const office = `office-${o}`;
    orgs.push({ id: office, name: `Programmabureau ${o}`, kind: 'programme_office', office_id: office });
    contact(`coordinator-${o}`, office, 'coordinator', office);
    for (let r = 0; r < rocsPerOffice; r++) {
      orgs.push({ id: `roc-${o}-${r}`, name: `ROC ${o}.${r}`, kind: 'school', office_id: office });
      contact(`roc-coordinator-${o}-${r}`, `roc-${o}-${r}`, 'roc_coordinator', office);
    }
    const from = Math.floor((o * shape.trajectories) / shape.offices);
    const to = Math.floor(((o + 1) * shape.trajectories) / shape.offices);
    for (let j = 0; j < to - from; j++) {
      const cohort = `cohort-${o}-${Math.floor(j / 20)}`;
      if (!cohorts.has(cohort))
        cohorts.set(cohort, { office: o, school: `roc-${o}-${Math.floor(j / 20) % rocsPerOffice}` });
      const employer = `employer-${o}-${Math.floor(j / shape.perTrainer)}`;
      if (j % shape.perTrainer === 0) {
        orgs.push({ id: employer, name: `Zorgaanbieder ${o}.${j}`, kind: 'employer', office_id: office });
        contact(`trainer-${o}-${Math.floor(j / shape.perTrainer)}`, employer, 'workplace_trainer', office);
      }
      const jobcoach = `jobcoach-${o}-${Math.floor(j / shape.perJobcoach)}`;
      if (j % shape.perJobcoach === 0) contact(jobcoach, office, 'jobcoach', office);
      trajectories.push({ id: `t-${o}-${j}`, cohort, employer, jobcoach, i: from + j });
    }
  }
  const inSlices = async <T>(xs: T[], f: (s: T[]) => Promise<unknown>) => {
    for (let i = 0; i < xs.length; i += 1000) await f(xs.slice(i, i + 1000));
  };
  await inSlices(orgs, (s) => db.insertInto('organisation').values(s).execute());
  await inSlices(contacts, (s) => db.insertInto('contact').values(s).execute());
  await db
    .insertInto('covenant')
    .values(
      Array.from({ length: shape.offices }, (_, o) => ({
        id: `covenant-${o}`,
        name: `Convenant ${o}`,
        region: `Regio ${o}`,
        programme_office_id: `office-${o}`,
      })),
    )
    .execute();
  await db
    .insertInto('cohort')
    .values(
      [...cohorts].map(([id, c]) => ({
        id,
        programme_id: 'welslagen',
        programme_version: 1,
        region: `Regio ${c.office}`,
        start_date: start,
        school_id: c.school,
        status: 'launched' as const,
        covenant_id: `covenant-${c.office}`,
      })),
    )
    .execute();
  await inSlices(trajectories, async (s) => {
    await db
      .insertInto('trajectory')
      .values(
        s.map((t) => ({
          id: t.id,
          cohort_id: t.cohort,
          reference: `B-${String(t.i).padStart(5, '0')}`,
          name: `Deelnemer ${t.i}`,
          email: `deelnemer${t.i}@example.nl`,
          employer_id: t.employer,
          placement_weekdays: JSON.stringify(['monday', 'tuesday', 'wednesday']),
          school_weekday: 4,
          status: 'active' as const,
          end_date: addDays(start, 137),
          workflow_id: `trajectory-${t.id}`,
          jobcoach_id: t.jobcoach,
          // The plan below as its workflow projects it (seq 1). Left at 0, a worker that starts after the seeding
          // takes them for runs older than plan projection and asks each one's (here absent) workflow for its plan
          // (infra/plan-backfill.ts): 50,000 failing queries that ran beside the province's digest and slowed it.
          plan_seq: 1,
        })),
      )
      .execute();
    await db
      .insertInto('placement')
      .values(s.map((t) => ({ trajectory_id: t.id, from_date: start, employer_id: t.employer })))
      .execute();
    await db
      .insertInto('planned_day')
      .values(
        s.flatMap((t) =>
          days.map((d) => ({ trajectory_id: t.id, date: d.date, kind: d.kind, week: 4, planned: true, reason: null })),
        ),
      )
      .execute();
    await db
      .insertInto('planned_checkpoint')
      .values(
        s.map((t) => ({
          trajectory_id: t.id,
          key: 'intake',
          name: 'Intake',
          week: 1,
          week_start: start,
          week_end: addDays(start, 4),
        })),
      )
      .execute();
  });
  const count = (role: ContactRole) => contacts.filter((c) => c.role === role).length;
  return {
    trajectories: trajectories.length,
    trainers: count('workplace_trainer'),
    rocs: count('roc_coordinator'),
    jobcoaches: count('jobcoach'),
    coordinators: count('coordinator'),
    perTrajectory: days.length + 2,
  };
}

export async function benchOutbox(items = Number(process.env.BENCH_OUTBOX_ITEMS ?? 10_000)) {
  const connections = Number(process.env.BENCH_SMTP_CONNECTIONS ?? DEFAULTS.SMTP_MAX_CONNECTIONS);
  const rate = Number(process.env.BENCH_SMTP_RATE ?? DEFAULTS.SMTP_RATE_PER_SECOND);
  const database = await createThrowawayDatabase();
  const db = connectPostgres(database.url, 10);
  const smtp = await startSmtp();
  const url = `smtp://127.0.0.1:${smtp.port}`;
  try {
    // A working day's 10:00, whatever the day of the run (no digest on Sundays and holidays).
    const today = localDate(Date.now());
    const holidays = new Set(dutchHolidays(addDays(today, -60), addDays(today, 60)).map((h) => h.date));
    const day = isWorkingDay(today, holidays) ? today : nextWorkingDay(today, holidays);
    const at10 = localInstant(day, 10);
    const perTrajectory = 6;
    const shape: RegionShape = {
      trajectories: Math.ceil(items / perTrajectory),
      offices: 2,
      rocs: 4,
      perTrainer: 3,
      perJobcoach: 25,
    };
    let t0 = performance.now();
    const region = await seedRegion(db, shape, day, holidays);
    const seedMs = performance.now() - t0;
    log(`outbox: region seeded in ${(seedMs / 1000).toFixed(1)} s: ${JSON.stringify(region)}`);
    const mailerConfig = {
      SMTP_URL: url,
      MAIL_FROM: FROM,
      SMTP_MAX_CONNECTIONS: connections,
      SMTP_RATE_PER_SECOND: rate,
    };
    const reminders = (mailer?: ReturnType<typeof createMailer>) =>
      createReminderActivities({
        db,
        mailer,
        publicUrl: 'https://toeleiding.example.nl',
        now: () => at10,
        // Each person's signed links to their tasks' pages, as infra/worker.ts gives the activities.
        links: {
          key: linkKey({ LINK_SIGNING_KEY: randomBytes(32).toString('base64url'), BSN_HMAC_KEY: '' }),
          days: Number(DEFAULTS.TASK_LINK_DAYS),
        },
      });
    const clearDay = () => clearOutboxDay(db, day);
    const itemsOf = async (ids: string[]) =>
      Number(
        (
          await db
            .selectFrom('outbox_item')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('outbox_id', '=', anyOf(ids))
            .executeTakeFirstOrThrow()
        ).n,
      );

    // Set-up: the rendered mails the baseline sends, composed once by the same code (not measured).
    const setupIds = await reminders().composeDigests({ date: day });
    const rendered = await renderedMails(db, day);
    const setupItems = await itemsOf(setupIds);
    await clearDay();
    log(`outbox: ${setupItems} reminders in ${rendered.length} mails; alternating`);

    const checks: {
      items: number;
      mails: number;
      sent: number;
      received: number;
      duplicates: number;
      resent: number;
    }[] = [];
    const baseline = async (run: number) => {
      smtp.received.length = 0;
      const t = performance.now();
      await sendAlone(db, smtp.port, rendered, { connections, rate }, run);
      const ms = performance.now() - t;
      if (smtp.received.length !== rendered.length)
        throw new Error(`baseline: ${smtp.received.length} of ${rendered.length} received`);
      return { ms, mails: rendered.length };
    };
    const measured = async () => {
      await clearDay();
      smtp.received.length = 0;
      const mailer = createMailer(mailerConfig, db);
      const r = reminders(mailer);
      const t = performance.now();
      const ids = await r.composeDigests({ date: day });
      const composeMs = performance.now() - t;
      const delivered = await r.deliverMail({ ids });
      const ms = performance.now() - t;
      // Repeated, as a second run of the digest that morning would be: composes nothing new, sends nothing.
      const again = await r.deliverMail({ ids: await r.composeDigests({ date: day }) });
      mailer.close();
      const received = smtp.received.map((m) => m.messageId ?? '');
      checks.push({
        items: await itemsOf(ids),
        mails: ids.length,
        sent: delivered.sent,
        received: received.length,
        duplicates: received.length - new Set(received).size,
        resent: again.sent,
      });
      return { ms, mails: ids.length, composeMs };
    };
    t0 = performance.now();
    const r = await alternate({
      runs: benchRuns(),
      warmup: 1,
      baseline: async (run) => ({ ...(await baseline(run)), composeMs: 0 }),
      measured,
      log: 'outbox',
    });
    return { ...r, day, connections, rate, shape, region, seedMs, setupItems, checks, totalMs: performance.now() - t0 };
  } finally {
    await smtp.stop();
    await db.destroy();
    await database.drop();
  }
}

export function outboxRows(m: Awaited<ReturnType<typeof benchOutbox>>): string[][] {
  const measuredChecks = m.checks.slice(-m.measured.ms.n);
  const sum = (k: keyof (typeof m.checks)[number]) => measuredChecks.reduce((a, c) => a + c[k], 0);
  const items = [...new Set(measuredChecks.map((c) => c.items))].join(', ');
  const mails = [...new Set(measuredChecks.map((c) => c.mails))].join(', ');
  const g = m.region;
  return [
    [
      `${items} due reminders composed from the projection and delivered end to end, in ${mails} mails, to a ` +
        `region's recipients (${g.trajectories.toLocaleString('en')} trajectories in week 5 under ` +
        `${m.shape.offices} offices: ${g.trainers} workplace trainers with ${m.shape.perTrainer} participants ` +
        `each, ${g.rocs} ROC coordinators, ${g.jobcoaches} jobcoaches with ${m.shape.perJobcoach} each, ` +
        `${g.coordinators} coordinators; ${g.perTrajectory} reminders a trajectory); production mailer: ` +
        `${m.connections} pooled SMTP connections, ${m.rate ? `${m.rate} mails/s` : 'no rate limit'} (the ` +
        `configured defaults), local smtp-server with its greeting delay`,
      `the same ${mails} rendered mails (composed once in the set-up) through the same mailer, ` +
        `${2 * m.connections} in flight as deliverMail has, no composing, no outbox: ${spread(m.baseline.ms)}`,
      `composeDigests + deliverMail (claim, send, mark) until the last mail was accepted: ${spread(m.measured.ms)}, ` +
        `of which composing ${spread(m.measured.composeMs)}; over ${measuredChecks.length} samples ` +
        `${sum('sent')} sent, ${sum('received')} received, **duplicates ${sum('duplicates')}**, **a repeated ` +
        `run sent ${sum('resent')}**`,
      spread(m.ratio.ms, '×'),
    ],
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const load = machineLoad();
  const at = new Date().toISOString();
  const r = await benchOutbox();
  console.log(JSON.stringify({ ...r, at, load: `${load} → ${machineLoad()}` }, null, 2));
  console.log(
    outboxRows(r)
      .map((row) => `| ${row.join(' | ')} |`)
      .join('\n'),
  );
}
