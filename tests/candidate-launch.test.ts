// Launching a round's matched candidates into a cohort, on the real Temporal test server and PostgreSQL: the
// candidates become participants with their own references (K-…), their BSN hash and the employer they were
// matched with; their trajectories run. A candidate not matched, of another round or office, or launched before is
// refused naming it, and nobody starts then; a second launch adds nobody; another office's coordinator gets 404.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withKey } from './helpers/app';
import { startTestApi, type TestApi } from './helpers/api';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { addDays, isoWeekday, localDate } from '../domain/calendar';
import type { Json } from './helpers/json';

let api: TestApi;
let mine: Partners;
let theirs: Partners;
let coordinator: string;
let intruder: string;
let roundId: string;
let theirCandidate: string;
const byName: Record<string, { id: string; reference: string }> = {};

const call = (method: string, url: string, body?: unknown, token = coordinator) => api.call(method, url, body, token);
const letters = () => randomUUID().replace(/[^a-f]/g, '');
const today = localDate(Date.now());
const nextMonday = addDays(today, 8 - isoWeekday(today));

/** Takes a candidate through every step of WelSlagen's draaiboek to a match with `employerId`. */
async function match(id: string, employerId: string) {
  const steps: [string, string][] = [
    ['voorlichting', 'attended'],
    ['groepsintake', 'passed'],
    ['meeloopdag', 'positive'],
    ['vog', 'received'],
    ['selectie', 'selected'],
    ['match', 'matched'],
  ];
  for (const [step, outcome] of steps) {
    const res = await call('POST', `/v1/candidates/${id}/steps`, { step, outcome, on: today, employerId });
    expect(res.status, `${step}: ${JSON.stringify(res.json)}`).toBe(200);
  }
}

beforeAll(async () => {
  // Its own database: the worked example launches on the newest WelSlagen version, and other files running on a
  // shared database publish versions of their own (a 24-week one moved the end to 17 September once).
  api = await startTestApi({ ownDatabase: true });
  mine = await seedPartners(api.call);
  theirs = await seedPartners(api.call, 'Midden-Brabant');
  coordinator = await createKey(api.call, mine.officeId, 'coordinator');
  intruder = await createKey(api.call, theirs.officeId, 'coordinator');
  const round = await call('POST', '/v1/recruitment-rounds', {
    programmeId: 'welslagen',
    region: 'West-Brabant',
    name: 'Voorjaar',
  });
  roundId = (round.json as { id: string }).id;
  const added = await call('POST', `/v1/recruitment-rounds/${roundId}/candidates`, {
    candidates: [
      { firstName: 'Zoë', lastName: 'de Vries', email: `zoe.${letters()}@example.nl`, bsn: '111222333' },
      { firstName: 'Ahmed', lastName: 'Öztürk', email: `ahmed.${letters()}@example.nl`, sourceId: mine.gemeenteId },
      { firstName: 'Sanne', lastName: 'Jansen', email: `sanne.${letters()}@example.nl` },
    ],
  });
  expect(added.status).toBe(201);
  for (const c of (added.json as { candidates: { id: string; reference: string; firstName: string }[] }).candidates)
    byName[c.firstName] = c;
  await match(byName['Zoë']!.id, mine.employerIds[0]!);
  await match(byName.Ahmed!.id, mine.employerIds[1]!);
  // Another office's round, with a matched candidate of its own.
  const other = await call(
    'POST',
    '/v1/recruitment-rounds',
    { programmeId: 'welslagen', region: 'Midden-Brabant', name: 'Hun ronde' },
    intruder,
  );
  const theirRound = (other.json as { id: string }).id;
  theirCandidate = (
    (
      await call(
        'POST',
        `/v1/recruitment-rounds/${theirRound}/candidates`,
        { candidates: [{ firstName: 'Piet', lastName: 'Pieters', email: `piet.${letters()}@example.nl` }] },
        intruder,
      )
    ).json as { candidates: { id: string }[] }
  ).candidates[0]!.id;
}, 180_000);
afterAll(async () => api?.close());

const launch = (body: object) => ({
  covenantId: mine.covenantId,
  startDate: nextMonday,
  schoolWeekday: 'friday',
  jobcoachId: mine.jobcoachId,
  ...body,
});
const claimed = async () =>
  (
    await api.db
      .selectFrom('candidate')
      .select('id')
      .where('round_id', '=', roundId)
      .where('launch_cohort_id', 'is not', null)
      .execute()
  ).length;

