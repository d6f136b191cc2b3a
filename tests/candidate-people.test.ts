// The people who act on a candidate, through the API on the real Temporal test server and PostgreSQL: the office
// proposes an employer for the trial day and assigns a jobcoach; the proposed employer judges its own trial day and
// nothing else (another employer, another office's coordinator, a jobcoach not assigned: 404 as for an unknown
// candidate, and the process unchanged); employer and jobcoach read a minimised card; every read is audited by
// candidate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Principal } from '../api/auth';
import { partnerCandidates } from '../api/services/candidate-people';
import { addDays, localDate } from '../domain/calendar';
import { startTestApi, type TestApi } from './helpers/api';
import { withKey } from './helpers/app';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import type { Json } from './helpers/json';

let api: TestApi;
let mine: Partners;
let theirs: Partners;
const keys: Record<string, string> = {};
let candidate: string;
let other: string;
const today = localDate(Date.now());

const call = (name: string, method: string, url: string, body?: unknown) => api.call(method, url, body, keys[name]);
const get = async (name: string, id: string) => (await call(name, 'GET', `/v1/candidates/${id}`)).json as Json;

beforeAll(async () => {
  api = await startTestApi();
  mine = await seedPartners(api.call);
  theirs = await seedPartners(api.call, 'Zeeland');
  keys.coordinator = await createKey(api.call, mine.officeId, 'coordinator');
  keys.intruder = await createKey(api.call, theirs.officeId, 'coordinator');
  keys.employer = await createKey(api.call, mine.employerIds[0]!, 'employer');
  keys.otherEmployer = await createKey(api.call, mine.employerIds[1]!, 'employer');
  keys.jobcoach = await createKey(api.call, mine.officeId, 'jobcoach', mine.jobcoachId);
  keys.otherJobcoach = await createKey(api.call, mine.officeId, 'jobcoach', mine.otherJobcoachId);
  const round = (
    await call('coordinator', 'POST', '/v1/recruitment-rounds', {
      programmeId: 'welslagen',
      region: 'West-Brabant',
      name: 'Voorjaar 2027',
    })
  ).json as { id: string };
  const added = await call('coordinator', 'POST', `/v1/recruitment-rounds/${round.id}/candidates`, {
    candidates: [
      {
        firstName: 'Zoë',
        lastName: 'de Vries',
        dateOfBirth: '1994-03-02',
        email: 'zoe.devries@example.nl',
        bsn: '111222333',
        sourceId: mine.gemeenteId,
      },
      { firstName: 'Ahmed', lastName: 'Öztürk', dateOfBirth: '1989-11-20' },
    ],
  });
  [candidate, other] = (added.json as { candidates: { id: string }[] }).candidates.map((c) => c.id) as [string, string];
  for (const [step, outcome] of [
    ['voorlichting', 'attended'],
    ['groepsintake', 'passed'],
  ])
    expect(
      (await call('coordinator', 'POST', `/v1/candidates/${candidate}/steps`, { step, outcome, on: today })).status,
    ).toBe(200);
}, 120_000);
afterAll(async () => api?.close());

