// Recording on trajectories through the API: attendance (single and a whole week), checkpoints, changes,
// BBL, closures; each checked in the workflow's answer, the schedule and the PostgreSQL projection.
// The cohort started two weeks ago, so "today" (the real clock, which the time-skipping server also
// keeps while nothing waits on a timer) is in week 3.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../api/app';
import type { Db } from '../db/connection';
import { addDays, localDate } from '../domain/calendar';
import { CohortIdKey, ProgrammeIdKey, RegionKey, TrajectoryStatusKey } from '../workflows/search-attributes';
import { startTestApi, type TestApi } from './helpers/api';
import { admin as auth, injectCall, withKey as key } from './helpers/app';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { seedPartners } from './helpers/partners';
import { untilStarted } from './helpers/seed';

let env: TestWorkflowEnvironment;
let api: TestApi;
let db: Db;
let app: App;
let school: string;
let employers: string[];
let trajectories: { id: string; reference: string; employerId: string }[];
const start = addDays(thisMonday(), -14);

const post = (url: string, payload: unknown, headers: Record<string, string> = key()) =>
  app.inject({ method: 'POST', url, headers, payload: payload as object });
const get = (url: string) => app.inject({ method: 'GET', url, headers: auth });

async function schedule(id: string) {
  const res = await get(`/v1/trajectories/${id}/schedule`);
  expect(res.statusCode).toBe(200);
  return (
    res.json().weeks as {
      week: number;
      days: { date: string; kind: string; status: string; reason?: string; correctionReason?: string }[];
    }[]
  ).flatMap((w) => w.days);
}

/** Planned days of week 2 (entirely in the past) of the given kind. */
async function pastDays(id: string, kind: 'placement' | 'school') {
  return (await schedule(id)).filter(
    (d) => d.kind === kind && d.status === 'planned' && d.date >= addDays(start, 7) && d.date < addDays(start, 14),
  );
}

beforeAll(async () => {
  api = await startTestApi();
  ({ db, env, app } = api);
  const partners = await seedPartners(injectCall(app));
  ({ schoolId: school, employerIds: employers } = partners);
  const res = await post('/v1/cohorts', cohortRequest({ ...partners, size: 6, startDate: start }));
  expect(res.statusCode).toBe(201);
  trajectories = res.json().trajectories;
  // The workflows start at once (the start date is past) and record it.
  await untilStarted(db, res.json().id);
});

afterAll(async () => {
  await api?.close();
});

