// Recruitment through the API, on the real Temporal test server and PostgreSQL: an office opens a round, adds the
// gemeente's list (all rows checked first: a BSN failing the elfproef, the same person twice, a near match a person
// must decide on; nothing added until every row is right), records the steps of the draaiboek and sees the round
// as a pipeline. A coordinator of another office gets 404 for every object of it, exactly as for an unknown id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../domain/calendar';
import { ADMIN_TOKEN, withKey } from './helpers/app';
import { startTestApi, type TestApi } from './helpers/api';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import type { Json } from './helpers/json';

let api: TestApi;
let mine: Partners;
let theirs: Partners;
let coordinator: string;
let intruder: string;
let roundId: string;

const call = (method: string, url: string, body?: unknown, token = coordinator) => api.call(method, url, body, token);

beforeAll(async () => {
  api = await startTestApi({ ownDatabase: true });
  mine = await seedPartners(api.call);
  theirs = await seedPartners(api.call, 'Midden-Brabant');
  coordinator = await createKey(api.call, mine.officeId, 'coordinator');
  intruder = await createKey(api.call, theirs.officeId, 'coordinator');
}, 120_000);
afterAll(async () => api?.close());

const zoe = { firstName: 'Zoë', lastName: 'de Vries', dateOfBirth: '1994-03-02', email: 'zoe@example.nl' };
const ahmed = { firstName: 'Ahmed', lastName: 'Öztürk', dateOfBirth: '1989-11-20', bsn: '111222333' };

