// The recruitment funnel through the API, on the real Temporal test server and PostgreSQL: twelve candidates driven
// through the draaiboek by the candidate process (steps recorded, some stopping, some leaving with a reason) give
// exact counts per step, reasons and days per step; the funders' figures hide every count of 1 to 4 and no hidden
// count can be worked out from what is shown; another office's coordinator gets 404 as for an unknown round; and
// the preview of a round's dates moves a deadline off Koningsdag and the cohort start off Tweede Pinksterdag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate, localInstant } from '../domain/calendar';
import { suppressFunnel, type Funnel } from '../domain/funnel';
import {
  enterRound,
  LEAVE_REASONS,
  recordStep,
  STEP_OUTCOMES,
  urgencyOf,
  WELSLAGEN_DRAAIBOEK,
  type CandidateState,
  type LeaveReason,
} from '../domain/recruitment';
import { withKey } from './helpers/app';
import { startTestApi, type TestApi } from './helpers/api';
import { createKey, seedPartners, type Partners } from './helpers/partners';

let api: TestApi;
let mine: Partners;
let coordinator: string;
let intruder: string;
let funder: string;
let roundId: string;
/** The day the candidates entered the round (the API's today). */
let T: string;

const call = (method: string, url: string, body?: unknown, token = coordinator) => api.call(method, url, body, token);
const letters = (n: number) => String.fromCharCode(...[...n.toString(8).padStart(3, '0')].map((d) => 97 + Number(d)));

beforeAll(async () => {
  api = await startTestApi({ ownDatabase: true });
  mine = await seedPartners(api.call);
  const theirs = await seedPartners(api.call, 'Midden-Brabant');
  coordinator = await createKey(api.call, mine.officeId, 'coordinator');
  intruder = await createKey(api.call, theirs.officeId, 'coordinator');
  funder = await createKey(api.call, mine.gemeenteId, 'funder');
  roundId = (
    await call('POST', '/v1/recruitment-rounds', { programmeId: 'welslagen', region: 'West-Brabant', name: 'Najaar' })
  ).json.id as string;
  T = localDate(Date.now());
  const added = await call('POST', `/v1/recruitment-rounds/${roundId}/candidates`, {
    candidates: Array.from({ length: 12 }, (_, i) => ({
      firstName: `Kandidaat ${letters(i)}`,
      lastName: `Achternaam ${letters(i)}`,
      dateOfBirth: `199${i % 10}-0${(i % 9) + 1}-1${i % 10}`,
    })),
  });
  expect(added.status, JSON.stringify(added.json)).toBe(201);
  const ids = (added.json.candidates as { id: string }[]).map((c) => c.id);
  const employerId = mine.employerIds[0]!;
  const step = async (i: number, s: string, outcome: string, on: string) => {
    const r = await call('POST', `/v1/candidates/${ids[i]}/steps`, { step: s, outcome, on, employerId });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
  };
  const leave = async (i: number, reason: string, on: string) => {
    const r = await call('POST', `/v1/candidates/${ids[i]}/leave`, { reason, on });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
  };
  // Voorlichting: all twelve at the session, two weeks after they entered.
  const session = addDays(T, 14);
  for (let i = 0; i < 12; i++) await step(i, 'voorlichting', 'attended', session);
  // Groepsintake: six pass (after 3, 3, 5, 7, 7, 9 days), three do not (after 4 days), three leave.
  const passDays = [3, 3, 5, 7, 7, 9];
  for (let i = 0; i < 6; i++) await step(i, 'groepsintake', 'passed', addDays(session, passDays[i]!));
  for (let i = 6; i < 9; i++) await step(i, 'groepsintake', 'not_passed', addDays(session, 4));
  await leave(9, 'found_work', addDays(session, 2));
  await leave(10, 'found_work', addDays(session, 6));
  await leave(11, 'health', addDays(session, 8));
  // Meeloopdag: five positive two days after their intake; the sixth has not been yet.
  for (let i = 0; i < 5; i++) await step(i, 'meeloopdag', 'positive', addDays(session, passDays[i]! + 2));
  // VOG: four received (after 10, 20, 20, 25 days), one refused after 28.
  const vogDays = [10, 20, 20, 25, 28];
  for (let i = 0; i < 5; i++)
    await step(i, 'vog', i === 4 ? 'refused' : 'received', addDays(session, passDays[i]! + 2 + vogDays[i]!));
  const vogOn = (i: number) => addDays(session, passDays[i]! + 2 + vogDays[i]!);
  for (let i = 0; i < 4; i++) await step(i, 'selectie', 'selected', addDays(vogOn(i), 1));
  for (let i = 0; i < 3; i++) await step(i, 'match', 'matched', addDays(vogOn(i), 5));
  await step(3, 'match', 'no_match', addDays(vogOn(3), 6));
  // A second round of the region: six candidates, all at the session, none further yet.
  const second = (
    await call('POST', '/v1/recruitment-rounds', { programmeId: 'welslagen', region: 'West-Brabant', name: 'Winter' })
  ).json.id as string;
  const more = await call('POST', `/v1/recruitment-rounds/${second}/candidates`, {
    candidates: Array.from({ length: 6 }, (_, i) => ({
      firstName: `Winter ${letters(i)}`,
      lastName: `Kandidaat ${letters(i)}`,
      dateOfBirth: `198${i}-1${i % 3}-2${i}`,
    })),
  });
  expect(more.status, JSON.stringify(more.json)).toBe(201);
  for (const c of more.json.candidates as { id: string }[]) {
    const r = await call('POST', `/v1/candidates/${c.id}/steps`, {
      step: 'voorlichting',
      outcome: 'attended',
      on: session,
    });
    expect(r.status).toBe(200);
  }
}, 300_000);
afterAll(async () => api?.close());

