// Retention on the real Temporal dev server: the worker's Schedule anonymises trajectories that ended more
// than RETENTION_MONTHS ago, audits each, leaves younger ones alone, and the figures stay the same.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createActivities } from '../activities';
import { untracedWorkerOptions } from '../infra/telemetry';
import { connectPostgres, type Db } from '../db/connection';
import { enqueueMail } from '../db/outbox';
import { ensureRetentionSchedule, RETENTION_SCHEDULE_ID } from '../infra/schedules';
import { devServerExecutable } from '../infra/temporal-binaries';
import { addDays, localDate } from '../domain/calendar';
import { welslagenTemplate } from './helpers/fixtures';
import { seedTrajectory } from './helpers/seed';
import { testDataConverter } from './helpers/temporal';

const template = welslagenTemplate({ checkpoints: [] });
const TASK_QUEUE = 'retention-test';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let db: Db;
const ids: { expired: string; recent: string } = { expired: '', recent: '' };

/** An ended trajectory with a note, an attendance correction and a dropout text, as a real one would have. */
async function endedTrajectory(monthsAgo: number): Promise<string> {
  const endDate = addDays(localDate(Date.now()), -Math.round(monthsAgo * 30.5));
  const input = await seedTrajectory(db, addDays(endDate, -140), template);
  const id = input.trajectoryId;
  await db
    .updateTable('trajectory')
    .set({
      status: 'ended',
      end_date: endDate,
      outcome: JSON.stringify({ kind: 'dropout', reason: 'health', week: 9, date: endDate }),
      bsn_hash: 'f'.repeat(64),
    })
    .where('id', '=', id)
    .execute();
  await db
    .insertInto('attendance')
    .values([
      {
        trajectory_id: id,
        date: addDays(endDate, -30),
        kind: 'placement',
        present: false,
        reason: 'sick',
        correction_reason: 'Eerder verkeerd: was bij de huisarts',
        recorded_on: addDays(endDate, -29),
        seq: 2,
      },
      {
        trajectory_id: id,
        date: addDays(endDate, -29),
        kind: 'school',
        present: true,
        reason: null,
        correction_reason: null,
        recorded_on: addDays(endDate, -29),
        seq: 3,
      },
    ])
    .execute();
  await db
    .insertInto('checkpoint_review')
    .values({
      trajectory_id: id,
      key: 'intake',
      status: 'concerns',
      note: 'Rugklachten, fysiotherapie loopt',
      trainer_confirmed: true,
      recorded_on: addDays(endDate, -100),
      seq: 4,
    })
    .execute();
  await db
    .insertInto('trajectory_event')
    .values([
      {
        trajectory_id: id,
        seq: 4,
        type: 'checkpoint_recorded',
        occurred_on: addDays(endDate, -100),
        data: JSON.stringify({ key: 'intake', status: 'concerns', note: 'Rugklachten, fysiotherapie loopt' }),
      },
      {
        trajectory_id: id,
        seq: 5,
        type: 'dropped_out',
        occurred_on: endDate,
        data: JSON.stringify({ reason: 'health', text: 'Hernia, langdurig uit' }),
      },
    ])
    .execute();
  return id;
}

/** What funders are told about these trajectories: outcomes, attendance and checkpoint statuses. */
async function figures(trajectoryIds: string[]) {
  const outcomes = await sql<{
    kind: string;
    n: number;
  }>`select outcome->>'kind' as kind, outcome->>'reason' as reason, count(*)::int as n from trajectory where id in
    (${sql.join(trajectoryIds)}) group by 1, 2 order by 1, 2`.execute(db);
  const attendance = await sql`select kind, present, reason, count(*)::int as n from attendance where trajectory_id in
    (${sql.join(trajectoryIds)}) group by 1, 2, 3 order by 1, 2, 3`.execute(db);
  const checkpoints = await sql`select key, status, count(*)::int as n from checkpoint_review where trajectory_id in
    (${sql.join(trajectoryIds)}) group by 1, 2 order by 1, 2`.execute(db);
  return { outcomes: outcomes.rows, attendance: attendance.rows, checkpoints: checkpoints.rows };
}

