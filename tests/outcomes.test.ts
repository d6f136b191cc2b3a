// Funders' figures: counts over the projected rows, filtered by programme, region, cohort and period, as
// JSON and CSV, with small cells suppressed so that none can be worked out from a total.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildApp, type App } from '../api/app';
import { connectPostgres, type Db } from '../db/connection';
import { insertCohort } from '../db/cohorts';
import { writeProjection } from '../db/trajectories';
import { writeFollowUp } from '../db/follow-ups';
import { injectCall, testDeps } from './helpers/app';
import { createKey, seedPartners, type Call, type Partners } from './helpers/partners';
import type { TrajectoryStatus } from '../domain/statuses';

let db: Db;
let app: App;
let call: Call;
let partners: Partners;
let cohortId: string;
let coordinator: string;
let funder: string;
let otherOfficeFunder: string;

/** Where each of twelve participants stands, as the projections would have written it. */
const STANDING: { status: TrajectoryStatus; outcome?: object }[] = [
  ...Array.from({ length: 7 }, () => ({ status: 'active' as const })),
  { status: 'dropped_out', outcome: { kind: 'dropout', reason: 'motivation', week: 2, date: '2027-04-14' } },
  { status: 'dropped_out', outcome: { kind: 'dropout', reason: 'motivation', week: 2, date: '2027-04-15' } },
  { status: 'dropped_out', outcome: { kind: 'dropout', reason: 'health', week: 3, date: '2027-04-20' } },
  { status: 'ended', outcome: { kind: 'bbl_doorstroom', bblStartDate: '2027-09-01' } },
  { status: 'ended', outcome: { kind: 'bbl_doorstroom', bblStartDate: '2027-09-01' } },
];

beforeAll(async () => {
  db = connectPostgres(inject('databaseUrl'), 3);
  // The figures are SQL only: a Temporal client that never connects is enough.
  app = await buildApp(testDeps(db, new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) })));
  call = injectCall(app);
  partners = await seedPartners(call, `Regio ${randomUUID().slice(0, 6)}`);
  cohortId = randomUUID();
  const ids = STANDING.map(() => randomUUID());
  await insertCohort(
    db,
    {
      id: cohortId,
      programme_id: 'welslagen',
      programme_version: 1,
      covenant_id: partners.covenantId,
      region: 'Figuren',
      start_date: '2027-04-05',
      school_id: partners.schoolId,
      status: 'launched',
    },
    STANDING.map((s, i) => ({
      id: ids[i]!,
      cohort_id: cohortId,
      reference: `F-${i}`,
      name: `Deelnemer ${i}`,
      email: `d${i}@example.nl`,
      employer_id: partners.employerIds[0]!,
      placement_weekdays: '["monday","tuesday","wednesday"]',
      school_weekday: 4,
      status: s.status,
      end_date: '2027-08-20',
      workflow_id: `trajectory-${ids[i]}`,
      outcome: s.outcome ? JSON.stringify(s.outcome) : null,
      benefit_payer_id: partners.gemeenteId,
    })),
  );
  // Attendance of six participants, 10 days each, 9 attended; checkpoint intake: 6 on track, 3 concerns, 1 at risk.
  // Through the projection the workflow runs, which also keeps each trajectory's attendance counts.
  for (const [n, t] of ids.slice(0, 6).entries()) {
    await writeProjection(db, {
      trajectoryId: t,
      events: [],
      checkpoints: [],
      snapshot: {
        seq: 10,
        status: 'active',
        endDate: '2027-08-20',
        outcome: null,
        employers: [{ employerId: partners.employerIds[0]!, from: '2027-04-05' }],
      },
      attendance: Array.from({ length: 10 }, (_, d) => ({
        date: `2027-04-${String(5 + d).padStart(2, '0')}`,
        kind: 'placement' as const,
        present: d !== n % 10,
        recordedOn: '2027-04-20',
        seq: 10,
      })),
    });
  }
  await db
    .insertInto('checkpoint_review')
    .values(
      ids.slice(0, 10).map((t, i) => ({
        trajectory_id: t,
        key: 'intake',
        status: i < 6 ? ('on_track' as const) : i < 9 ? ('concerns' as const) : ('at_risk' as const),
        note: '',
        trainer_confirmed: true,
        recorded_on: '2027-04-08',
        seq: 20,
      })),
    )
    .execute();
  // Follow-up at 3 months of six participants, as the follow-up workflow writes it: five still employed, one not; all
  // six still enrolled.
  for (const [i, t] of ids.slice(0, 6).entries()) {
    await writeFollowUp(db, {
      trajectoryId: t,
      employerId: partners.employerIds[0]!,
      asksSchool: true,
      seq: 3,
      round: {
        months: 3,
        dueOn: '2027-12-01',
        closesOn: '2027-12-29',
        status: 'closed',
        employed: i < 5,
        employedOn: '2027-12-02',
        enrolled: true,
        enrolledOn: '2027-12-03',
      },
    });
  }
  coordinator = await createKey(call, partners.officeId, 'coordinator');
  funder = await call(
    'POST',
    '/v1/api-keys',
    { organisationId: partners.gemeenteId, role: 'funder', label: 'gemeente' },
    coordinator,
  ).then((r) => r.json.secret);
  const other = await seedPartners(call, 'Elders');
  otherOfficeFunder = await call(
    'POST',
    '/v1/api-keys',
    { organisationId: other.gemeenteId, role: 'funder', label: 'elders' },
    await createKey(call, other.officeId, 'coordinator'),
  ).then((r) => r.json.secret);
});