describe('launching matched candidates into a cohort', () => {
  it('refuses a candidate not matched, naming it in Dutch, and starts nobody', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: `/v1/recruitment-rounds/${roundId}/cohort`,
      headers: { ...withKey(coordinator), 'accept-language': 'nl' },
      payload: launch({ candidateIds: [byName['Zoë']!.id, byName.Sanne!.id], benefitPayerId: mine.uwvId }),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      {
        field: 'candidateIds[1]',
        message:
          `${byName.Sanne!.reference} (Sanne Jansen) is niet gematcht met een werkplek ` + '(bij de stap voorlichting)',
      },
    ]);
    expect(await claimed()).toBe(0);
  });

  it("names another office's candidate exactly as an unknown one, and hides the round from that office", async () => {
    const theirs = await call(
      'POST',
      `/v1/recruitment-rounds/${roundId}/cohort`,
      launch({ candidateIds: [theirCandidate] }),
    );
    const unknown = await call('POST', `/v1/recruitment-rounds/${roundId}/cohort`, launch({ candidateIds: ['nope'] }));
    expect(theirs.status).toBe(422);
    expect((theirs.json as { errors: { message: string }[] }).errors[0]!.message).toBe(
      (unknown.json as { errors: { message: string }[] }).errors[0]!.message.replace('nope', theirCandidate),
    );
    const asIntruder = await call('POST', `/v1/recruitment-rounds/${roundId}/cohort`, launch({}), intruder);
    const missing = await call('POST', `/v1/recruitment-rounds/nope/cohort`, launch({}), intruder);
    expect([asIntruder.status, missing.status]).toEqual([404, 404]);
    expect(await claimed()).toBe(0);
  });

  it('asks for the benefit payer of a candidate who came from no funder, when the covenant has two', async () => {
    const res = await call('POST', `/v1/recruitment-rounds/${roundId}/cohort`, launch({}));
    expect(res.status).toBe(422);
    const errors = (res.json as { errors: { field: string; message: string }[] }).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain(byName['Zoë']!.reference);
    expect(await claimed()).toBe(0);
  });

  it('launches every matched candidate: trajectories run with their references, hash and employer', async () => {
    const key = randomUUID();
    const body = launch({ benefitPayerId: mine.uwvId });
    const send = () =>
      api.app.inject({
        method: 'POST',
        url: `/v1/recruitment-rounds/${roundId}/cohort`,
        headers: { ...withKey(coordinator), 'idempotency-key': key },
        payload: body,
      });
    const res = await send();
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json() as {
      cohort: { id: string; status: string; trajectories: { id: string; reference: string; workflowId: string }[] };
      candidates: { candidateId: string; reference: string; trajectoryId: string }[];
    };
    expect(out.cohort.status).toBe('launched');
    expect(out.cohort.trajectories.map((t) => t.reference).sort()).toEqual(
      [byName['Zoë']!.reference, byName.Ahmed!.reference].sort(),
    );
    const rows = await api.db
      .selectFrom('trajectory')
      .select(['id', 'reference', 'name', 'employer_id', 'benefit_payer_id', 'bsn_hash', 'jobcoach_id'])
      .where('cohort_id', '=', out.cohort.id)
      .execute();
    const zoe = rows.find((t) => t.reference === byName['Zoë']!.reference)!;
    const ahmed = rows.find((t) => t.reference === byName.Ahmed!.reference)!;
    const candidateHash = await api.db
      .selectFrom('candidate')
      .select('bsn_hash')
      .where('id', '=', byName['Zoë']!.id)
      .executeTakeFirstOrThrow();
    expect(zoe).toMatchObject({
      name: 'Zoë de Vries',
      employer_id: mine.employerIds[0],
      benefit_payer_id: mine.uwvId,
      jobcoach_id: mine.jobcoachId,
      bsn_hash: candidateHash.bsn_hash,
    });
    expect(zoe.bsn_hash).toMatch(/^[0-9a-f]{64}$/);
    // The gemeente that handed Ahmed over pays his benefit.
    expect(ahmed).toMatchObject({
      employer_id: mine.employerIds[1],
      benefit_payer_id: mine.gemeenteId,
      bsn_hash: null,
    });
    for (const t of out.cohort.trajectories) {
      const d = await api.env.client.workflow.getHandle(t.workflowId).describe();
      expect(d.status.name).toBe('RUNNING');
    }
    const marked = await api.db
      .selectFrom('candidate')
      .select(['id', 'trajectory_id'])
      .where('round_id', '=', roundId)
      .where('trajectory_id', 'is not', null)
      .execute();
    expect(Object.fromEntries(marked.map((m) => [m.id, m.trajectory_id]))).toEqual(
      Object.fromEntries(out.candidates.map((c) => [c.candidateId, c.trajectoryId])),
    );
    // The same request again is the same launch.
    const again = await send();
    expect(again.statusCode).toBe(201);
    expect((again.json() as { cohort: { id: string } }).cohort.id).toBe(out.cohort.id);
  });

  it('launches nobody twice: a second launch finds nobody waiting, and names a candidate launched before', async () => {
    const all = await call('POST', `/v1/recruitment-rounds/${roundId}/cohort`, launch({ benefitPayerId: mine.uwvId }));
    expect(all.status).toBe(422);
    expect((all.json as { errors: Json[] }).errors).toEqual([
      expect.objectContaining({ field: 'candidateIds', message: expect.stringContaining('no matched candidate') }),
    ]);
    const named = await call(
      'POST',
      `/v1/recruitment-rounds/${roundId}/cohort`,
      launch({ candidateIds: [byName['Zoë']!.id], benefitPayerId: mine.uwvId }),
    );
    expect(named.status).toBe(422);
    expect(JSON.stringify(named.json)).toContain(`${byName['Zoë']!.reference} (Zoë de Vries) was launched`);
    const trajectories = await api.db
      .selectFrom('trajectory')
      .select('id')
      .where('reference', 'in', [byName['Zoë']!.reference, byName.Ahmed!.reference])
      .execute();
    expect(trajectories).toHaveLength(2);
  });
});

