// The projection activity's promise: a retry writes nothing twice, and an older projection arriving late
// never overwrites a newer one (rows are keyed and guarded by the workflow-generated seq).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createActivities } from '../activities';
import { connectPostgres, type Db } from '../db/connection';
import { insertCohort } from '../db/cohorts';
import { insertOrganisation } from '../db/organisations';
import type { Projection } from '../db/trajectories';
import { uniqueId } from './helpers/fixtures';
import { sql } from 'kysely';
import { addDays } from '../domain/calendar';
import type { TrajectoryStatus } from '../domain/statuses';

let db: Db;
let trajectoryId: string;
let employer: string;

beforeAll(async () => {
  db = connectPostgres(inject('databaseUrl'), 8);
  const school = uniqueId('roc');
  employer = uniqueId('zorg');
  await insertOrganisation(db, { id: school, name: 'ROC', kind: 'school' });
  await insertOrganisation(db, { id: employer, name: 'Zorg', kind: 'employer' });
  const cohortId = randomUUID();
  trajectoryId = randomUUID();
  await insertCohort(
    db,
    {
      id: cohortId,
      programme_id: 'welslagen',
      programme_version: 1,
      region: 'West-Brabant',
      start_date: '2027-04-05',
      school_id: school,
      status: 'launched',
    },
    [
      {
        id: trajectoryId,
        cohort_id: cohortId,
        reference: 'P-1',
        name: 'P',
        email: 'p@example.nl',
        employer_id: employer,
        placement_weekdays: '["monday"]',
        school_weekday: 4,
        status: 'planned',
        end_date: '2027-08-20',
        workflow_id: `trajectory-${trajectoryId}`,
      },
    ],
  );
});

afterAll(async () => db?.destroy());

const projection = (seq: number, present: boolean, status: TrajectoryStatus): Projection => ({
  trajectoryId,
  events: [
    {
      seq,
      type: seq === 1 ? 'attendance_recorded' : 'attendance_corrected',
      date: '2027-04-06',
      data: { date: '2027-04-05', present },
    },
  ],
  snapshot: {
    seq,
    status,
    endDate: '2027-08-20',
    outcome: null,
    employers: [{ employerId: employer, from: '2027-04-05' }],
  },
  attendance: [
    {
      date: '2027-04-05',
      kind: 'placement',
      present,
      recordedOn: '2027-04-06',
      seq,
      ...(present ? { correctionReason: 'fout' } : { reason: 'sick' }),
    },
  ],
  checkpoints: [],
});

describe('projectTrajectory', () => {
  it(
    'writes each event once however often it is retried, and keeps the newest state when an older write ' +
      'arrives late',
    async () => {
      const { projectTrajectory } = createActivities({ db });
      await projectTrajectory(projection(1, false, 'active'));
      await projectTrajectory(projection(2, true, 'paused'));
      await projectTrajectory(projection(2, true, 'paused')); // a retry
      await projectTrajectory(projection(1, false, 'active')); // a late retry of the older write

      const events = await db
        .selectFrom('trajectory_event')
        .select(['seq', 'type'])
        .where('trajectory_id', '=', trajectoryId)
        .orderBy('seq')
        .execute();
      expect(events).toEqual([
        { seq: 1, type: 'attendance_recorded' },
        { seq: 2, type: 'attendance_corrected' },
      ]);
      const attendance = await db
        .selectFrom('attendance')
        .selectAll()
        .where('trajectory_id', '=', trajectoryId)
        .execute();
      expect(attendance).toEqual([expect.objectContaining({ present: true, correction_reason: 'fout', seq: 2 })]);
      // The counts behind the funders' attendance rate follow the correction: one day, attended.
      const row = await db
        .selectFrom('trajectory')
        .select(['status', 'projected_seq', 'days_recorded', 'days_attended'])
        .where('id', '=', trajectoryId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'paused', projected_seq: 2, days_recorded: 1, days_attended: 1 });
      const placements = await db
        .selectFrom('placement')
        .selectAll()
        .where('trajectory_id', '=', trajectoryId)
        .execute();
      expect(placements).toHaveLength(1);
    },
  );
});

describe('the projected plan', () => {
  const day = (date: string, planned: boolean) => ({
    date,
    week: 1,
    kind: 'placement' as const,
    planned,
    // Not planned: an ROC closure its school happened to call "pauze", which is not a pause.
    ...(planned ? {} : { off: 'closure' as const, reason: 'pauze' }),
  });
  const checkpoint = { key: 'intake', name: 'Intake', week: 1, weekStart: '2027-04-05', weekEnd: '2027-04-09' };
  const withPlan = (seq: number, days: ReturnType<typeof day>[]): Projection => ({
    ...projection(seq, true, 'active'),
    events: [],
    attendance: [],
    plan: { seq, days, checkpoints: [checkpoint] },
  });

  it('is replaced by a newer plan, never by an older one arriving late; a day off keeps its kind', async () => {
    const { projectTrajectory } = createActivities({ db });
    await projectTrajectory(withPlan(10, [day('2027-04-05', true), day('2027-04-12', true)]));
    // a pause moved the end
    await projectTrajectory(withPlan(11, [day('2027-04-05', true), day('2027-04-12', false), day('2027-04-19', true)]));
    await projectTrajectory(withPlan(10, [day('2027-04-05', true), day('2027-04-12', true)])); // late retry

    const days = await db
      .selectFrom('planned_day')
      .select(['date', 'planned', 'off', 'reason'])
      .where('trajectory_id', '=', trajectoryId)
      .orderBy('date')
      .execute();
    expect(days).toEqual([
      { date: '2027-04-05', planned: true, off: null, reason: null },
      { date: '2027-04-12', planned: false, off: 'closure', reason: 'pauze' },
      { date: '2027-04-19', planned: true, off: null, reason: null },
    ]);
    const checkpoints = await db
      .selectFrom('planned_checkpoint')
      .select(['key', 'week_end'])
      .where('trajectory_id', '=', trajectoryId)
      .execute();
    expect(checkpoints).toEqual([{ key: 'intake', week_end: '2027-04-09' }]);
  });
});

describe('attendance counts', () => {
  it('stay exact when recordings of one trajectory are projected at the same time', async () => {
    const { projectTrajectory } = createActivities({ db });
    const dates = Array.from({ length: 20 }, (_, i) => addDays('2027-05-03', i));
    // Twenty recordings at once (employer and ROC recording together, retries), each a day of its own.
    await Promise.all(
      dates.map((date, i) =>
        projectTrajectory({
          trajectoryId,
          events: [],
          checkpoints: [],
          snapshot: {
            seq: 100 + i,
            status: 'active',
            endDate: '2027-08-20',
            outcome: null,
            employers: [{ employerId: employer, from: '2027-04-05' }],
          },
          attendance: [
            {
              date,
              kind: 'placement',
              present: i % 4 !== 0,
              ...(i % 4 === 0 ? { reason: 'sick' as const } : {}),
              recordedOn: date,
              seq: 100 + i,
            },
          ],
        }),
      ),
    );
    const counted = await db
      .selectFrom('attendance')
      .select((eb) => [eb.fn.countAll<string>().as('n'), sql<string>`count(*) filter (where present)`.as('present')])
      .where('trajectory_id', '=', trajectoryId)
      .executeTakeFirstOrThrow();
    const kept = await db
      .selectFrom('trajectory')
      .select(['days_recorded', 'days_attended'])
      .where('id', '=', trajectoryId)
      .executeTakeFirstOrThrow();
    expect(kept).toEqual({ days_recorded: Number(counted.n), days_attended: Number(counted.present) });
  });
});