describe('a recruitment round', () => {
  it('opens with the default draaiboek, and refuses an impossible one in Dutch on request', async () => {
    const bad = await api.app.inject({
      method: 'POST',
      url: '/v1/recruitment-rounds',
      headers: { ...withKey(coordinator), 'accept-language': 'nl' },
      payload: {
        programmeId: 'welslagen',
        region: 'West-Brabant',
        name: 'Voorjaar 2027',
        draaiboek: {
          steps: [{ key: 'a', kind: 'voorlichting', name: 'Voorlichting', withinDays: 7, remindDaysBefore: 1 }],
        },
      },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'draaiboek.steps[0].kind',
          message: expect.stringMatching(/^De laatste stap/),
        }),
      ]),
    );
    const made = await call('POST', '/v1/recruitment-rounds', {
      programmeId: 'welslagen',
      region: 'West-Brabant',
      name: 'Voorjaar 2027',
    });
    expect(made.status).toBe(201);
    roundId = (made.json as { id: string }).id;
    expect((made.json as { pipeline: { step: string }[] }).pipeline.map((p) => p.step)).toEqual([
      'voorlichting',
      'groepsintake',
      'meeloopdag',
      'vog',
      'selectie',
      'match',
    ]);
  });

  it('adds a list only when every row is right, naming each wrong row', async () => {
    const wrong = await call('POST', `/v1/recruitment-rounds/${roundId}/candidates`, {
      candidates: [
        zoe,
        { ...ahmed, bsn: '123456789' },
        { ...zoe, firstName: 'zoe' },
        { ...ahmed, sourceId: theirs.gemeenteId },
      ],
    });
    expect(wrong.status).toBe(422);
    const fields = (wrong.json as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['candidates[1].bsn', 'candidates[2]', 'candidates[3].sourceId']));
    expect(JSON.stringify(wrong.json)).not.toContain('123456789');
    expect((await call('GET', `/v1/recruitment-rounds/${roundId}`)).json).toMatchObject({ candidates: [] });

    const right = await call('POST', `/v1/recruitment-rounds/${roundId}/candidates`, {
      candidates: [zoe, { ...ahmed, sourceId: mine.gemeenteId }],
    });
    expect(right.status).toBe(201);
    const added = (right.json as { candidates: { reference: string; step: string; status: string }[] }).candidates;
    expect(added.map((c) => [c.step, c.status])).toEqual([
      ['voorlichting', 'in_progress'],
      ['voorlichting', 'in_progress'],
    ]);
    expect(added[0]!.reference).toMatch(/^K-[0-9A-F]{10}$/);
    expect(JSON.stringify(right.json)).not.toMatch(/111222333|bsn/i);
  });

  it('refuses the same person again, and a near match until a person says it is someone else', async () => {
    const round = (await call('GET', `/v1/recruitment-rounds/${roundId}`)).json as {
      candidates: { reference: string; firstName: string }[];
    };
    const zoeRef = round.candidates.find((c) => c.firstName === 'Zoë')!.reference;
    const again = await call('POST', `/v1/recruitment-rounds/${roundId}/candidates`, { candidates: [{ ...ahmed }] });
    expect(again.status).toBe(422);
    const typo = { ...zoe, lastName: 'de Vriess', email: 'zoe.devries@example.nl' };
    const near = await call('POST', `/v1/recruitment-rounds/${roundId}/candidates`, { candidates: [typo] });
    expect(near.status).toBe(422);
    expect(JSON.stringify(near.json)).toContain(zoeRef);
    const decided = await call('POST', `/v1/recruitment-rounds/${roundId}/candidates`, {
      candidates: [{ ...typo, distinctFrom: [zoeRef] }],
    });
    expect(decided.status).toBe(201);
  });

  it('records the steps, refuses another step with the reason, and shows the round as a pipeline', async () => {
    const round = (await call('GET', `/v1/recruitment-rounds/${roundId}`)).json as {
      candidates: { id: string; firstName: string; lastName: string }[];
    };
    const [first, second, third] = round.candidates;
    const today = localDate(Date.now()); // the Amsterdam day, as the API judges the step
    const step = (id: string, body: object) => call('POST', `/v1/candidates/${id}/steps`, { on: today, ...body });
    expect((await step(first!.id, { step: 'voorlichting', outcome: 'attended' })).status).toBe(200);
    const twoAhead = await api.app.inject({
      method: 'POST',
      url: `/v1/candidates/${second!.id}/steps`,
      headers: { ...withKey(coordinator), 'accept-language': 'nl' },
      payload: { step: 'selectie', outcome: 'selected', on: today },
    });
    expect(twoAhead.statusCode).toBe(422);
    expect(twoAhead.json().errors).toEqual([
      { field: 'step', message: 'De kandidaat is bij de stap voorlichting, niet bij selectie.' },
    ]);
    expect((await step(second!.id, { step: 'voorlichting', outcome: 'absent' })).json).toMatchObject({
      status: 'left',
      leftReason: 'no_show',
    });
    expect(
      (await call('POST', `/v1/candidates/${third!.id}/leave`, { reason: 'found_work', on: today })).json,
    ).toMatchObject({ status: 'left', leftReason: 'found_work', step: 'voorlichting' });
    expect((await step(third!.id, { step: 'voorlichting', outcome: 'attended' })).status).toBe(409);
    const pipeline = ((await call('GET', `/v1/recruitment-rounds/${roundId}`)).json as { pipeline: Json[] }).pipeline;
    expect(pipeline.slice(0, 2)).toEqual([
      { step: 'voorlichting', name: 'Voorlichtingsbijeenkomst', inProgress: 0, overdue: 0, left: 2 },
      { step: 'groepsintake', name: 'Groepsintake', inProgress: 1, overdue: 0, left: 0 },
    ]);
  });

  it("is another office's nothing: 404 for the round and its candidates, as for an unknown id", async () => {
    const round = (await call('GET', `/v1/recruitment-rounds/${roundId}`)).json as { candidates: { id: string }[] };
    const candidate = round.candidates[0]!.id;
    const attempts: [string, string, unknown?][] = [
      ['GET', `/v1/recruitment-rounds/${roundId}`],
      ['POST', `/v1/recruitment-rounds/${roundId}/candidates`, { candidates: [{ firstName: 'X', lastName: 'Y' }] }],
      ['GET', `/v1/candidates/${candidate}`],
      ['POST', `/v1/candidates/${candidate}/leave`, { reason: 'other', on: '2027-01-04' }],
    ];
    for (const [method, url, body] of attempts) {
      const theirs = await call(method, url, body, intruder);
      const unknown = await call(method, url.replace(roundId, 'nope').replace(candidate, 'nope'), body, intruder);
      expect([theirs.status, unknown.status], `${method} ${url}`).toEqual([404, 404]);
      expect((theirs.json as { type: string }).type).toBe((unknown.json as { type: string }).type);
    }
    // An employer of the office itself has no business here either.
    const employer = await createKey(api.call, mine.employerIds[0]!, 'employer');
    expect((await call('GET', `/v1/candidates/${candidate}`, undefined, employer)).status).toBe(404);
    expect((await call('GET', `/v1/candidates/${candidate}`, undefined, ADMIN_TOKEN)).status).toBe(200);
  });
});
