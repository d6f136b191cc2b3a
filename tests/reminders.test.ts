// Reminders end to end: the real trajectory workflows on the time-skipping server say what is open, the
// digests go through the outbox in a throwaway PostgreSQL database, and a real SMTP server in this process
// receives them (parsed back with mailparser): one mail per recipient per morning, never twice, not at night,
// queued while the mail server is down, and a refused address recorded, not retried.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createActivities } from '../activities';
import type { Db } from '../db/connection';
import { dutchHolidays } from '../activities/holidays';
import { createMailer, type Mailer } from '../infra/mail';
import {
  addDays,
  isoWeekday,
  isWorkingDay,
  localInstant,
  nextMailMoment,
  nextWorkingDay,
  workingDaysBetween,
} from '../domain/calendar';
import { composeMails, type ComposedMail } from '../activities/reminders';
import { digestWorkflow } from '../workflows/digest';
import { digestPartsWorker } from '../infra/worker';
import { decodePayloadsIn } from '../infra/payload-codec';

/**
 * The digest run recorded for tests/replay.test.ts (RECORD_HISTORIES=1); v1-digest-* ran before the split per
 * office, digest-per-office-* before the office parts had a queue of their own.
 */
const DIGEST_HISTORY = 'digest-parts-queue-waits-out-mail-outage.json';
import { startTestApi, type TestApi } from './helpers/api';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { createKey, seedPartners, seedReadiness, type Call, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';
import { startSmtp, type TestSmtp } from './helpers/smtp';
import { testDataConverter } from './helpers/temporal';
import { untracedWorkerOptions } from '../infra/telemetry';

let db: Db;
let env: TestWorkflowEnvironment;
let api: TestApi;
let call: Call;
let smtp: TestSmtp;
let mailer: Mailer;
let partners: Partners;
let cohort: { id: string; trajectories: { id: string; reference: string; employerId: string }[] };
const holidays = new Set(dutchHolidays('2026-01-01', '2030-12-31').map((h) => h.date));
const start = addDays(thisMonday(), -14);
/** The morning of the digest: the first working day after this week's Monday (week 3 of the cohort). */
const D = nextWorkingDay(thisMonday(), holidays);
const at10 = (date: string) => localInstant(date, 10);
const mailsTo = (address: string) =>
  smtp.received.filter((m) => (m.to as { text: string } | undefined)?.text === address);

const activities = (over: { now?: number; mailer?: Mailer } = {}) =>
  createActivities({
    db,
    mailer: over.mailer ?? mailer,
    temporal: env.client,
    publicUrl: 'https://toeleiding.example.nl',
    now: () => over.now ?? at10(D),
  });

beforeAll(async () => {
  // Digests look at every running trajectory, so this file has a database of its own.
  api = await startTestApi({ ownDatabase: true });
  ({ db, env, call } = api);
  partners = await seedPartners(call);
  const contact = async (org: string, role: string, name: string, email: string) =>
    expect((await call('POST', `/v1/organisations/${org}/contacts`, { role, name, email })).status).toBe(201);
  await contact(
    partners.employerIds[0]!,
    'workplace_trainer',
    'Petra Praktijkopleider',
    'petra@zorggroep-breda.example.nl',
  );
  // A second trainer at the same employer: each gets the digest, and it still counts as one reminder that morning.
  await contact(
    partners.employerIds[0]!,
    'workplace_trainer',
    'Pieter Praktijkopleider',
    'pieter@zorggroep-breda.example.nl',
  );
  await contact(partners.employerIds[1]!, 'workplace_trainer', 'Wim Werkbegeleider', 'wim@thuiszorg.example.nl');
  await contact(partners.schoolId, 'roc_coordinator', 'Rob ROC', 'rob@roc.example.nl');
  await contact(partners.officeId, 'coordinator', 'Carla Coördinator', 'carla@programmabureau.example.nl');
  const launched = await call('POST', '/v1/cohorts', cohortRequest({ ...partners, size: 4, startDate: start }));
  expect(launched.status).toBe(201);
  cohort = launched.json;
  await untilStarted(db, cohort.id);
  smtp = await startSmtp();
  mailer = createMailer(
    { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>' },
    db,
  );
});

afterAll(async () => {
  mailer?.close();
  await smtp?.stop();
  await api?.close();
});

describe('mail hours', () => {
  it('move a mail outside 07:00-20:00, on a Sunday or on a public holiday to the next allowed morning', () => {
    expect(new Date(nextMailMoment(localInstant('2027-04-23', 21), holidays)).toISOString()).toBe(
      new Date(localInstant('2027-04-24', 7)).toISOString(),
    ); // Friday night → Saturday 07:00
    // Sunday → Monday
    expect(nextMailMoment(localInstant('2027-04-25', 12), holidays)).toBe(localInstant('2027-04-26', 7));
    // Monday night, Koningsdag → Wednesday
    expect(nextMailMoment(localInstant('2027-04-26', 22), holidays)).toBe(localInstant('2027-04-28', 7));
    expect(nextMailMoment(localInstant('2027-04-28', 6, 30), holidays)).toBe(localInstant('2027-04-28', 7));
    expect(nextMailMoment(localInstant('2027-04-28', 10), holidays)).toBe(localInstant('2027-04-28', 10));
  });

  it('mean no digest is composed on a Sunday or a public holiday', async () => {
    const sunday = addDays(D, 7 - isoWeekday(D));
    const holiday = [...holidays].sort().find((h) => h > D && isoWeekday(h) <= 5)!;
    for (const day of [sunday, holiday])
      expect(await activities({ now: at10(day) }).composeDigests({ date: day }), day).toEqual([]);
    expect(await db.selectFrom('outbox').select('id').where('day', 'in', [sunday, holiday]).execute()).toEqual([]);
  });

  it('make delivery wait: at night the activity asks Temporal to retry at 07:00', async () => {
    const night = localInstant(D, 21);
    const error = await activities({ now: night })
      .deliverMail({ ids: ['whatever'] })
      .catch((e) => e);
    expect(error.type).toBe('OutsideMailHours');
    expect(night + Number(error.nextRetryDelay?.valueOf?.() ?? error.nextRetryDelay)).toBe(
      nextMailMoment(night, holidays),
    );
  });
});

describe('the morning digest', () => {
  it('bundles everything due for a recipient into one mail, each partner with only its own participants', async () => {
    expect(isWorkingDay(D, holidays)).toBe(true);
    const ids = await activities().composeDigests({ date: D });
    const rows = await db.selectFrom('outbox').selectAll().where('id', 'in', ids).execute();
    // One per recipient: two workplace trainers, the ROC coordinator, the jobcoach, the coordinator (risk signals).
    expect(new Set(rows.map((r) => r.recipient)).size).toBe(rows.length);
    expect(rows.map((r) => r.recipient)).toEqual(
      expect.arrayContaining([
        'petra@zorggroep-breda.example.nl',
        'wim@thuiszorg.example.nl',
        'rob@roc.example.nl',
        'carla@programmabureau.example.nl',
      ]),
    );

    const sent = await activities().deliverMail({ ids });
    expect(sent).toEqual({ sent: rows.length, failed: 0 });
    const [petra] = mailsTo('petra@zorggroep-breda.example.nl');
    const mine = cohort.trajectories.filter((t) => t.employerId === partners.employerIds[0]);
    const theirs = cohort.trajectories.filter((t) => t.employerId !== partners.employerIds[0]);
    for (const t of mine) expect(petra!.text).toContain(t.reference);
    for (const t of theirs) expect(petra!.text).not.toContain(t.reference);
    // A workplace trainer is sent to the week page (signing in: these activities sign no personal links; with
    // them, tests/web.test.ts), never to the API.
    expect(petra!.html).toContain('https://toeleiding.example.nl/inloggen');
    expect(petra!.text).not.toMatch(/\/v1\/|POST/);
    expect(petra!.subject).toMatch(/^Toeleiding/);
    // The ROC hears about school days, the jobcoach about the intake checkpoint that is overdue.
    expect(mailsTo('rob@roc.example.nl')[0]!.text).toMatch(/ROC/);
    const jobcoach = await db
      .selectFrom('contact')
      .select('email')
      .where('id', '=', partners.jobcoachId)
      .executeTakeFirstOrThrow();
    expect(mailsTo(jobcoach.email)[0]!.text).toContain('Intake');
    for (const m of smtp.received) expect(m.text).not.toMatch(/\b\d{9}\b/); // never a BSN-like number
  });

  it('never sends twice: composing again and delivering again add nothing', async () => {
    const before = smtp.received.length;
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const rows = await count();
    const ids = await activities().composeDigests({ date: D });
    expect(await count()).toBe(rows);
    await activities().deliverMail({ ids });
    await activities().deliverMail({ ids });
    expect(smtp.received.length).toBe(before);
  });

  it('sends exactly one mail when the worker dies between the SMTP send and the database commit', async () => {
    const day = nextWorkingDay(D, holidays);
    const ids = await activities({ now: at10(day) }).composeDigests({ date: day });
    const before = smtp.received.length;
    // The send succeeds, then the worker dies before it records the outcome: nothing of it runs any more.
    let sentBeforeDeath = false;
    const dying: Mailer = {
      kind: 'smtp',
      close: () => {},
      send: async (m) => {
        await mailer.send(m);
        sentBeforeDeath = true;
        await new Promise(() => {});
      },
    };
    void activities({ now: at10(day), mailer: dying }).deliverMail({ ids: ids.slice(0, 1) });
    await expect.poll(() => sentBeforeDeath).toBe(true);
    // The retry (another worker) delivers the rest and leaves the interrupted one alone.
    await activities({ now: at10(day) }).deliverMail({ ids });
    expect(smtp.received.length - before).toBe(ids.length);
    const keys = smtp.received.slice(before).map((m) => m.messageId);
    expect(new Set(keys).size).toBe(ids.length);
    expect(
      (await db.selectFrom('outbox').select('status').where('id', '=', ids[0]!).executeTakeFirstOrThrow()).status,
    ).toBe('sending');
  });

  it('escalates to the coordinator a reminder ignored twice', async () => {
    // D and the next working day reminded the same unrecorded days; the third morning escalates.
    const third = nextWorkingDay(nextWorkingDay(D, holidays), holidays);
    const ids = await activities({ now: at10(third) }).composeDigests({ date: third });
    const carla = await db
      .selectFrom('outbox')
      .selectAll()
      .where('id', 'in', ids)
      .where('recipient', '=', 'carla@programmabureau.example.nl')
      .executeTakeFirstOrThrow();
    const items = await db.selectFrom('outbox_item').selectAll().where('outbox_id', '=', carla.id).execute();
    expect(items.filter((i) => i.kind === 'escalation').length).toBeGreaterThan(0);
    expect(carla.text).toMatch(/genegeerd/i);
    // Escalated once: the next morning does not repeat it.
    const fourth = nextWorkingDay(third, holidays);
    const next = await activities({ now: at10(fourth) }).composeDigests({ date: fourth });
    const again = await db
      .selectFrom('outbox_item as i')
      .innerJoin('outbox as o', 'o.id', 'i.outbox_id')
      .select(['i.trajectory_id', 'i.subject'])
      .where('o.id', 'in', next)
      .where('i.kind', '=', 'escalation')
      .execute();
    const first = new Set(items.filter((i) => i.kind === 'escalation').map((i) => `${i.trajectory_id}|${i.subject}`));
    expect(first.size).toBeGreaterThan(0);
    for (const a of again) expect(first.has(`${a.trajectory_id}|${a.subject}`)).toBe(false);
    // Not a day early: after one morning (with two trainers at the same employer) nothing was escalated.
    const second = await db
      .selectFrom('outbox_item as i')
      .innerJoin('outbox as o', 'o.id', 'i.outbox_id')
      .select('i.kind')
      .where('o.day', '=', nextWorkingDay(D, holidays))
      .where('i.kind', '=', 'escalation')
      .execute();
    expect(second).toEqual([]);
  });
  it('sends exactly one mail when a worker process is killed (SIGKILL) right after the SMTP send', async () => {
    const day = nextWorkingDay(addDays(D, 6), holidays);
    const ids = await activities({ now: at10(day) }).composeDigests({ date: day });
    const before = smtp.received.length;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./helpers/deliver-and-die.ts', import.meta.url)),
        api.databaseUrl,
        String(smtp.port),
        ids[0]!,
        String(at10(day)),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('sent')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`the worker process exited (${code}) before it sent`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // Another worker takes over the whole delivery.
    await activities({ now: at10(day) }).deliverMail({ ids });
    expect(smtp.received.length - before).toBe(ids.length);
    expect(new Set(smtp.received.slice(before).map((m) => m.messageId)).size).toBe(ids.length);
  });
});

describe('reminder rules', () => {
  it('come from the programme template: a programme can switch reminders off or make them later', async () => {
    const welslagen = (await call('GET', '/v1/programmes?limit=200')).json.items.find(
      (p: { id: string }) => p.id === 'welslagen',
    );
    const quiet = await call('POST', '/v1/programmes', {
      id: 'welslagen-stil',
      name: 'WelSlagen zonder herinneringen',
      template: {
        ...welslagen.template,
        reminders: {
          attendanceAfterWorkingDays: 10,
          checkpointDueWithinWorkingDays: 0,
          weekOverview: false,
          bblDecisionWeekly: false,
          riskSignals: false,
        },
      },
    });
    expect(quiet.status).toBe(201);
    const launched = await call('POST', '/v1/cohorts', {
      ...cohortRequest({ ...partners, size: 2, startDate: start }),
      programmeId: 'welslagen-stil',
    });
    expect(launched.status).toBe(201);
    await untilStarted(db, launched.json.id);
    const day = nextWorkingDay(addDays(D, 34), holidays);
    const ids = await activities({ now: at10(day) }).composeDigests({ date: day });
    const items = await db.selectFrom('outbox_item').selectAll().where('outbox_id', 'in', ids).execute();
    const quietIds = new Set(launched.json.trajectories.map((t: { id: string }) => t.id));
    const kinds = (mine: boolean) =>
      new Set(items.filter((i) => quietIds.has(i.trajectory_id) === mine).map((i) => i.kind));
    expect([...kinds(true)].filter((k) => !k.startsWith('attendance_') && k !== 'checkpoint_overdue')).toEqual([]);
    // Attendance is reminded after ten working days instead of one: the days of the last two weeks are not.
    const attendance = (mine: boolean) =>
      items
        .filter((i) => quietIds.has(i.trajectory_id) === mine && i.kind.startsWith('attendance_'))
        .map((i) => i.subject);
    expect(attendance(true).length).toBeGreaterThan(0);
    expect(attendance(true).every((date) => workingDaysBetween(date, day, holidays) >= 10)).toBe(true);
    expect(attendance(false).some((date) => workingDaysBetween(date, day, holidays) < 10)).toBe(true);
  });
});

describe('delivery faults', () => {
  it('keeps mail queued while the SMTP server is down and sends every mail once after it is back', async () => {
    const day = nextWorkingDay(addDays(D, 41), holidays);
    const ids = await activities({ now: at10(day) }).composeDigests({ date: day });
    expect(ids.length).toBeGreaterThan(0);
    await smtp.stop();
    const down = await activities({ now: at10(day) })
      .deliverMail({ ids })
      .catch((e) => e);
    expect(down.type).toBe('MailUnavailable');
    const queued = await db.selectFrom('outbox').select(['status', 'last_error']).where('id', 'in', ids).execute();
    expect(queued.every((r) => r.status === 'queued' && r.last_error)).toBe(true);
    await smtp.start();
    const before = smtp.received.length;
    await activities({ now: at10(day) }).deliverMail({ ids });
    expect(smtp.received.length - before).toBe(ids.length);
    expect(new Set(smtp.received.slice(before).map((m) => (m.to as { text: string }).text)).size).toBe(ids.length);
  });

  it('marks a mail uncertain, not sent again, when its worker died before the mail server answered', async () => {
    const day = nextWorkingDay(addDays(D, 44), holidays);
    const ids = await activities({ now: at10(day) }).composeDigests({ date: day });
    const before = smtp.received.length;
    // A worker claimed the first mail and died before the SMTP conversation ended; 20 minutes pass.
    await db
      .updateTable('outbox')
      .set({ status: 'sending', claimed_at: new Date(Date.now() - 20 * 60_000) })
      .where('id', '=', ids[0]!)
      .execute();
    await activities({ now: at10(day) }).deliverMail({ ids });
    expect(
      (await db.selectFrom('outbox').select('status').where('id', '=', ids[0]!).executeTakeFirstOrThrow()).status,
    ).toBe('uncertain');
    expect(smtp.received.length - before).toBe(ids.length - 1);
    expect((await call('GET', '/v1/outbox?status=uncertain')).json.items.map((m: { id: string }) => m.id)).toContain(
      ids[0],
    );
  });

  it('records a refused address as failed, shows it to the coordinator, and does not retry it', async () => {
    const day = nextWorkingDay(addDays(D, 48), holidays);
    await call('POST', `/v1/organisations/${partners.schoolId}/contacts`, {
      role: 'roc_coordinator',
      name: 'Oud adres',
      email: 'bounce-oud@roc.example.nl',
    });
    const ids = await activities({ now: at10(day) }).composeDigests({ date: day });
    await activities({ now: at10(day) }).deliverMail({ ids });
    const failed = await db
      .selectFrom('outbox')
      .selectAll()
      .where('id', 'in', ids)
      .where('status', '=', 'failed')
      .execute();
    expect(failed.map((f) => f.recipient)).toEqual(['bounce-oud@roc.example.nl']);
    expect(failed[0]!.last_error).toMatch(/550/);
    await activities({ now: at10(day) }).deliverMail({ ids });
    expect(
      (await db.selectFrom('outbox').select('attempts').where('id', '=', failed[0]!.id).executeTakeFirstOrThrow())
        .attempts,
    ).toBe(1);
    const view = await call('GET', `/v1/outbox?status=failed&organisationId=${partners.schoolId}`);
    expect(view.status).toBe(200);
    expect(view.json.items.map((m: { to: string }) => m.to)).toContain('bounce-oud@roc.example.nl');
    const perTrajectory = await call('GET', `/v1/outbox?trajectoryId=${cohort.trajectories[0]!.id}&limit=200`);
    expect(perTrajectory.json.items.length).toBeGreaterThan(0);
    expect(
      perTrajectory.json.items.every((m: { items: { trajectoryId: string }[] }) =>
        m.items.some((i) => i.trajectoryId === cohort.trajectories[0]!.id),
      ),
    ).toBe(true);
  });

  it('runs as a workflow that waits out a mail server outage with durable retries', async () => {
    // The server's clock moves to a working morning, so the workflow's "today" is a mail day.
    const day = nextWorkingDay(addDays(D, 55), holidays);
    await env.sleep(Math.max(0, at10(day) - (await env.currentTimeMs())));
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'digest-test',
      workflowBundle: { codePath: inject('workflowBundlePath') },
      dataConverter: testDataConverter,
      ...untracedWorkerOptions(true),
      activities: activities({ now: at10(day) }),
    });
    // The office parts on their own queue, as infra/worker.ts runs them next to the worker.
    const parts = await digestPartsWorker(
      env.nativeConnection,
      { TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: 'digest-test', DIGEST_PARTS_PER_WORKER: 2 },
      activities({ now: at10(day) }),
      { dataConverter: testDataConverter },
    );
    await smtp.stop();
    const before = smtp.received.length;
    const result = await parts.runUntil(
      worker.runUntil(async () => {
        const handle = await env.client.workflow.start(digestWorkflow, {
          taskQueue: 'digest-test',
          workflowId: `digest-${day}`,
        });
        // Let the first delivery attempt fail, then bring the server back; time skips over the retry backoff.
        await expect
          .poll(
            async () =>
              (
                await db
                  .selectFrom('outbox')
                  .select('last_error')
                  .where('day', '=', day)
                  .where('status', '=', 'queued')
                  .execute()
              ).some((r) => r.last_error),
            { timeout: 30_000 },
          )
          .toBe(true);
        await smtp.start();
        const result = await handle.result();
        // The office parts (composing and delivering) ran on the parts' queue, none on the worker's own.
        const scheduled = (await handle.fetchHistory()).events!.flatMap((e) => {
          const a = e.activityTaskScheduledEventAttributes;
          return a ? [{ type: a.activityType!.name!, queue: a.taskQueue!.name! }] : [];
        });
        const partsRan = scheduled.filter((a) => a.type === 'composeDigests' || a.type === 'deliverMail');
        expect(partsRan.map((a) => a.type)).toContain('deliverMail');
        expect(new Set(partsRan.map((a) => a.queue))).toEqual(new Set(['digest-test-digest']));
        if (process.env.RECORD_HISTORIES)
          writeFileSync(
            path.join(import.meta.dirname, 'histories', DIGEST_HISTORY),
            historyToJSON(
              (await decodePayloadsIn(await handle.fetchHistory(), testDataConverter.payloadCodecs![0]!)) as never,
            ),
          );
        return result;
      }),
    );
    expect(result.date).toBe(day);
    expect(result.mails).toBeGreaterThan(0);
    const rows = await db
      .selectFrom('outbox')
      .select(['recipient', 'status', 'attempts'])
      .where('day', '=', day)
      .execute();
    expect(rows.length).toBe(result.mails);
    // Every mail went out once, except the one to the address the server refuses (from the test above).
    for (const r of rows) expect(r.status, r.recipient).toBe(r.recipient.startsWith('bounce') ? 'failed' : 'sent');
    expect(rows.some((r) => r.attempts >= 2)).toBe(true); // at least one waited for Temporal's retry
    expect(smtp.received.length - before).toBe(rows.filter((r) => r.status === 'sent').length);
  });
});