describe("the README's worked example, extended to a recruitment round", () => {
  // The same requests, in the same order and with the same bodies, as the example in the README (ids of the
  // seeded partners in place of the installation's own).
  it('opens a round, adds the list, takes Zoë to a match and Ahmed out, and launches Zoë on 5 April 2027', async () => {
    const opened = await call('POST', '/v1/recruitment-rounds', {
      programmeId: 'welslagen',
      region: 'West-Brabant',
      name: 'West-Brabant voorjaar 2027',
    });
    expect(opened.status).toBe(201);
    const round = (opened.json as { id: string }).id;
    const list = await call('POST', `/v1/recruitment-rounds/${round}/candidates`, {
      candidates: [
        {
          firstName: 'Zoë',
          lastName: 'de Vries',
          dateOfBirth: '1994-03-02',
          email: `zoe.devries.${letters()}@example.nl`,
          bsn: '111222333',
          sourceId: mine.gemeenteId,
        },
        {
          firstName: 'Ahmed',
          lastName: 'Öztürk',
          dateOfBirth: '1989-11-20',
          email: `ahmed.ozturk.${letters()}@example.nl`,
          sourceId: mine.uwvId,
        },
      ],
    });
    expect(list.status).toBe(201);
    const [zoe, ahmed] = (list.json as { candidates: { id: string; reference: string; step: string }[] }).candidates;
    expect([zoe!.step, ahmed!.step]).toEqual(['voorlichting', 'voorlichting']);
    const zorggroep = mine.employerIds[0]!;
    for (const body of [
      { step: 'voorlichting', outcome: 'attended' },
      { step: 'groepsintake', outcome: 'passed' },
      { step: 'meeloopdag', outcome: 'positive', employerId: zorggroep },
      { step: 'vog', outcome: 'received' },
      { step: 'selectie', outcome: 'selected' },
      { step: 'match', outcome: 'matched', employerId: zorggroep },
    ])
      expect((await call('POST', `/v1/candidates/${zoe!.id}/steps`, { ...body, on: today })).status).toBe(200);
    expect((await call('GET', `/v1/candidates/${zoe!.id}`)).json).toMatchObject({
      status: 'matched',
      employerId: zorggroep,
    });
    await call('POST', `/v1/candidates/${ahmed!.id}/steps`, { step: 'voorlichting', outcome: 'attended', on: today });
    expect(
      (
        await call('POST', `/v1/candidates/${ahmed!.id}/steps`, {
          step: 'groepsintake',
          outcome: 'not_passed',
          on: today,
        })
      ).json,
    ).toMatchObject({ status: 'left', leftReason: 'not_suitable' });
    const launched = await call('POST', `/v1/recruitment-rounds/${round}/cohort`, {
      covenantId: mine.covenantId,
      startDate: '2027-04-05',
      schoolWeekday: 'thursday',
      jobcoachId: mine.jobcoachId,
    });
    expect(launched.status, JSON.stringify(launched.json)).toBe(201);
    const out = launched.json as {
      cohort: { startDate: string; trajectories: { reference: string; employerId: string; endDate: string }[] };
      candidates: { reference: string }[];
    };
    expect(out.cohort.startDate).toBe('2027-04-05');
    expect(out.cohort.trajectories).toEqual([
      expect.objectContaining({ reference: zoe!.reference, employerId: zorggroep }),
    ]);
    const again = await call('POST', `/v1/recruitment-rounds/${round}/cohort`, {
      covenantId: mine.covenantId,
      startDate: '2027-04-05',
      schoolWeekday: 'thursday',
      jobcoachId: mine.jobcoachId,
    });
    expect(again.status).toBe(422);
    // Twenty weeks from Monday 5 April 2027: the last day is Friday 20 August, as for WB-001 in the README.
    expect(out.cohort.trajectories[0]!.endDate).toBe('2027-08-20');
  });
});
