// The coordinator's steering view, computed in SQL from the projected rows, against real workflows: every
// participant's risk signals in SQL equal the workflow's own, and the partner, checkpoint and week figures
// equal what the schedules show. The cohort started three weeks ago, so today is in week 4.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../api/app';
import type { Db } from '../db/connection';
import { addDays, localDate } from '../domain/calendar';
import { startTestApi, type TestApi } from './helpers/api';
import { admin, injectCall, withKey } from './helpers/app';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';
import { backfillPlans } from '../infra/plan-backfill';

let env: TestWorkflowEnvironment;
let api: TestApi;
let db: Db;
let app: App;
let partners: Partners;
let cohortId: string;
let coordinator: string;
let trajectories: { id: string; reference: string; employerId: string }[];
const start = addDays(thisMonday(), -21);
const today = localDate(Date.now());

type Day = { date: string; kind: 'placement' | 'school'; status: string };
const get = (url: string, token?: string) =>
  app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : admin });
const post = async (url: string, payload: object) => {
  const res = await app.inject({ method: 'POST', url, headers: withKey(), payload });
  expect(res.statusCode, `${url} ${res.body}`).toBe(200);
};
async function schedule(id: string): Promise<Day[]> {
  return ((await get(`/v1/trajectories/${id}/schedule`)).json().weeks as { days: Day[] }[]).flatMap((w) => w.days);
}
const past = (days: Day[], kind?: Day['kind']) =>
  days.filter((d) => d.status === 'planned' && d.date < today && (!kind || d.kind === kind));

beforeAll(async () => {
  // backfillPlans looks at every trajectory without a plan: only this file's
  api = await startTestApi({ ownDatabase: true });
  ({ db, env, app } = api);
  partners = await seedPartners(injectCall(app), 'Stuur');
  coordinator = await createKey(injectCall(app), partners.officeId, 'coordinator');
  const res = await app.inject({
    method: 'POST',
    url: '/v1/cohorts',
    headers: withKey(),
    payload: cohortRequest({ ...partners, size: 6, startDate: start }),
  });
  expect(res.statusCode, res.body).toBe(201);
  cohortId = res.json().id;
  trajectories = res.json().trajectories;
  await untilStarted(db, cohortId);

  const [all, unexcused, atRisk, lowAttendance, dropout] = trajectories;
  // Everything recorded, all present.
  const everyDay = past(await schedule(all!.id));
  for (let i = 0; i < everyDay.length; i += 10) {
    await post(`/v1/trajectories/${all!.id}/attendance`, {
      entries: everyDay.slice(i, i + 10).map((d) => ({ date: d.date, kind: d.kind, present: true })),
    });
  }
  // Two unexcused absences on the last two placement days.
  const lastTwo = past(await schedule(unexcused!.id), 'placement').slice(-2);
  await post(`/v1/trajectories/${unexcused!.id}/attendance`, {
    entries: lastTwo.map((d) => ({ date: d.date, kind: d.kind, present: false, reason: 'unexcused' })),
  });
  await post(`/v1/trajectories/${atRisk!.id}/checkpoints`, {
    key: 'intake',
    status: 'at_risk',
    note: 'Moeite met vroege diensten',
    trainerConfirmed: true,
  });
  // Six placement days, three of them sick: 50%, under the programme's 80%.
  const six = past(await schedule(lowAttendance!.id), 'placement').slice(0, 6);
  await post(`/v1/trajectories/${lowAttendance!.id}/attendance`, {
    entries: six.map((d, i) =>
      i % 2
        ? { date: d.date, kind: d.kind, present: false, reason: 'sick' }
        : { date: d.date, kind: d.kind, present: true },
    ),
  });
  await post(`/v1/trajectories/${dropout!.id}/changes`, {
    type: 'dropout',
    reason: 'motivation',
    text: 'Wil iets anders',
  });
}, 120_000);

afterAll(async () => {
  await api?.close();
});