afterAll(async () => {
  await app?.close();
  await db?.destroy();
});

describe('outcome figures', () => {
  it('count where everyone stands, and hide the small cells and the next smallest beside them', async () => {
    const res = await call('GET', `/v1/outcomes?cohortId=${cohortId}`, undefined, funder);
    expect(res.status).toBe(200);
    const f = res.json;
    expect(f.started).toBe(12);
    // 3 dropouts and 2 doorstroom are small; with two cells hidden, neither follows from 12 - 7.
    expect(f.participants).toEqual({
      planned: 0,
      active: 7,
      paused: 0,
      awaiting_bbl: 0,
      bbl_doorstroom: null,
      job_without_bbl: 0,
      no_doorstroom: 0,
      dropout: null,
    });
    expect(f.dropoutByReason).toEqual({ motivation: null, health: null });
    expect(f.dropoutByWeek).toEqual({ 2: null, 3: null });
    expect(f.attendance).toEqual({ participants: 6, recordedDays: 60, rate: 0.9 });
    expect(f.checkpoints).toEqual({ intake: { on_track: 6, concerns: null, at_risk: null } });
    // One "no" is small, so the five "yes" go too (or 6 - 5 would give it away); six still enrolled is shown.
    expect(f.followUp).toEqual({
      3: {
        asked: 6,
        employed: { yes: null, no: null, noAnswer: 0, open: 0 },
        enrolmentAsked: 6,
        enrolled: { yes: 6, no: 0, noAnswer: 0, open: 0 },
      },
    });
  });

  it('are there as CSV, one row per figure, suppressed counts empty', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/v1/outcomes?cohortId=${cohortId}&format=csv`,
      headers: { authorization: `Bearer ${funder}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toBe('figure,category,count');
    expect(lines).toEqual(
      expect.arrayContaining([
        'started,,12',
        'participants,active,7',
        'participants,dropout,',
        'attendance,rate,0.9',
        'checkpoint_intake,on_track,6',
        'follow_up_3m,asked,6',
        'follow_up_3m_employed,yes,',
        'follow_up_3m_enrolled,yes,6',
      ]),
    );
    const viaAccept = await app.inject({
      method: 'GET',
      url: `/v1/outcomes?cohortId=${cohortId}`,
      headers: { authorization: `Bearer ${funder}`, accept: 'text/csv' },
    });
    expect(viaAccept.body).toBe(res.body);
  });

  it('filter by programme, region and period, and never reach another programme office', async () => {
    expect(
      (
        await call(
          'GET',
          `/v1/outcomes?programmeId=welslagen&region=Figuren&from=2027-04-01&to=2027-04-30`,
          undefined,
          coordinator,
        )
      ).json.started,
    ).toBe(12);
    expect(
      (await call('GET', `/v1/outcomes?region=Figuren&from=2027-05-01`, undefined, coordinator)).json.started,
    ).toBe(0);
    expect((await call('GET', `/v1/outcomes?cohortId=${cohortId}`, undefined, otherOfficeFunder)).json.started).toBe(0);
  });

  it('answer an empty selection with zeros, and are not for employers (403)', async () => {
    const f = (await call('GET', `/v1/outcomes?region=Figuren&programmeId=bestaat-niet`, undefined, coordinator)).json;
    expect(f.started).toBe(0);
    const employerKey = await createKey(call, partners.employerIds[0]!, 'employer');
    expect((await call('GET', '/v1/outcomes', undefined, employerKey)).status).toBe(403);
  });
});
