// Keeping the benefit (issue 21, part 1) through the API, on the real Temporal test server and PostgreSQL: the
// instrument each participant keeps the benefit under, a change refused when it would carry the participant past
// its maximum (Dutch on request, the field named), accepted once the payer recorded an extension decision, the
// preview saying the same before anything is recorded, and a gemeente's monthly provisions, its own only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import { dutchHolidays } from '../activities/holidays';
import { isWeekStart } from '../activities/reminders';
import { createMailer, type Mailer } from '../infra/mail';
import { addDays, addMonths, isWorkingDay, localDate, localInstant } from '../domain/calendar';
import { dutchDay } from '../domain/dutch';
import { startTestApi, type TestApi } from './helpers/api';
import { withKey } from './helpers/app';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import type { Json } from './helpers/json';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';
import { startSmtp, type TestSmtp } from './helpers/smtp';
import { skipToMorning } from './helpers/temporal';

let api: TestApi;
let A: Partners;
let B: Partners;
const keys: Record<'coordinator' | 'gemeente' | 'uwv' | 'otherGemeente' | 'otherCoordinator', string> = {
  coordinator: '',
  gemeente: '',
  uwv: '',
  otherGemeente: '',
  otherCoordinator: '',
};
const start = addDays(thisMonday(), -14);
/** Participant 0: the gemeente's werkervaringsplaats by default; 1: the UWV proefplaatsing; 2: none recorded. */
let cohort: { id: string; trajectories: { id: string; reference: string; endDate: string }[] };
const today = localDate(Date.now());

const call = (method: string, url: string, body: unknown, token: string, nl = false) =>
  api.app.inject({
    method: method as 'POST',
    url,
    headers: { ...withKey(token), ...(nl && { 'accept-language': 'nl' }) },
    payload: body as object,
  });
const get = (url: string, token: string) =>
  api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  api = await startTestApi({ ownDatabase: true });
  A = await seedPartners(api.call);
  B = await seedPartners(api.call, 'Zeeland');
  keys.coordinator = await createKey(api.call, A.officeId, 'coordinator');
  keys.otherCoordinator = await createKey(api.call, B.officeId, 'coordinator');
  keys.gemeente = await createKey(api.call, A.gemeenteId, 'funder');
  keys.uwv = await createKey(api.call, A.uwvId, 'funder');
  keys.otherGemeente = await createKey(api.call, B.gemeenteId, 'funder');
  const request = cohortRequest({ ...A, size: 3, startDate: start });
  request.participants[0]!.benefit = {};
  request.participants[1]!.benefit = { decisionDate: addDays(start, -10) };
  const launched = await call('POST', '/v1/cohorts', request, keys.coordinator);
  expect(launched.statusCode, launched.body).toBe(201);
  cohort = launched.json();
  await untilStarted(api.db, cohort.id);
}, 120_000);
afterAll(async () => api?.close());

const gemeenteOne = () => cohort.trajectories[0]!;
const uwvOne = () => cohort.trajectories[1]!;

describe('the instrument per participant', () => {
  it("defaults at launch from the payer's kind under the region's rule set, and none when left out", async () => {
    const w = await get(`/v1/trajectories/${gemeenteOne().id}/benefit`, keys.coordinator);
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json()).toMatchObject({
      instrument: 'werkervaringsplaats',
      ruleSet: 'west-brabant',
      startDate: start,
      decisionDate: start,
      // West-Brabant's illustrative cap: 3 months, the last day covered the day before the same date 3 months on.
      check: { maximumEnd: addDays(addMonths(start, 3), -1), ceiling: addDays(addMonths(start, 6), -1) },
    });
    expect(w.json().legalBasis).toMatch(/Participatiewet/);
    const u = await get(`/v1/trajectories/${uwvOne().id}/benefit`, keys.uwv);
    expect(u.json()).toMatchObject({
      instrument: 'uwv_proefplaatsing',
      ruleSet: 'uwv',
      decisionDate: addDays(start, -10),
      check: { maximumEnd: addDays(addMonths(start, 2), -1), pastMaximum: true },
    });
    expect(u.json().legalBasis).toMatch(/UWV proefplaatsing/);
    expect((await get(`/v1/trajectories/${cohort.trajectories[2]!.id}/benefit`, keys.coordinator)).statusCode).toBe(
      404,
    );
  });

  it('refuses at launch an instrument the payer does not have, naming the field', async () => {
    const request = cohortRequest({ ...A, size: 2, startDate: thisMonday() });
    request.participants[1]!.benefit = { instrument: 'werkervaringsplaats' }; // participant 1's payer is the UWV
    const res = await call('POST', '/v1/cohorts', request, keys.coordinator, true);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      expect.objectContaining({ field: 'participants[1].benefit.instrument', message: expect.stringMatching(/^het/) }),
    ]);
  });
});