describe('participants at risk', () => {
  it('are the ones the workflows themselves see, with the same reasons, computed in SQL', async () => {
    const res = await get(`/v1/steering/risks?cohortId=${cohortId}&limit=200`, coordinator);
    expect(res.statusCode, res.body).toBe(200);
    const fromSql = new Map<string, { kind: string; reason: string }[]>(
      res.json().items.map((i: { trajectoryId: string; risks: [] }) => [i.trajectoryId, i.risks]),
    );
    const sortRisks = (r: { kind: string; reason: string }[]) =>
      [...r].sort((a, b) => `${a.kind}${a.reason}`.localeCompare(`${b.kind}${b.reason}`));
    const kinds = new Set<string>();
    for (const t of trajectories) {
      const live = (await get(`/v1/trajectories/${t.id}`)).json().live as { risks: { kind: string; reason: string }[] };
      expect(sortRisks(fromSql.get(t.id) ?? []), t.reference).toEqual(sortRisks(live.risks));
      for (const r of live.risks) kinds.add(r.kind);
    }
    // The cohort was set up to raise every kind of signal, so the comparison covers each rule.
    expect([...kinds].sort()).toEqual([
      'checkpoint_at_risk',
      'checkpoint_overdue',
      'low_attendance',
      'unexcused_absences',
    ]);
    // The dropout has none: only running trajectories are at risk.
    expect(fromSql.has(trajectories[4]!.id)).toBe(false);
    // The cohort's own risk list is the same SQL.
    const cohortRisks = (await get(`/v1/cohorts/${cohortId}/risks?limit=200`))
      .json()
      .items.map((i: { trajectoryId: string }) => i.trajectoryId);
    expect(cohortRisks.sort()).toEqual([...fromSql.keys()].sort());
  });

  it('are audited: every participant listed is in the audit log', async () => {
    const res = await get(`/v1/steering/risks?cohortId=${cohortId}&limit=2`, coordinator);
    const listed = res.json().items.map((i: { trajectoryId: string }) => i.trajectoryId);
    expect(listed).toHaveLength(2);
    const rows = await db
      .selectFrom('audit_event')
      .select('trajectory_id')
      .where('request_id', '=', res.json().requestId ?? (res.headers['x-request-id'] as string))
      .execute();
    expect(rows.map((r) => r.trajectory_id).sort()).toEqual(listed.sort());
  });
});