describe('the people around a candidate', () => {
  it("proposes an employer the office works with; refuses another office's employer in both languages", async () => {
    const foreign = await api.app.inject({
      method: 'POST',
      url: `/v1/candidates/${candidate}/proposal`,
      headers: { ...withKey(keys.coordinator!), 'accept-language': 'nl' },
      payload: { employerId: theirs.employerIds[0], on: today },
    });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().errors).toEqual([
      { field: 'employerId', message: `${theirs.employerIds[0]} is geen werkgever waarmee uw programmabureau werkt` },
    ]);
    const early = await call('coordinator', 'POST', `/v1/candidates/${candidate}/proposal`, {
      employerId: mine.employerIds[0],
      on: today,
      trialDayOn: '2020-01-01',
    });
    expect(early.status).toBe(422);
    expect((early.json as { errors: { field: string }[] }).errors[0]!.field).toBe('trialDayOn');
    const proposed = await call('coordinator', 'POST', `/v1/candidates/${candidate}/proposal`, {
      employerId: mine.employerIds[0],
      on: today,
      trialDayOn: today,
    });
    expect(proposed.status).toBe(200);
    expect(proposed.json).toMatchObject({
      step: 'meeloopdag',
      trialDay: { step: 'meeloopdag', employerId: mine.employerIds[0], trialDayOn: today, outcome: null },
    });
    const events = await api.db
      .selectFrom('candidate_event')
      .select('type')
      .where('candidate_id', '=', candidate)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['entered', 'step_recorded', 'step_recorded', 'proposed']);
  });

  it('shows the proposed employer a card without BSN hash, birth date, source, last name or e-mail', async () => {
    const card = await get('employer', candidate);
    expect(card).toMatchObject({ firstName: 'Zoë', step: 'meeloopdag', stepName: 'Meeloopdag bij een werkgever' });
    expect(Object.keys(card).sort()).toEqual(
      ['dueOn', 'firstName', 'id', 'overdue', 'reference', 'status', 'step', 'stepName', 'trialDay'].sort(),
    );
    const text = JSON.stringify(card);
    for (const secret of ['de Vries', '1994-03-02', 'zoe.devries@example.nl', mine.gemeenteId, 'bsn'])
      expect(text).not.toContain(secret);
    const full = await get('coordinator', candidate);
    expect(full).toMatchObject({ lastName: 'de Vries', dateOfBirth: '1994-03-02', sourceId: mine.gemeenteId });
    expect(JSON.stringify(full)).not.toMatch(/bsn/i);
  });

  it('lets only the proposed employer judge, its own trial day as itself; all else is unknown', async () => {
    const before = await api.db
      .selectFrom('candidate')
      .select(['seq', 'step'])
      .where('id', '=', candidate)
      .executeTakeFirst();
    const unknown = await call('employer', 'POST', '/v1/candidates/nope/steps', {
      step: 'meeloopdag',
      outcome: 'positive',
      on: today,
    });
    expect(unknown.status).toBe(404);
    const shape = (j: Json) => {
      const { detail: _d, instance: _i, requestId: _r, ...rest } = j as Record<string, unknown>;
      return rest;
    };
    const attempts: [string, string, object][] = [
      ['otherEmployer', candidate, { step: 'meeloopdag', outcome: 'negative', on: today }],
      ['intruder', candidate, { step: 'meeloopdag', outcome: 'negative', on: today, employerId: mine.employerIds[0] }],
      ['jobcoach', candidate, { step: 'meeloopdag', outcome: 'negative', on: today }],
      ['employer', candidate, { step: 'vog', outcome: 'received', on: today }],
      ['employer', candidate, { step: 'meeloopdag', outcome: 'negative', on: today, employerId: mine.employerIds[1] }],
      ['employer', other, { step: 'meeloopdag', outcome: 'negative', on: today }],
    ];
    for (const [who, id, body] of attempts) {
      const res = await call(who, 'POST', `/v1/candidates/${id}/steps`, body);
      expect([who, res.status], JSON.stringify(body)).toEqual([who, 404]);
      expect(shape(res.json)).toEqual(shape(unknown.json));
    }
    for (const who of ['otherEmployer', 'intruder', 'jobcoach', 'otherJobcoach'])
      expect((await call(who, 'GET', `/v1/candidates/${candidate}`)).status, who).toBe(404);
    expect(
      await api.db.selectFrom('candidate').select(['seq', 'step']).where('id', '=', candidate).executeTakeFirst(),
    ).toEqual(before);

    const judged = await call('employer', 'POST', `/v1/candidates/${candidate}/steps`, {
      step: 'meeloopdag',
      outcome: 'positive',
      on: today,
      note: 'Pakt het werk goed op',
    });
    expect(judged.status).toBe(200);
    expect(judged.json).toMatchObject({ step: 'vog', trialDay: { outcome: 'positive', judgedOn: today } });
    expect(JSON.stringify(judged.json)).not.toContain('de Vries');
    const full = (await get('coordinator', candidate)) as { history: Json[]; employerId: string };
    expect(full.employerId).toBe(mine.employerIds[0]);
    expect(full.history.at(-1)).toEqual({
      step: 'meeloopdag',
      outcome: 'positive',
      on: today,
      by: 'employer',
      note: 'Pakt het werk goed op',
    });
    // The trial day is behind the candidate: no new proposal.
    const late = await call('coordinator', 'POST', `/v1/candidates/${candidate}/proposal`, {
      employerId: mine.employerIds[1],
      on: today,
    });
    expect(late.status).toBe(422);
  });

  it('assigns a jobcoach, who then reads the card with the e-mail address, and only its own candidates', async () => {
    const wrong = await call('coordinator', 'POST', `/v1/candidates/${candidate}/jobcoach`, {
      jobcoachId: theirs.jobcoachId,
    });
    expect(wrong.status).toBe(422);
    expect(await get('jobcoach', candidate)).toMatchObject({ status: 404 });
    const assigned = await call('coordinator', 'POST', `/v1/candidates/${candidate}/jobcoach`, {
      jobcoachId: mine.jobcoachId,
    });
    expect(assigned.status).toBe(200);
    expect(assigned.json).toMatchObject({ jobcoachId: mine.jobcoachId });
    const card = await get('jobcoach', candidate);
    expect(card).toMatchObject({ reference: expect.stringMatching(/^K-/), email: 'zoe.devries@example.nl' });
    expect(JSON.stringify(card)).not.toMatch(/1994-03-02|de Vries/);
    expect((await call('otherJobcoach', 'GET', `/v1/candidates/${candidate}`)).status).toBe(404);
    expect((await call('jobcoach', 'GET', `/v1/candidates/${other}`)).status).toBe(404);
    expect(
      (await call('jobcoach', 'POST', `/v1/candidates/${candidate}/leave`, { reason: 'other', on: today })).status,
    ).toBe(404);
  });

  it('records every read and change of a candidate in the audit log, naming candidate and reader', async () => {
    const rows = await api.db
      .selectFrom('audit_event')
      .select(['actor', 'role', 'action', 'resource', 'resource_id', 'office_id', 'route'])
      .where('resource', '=', 'candidate')
      .where('resource_id', '=', candidate)
      .execute();
    const by = (role: string, action: string) => rows.filter((r) => r.role === role && r.action === action);
    expect(by('employer', 'read').length).toBeGreaterThan(0);
    expect(by('employer', 'change').map((r) => r.route)).toEqual(['POST /v1/candidates/:id/steps']);
    expect(by('jobcoach', 'read').length).toBeGreaterThan(0);
    expect(by('coordinator', 'change').map((r) => r.route)).toEqual(
      expect.arrayContaining(['POST /v1/candidates/:id/proposal', 'POST /v1/candidates/:id/jobcoach']),
    );
    expect(rows.every((r) => r.office_id === mine.officeId && r.actor.length > 0)).toBe(true);
    // Refused attempts of strangers show in the office's log too.
    expect(by('employer', 'denied').length).toBeGreaterThan(0);
  });

  it('shows the employer a candidate up to its trial day and 14 days after judging it; then unknown', async () => {
    const round = (
      await call('coordinator', 'POST', '/v1/recruitment-rounds', {
        programmeId: 'welslagen',
        region: 'West-Brabant',
        name: 'Najaar 2027',
      })
    ).json as { id: string };
    const added = await call('coordinator', 'POST', `/v1/recruitment-rounds/${round.id}/candidates`, {
      candidates: [
        { firstName: 'Lotte', lastName: 'Afgewezen', dateOfBirth: '1990-02-02', email: 'lotte.afgewezen@example.nl' },
        { firstName: 'Mees', lastName: 'Vertrokken', dateOfBirth: '1992-03-03', email: 'mees.vertrokken@example.nl' },
      ],
    });
    const [lotte, mees] = (added.json as { candidates: { id: string }[] }).candidates.map((c) => c.id) as [
      string,
      string,
    ];
    for (const id of [lotte, mees]) {
      for (const [step, outcome] of [
        ['voorlichting', 'attended'],
        ['groepsintake', 'passed'],
      ])
        expect(
          (await call('coordinator', 'POST', `/v1/candidates/${id}/steps`, { step, outcome, on: today })).status,
        ).toBe(200);
      const proposed = await call('coordinator', 'POST', `/v1/candidates/${id}/proposal`, {
        employerId: mine.employerIds[0],
        on: today,
      });
      expect(proposed.status, JSON.stringify(proposed.json)).toBe(200);
    }
    const employer: Principal = {
      actor: 'test-employer',
      role: 'employer',
      organisationId: mine.employerIds[0]!,
      contactId: null,
      officeId: mine.officeId,
    };
    const listed = async () =>
      (await partnerCandidates({ db: api.db }, employer))
        .map((x) => x.card.id)
        .filter((id) => id === lotte || id === mees);
    expect(await listed()).toEqual(expect.arrayContaining([lotte, mees]));
    const shape = (j: Json) => {
      const { detail: _d, instance: _i, requestId: _r, ...rest } = j as Record<string, unknown>;
      return rest;
    };
    const unknown = await call('employer', 'GET', '/v1/candidates/nope');

    // Mees leaves before the trial day: the employer never judged, the relation is over.
    expect(
      (await call('coordinator', 'POST', `/v1/candidates/${mees}/leave`, { reason: 'moved', on: today })).status,
    ).toBe(200);
    const gone = await call('employer', 'GET', `/v1/candidates/${mees}`);
    expect(gone.status).toBe(404);
    expect(shape(gone.json)).toEqual(shape(unknown.json));

    // Lotte's trial day is negative: she has left, and the employer still sees what it recorded for 14 days.
    const judged = await call('employer', 'POST', `/v1/candidates/${lotte}/steps`, {
      step: 'meeloopdag',
      outcome: 'negative',
      on: today,
    });
    expect(judged.json).toMatchObject({ status: 'left' });
    expect(await get('employer', lotte)).toMatchObject({ firstName: 'Lotte', status: 'left' });
    const judgedOn = (date: string) =>
      api.db
        .updateTable('candidate')
        .set({
          state: sql`jsonb_set(state, array['history', (jsonb_array_length(state->'history') - 1)::text, 'on'],
            to_jsonb(${date}::text))`,
        })
        .where('id', '=', lotte)
        .execute();
    await judgedOn(addDays(today, -14));
    expect((await call('employer', 'GET', `/v1/candidates/${lotte}`)).status).toBe(200);
    expect(await listed()).toEqual([lotte]);
    await judgedOn(addDays(today, -15));
    const later = await call('employer', 'GET', `/v1/candidates/${lotte}`);
    expect(later.status).toBe(404);
    expect(shape(later.json)).toEqual(shape(unknown.json));
    expect(await listed()).toEqual([]);
    // The office keeps reading both.
    for (const id of [lotte, mees]) expect((await call('coordinator', 'GET', `/v1/candidates/${id}`)).status).toBe(200);
  });
});