const zero = {
  no_interest: 0,
  no_show: 0,
  not_suitable: 0,
  vog_refused: 0,
  found_work: 0,
  health: 0,
  moved: 0,
  other: 0,
};

describe("a round's funnel", () => {
  it('counts per step who reached it, went on, left and why, and who is still there, with its days', async () => {
    const res = await call('GET', `/v1/recruitment-rounds/${roundId}/funnel`);
    expect(res.status).toBe(200);
    const f = res.json as { candidates: number; matched: number; steps: Record<string, unknown>[] };
    expect([f.candidates, f.matched]).toEqual([12, 3]);
    const counts = f.steps.map((s) => [s.step, s.entered, s.passed, s.left, s.inProgress]);
    expect(counts).toEqual([
      ['voorlichting', 12, 12, 0, 0],
      ['groepsintake', 12, 6, 6, 0],
      ['meeloopdag', 6, 5, 0, 1],
      ['vog', 5, 4, 1, 0],
      ['selectie', 4, 4, 0, 0],
      ['match', 4, 3, 1, 0],
    ]);
    expect(f.steps.map((s) => s.leftBy)).toEqual([
      zero,
      { ...zero, not_suitable: 3, found_work: 2, health: 1 },
      zero,
      { ...zero, vog_refused: 1 },
      zero,
      { ...zero, other: 1 },
    ]);
    expect(f.steps.map((s) => s.days)).toEqual([
      { n: 12, median: 14, q1: 14, q3: 14, min: 14, max: 14 },
      // 3, 3, 4, 4, 4, 5, 7, 7, 9: the three who left without an outcome do not count.
      { n: 9, median: 4, q1: 4, q3: 7, min: 3, max: 9 },
      { n: 5, median: 2, q1: 2, q3: 2, min: 2, max: 2 },
      { n: 5, median: 20, q1: 20, q3: 25, min: 10, max: 28 },
      { n: 4, median: 1, q1: 1, q3: 1, min: 1, max: 1 },
      // 4, 4, 4 matched and 5 no match: the median of four lies between the middle two.
      { n: 4, median: 4, q1: 4, q3: 4.3, min: 4, max: 5 },
    ]);
    // Counts only: no name or reference of any candidate.
    expect(JSON.stringify(res.json)).not.toMatch(/Kandidaat|Achternaam|K-[0-9A-F]{10}/);
  });

  it('downloads as CSV for Dutch Excel and as xlsx, one row per step', async () => {
    const csv = await api.app.inject({
      method: 'GET',
      url: `/v1/recruitment-rounds/${roundId}/funnel?format=csv-nl`,
      headers: { authorization: `Bearer ${coordinator}` },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toContain('trechter.csv');
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^Stap;Bereikt;Door naar de volgende stap;Gestopt;Gestopt: Geen interesse meer;/);
    expect(lines[2]).toMatch(/^Groepsintake;12;6;6;0;0;3;0;2;1;0;0;0;0;9;4;4;7;3;9$/);
    expect(lines[6]).toMatch(/;4,3;4;5$/);
    const xlsx = await api.app.inject({
      method: 'GET',
      url: `/v1/recruitment-rounds/${roundId}/funnel?format=xlsx`,
      headers: { authorization: `Bearer ${coordinator}` },
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it("is another office's nothing: 404 for its coordinator, as for an unknown round", async () => {
    const theirs = await call('GET', `/v1/recruitment-rounds/${roundId}/funnel`, undefined, intruder);
    const unknown = await call('GET', `/v1/recruitment-rounds/${roundId}x/funnel`, undefined, intruder);
    expect([theirs.status, unknown.status]).toEqual([404, 404]);
    expect(theirs.json.type).toBe(unknown.json.type);
    expect((await call('GET', `/v1/recruitment-rounds/${roundId}/funnel`, undefined, funder)).status).toBe(404);
  });
});

describe('the funders’ recruitment figures', () => {
  it('hide every count of 1 to 4, and the next smallest of its step, so none can be worked out', async () => {
    // Per round: the office's own coordinator (a funder gets programme and region only, below).
    const res = await call('GET', `/v1/recruitment-figures?roundId=${roundId}`);
    expect(res.status).toBe(200);
    const [g] = res.json.groups as {
      candidates: number | null;
      matched: number | null;
      steps: {
        step: string;
        entered: number | null;
        passed: number | null;
        left: number | null;
        inProgress: number | null;
        leftBy: Record<string, number | null>;
        medianDays: number | null;
      }[];
    }[];
    expect(g!.candidates).toBe(12);
    expect(g!.steps.map((s) => [s.step, s.entered, s.passed, s.left, s.inProgress, s.medianDays])).toEqual([
      ['voorlichting', 12, 12, 0, 0, 14],
      ['groepsintake', 12, 6, 6, 0, 4],
      // One still at the trial day: hidden, and the five who went on with it, or 6 - 5 would give it away.
      ['meeloopdag', 6, null, 0, null, null],
      // The five are the VOG's total: hidden, and so everything after it. No median beside a hidden count.
      ['vog', null, null, null, null, null],
      ['selectie', null, null, null, null, null],
      ['match', null, null, null, null, null],
    ]);
    expect(g!.matched).toBeNull();
    expect(g!.steps[1]!.leftBy).toEqual({ ...zero, not_suitable: null, found_work: null, health: null });
    // Whatever is shown: within a step never exactly one hidden count under a shown total, and a hidden passed
    // is never the next step's shown total.
    g!.steps.forEach((s, i) => {
      const hidden = [s.passed, s.left, s.inProgress].filter((v) => v === null).length;
      if (s.entered !== null) expect(hidden === 0 || hidden >= 2, s.step).toBe(true);
      if (s.left !== null) expect(Object.values(s.leftBy).filter((v) => v === null).length, s.step).not.toBe(1);
      if (s.passed === null && i + 1 < g!.steps.length) expect(g!.steps[i + 1]!.entered, s.step).toBeNull();
      for (const v of [s.entered, s.passed, s.left, s.inProgress, ...Object.values(s.leftBy)])
        expect(v === null || v === 0 || v >= 5).toBe(true);
    });
    expect(JSON.stringify(res.json)).not.toMatch(/Kandidaat|Achternaam|K-[0-9A-F]{10}/);
  });

  it('add up the rounds of a region, download for Dutch Excel, and show a coordinator only its own', async () => {
    const region = await call('GET', '/v1/recruitment-figures?per=region&programmeId=welslagen', undefined, funder);
    const mineGroup = (region.json.groups as { region: string; roundId: null; rounds: number }[]).find(
      (g) => g.region === 'West-Brabant',
    );
    // Added up per step: the second round's six are the six still at the intake.
    expect(mineGroup).toMatchObject({ roundId: null, rounds: 2, candidates: 18 });
    const steps = (mineGroup as unknown as { steps: { entered: number; passed: number; left: number }[] }).steps;
    expect(steps.slice(0, 2)).toEqual([
      expect.objectContaining({ entered: 18, passed: 18, left: 0, inProgress: 0 }),
      expect.objectContaining({ entered: 18, passed: 6, left: 6, inProgress: 6 }),
    ]);
    const csv = await api.app.inject({
      method: 'GET',
      url: `/v1/recruitment-figures?roundId=${roundId}&format=csv-nl`,
      headers: { authorization: `Bearer ${coordinator}` },
    });
    const rows = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(rows[3]).toMatch(/^welslagen;West-Brabant;Najaar;Meeloopdag bij een werkgever;6;< 5;0;/);
    const theirs = await call('GET', `/v1/recruitment-figures?roundId=${roundId}`, undefined, intruder);
    expect(theirs.json.groups).toEqual([]);
  });
});

describe("a funder's recruitment figures: one level only, so no round comes back by subtraction", () => {
  const region = 'Zuid-Oost';
  type Group = { roundId: string | null; rounds: number; candidates: number | null; region: string };

  async function round(name: string, n: number): Promise<string> {
    const id = (await call('POST', '/v1/recruitment-rounds', { programmeId: 'welslagen', region, name })).json
      .id as string;
    const added = await call('POST', `/v1/recruitment-rounds/${id}/candidates`, {
      candidates: Array.from({ length: n }, (_, i) => ({
        firstName: `${name} ${letters(i)}`,
        lastName: `Achternaam ${letters(i)}`,
        dateOfBirth: `197${i}-0${i + 1}-1${i}`,
      })),
    });
    expect(added.status, JSON.stringify(added.json)).toBe(201);
    // The projection writes the candidates' events shortly after: wait until the round counts all of them.
    for (let i = 0; i < 100; i++) {
      if ((await call('GET', `/v1/recruitment-rounds/${id}/funnel`)).json.candidates === n) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return id;
  }

  it('refuses a funder per round or one round in Dutch naming the field, and answers per region alone', async () => {
    const big = await round('Groot', 6);
    const small = await round('Klein', 3);
    const q = `programmeId=welslagen&region=${region}`;
    // The office's own coordinator still sees its rounds: six, and three hidden.
    const own = await call('GET', `/v1/recruitment-figures?${q}&per=round`);
    expect(own.status).toBe(200);
    const ownGroups = own.json.groups as Group[];
    expect(ownGroups.find((g) => g.roundId === big)!.candidates).toBe(6);
    expect(ownGroups.find((g) => g.roundId === small)!.candidates).toBeNull();
    // A funder: per round, or one round, is refused (422, the field named, in Dutch too); never a 500.
    for (const [url, field] of [
      [`/v1/recruitment-figures?${q}&per=round`, 'per'],
      [`/v1/recruitment-figures?${q}&per=round&format=csv-nl`, 'per'],
      [`/v1/recruitment-figures?roundId=${small}&per=region`, 'roundId'],
      [`/v1/recruitment-figures?roundId=${big}&format=xlsx`, 'roundId'],
    ] as const) {
      const res = await api.app.inject({
        method: 'GET',
        url,
        headers: { ...withKey(funder), 'accept-language': 'nl' },
      });
      expect(res.statusCode, url).toBe(422);
      const body = res.json() as { errors: { field: string; message: string }[] };
      expect(body.errors.map((e) => e.field)).toContain(field);
      expect(body.errors.find((e) => e.field === field)!.message).toMatch(/programmabureau/);
    }
    const english = await call('GET', `/v1/recruitment-figures?${q}&per=round`, undefined, funder);
    expect(english.json.errors).toEqual([
      { field: 'per', message: 'figures per round are for the coordinators of its own office; ask per=region' },
    ]);
    // Without per a funder gets the region: nine, and no round beside it to subtract.
    const answers = await Promise.all(
      [
        `/v1/recruitment-figures?${q}`,
        `/v1/recruitment-figures?${q}&per=region`,
        `/v1/recruitment-figures?region=${region}`,
        '/v1/recruitment-figures?programmeId=welslagen',
        '/v1/recruitment-figures',
      ].map((url) => call('GET', url, undefined, funder)),
    );
    const groups = answers.map((a) => {
      expect(a.status).toBe(200);
      expect(a.json.per).toBe('region');
      expect((a.json.groups as Group[]).every((g) => g.roundId === null)).toBe(true);
      return (a.json.groups as Group[]).find((g) => g.region === region)!;
    });
    expect(groups[0]).toMatchObject({ roundId: null, rounds: 2, candidates: 9 });
    // Whatever a funder asks, the region is the same figures: nothing to subtract one answer from another.
    for (const g of groups) expect(g).toEqual(groups[0]);
    expect(JSON.stringify(answers.map((a) => a.json))).not.toMatch(/Groot|Klein/);
  });
});

describe("a round's dates, previewed", () => {
  it('moves a deadline on Koningsdag to the working day before, and counts on from there', async () => {
    const res = await call('POST', '/v1/recruitment-rounds/preview', {
      programmeId: 'welslagen',
      informationSession: '2027-04-13',
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const p = res.json as { steps: { step: string; latest: string; holidays: { name: string }[] }[] };
    expect(p.steps.map((s) => [s.step, s.latest])).toEqual([
      ['voorlichting', '2027-04-13'],
      // 14 days after the session is Tuesday 27 April, Koningsdag: Monday 26 April.
      ['groepsintake', '2027-04-26'],
      ['meeloopdag', '2027-05-10'],
      ['vog', '2027-06-07'],
      ['selectie', '2027-06-14'],
      ['match', '2027-06-21'],
    ]);
    expect(p.steps[1]!.holidays.map((h) => h.name)).toEqual(['Koningsdag']);
    expect(res.json.cohortStart).toBe('2027-06-28');
  });

  it("is what the candidate's process does: each step done on its latest day is on time, then matched", async () => {
    const p = (
      await call('POST', '/v1/recruitment-rounds/preview', {
        programmeId: 'welslagen',
        informationSession: '2027-04-13',
      })
    ).json as { steps: { step: string; from: string; deadline: string; latest: string }[] };
    const d = WELSLAGEN_DRAAIBOEK;
    // A candidate entered on the first day the preview allows, through the draaiboek's own rules.
    let state: CandidateState = enterRound(d, p.steps[0]!.from);
    for (const [i, s] of p.steps.entries()) {
      expect([state.stepKey, state.dueOn], s.step).toEqual([s.step, s.deadline]);
      expect(urgencyOf(d, state, s.latest), s.step).not.toBe('overdue');
      const outcome = STEP_OUTCOMES[d.steps[i]!.kind][0];
      const r = recordStep(d, state, { step: s.step, outcome, on: s.latest, employerId: 'werkgever' });
      if (!('state' in r)) throw new Error(JSON.stringify(r.refusal));
      state = r.state;
    }
    expect(state.status).toBe('matched');
  });

  it('starts the cohort after Tweede Pinksterdag, and refuses a session on a holiday in Dutch', async () => {
    const res = await call('POST', '/v1/recruitment-rounds/preview', {
      programmeId: 'welslagen',
      informationSession: '2027-03-05',
    });
    expect(res.json.steps.at(-1).latest).toBe('2027-05-14');
    expect(res.json.cohortStart).toBe('2027-05-24');
    const holiday = await api.app.inject({
      method: 'POST',
      url: '/v1/recruitment-rounds/preview',
      headers: { ...withKey(coordinator), 'accept-language': 'nl' },
      payload: { programmeId: 'welslagen', informationSession: '2027-04-27' },
    });
    expect(holiday.statusCode).toBe(422);
    expect(holiday.headers['content-type']).toContain('application/problem+json');
    expect(holiday.json().errors).toEqual([
      {
        field: 'informationSession',
        message: '2027-04-27 is een feestdag (Koningsdag). De voorlichting moet op een werkdag zijn.',
      },
    ]);
  });
});

describe('the suppression of a funnel, on many funnels', () => {
  /**
   * What someone can work out from a shown funnel by subtraction: each step's entered = passed + left + still
   * there, its left = the sum of its reasons, a step's passed = the next step's entered, matched = the last passed.
   * Repeats filling in every relation with exactly one unknown until nothing changes; returns what was filled in.
   */
  function recovered(shown: ReturnType<typeof suppressFunnel>): number {
    const steps = shown.steps.map((s) => ({ ...s, leftBy: { ...s.leftBy } }));
    let found = 0;
    const solve = (sum: number | null, parts: (number | null)[], set: (i: number, v: number) => void) => {
      const unknown = parts.flatMap((p, i) => (p === null ? [i] : []));
      if (sum === null || unknown.length !== 1) return false;
      set(unknown[0]!, sum - parts.reduce<number>((a, b) => a + (b ?? 0), 0));
      found++;
      return true;
    };
    for (let changed = true; changed;) {
      changed = false;
      steps.forEach((s, i) => {
        const next = steps[i + 1];
        if (next && (s.passed === null) !== (next.entered === null)) {
          s.passed ??= next.entered;
          next.entered ??= s.passed;
          found++;
          changed = true;
        }
        const cells = [s.passed, s.left, s.inProgress];
        changed ||= solve(s.entered, cells, (k, v) => {
          if (k === 0) s.passed = v;
          else if (k === 1) s.left = v;
          else s.inProgress = v;
        });
        const reasons = Object.keys(s.leftBy);
        changed ||= solve(
          s.left,
          reasons.map((r) => s.leftBy[r]!),
          (k, v) => (s.leftBy[reasons[k]!] = v),
        );
      });
    }
    return found;
  }

  it('never leaves a hidden count that subtraction can recover', () => {
    let seed = 20;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const reasons = Object.keys(LEAVE_REASONS) as LeaveReason[];
    let hidden = 0;
    for (let run = 0; run < 500; run++) {
      let reach = random(40);
      const candidates = reach;
      const steps: Funnel['steps'] = [];
      for (let i = 0; i < 6; i++) {
        const entered = reach;
        const left = random(Math.min(entered, 6) + 1);
        const inProgress = random(entered - left + 1) % 5;
        const passed = entered - left - inProgress;
        const leftBy = Object.fromEntries(reasons.map((r) => [r, 0])) as Record<LeaveReason, number>;
        for (let k = 0; k < left; k++) leftBy[reasons[random(3)]!]++;
        const days = { n: 0, median: null, q1: null, q3: null, min: null, max: null };
        steps.push({ step: `s${i}`, name: `s${i}`, entered, passed, left, leftBy, inProgress, overdue: 0, days });
        reach = passed;
      }
      const shown = suppressFunnel({ candidates, matched: reach, steps });
      hidden += shown.steps.filter((s) => s.entered === null).length;
      expect(recovered(shown), JSON.stringify(steps.map((s) => [s.entered, s.passed, s.left]))).toBe(0);
      // And every shown count is what it was: 0, or at least 5.
      for (const s of shown.steps)
        for (const v of [s.entered, s.passed, s.left, s.inProgress, ...Object.values(s.leftBy)])
          expect(v === null || v === 0 || v >= 5).toBe(true);
    }
    // The check did meet hidden counts, many of them.
    expect(hidden).toBeGreaterThan(250);
  });
});

describe('a step past its deadline', () => {
  it('counts the candidate as still there and late, once the durable timer has fired', async () => {
    // The one still at the trial day reached it 23 days after entering; its 14 days end 37 days after.
    await api.env.sleep(localInstant(addDays(T, 38), 12) - (await api.env.currentTimeMs()));
    await expect
      .poll(
        async () => {
          const f = (await call('GET', `/v1/recruitment-rounds/${roundId}/funnel`)).json;
          return (f.steps as { step: string; inProgress: number; overdue: number }[]).map((s) => s.overdue);
        },
        { timeout: 20_000 },
      )
      .toEqual([0, 0, 1, 0, 0, 0]);
  });
});