describe('the steering view', () => {
  it('names each partner with its overdue registrations and checkpoints, as the schedules show them', async () => {
    const res = await get(`/v1/steering?cohortId=${cohortId}`, coordinator);
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    const running = trajectories.filter((_, i) => i !== 4);
    const expected = new Map<string, { days: number; checkpoints: number }>();
    const add = (org: string, days: number, checkpoints: number) => {
      const e = expected.get(org) ?? { days: 0, checkpoints: 0 };
      expected.set(org, { days: e.days + days, checkpoints: e.checkpoints + checkpoints });
    };
    for (const t of running) {
      const days = await schedule(t.id);
      add(t.employerId, past(days, 'placement').length, 0);
      add(partners.schoolId, past(days, 'school').length, 0);
      const overdue = (await get(`/v1/trajectories/${t.id}`)).json().live.open.overdueCheckpoints.length;
      add(partners.officeId, 0, overdue); // the jobcoaches are the office's own
    }
    const shown = Object.fromEntries(
      view.partners.map((p: { organisationId: string; overdueDays: number; overdueCheckpoints: number }) => [
        p.organisationId,
        { days: p.overdueDays, checkpoints: p.overdueCheckpoints },
      ]),
    );
    expect(shown).toEqual(Object.fromEntries([...expected].filter(([, v]) => v.days + v.checkpoints > 0)));
    // Most overdue first.
    const totals = view.partners.map(
      (p: { overdueDays: number; overdueCheckpoints: number }) => p.overdueDays + p.overdueCheckpoints,
    );
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    expect(view.risks.participants).toBe(5);
  });

  it('shows checkpoint completion: on time, late, overdue while running, missed by the dropout', async () => {
    const { checkpoints } = (await get(`/v1/steering?cohortId=${cohortId}`, coordinator)).json();
    const intake = checkpoints.find((c: { key: string }) => c.key === 'intake');
    // Recorded in week 4 for a week-1 checkpoint: late.
    expect(intake).toMatchObject({ planned: 6, due: 6, onTime: 0, late: 1, overdue: 4, missed: 1, completion: 0.167 });
    expect(checkpoints.find((c: { key: string }) => c.key === 'pop')).toMatchObject({
      due: 6,
      overdue: 5,
      missed: 1,
      completion: 0,
    });
    expect(checkpoints.find((c: { key: string }) => c.key === 'midterm')).toMatchObject({ due: 0, completion: null });
  });

  it('follows the cohort week by week: who was expected, what was recorded and attended, who left when', async () => {
    const { cohorts } = (await get(`/v1/steering?cohortId=${cohortId}`, coordinator)).json();
    expect(cohorts).toHaveLength(1);
    const weeks = cohorts[0].weeks as {
      week: number;
      from: string;
      participants: number;
      dueDays: number;
      recordedDays: number;
      attendedDays: number;
      dropouts: number;
    }[];
    expect(weeks[0]).toMatchObject({ week: 1, from: start, participants: 6 });
    const schedules = await Promise.all(trajectories.map((t) => schedule(t.id)));
    for (const w of weeks.filter((x) => x.week <= 3)) {
      const inWeek = schedules
        .flat()
        .filter((d) => d.date >= addDays(start, 7 * (w.week - 1)) && d.date < addDays(start, 7 * w.week));
      expect(w.recordedDays, `week ${w.week}`).toBe(
        inWeek.filter((d) => d.status === 'attended' || d.status === 'absent').length,
      );
      expect(w.attendedDays, `week ${w.week}`).toBe(inWeek.filter((d) => d.status === 'attended').length);
    }
    expect(weeks.find((w) => w.week === 4)?.dropouts).toBe(1);
    expect(weeks.reduce((n, w) => n + w.dropouts, 0)).toBe(1);
  });

  it('looks from another day with asOf: on the start date nothing was overdue yet', async () => {
    const view = (await get(`/v1/steering?cohortId=${cohortId}&asOf=${start}`, coordinator)).json();
    expect(view.partners).toEqual([]);
    expect(view.checkpoints.every((c: { overdue: number }) => c.overdue === 0)).toBe(true);
  });

  it('fills in the plan of a run that began before plans were projected, from the workflow itself', async () => {
    const before = (await get(`/v1/steering?cohortId=${cohortId}`, coordinator)).json();
    // As a trajectory started on the earlier version would stand: no plan rows.
    const t = trajectories[5]!.id;
    await db.deleteFrom('planned_day').where('trajectory_id', '=', t).execute();
    await db.deleteFrom('planned_checkpoint').where('trajectory_id', '=', t).execute();
    await db.updateTable('trajectory').set({ plan_seq: 0 }).where('id', '=', t).execute();
    expect((await get(`/v1/steering?cohortId=${cohortId}`, coordinator)).json().partners).not.toEqual(before.partners);
    expect(await backfillPlans(db, env.client)).toEqual({ filled: 1, failed: 0 });
    expect((await get(`/v1/steering?cohortId=${cohortId}`, coordinator)).json()).toEqual(before);
    expect(await backfillPlans(db, env.client)).toEqual({ filled: 0, failed: 0 });
  });

  it("shows another office's coordinator nothing of this cohort", async () => {
    const other = await seedPartners(injectCall(app), 'Elders');
    const otherCoordinator = await createKey(injectCall(app), other.officeId, 'coordinator');
    const view = (await get(`/v1/steering?cohortId=${cohortId}`, otherCoordinator)).json();
    expect(view).toMatchObject({ partners: [], checkpoints: [], cohorts: [], risks: { participants: 0 } });
    expect((await get(`/v1/steering/risks?cohortId=${cohortId}`, otherCoordinator)).json().items).toEqual([]);
  });
});