describe('a change past the maximum', () => {
  /** The planned end as the workflow has it now. */
  const plannedEnd = async (id: string) =>
    (await get(`/v1/trajectories/${id}`, keys.coordinator)).json().live.endDate as string;

  it('is refused for a pause while the maximum ends with the plan, and the preview says the same', async () => {
    const t = gemeenteOne();
    const end = await plannedEnd(t.id);
    // The payer extends exactly to the planned end: nothing is left for a pause.
    const x = await call(
      'POST',
      `/v1/trajectories/${t.id}/benefit-extensions`,
      {
        until: end,
        decidedOn: today,
        reference: 'WB-BESLUIT-1',
      },
      keys.gemeente,
    );
    expect(x.statusCode, x.body).toBe(201);
    expect(x.json().check).toMatchObject({ maximumEnd: end, pastMaximum: false });

    const pause = { type: 'pause', from: today, reason: 'Zorg voor een familielid' };
    const preview = await call('POST', `/v1/trajectories/${t.id}/change-previews`, pause, keys.coordinator);
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json() as Json;
    expect(p.accepted).toBe(false);
    expect(p.endBefore).toBe(end);
    expect(p.endAfter > end).toBe(true);
    expect(p.benefit).toMatchObject({ pastMaximum: true, maximumEnd: end, plannedEnd: p.endAfter });

    const refused = await call('POST', `/v1/trajectories/${t.id}/changes`, pause, keys.coordinator, true);
    expect(refused.statusCode).toBe(422);
    const [error] = refused.json().errors;
    expect(error.field).toBe('from');
    // The same words as the preview's, in Dutch, naming the instrument and both dates.
    expect(error.message).toBe(p.errors[0].nl);
    expect(error.message).toMatch(/^het traject zou eindigen op .*werkervaringsplaats.*loopt tot en met/);
    expect(error.message).toContain(`loopt tot en met ${dutchDay(end)}`);
    expect(error.message).toContain(`eindigen op ${dutchDay(p.endAfter)}`);
    expect(await plannedEnd(t.id)).toBe(end); // nothing recorded
    const events = (await get(`/v1/trajectories/${t.id}`, keys.coordinator)).json().events as { type: string }[];
    expect(events.some((e) => e.type === 'paused')).toBe(false);
  });

  it('refuses an extension in weeks until the payer decided, then accepts it', async () => {
    const t = gemeenteOne();
    const end = await plannedEnd(t.id);
    const extension = { type: 'extension', weeks: 1, reason: 'Achterstand na ziekte' };
    const refused = await call('POST', `/v1/trajectories/${t.id}/changes`, extension, keys.coordinator);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0]).toMatchObject({ field: 'weeks' });
    expect(refused.json().errors[0].message).toContain(end);

    // The payer decides an extension of two weeks; a repeat of the same request records it once.
    const headers = withKey(keys.gemeente);
    const decision = { until: addDays(end, 14), decidedOn: today };
    for (let i = 0; i < 2; i++) {
      const res = await api.app.inject({
        method: 'POST',
        url: `/v1/trajectories/${t.id}/benefit-extensions`,
        headers,
        payload: decision,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const rows = await api.db.selectFrom('benefit_extension').selectAll().where('trajectory_id', '=', t.id).execute();
    expect(rows.map((r) => r.until).sort()).toEqual([end, addDays(end, 14)]);

    const preview = await call('POST', `/v1/trajectories/${t.id}/change-previews`, extension, keys.coordinator);
    expect(preview.json()).toMatchObject({
      accepted: true,
      endAfter: addDays(end, 7),
      errors: [],
      benefit: { pastMaximum: false, maximumEnd: addDays(end, 14) },
    });
    const accepted = await call('POST', `/v1/trajectories/${t.id}/changes`, extension, keys.coordinator);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().endDate).toBe(addDays(end, 7));
    expect(await plannedEnd(t.id)).toBe(addDays(end, 7));
  });

  it("refuses an extension decision past the rule's ceiling, naming until", async () => {
    const res = await call(
      'POST',
      `/v1/trajectories/${gemeenteOne().id}/benefit-extensions`,
      { until: addMonths(start, 7), decidedOn: today },
      keys.gemeente,
      true,
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ field: 'until', message: expect.stringMatching(/uiterlijk/) });
  });

  it('refuses an employer change while the plan lies past the UWV proefplaatsing, until UWV extends it', async () => {
    const t = uwvOne();
    const change = { type: 'employer_change', employerId: A.employerIds[0], from: addDays(today, 1) };
    const refused = await call('POST', `/v1/trajectories/${t.id}/changes`, change, keys.coordinator);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0].field).toBe('from');
    expect(refused.json().errors[0].message).toMatch(/uwv_proefplaatsing/);
    const end = await plannedEnd(t.id);
    const x = await call(
      'POST',
      `/v1/trajectories/${t.id}/benefit-extensions`,
      {
        until: end,
        decidedOn: today,
      },
      keys.uwv,
    );
    expect(x.statusCode, x.body).toBe(201);
    const accepted = await call('POST', `/v1/trajectories/${t.id}/changes`, change, keys.coordinator);
    expect(accepted.statusCode, accepted.body).toBe(200);
  });

  it('leaves a participant without a recorded instrument as before', async () => {
    const t = cohort.trajectories[2]!;
    const res = await call(
      'POST',
      `/v1/trajectories/${t.id}/changes`,
      {
        type: 'extension',
        weeks: 1,
        reason: 'Meer tijd nodig',
      },
      keys.coordinator,
    );
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('who sees and records it', () => {
  it('the payer and the office; another gemeente or office gets 404 as for an unknown one', async () => {
    const url = `/v1/trajectories/${gemeenteOne().id}/benefit`;
    expect((await get(url, keys.gemeente)).statusCode).toBe(200);
    expect((await get(url, keys.uwv)).statusCode).toBe(404); // not this participant's payer
    expect((await get(url, keys.otherGemeente)).statusCode).toBe(404);
    expect((await get(url, keys.otherCoordinator)).statusCode).toBe(404);
    const unknown = await get('/v1/trajectories/onbekend-traject/benefit', keys.otherGemeente);
    expect(unknown.statusCode).toBe(404);
    const x = await call(
      'POST',
      `/v1/trajectories/${gemeenteOne().id}/benefit-extensions`,
      { until: addDays(start, 120), decidedOn: today },
      keys.otherGemeente,
    );
    expect(x.statusCode).toBe(404);
    // A payer still sees nothing else of the trajectory.
    expect((await get(`/v1/trajectories/${gemeenteOne().id}`, keys.gemeente)).statusCode).toBe(404);
  });
});

describe('the monthly provisions of a gemeente', () => {
  const month = start.slice(0, 7);

  it('lists its own participants with instrument, start and end, as JSON and as Dutch CSV', async () => {
    const res = await get(`/v1/benefit-provisions?month=${month}`, keys.gemeente);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.payerId).toBe(A.gemeenteId);
    expect(body.items).toEqual([
      expect.objectContaining({
        reference: gemeenteOne().reference,
        instrument: 'werkervaringsplaats',
        startDate: start,
      }),
    ]);
    const csv = await get(`/v1/benefit-provisions?month=${month}&format=csv`, keys.gemeente);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.startsWith('\ufeffKenmerk deelnemer;Instrument;')).toBe(true);
    expect(csv.body).toContain(`${gemeenteOne().reference};werkervaringsplaats;`);
    // The read is audited per participant.
    const audited = await api.db
      .selectFrom('audit_event')
      .select('trajectory_id')
      .where('trajectory_id', '=', gemeenteOne().id)
      .where('action', '=', 'read')
      .execute();
    expect(audited.length).toBeGreaterThan(0);
  });

  it('gives another gemeente nothing of it, the UWV only its own, and a coordinator 403', async () => {
    const other = await get(`/v1/benefit-provisions?month=${month}`, keys.otherGemeente);
    expect(other.statusCode).toBe(200);
    expect(other.json().items).toEqual([]);
    const uwv = (await get(`/v1/benefit-provisions?month=${month}`, keys.uwv)).json();
    expect(uwv.items.map((i: { reference: string }) => i.reference)).toEqual([uwvOne().reference]);
    expect((await get(`/v1/benefit-provisions?month=${month}`, keys.coordinator)).statusCode).toBe(403);
    // A month before any provision: empty.
    const before = addMonths(start, -2).slice(0, 7);
    expect((await get(`/v1/benefit-provisions?month=${before}`, keys.gemeente)).json().items).toEqual([]);
  });
});