beforeAll(async () => {
  db = connectPostgres(inject('databaseUrl'), 3);
  env = await TestWorkflowEnvironment.createLocal({
    server: { executable: devServerExecutable(process.env), ip: '127.0.0.1' },
    client: { dataConverter: testDataConverter },
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities({ db }),
    dataConverter: testDataConverter,
    ...untracedWorkerOptions(true),
  });
  running = worker.run();
  ids.expired = await endedTrajectory(25);
  ids.recent = await endedTrajectory(23);
  // A reminder that named the participant, sent long ago.
  const org = (
    await db.selectFrom('trajectory').select('employer_id').where('id', '=', ids.expired).executeTakeFirstOrThrow()
  ).employer_id;
  await enqueueMail(
    db,
    {
      id: `mail-${ids.expired}`,
      key: `po@zorg.example.nl|digest|${ids.expired}`,
      recipient: 'po@zorg.example.nl',
      recipient_name: 'PO',
      organisation_id: org,
      kind: 'digest',
      day: '2024-01-08',
      subject: 'Toeleiding – 1 actie',
      text: 'Deelnemer 1 (WB-001): registreer',
      html: '<p>Deelnemer 1</p>',
      status: 'sent',
    },
    [{ trajectory_id: ids.expired, kind: 'attendance_placement', subject: '2024-01-05' }],
  );
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.destroy();
});

describe('retention', () => {
  it('is a Schedule that runs nightly in Amsterdam time, and ensuring it twice keeps one', async () => {
    await ensureRetentionSchedule(env.client, { taskQueue: TASK_QUEUE, months: 24 });
    await ensureRetentionSchedule(env.client, { taskQueue: TASK_QUEUE, months: 24 });
    const d = await env.client.schedule.getHandle(RETENTION_SCHEDULE_ID).describe();
    expect(d.spec.timezone).toBe('Europe/Amsterdam');
    expect(d.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 3, end: 3, step: 1 }],
      minute: [{ start: 15, end: 15, step: 1 }],
    });
    expect(d.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'retentionWorkflow',
      args: [{ months: 24 }],
    });
  });

  it('anonymises what ended more than 24 months ago, audits it, and leaves the figures as they were', async () => {
    const before = await figures([ids.expired, ids.recent]);
    await env.client.schedule.getHandle(RETENTION_SCHEDULE_ID).trigger();
    await expect
      .poll(
        async () =>
          (
            await db
              .selectFrom('trajectory')
              .select('anonymised_at')
              .where('id', '=', ids.expired)
              .executeTakeFirstOrThrow()
          ).anonymised_at,
        { timeout: 30_000, interval: 250 },
      )
      .not.toBeNull();

    const expired = await db
      .selectFrom('trajectory')
      .selectAll()
      .where('id', '=', ids.expired)
      .executeTakeFirstOrThrow();
    expect(expired).toMatchObject({ name: 'Geanonimiseerd', bsn_hash: null });
    const rows = JSON.stringify([
      await db.selectFrom('attendance').selectAll().where('trajectory_id', '=', ids.expired).execute(),
      await db.selectFrom('checkpoint_review').selectAll().where('trajectory_id', '=', ids.expired).execute(),
      await db.selectFrom('trajectory_event').selectAll().where('trajectory_id', '=', ids.expired).execute(),
    ]);
    for (const text of ['huisarts', 'Rugklachten', 'Hernia', 'Deelnemer']) expect(rows).not.toContain(text);
    // The mail that named the participant keeps who got it and when, not what it said.
    expect(
      await db
        .selectFrom('outbox')
        .select(['recipient', 'subject', 'text', 'html'])
        .where('id', '=', `mail-${ids.expired}`)
        .executeTakeFirstOrThrow(),
    ).toEqual({ recipient: 'po@zorg.example.nl', subject: 'Toeleiding – 1 actie', text: '', html: '' });

    const recent = await db.selectFrom('trajectory').selectAll().where('id', '=', ids.recent).executeTakeFirstOrThrow();
    expect(recent).toMatchObject({ name: 'Deelnemer 1', anonymised_at: null });
    expect(recent.bsn_hash).not.toBeNull();

    expect(await figures([ids.expired, ids.recent])).toEqual(before);
    const audit = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('trajectory_id', 'in', [ids.expired, ids.recent])
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({ trajectory_id: ids.expired, action: 'anonymise', actor: 'retention' }),
    ]);
  });
});