describe('attendance', () => {
  it(
    'records a past planned day, refuses a future one ' + 'naming the field, and keeps a correction with its reason',
    async () => {
      const t = trajectories[0]!;
      const [day] = await pastDays(t.id, 'placement');
      const ok = await post(`/v1/trajectories/${t.id}/attendance`, {
        entries: [{ date: day!.date, kind: 'placement', present: false, reason: 'unexcused' }],
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ status: 'active' });

      const future = await post(`/v1/trajectories/${t.id}/attendance`, {
        entries: [{ date: addDays(localDate(Date.now()), 7), kind: 'placement', present: true }],
      });
      expect(future.statusCode).toBe(422);
      expect(future.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(future.json().errors).toEqual([
        { field: 'entries[0].date', message: expect.stringMatching(/in the future|not a placement day/) },
      ]);

      const again = await post(`/v1/trajectories/${t.id}/attendance`, {
        entries: [{ date: day!.date, kind: 'placement', present: true }],
      });
      expect(again.statusCode).toBe(422);
      expect(again.json().errors[0]).toMatchObject({ field: 'entries[0].correctionReason' });

      const corrected = await post(`/v1/trajectories/${t.id}/attendance`, {
        entries: [{ date: day!.date, kind: 'placement', present: true, correctionReason: 'verkeerd ingevoerd' }],
      });
      expect(corrected.statusCode).toBe(200);
      expect((await schedule(t.id)).find((d) => d.date === day!.date)).toMatchObject({
        status: 'attended',
        correctionReason: 'verkeerd ingevoerd',
      });

      const rows = await db.selectFrom('attendance').selectAll().where('trajectory_id', '=', t.id).execute();
      expect(rows).toEqual([
        expect.objectContaining({ date: day!.date, present: true, correction_reason: 'verkeerd ingevoerd' }),
      ]);
      const events = await db
        .selectFrom('trajectory_event')
        .select(['type', 'data'])
        .where('trajectory_id', '=', t.id)
        .orderBy('seq')
        .execute();
      expect(events.map((e) => e.type)).toEqual(['started', 'attendance_recorded', 'attendance_corrected']);
      expect(events[1]!.data).toMatchObject({ present: false, reason: 'unexcused' });
    },
  );

  it('replays a repeated request under the same Idempotency-Key without recording twice', async () => {
    const t = trajectories[1]!;
    const [day] = await pastDays(t.id, 'school');
    const headers = key();
    const body = { entries: [{ date: day!.date, kind: 'school', present: true }] };
    const first = await post(`/v1/trajectories/${t.id}/attendance`, body, headers);
    const second = await post(`/v1/trajectories/${t.id}/attendance`, body, headers);
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    const n = await db
      .selectFrom('trajectory_event')
      .select('seq')
      .where('trajectory_id', '=', t.id)
      .where('type', '=', 'attendance_recorded')
      .execute();
    expect(n).toHaveLength(1);
  });

  it('lets an employer record a whole week for its participants, all present except the listed absences', async () => {
    const employer = employers[1]!;
    const mine = trajectories.filter((t) => t.employerId === employer);
    const weekStart = addDays(start, 7);
    const absentee = mine[0]!;
    const [absentDay] = await pastDays(absentee.id, 'placement');
    const res = await post(`/v1/organisations/${employer}/attendance-weeks`, {
      weekStart,
      absences: [{ trajectoryId: absentee.id, date: absentDay!.date, reason: 'sick' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.kind).toBe('placement');
    expect(body.trajectories.map((t: { trajectoryId: string }) => t.trajectoryId).sort()).toEqual(
      mine.map((t) => t.id).sort(),
    );
    for (const t of mine) {
      const expected = (await schedule(t.id)).filter(
        (d) =>
          d.kind === 'placement' && d.date >= weekStart && d.date < addDays(weekStart, 7) && d.status !== 'not_planned',
      );
      expect(
        expected.every(
          (d) => d.status === (t.id === absentee.id && d.date === absentDay!.date ? 'absent' : 'attended'),
        ),
      ).toBe(true);
    }
    // Nothing is left to record for that week: a second call records nothing and lists what was there.
    const again = await post(`/v1/organisations/${employer}/attendance-weeks`, { weekStart, absences: [] });
    expect(
      again
        .json()
        .trajectories.every(
          (t: { present: string[]; alreadyRecorded: string[] }) =>
            t.present.length === 0 && t.alreadyRecorded.length > 0,
        ),
    ).toBe(true);
  });

  it("refuses a week with an absence for another employer's participant, recording nothing", async () => {
    const other = trajectories.find((t) => t.employerId === employers[1])!;
    const before = await db
      .selectFrom('attendance')
      .select('date')
      .where(
        'trajectory_id',
        'in',
        trajectories.map((t) => t.id),
      )
      .execute();
    const res = await post(`/v1/organisations/${employers[0]}/attendance-weeks`, {
      weekStart: addDays(start, 7),
      absences: [{ trajectoryId: other.id, date: addDays(start, 7), reason: 'sick' }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ field: 'absences[0].trajectoryId' });
    const after = await db
      .selectFrom('attendance')
      .select('date')
      .where(
        'trajectory_id',
        'in',
        trajectories.map((t) => t.id),
      )
      .execute();
    expect(after).toHaveLength(before.length);
    const tuesday = await post(`/v1/organisations/${employers[0]}/attendance-weeks`, {
      weekStart: addDays(start, 8),
      absences: [],
    });
    expect(tuesday.json().errors[0]).toMatchObject({ field: 'weekStart', message: 'must be a Monday' });
  });
});

describe('checkpoints, risks and the live view', () => {
  it(
    'shows an unrecorded intake as overdue, with its ' + 'reason, in the trajectory and in the cohort risk list',
    async () => {
      const t = trajectories[2]!;
      const res = await get(`/v1/trajectories/${t.id}`);
      expect(res.statusCode).toBe(200);
      const live = res.json().live;
      expect(live).toMatchObject({ status: 'active', week: 3 });
      expect(live.open.overdueCheckpoints.map((c: { key: string }) => c.key)).toEqual(['intake']);
      expect(live.risks).toContainEqual(
        expect.objectContaining({
          kind: 'checkpoint_overdue',
          key: 'intake',
          week: 1,
          reason: expect.stringContaining('Intake (0-meting) (week 1)'),
        }),
      );
      // Launched after its start date, it started on the day of launch.
      expect(res.json().events[0]).toMatchObject({ seq: 1, type: 'started', date: localDate(Date.now()) });

      const cohortId = (
        await db.selectFrom('trajectory').select('cohort_id').where('id', '=', t.id).executeTakeFirstOrThrow()
      ).cohort_id;
      const risks = await get(`/v1/cohorts/${cohortId}/risks`);
      expect(risks.statusCode).toBe(200);
      expect(
        risks
          .json()
          .items.find((i: { trajectoryId: string }) => i.trajectoryId === t.id)
          .risks.map((r: { kind: string }) => r.kind),
      ).toContain('checkpoint_overdue');
    },
  );

  it('records a checkpoint review and refuses a key the programme does not have', async () => {
    const t = trajectories[3]!;
    const ok = await post(`/v1/trajectories/${t.id}/checkpoints`, {
      key: 'intake',
      status: 'at_risk',
      note: 'Moeite met vroege diensten',
      trainerConfirmed: true,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const live = (await get(`/v1/trajectories/${t.id}`)).json().live;
    expect(live.open.overdueCheckpoints).toEqual([]);
    expect(live.risks).toContainEqual(
      expect.objectContaining({
        kind: 'checkpoint_at_risk',
        key: 'intake',
        reason: expect.stringContaining('checkpoint intake was recorded as at risk'),
      }),
    );
    const row = await db
      .selectFrom('checkpoint_review')
      .selectAll()
      .where('trajectory_id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ key: 'intake', status: 'at_risk', trainer_confirmed: true });

    const bad = await post(`/v1/trajectories/${t.id}/checkpoints`, {
      key: 'exam',
      status: 'on_track',
      note: 'x',
      trainerConfirmed: false,
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0]).toMatchObject({ field: 'key', message: 'no checkpoint exam in this programme' });
  });
});

describe('changes and BBL', () => {
  it('pauses and resumes, extending the end date by the paused working days', async () => {
    const t = trajectories[4]!;
    const before = (await get(`/v1/trajectories/${t.id}`)).json().live.endDate;
    const from = addDays(start, 7);
    expect((await post(`/v1/trajectories/${t.id}/changes`, { type: 'pause', from, reason: 'ziek' })).statusCode).toBe(
      200,
    );
    const resumed = await post(`/v1/trajectories/${t.id}/changes`, { type: 'resume', date: addDays(from, 7) });
    expect(resumed.statusCode, resumed.body).toBe(200);
    // Five working days paused: the end moves one working week.
    expect(resumed.json().endDate).toBe(addDays(before, 7));
    expect((await schedule(t.id)).filter((d) => d.status === 'paused').map((d) => d.date)).toEqual([
      from,
      addDays(from, 1),
      addDays(from, 2),
      addDays(from, 3),
    ]);
    expect(
      (await db.selectFrom('trajectory').select('end_date').where('id', '=', t.id).executeTakeFirstOrThrow()).end_date,
    ).toBe(addDays(before, 7));
  });

  it(
    'keeps the search attributes current, so the run ' + 'is findable by cohort, programme, region and status',
    async () => {
      const t = trajectories[4]!;
      const row = await db
        .selectFrom('trajectory')
        .select(['workflow_id', 'cohort_id'])
        .where('id', '=', t.id)
        .executeTakeFirstOrThrow();
      const { typedSearchAttributes: sa } = await env.client.workflow.getHandle(row.workflow_id).describe();
      expect(sa.get(CohortIdKey)).toBe(row.cohort_id);
      expect(sa.get(ProgrammeIdKey)).toBe('welslagen');
      expect(sa.get(RegionKey)).toBe('West-Brabant');
      expect(sa.get(TrajectoryStatusKey)).toBe('active');
    },
  );

  it('records a dropout with its week and reverts it within the grace period', async () => {
    const t = trajectories[5]!;
    const bad = await post(`/v1/trajectories/${t.id}/changes`, { type: 'dropout', reason: 'bored', text: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.some((e: { field: string }) => e.field.startsWith('reason'))).toBe(true);
    const out = await post(`/v1/trajectories/${t.id}/changes`, {
      type: 'dropout',
      reason: 'found_other_work',
      text: 'Vaste baan in de logistiek',
    });
    expect(out.json()).toMatchObject({ status: 'dropped_out' });
    expect((await get(`/v1/trajectories/${t.id}`)).json().live.outcome).toMatchObject({
      kind: 'dropout',
      reason: 'found_other_work',
      week: 3,
    });
    const back = await post(`/v1/trajectories/${t.id}/changes`, {
      type: 'dropout_revert',
      reason: 'verkeerde deelnemer',
    });
    expect(back.json()).toMatchObject({ status: 'active' });
    expect((await get(`/v1/trajectories/${t.id}`)).json().live.outcome).toBeUndefined();
  });

  it('refuses a BBL confirmation before the decision week', async () => {
    const res = await post(`/v1/trajectories/${trajectories[0]!.id}/bbl`, { by: 'school' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ field: 'by', message: 'the BBL decision opens in week 16' });
  });

  it('answers 404 for an unknown trajectory', async () => {
    expect((await post(`/v1/trajectories/${randomUUID()}/changes`, { type: 'resume', date: start })).statusCode).toBe(
      404,
    );
    expect((await get(`/v1/trajectories/${randomUUID()}/schedule`)).statusCode).toBe(404);
  });
});

describe('ROC closures', () => {
  it('makes the school days of a published closure "not planned", named, for running trajectories', async () => {
    const from = addDays(thisMonday(), 14);
    const res = await post(`/v1/organisations/${school}/closures`, { from, to: addDays(from, 4), name: 'Studieweek' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ schoolId: school, from, name: 'Studieweek', trajectoriesNotified: 6 });
    await expect
      .poll(async () =>
        (await schedule(trajectories[0]!.id)).find(
          (d) => d.kind === 'school' && d.date >= from && d.date <= addDays(from, 4),
        ),
      )
      .toMatchObject({ status: 'not_planned', reason: 'Studieweek' });
    expect((await get(`/v1/organisations/${school}/closures`)).json()).toMatchObject({
      items: [expect.objectContaining({ from, to: addDays(from, 4) })],
      total: 1,
    });
  });

  it('refuses a closure that ends before it begins, or one for an employer', async () => {
    const backwards = await post(`/v1/organisations/${school}/closures`, {
      from: '2027-01-10',
      to: '2027-01-01',
      name: 'x',
    });
    expect(backwards.json().errors).toEqual([{ field: 'to', message: 'must not be before from' }]);
    const employer = await post(`/v1/organisations/${employers[0]}/closures`, {
      from: '2027-01-01',
      to: '2027-01-02',
      name: 'x',
    });
    expect(employer.statusCode).toBe(422);
  });
});