describe('a partner working for two programme offices', () => {
  it("gets each office's digest apart, and each coordinator sees only its own in the outbox", async () => {
    const other = await seedPartners(call, 'Zeeland');
    const employer = partners.employerIds[0]!;
    // The employer works with both offices: its owner consents, and office B registers Petra as its own contact too.
    expect((await call('POST', `/v1/organisations/${employer}/shares`, { officeId: other.officeId })).status).toBe(201);
    expect(
      (
        await call('POST', `/v1/covenants/${other.covenantId}/members`, {
          members: [{ organisationId: employer, role: 'employer' }],
        })
      ).status,
    ).toBe(200);
    const coordinatorOfB = await createKey(call, other.officeId, 'coordinator');
    const petraOfB = await call(
      'POST',
      `/v1/organisations/${employer}/contacts`,
      { role: 'workplace_trainer', name: 'Petra Praktijkopleider', email: 'petra@zorggroep-breda.example.nl' },
      coordinatorOfB,
    );
    expect(petraOfB.status).toBe(201);
    // Office B records its own readiness of the employer (per office: its own agreement and places).
    await seedReadiness(call, other.officeId, employer);
    const launched = await call(
      'POST',
      '/v1/cohorts',
      cohortRequest({ ...other, employerIds: [employer], size: 1, startDate: start }),
    );
    expect(launched.status).toBe(201);
    // The digest reads the projection, which has the start a moment after the launch (at 10:00, hours after it).
    await untilStarted(db, launched.json.id);
    const theirs = launched.json.trajectories[0].id as string;
    const day = nextWorkingDay(addDays(D, 62), holidays);
    const ids = await activities({ now: at10(day) }).composeDigests({ date: day });
    const mailsOfPetra = await db
      .selectFrom('outbox')
      .select('id')
      .where('id', 'in', ids)
      .where('recipient', '=', 'petra@zorggroep-breda.example.nl')
      .execute();
    expect(mailsOfPetra).toHaveLength(2);
    const itemsOf = async (id: string) =>
      (await db.selectFrom('outbox_item').select('trajectory_id').where('outbox_id', '=', id).execute()).map(
        (i) => i.trajectory_id,
      );
    const [first, second] = [await itemsOf(mailsOfPetra[0]!.id), await itemsOf(mailsOfPetra[1]!.id)];
    const [ofB, ofA] = first.includes(theirs) ? [first, second] : [second, first];
    expect([...new Set(ofB)]).toEqual([theirs]);
    expect(ofA.length).toBeGreaterThan(0);
    expect(ofA).not.toContain(theirs);
    const [mailOfB, petra] =
      first === ofB ? [mailsOfPetra[0]!, mailsOfPetra[1]!] : [mailsOfPetra[1]!, mailsOfPetra[0]!];
    const coordinatorA = await createKey(call, partners.officeId, 'coordinator');
    const viewA = await call('GET', `/v1/outbox?organisationId=${employer}&limit=200`, undefined, coordinatorA);
    const mail = viewA.json.items.find((m: { id: string }) => m.id === petra.id);
    expect(mail).toBeDefined();
    expect(mail.items.map((i: { trajectoryId: string }) => i.trajectoryId)).not.toContain(theirs);
    const coordinatorB = await createKey(call, other.officeId, 'coordinator');
    const viewB = await call('GET', `/v1/outbox?organisationId=${employer}&limit=200`, undefined, coordinatorB);
    expect([
      ...new Set(
        viewB.json.items
          .find((m: { id: string }) => m.id === mailOfB.id)
          .items.map((i: { trajectoryId: string }) => i.trajectoryId),
      ),
    ]).toEqual([theirs]);
    // Neither office's view holds the other's mail to the same person.
    expect(viewB.json.items.map((m: { id: string }) => m.id)).not.toContain(petra.id);
    expect(viewA.json.items.map((m: { id: string }) => m.id)).not.toContain(mailOfB.id);

    // The digest workflow composes the morning one office at a time (workflows/digest.ts): the offices' parts
    // together are exactly the morning composed at once, mail by mail and item by item, and no part holds a mail
    // of another office.
    const next = nextWorkingDay(day, holidays);
    const deps = { db, publicUrl: 'https://toeleiding.example.nl' };
    const shape = (m: ComposedMail) => ({
      key: m.mail.key,
      officeId: m.officeId,
      text: m.mail.text,
      items: m.items.map((i) => `${i.trajectory_id}|${i.kind}|${i.subject}`).sort(),
    });
    const whole = (await composeMails(deps, next, holidays)).map(shape);
    const offices = await activities().digestOffices();
    expect(offices).toEqual(expect.arrayContaining([partners.officeId, other.officeId, null]));
    const parts = await Promise.all(
      offices.map(async (officeId) => {
        const part = (await composeMails(deps, next, holidays, { officeId })).map(shape);
        expect(part.every((m) => m.officeId === officeId)).toBe(true);
        return part;
      }),
    );
    const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
    expect(whole.length).toBeGreaterThan(2);
    expect(parts.flat().sort(byKey)).toEqual([...whole].sort(byKey));
    expect(parts[offices.indexOf(other.officeId)]!.flatMap((m) => m.items)).toEqual(
      expect.arrayContaining([expect.stringContaining(theirs)]),
    );
  });
});