describe("the payer's morning mail", () => {
  let smtp: TestSmtp;
  let mailer: Mailer;
  const greet = 'greet@gemeente-breda.example.nl';
  const bert = 'bert@gemeente-zeeland.example.nl';
  const holidays = new Set(dutchHolidays(today, addDays(today, 400)).map((h) => h.date));
  const working = (d: string, step: number) => {
    let x = d;
    while (!isWorkingDay(x, holidays)) x = addDays(x, step);
    return x;
  };
  const nextWeekStart = (d: string) => {
    let x = addDays(d, 1);
    while (!isWeekStart(x, holidays)) x = addDays(x, 1);
    return x;
  };
  const skipTo = async (date: string) =>
    skipToMorning(
      api.env,
      date,
      (await api.db.selectFrom('trajectory').select('id').execute()).map((r) => r.id),
    );
  /** Composes and delivers the morning mail of `date` over SMTP; answers the mails it brought to `address`. */
  const morning = async (date: string, address: string) => {
    await skipTo(date);
    const before = smtp.received.length;
    const activities = createActivities({
      db: api.db,
      mailer,
      temporal: api.env.client,
      publicUrl: 'https://toeleiding.example.nl',
      now: () => localInstant(date, 10),
    });
    const ids = await activities.composeDigests({ date });
    await activities.deliverMail({ ids });
    return smtp.received.slice(before).filter((m) => (m.to as { text: string } | undefined)?.text === address);
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    mailer = createMailer(
      { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Toeleiding <noreply@x.nl>' },
      api.db,
    );
    const contact = async (org: string, name: string, email: string) =>
      expect(
        (await api.call('POST', `/v1/organisations/${org}/contacts`, { role: 'funder_analyst', name, email })).status,
      ).toBe(201);
    await contact(A.gemeenteId, 'Greet Gemeente', greet);
    await contact(B.gemeenteId, 'Bert Gemeente', bert);
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.stop();
  });

  // In date order: a morning's mail once a later morning's went out counts as stale (the outbox supersedes it).
  it('gives the payer the BBL task at the contract start, weekly until it confirms the adjustment', async () => {
    const request = cohortRequest({ ...A, size: 1, startDate: addDays(thisMonday(), -15 * 7) });
    request.participants[0]!.reference = 'WB-BBL-001';
    request.participants[0]!.benefit = {};
    const launched = await call('POST', '/v1/cohorts', request, keys.coordinator);
    expect(launched.statusCode, launched.body).toBe(201);
    await untilStarted(api.db, launched.json().id);
    const t = launched.json().trajectories[0] as { id: string; reference: string };
    const contractStart = working(addDays(today, 22), 1);
    const bbl = await call(
      'POST',
      `/v1/trajectories/${t.id}/bbl`,
      { by: 'employer', contractStartDate: contractStart },
      keys.coordinator,
    );
    expect(bbl.statusCode, bbl.body).toBe(200);
    const task = (mails: { text?: string }[]) =>
      mails.filter((m) => m.text?.includes('Uitkering aanpassen of beëindigen') && m.text.includes(t.reference));

    expect(task(await morning(working(addDays(contractStart, -1), -1), greet))).toEqual([]);
    const [first] = task(await morning(contractStart, greet));
    expect(first, 'the task on the contract start').toBeDefined();
    expect(first!.text).toMatch(/BBL-contract vanaf/);
    const weekLater = nextWeekStart(contractStart);
    expect(task(await morning(weekLater, greet))).toHaveLength(1);

    const confirmed = await call(
      'POST',
      `/v1/trajectories/${t.id}/benefit-adjustment`,
      { outcome: 'ended', date: contractStart },
      keys.gemeente,
    );
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().adjustment).toEqual({ outcome: 'ended', date: contractStart });
    expect(task(await morning(nextWeekStart(weekLater), greet))).toEqual([]);
  });

  it('reminds the payer 14 days before the maximum of a trajectory that runs past it, not a day earlier', async () => {
    const t = cohort.trajectories[2]!;
    const set = await call(
      'POST',
      `/v1/trajectories/${t.id}/benefit`,
      { instrument: 'werkervaringsplaats', startDate: start, decisionDate: start },
      keys.gemeente,
    );
    expect(set.statusCode, set.body).toBe(200);
    const { maximumEnd, pastMaximum } = set.json().check;
    expect(pastMaximum).toBe(true);
    const first = working(addDays(maximumEnd, -14), 1);
    const dayBefore = working(addDays(first, -1), -1);
    const early = await morning(dayBefore, greet);
    expect(early.filter((m) => m.text?.includes(t.reference))).toEqual([]);

    const [mail] = await morning(first, greet);
    expect(mail, 'a mail to the gemeente').toBeDefined();
    expect(mail!.text).toContain('Uitkeringsinstrument loopt af');
    expect(mail!.text).toContain(t.reference);
    expect(mail!.text).toMatch(/Werkervaringsplaats loopt tot en met \w+ \d+ \w+; het traject loopt tot/);
    // Another gemeente hears nothing of it, and the payer never of another payer's participant.
    expect((await morning(working(addDays(first, 1), 1), bert)).filter((m) => m.text?.includes(t.reference))).toEqual(
      [],
    );
    expect(mail!.text).not.toContain(uwvOne().reference);
  });
});
