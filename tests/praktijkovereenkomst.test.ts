// The praktijkovereenkomst (issue 21, part 2) through the API, on the real Temporal test server, PostgreSQL and an
// SMTP server: participants entering BBL (the employer confirmed a BBL contract start), the ROC drawing the POK up
// and each party's signature recorded by whom may, the employer's SBB recognition checked on the day it signs
// (refused in Dutch when missing or later), a new bpv-blad needed after an employer change past the employer's
// signature, another office or employer answered as an unknown trajectory, the ROC's due item and the late
// escalation to the ROC and the coordinator in the morning mail, and doorstroom counted only with a valid POK.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import { dutchHolidays } from '../activities/holidays';
import { isWeekStart, previewDigests } from '../activities/reminders';
import { insertCohort } from '../db/cohorts';
import { recordPokStep } from '../db/praktijkovereenkomst';
import { addDays, isWorkingDay, localDate, localInstant } from '../domain/calendar';
import { pokStanding, NO_POK } from '../domain/praktijkovereenkomst';
import { createMailer, type Mailer } from '../infra/mail';
import { startTestApi, type TestApi } from './helpers/api';
import { withKey } from './helpers/app';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { addContact, createKey, seedPartners, seedReadiness, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';
import { startSmtp, type TestSmtp } from './helpers/smtp';
import { skipToMorning } from './helpers/temporal';

let api: TestApi;
let A: Partners;
let B: Partners;
const keys = {
  coordinator: '',
  otherCoordinator: '',
  school: '',
  otherSchool: '',
  employer: '',
  otherEmployer: '',
  jobcoach: '',
};
const today = localDate(Date.now());
/** Participants 0 and 2 are placed with employer 0, 1 and 3 with employer 1; the cohort is in its BBL weeks. */
let cohort: { id: string; trajectories: { id: string; reference: string }[] };

const call = (method: string, url: string, body: unknown, token: string, nl = false) =>
  api.app.inject({
    method: method as 'POST',
    url,
    headers: { ...withKey(token), ...(nl && { 'accept-language': 'nl' }) },
    payload: body as object,
  });
const get = (url: string, token: string) =>
  api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
const pokUrl = (i: number) => `/v1/trajectories/${cohort.trajectories[i]!.id}/praktijkovereenkomst`;
const record = (i: number, step: string, on: string, token: string, nl = false) =>
  call('POST', pokUrl(i), { step, on }, token, nl);
const confirmContract = async (i: number, contractStartDate: string) => {
  const res = await call(
    'POST',
    `/v1/trajectories/${cohort.trajectories[i]!.id}/bbl`,
    { by: 'employer', contractStartDate },
    keys.coordinator,
  );
  expect(res.statusCode, res.body).toBe(200);
};

beforeAll(async () => {
  api = await startTestApi({ ownDatabase: true });
  A = await seedPartners(api.call);
  B = await seedPartners(api.call, 'Zeeland');
  keys.coordinator = await createKey(api.call, A.officeId, 'coordinator');
  keys.otherCoordinator = await createKey(api.call, B.officeId, 'coordinator');
  keys.school = await createKey(api.call, A.schoolId, 'school');
  keys.otherSchool = await createKey(api.call, B.schoolId, 'school');
  keys.employer = await createKey(api.call, A.employerIds[0]!, 'employer');
  keys.otherEmployer = await createKey(api.call, A.employerIds[1]!, 'employer');
  keys.jobcoach = await createKey(api.call, A.officeId, 'jobcoach', A.jobcoachId);
  // Week 16 today: the BBL decision is open.
  const launched = await call(
    'POST',
    '/v1/cohorts',
    cohortRequest({ ...A, size: 4, startDate: addDays(thisMonday(), -15 * 7) }),
    keys.coordinator,
  );
  expect(launched.statusCode, launched.body).toBe(201);
  cohort = launched.json();
  await untilStarted(api.db, cohort.id);
}, 120_000);
afterAll(async () => api?.close());

// The morning mail, composed and delivered over SMTP as the worker does.
let smtp: TestSmtp;
let mailer: Mailer;
const contacts = { roc: '', coordinator: '' };
const rocAddress = () => contacts.roc;
const holidays = new Set(dutchHolidays(addDays(today, -60), addDays(today, 400)).map((h) => h.date));
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
async function morning(date: string, address: string) {
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
}

beforeAll(async () => {
  smtp = await startSmtp();
  mailer = createMailer({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Toeleiding <noreply@x.nl>' }, api.db);
  contacts.roc = (await addContact(api.call, A.schoolId, 'roc_coordinator', 'Rianne ROC')).email;
  contacts.coordinator = (await addContact(api.call, A.officeId, 'coordinator', 'Coby Coördinator')).email;
});
afterAll(async () => {
  mailer?.close();
  await smtp?.stop();
});

describe('the praktijkovereenkomst per party', () => {
  it('exists only once the employer confirmed a BBL contract start', async () => {
    const before = await get(pokUrl(0), keys.school);
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json()).toMatchObject({ contractStart: null, deadline: null, signed: false, valid: false });
    const refused = await record(0, 'drawn_up', today, keys.school, true);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      expect.objectContaining({ field: 'trajectory', message: expect.stringMatching(/BBL-arbeidsovereenkomst/) }),
    ]);
  });

  it('the ROC draws it up and records its own and the participant signature, the employer its own', async () => {
    const contractStart = addDays(today, 20);
    await confirmContract(0, contractStart);
    const open = (await get(pokUrl(0), keys.school)).json();
    expect(open).toMatchObject({
      contractStart,
      deadline: contractStart,
      missing: ['drawn_up', 'participant', 'employer', 'school'],
      due: false,
      late: false,
    });
    // Nothing is signed before it is drawn up.
    const early = await record(0, 'participant', today, keys.school);
    expect(early.statusCode).toBe(422);
    expect(early.json().errors[0].field).toBe('step');

    expect((await record(0, 'drawn_up', addDays(today, -3), keys.school)).statusCode).toBe(200);
    expect((await record(0, 'participant', addDays(today, -2), keys.school)).statusCode).toBe(200);
    // Each party records its own: the employer not the ROC's signature, the ROC not the employer's (403, the field).
    const notYours = await record(0, 'school', today, keys.employer, true);
    expect(notYours.statusCode).toBe(403);
    expect(notYours.json().errors[0]).toMatchObject({ field: 'step' });
    expect(notYours.json().detail).toMatch(/eigen handtekening/);
    expect((await record(0, 'employer', today, keys.school)).statusCode).toBe(403);
    // A signature before the POK was drawn up, or in the future, is refused naming `on`.
    expect((await record(0, 'school', addDays(today, -4), keys.school)).json().errors[0].field).toBe('on');
    expect((await record(0, 'school', addDays(today, 1), keys.school)).json().errors[0].field).toBe('on');
    expect((await record(0, 'school', addDays(today, -1), keys.school)).statusCode).toBe(200);

    const signed = await record(0, 'employer', today, keys.employer);
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({
      drawnUp: { on: addDays(today, -3) },
      participant: { on: addDays(today, -2) },
      school: { on: addDays(today, -1) },
      employer: { on: today, employerId: A.employerIds[0] },
      missing: [],
      signed: true,
      bpvBladNeeded: false,
      valid: true,
    });
    // The participant's data export (AVG art. 15) holds it.
    const exported = (await get(`/v1/trajectories/${cohort.trajectories[0]!.id}/export`, keys.coordinator)).json();
    expect(exported.praktijkovereenkomst).toMatchObject({ employer_on: today, employer_id: A.employerIds[0] });
    // Recorded again: the same date changes nothing, another date is a conflict; a replayed request answers the same.
    expect((await record(0, 'employer', today, keys.employer)).statusCode).toBe(200);
    expect((await record(0, 'employer', addDays(today, -1), keys.employer)).statusCode).toBe(409);
    const headers = { ...withKey(keys.coordinator), 'idempotency-key': randomUUID() };
    const once = await api.app.inject({
      method: 'POST',
      url: pokUrl(0),
      headers,
      payload: { step: 'participant', on: addDays(today, -2) },
    });
    const again = await api.app.inject({
      method: 'POST',
      url: pokUrl(0),
      headers,
      payload: { step: 'participant', on: addDays(today, -2) },
    });
    expect(again.statusCode).toBe(once.statusCode);
    expect(again.body).toBe(once.body);
  });

  it('refuses the signature of an employer SBB has not recognised for the qualification on that day', async () => {
    await confirmContract(1, addDays(today, 20));
    expect((await record(1, 'drawn_up', addDays(today, -3), keys.school)).statusCode).toBe(200);
    const put = (recognition?: object) =>
      api.call('PUT', `/v1/organisations/${A.employerIds[1]}/readiness/25491`, {
        officeId: A.officeId,
        ...(recognition && { recognition }),
        checklist: { suitableWork: true, safeWorkplace: true, mentorTime: true, agreement: true },
        places: 1000,
      });
    expect((await put()).status).toBe(200);
    const none = await record(1, 'employer', addDays(today, -1), keys.otherEmployer, true);
    expect(none.statusCode).toBe(422);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.json().errors).toEqual([
      expect.objectContaining({
        field: 'step',
        message: expect.stringMatching(/niet als erkend leerbedrijf vastgelegd voor Verzorgende-IG \(niveau 3\)/),
      }),
    ]);
    expect((await put({ number: 'SBB-200777', recognisedOn: today, checkedOn: today })).status).toBe(200);
    const later = await record(1, 'employer', addDays(today, -1), keys.otherEmployer, true);
    expect(later.statusCode).toBe(422);
    expect(later.json().errors[0]).toMatchObject({ field: 'on', message: expect.stringMatching(/pas vanaf/) });
    // Nothing was written by the refusals.
    expect((await get(pokUrl(1), keys.school)).json().employer).toBeNull();
    expect((await record(1, 'employer', today, keys.otherEmployer)).statusCode).toBe(200);
    await seedReadiness(api.call, A.officeId, A.employerIds[1]!);
  });

  it('an employer change after the employer signed needs a new bpv-blad, until the ROC records it', async () => {
    expect((await call('POST', pokUrl(0), { step: 'bpv_blad', on: today }, keys.school)).statusCode).toBe(422);
    const change = await call(
      'POST',
      `/v1/trajectories/${cohort.trajectories[0]!.id}/changes`,
      { type: 'employer_change', employerId: A.employerIds[1], from: addDays(today, 7) },
      keys.coordinator,
    );
    expect(change.statusCode, change.body).toBe(200);
    const flagged = (await get(pokUrl(0), keys.coordinator)).json();
    expect(flagged).toMatchObject({
      signed: true,
      bpvBladNeeded: true,
      valid: false,
      currentEmployerId: A.employerIds[1],
    });
    const open = (await get('/v1/praktijkovereenkomsten', keys.school)).json();
    expect(
      open.items.find((i: { trajectoryId: string }) => i.trajectoryId === cohort.trajectories[0]!.id),
    ).toMatchObject({ bpvBladNeeded: true });
    // The morning mail of the next week's first morning tells the ROC, naming the new employer.
    const mails = await morning(nextWeekStart(today), rocAddress());
    const mail = mails.find((m) => m.text?.includes(cohort.trajectories[0]!.reference));
    expect(mail?.text).toContain('Nieuw bpv-blad nodig');
    expect(mail?.text).toContain('Nieuwe werkgever: Thuiszorg Roosendaal');

    const recorded = await record(0, 'bpv_blad', today, keys.school);
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(recorded.json()).toMatchObject({
      bpvBladNeeded: false,
      valid: true,
      bpvBlad: { on: today, employerId: A.employerIds[1] },
    });
    expect(
      (await get('/v1/praktijkovereenkomsten', keys.school))
        .json()
        .items.some((i: { trajectoryId: string }) => i.trajectoryId === cohort.trajectories[0]!.id),
    ).toBe(false);
  });

  it('answers another office, ROC or employer exactly as an unknown trajectory', async () => {
    const unknown = await get('/v1/trajectories/onbekend-traject/praktijkovereenkomst', keys.otherCoordinator);
    expect(unknown.statusCode).toBe(404);
    for (const token of [keys.otherCoordinator, keys.otherSchool, keys.otherEmployer]) {
      const res = await get(pokUrl(2), token);
      expect(res.statusCode).toBe(404);
      expect(res.json().title).toBe(unknown.json().title);
      expect((await record(2, 'drawn_up', today, token)).statusCode).toBe(404);
    }
    expect((await get(pokUrl(2), keys.jobcoach)).statusCode).toBe(200);
    expect((await get('/v1/praktijkovereenkomsten', keys.otherCoordinator)).json().items).toEqual([]);
    expect((await get('/v1/praktijkovereenkomsten', keys.otherSchool)).json().items).toEqual([]);
    expect((await get('/v1/praktijkovereenkomsten', keys.employer)).statusCode).toBe(403);
  });
});

describe('doorstroom counted only with a valid POK', () => {
  /** Writes a cohort of `n` participants that went on to BBL; `signed` of them with a POK signed by all. */
  async function bblCohort(n: number, signed: number, o: { changedUnsigned?: number } = {}) {
    const id = randomUUID();
    const ids = Array.from({ length: n }, () => randomUUID());
    await insertCohort(
      api.db,
      {
        id,
        programme_id: 'welslagen',
        programme_version: 1,
        covenant_id: A.covenantId,
        region: 'West-Brabant',
        start_date: '2027-04-05',
        school_id: A.schoolId,
        status: 'launched',
      },
      ids.map((t, i) => ({
        id: t,
        cohort_id: id,
        reference: `P-${id.slice(0, 4)}-${i}`,
        name: `Deelnemer ${i}`,
        email: `p${i}-${id.slice(0, 8)}@example.nl`,
        employer_id: A.employerIds[0]!,
        placement_weekdays: '["monday","tuesday","wednesday"]',
        school_weekday: 4,
        status: 'ended' as const,
        end_date: '2027-08-20',
        workflow_id: `trajectory-${t}`,
        outcome: JSON.stringify({ kind: 'bbl_doorstroom', bblStartDate: '2027-09-01' }),
        benefit_payer_id: A.gemeenteId,
      })),
    );
    for (const t of ids.slice(0, signed)) {
      for (const step of ['drawn_up', 'participant', 'school'] as const)
        await recordPokStep(api.db, { trajectoryId: t, step, on: '2027-08-25', by: 'test' });
      await recordPokStep(api.db, {
        trajectoryId: t,
        step: 'employer',
        on: '2027-08-26',
        by: 'test',
        employerId: A.employerIds[0]!,
      });
    }
    // Signed by all, but the participant went on with another employer and no bpv-blad was recorded.
    for (const t of ids.slice(0, o.changedUnsigned ?? 0))
      await api.db
        .insertInto('placement')
        .values({ trajectory_id: t, from_date: '2027-06-01', employer_id: A.employerIds[1]! })
        .execute();
    return id;
  }
  const figures = async (cohortId: string) => {
    const res = await get(`/v1/outcomes?cohortId=${cohortId}`, keys.coordinator);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('splits BBL doorstroom into a valid POK and "POK nog niet rond", in JSON and Dutch CSV', async () => {
    // 16 in BBL: 11 signed by all, of which 1 went on with another employer without a bpv-blad; 5 not signed.
    const id = await bblCohort(16, 11, { changedUnsigned: 1 });
    const f = await figures(id);
    expect(f.participants.bbl_doorstroom).toBe(16);
    expect(f.doorstroomPok).toEqual({ valid: 10, pending: 6 });
    const csv = await api.app.inject({
      method: 'GET',
      url: `/v1/outcomes?cohortId=${id}&format=csv-nl`,
      headers: { authorization: `Bearer ${keys.coordinator}` },
    });
    expect(csv.body).toContain('Doorstroom naar BBL en praktijkovereenkomst;Doorstroom, POK nog niet rond;6');
  });

  it('suppresses a small part, and the other with it', async () => {
    const id = await bblCohort(12, 9);
    const f = await figures(id);
    expect(f.participants.bbl_doorstroom).toBe(12);
    expect(f.doorstroomPok).toEqual({ valid: null, pending: null });
  });

  it('uses the same rule as the domain: signed by all and covering the employer the participant went on with', () => {
    const signed = { ...NO_POK, drawnUpOn: 'a', participantOn: 'a', employerOn: 'a', schoolOn: 'a', employerId: 'e0' };
    const o = { contractStart: '2027-09-01', date: '2027-09-02' };
    expect(pokStanding(signed, { ...o, currentEmployer: 'e0' }).valid).toBe(true);
    expect(pokStanding(signed, { ...o, currentEmployer: 'e1' })).toMatchObject({ valid: false, bpvBladNeeded: true });
    expect(
      pokStanding({ ...signed, bpvBladOn: 'b', bpvBladEmployerId: 'e1' }, { ...o, currentEmployer: 'e1' }).valid,
    ).toBe(true);
    expect(pokStanding({ ...signed, schoolOn: null }, { ...o, currentEmployer: 'e0' })).toMatchObject({
      late: true,
      valid: false,
    });
  });
});

// Last: the test server's clock it moves weeks ahead is the trajectories' too (their events' days).
describe('the deadline in the morning mail', () => {
  const skipTo = (date: string, trajectoryId: string) => skipToMorning(api.env, date, [trajectoryId]);
  // Previewed, not sent: a later morning's mail would make the ones the other tests send stale.
  const mailsTo = async (date: string, address: string) =>
    (await previewDigests({ db: api.db }, date)).filter((m) => m.mail.recipient === address).map((m) => m.mail.text);

  it('reminds the ROC before the BBL start, then escalates to the ROC and the coordinator once it passed', async () => {
    const t = cohort.trajectories[2]!;
    // A contract that starts in three weeks; the POK's deadlines are timers on the test server's clock.
    const contractStart = working(addDays(today, 21), 1);
    await confirmContract(2, contractStart);
    expect((await record(2, 'drawn_up', today, keys.school)).statusCode).toBe(200);
    // (Every participant's reference is in the ROC's attendance lines too: the POK's line names the deadline.)
    const pokLine = new RegExp(`\\(${t.reference}\\)\\n\\s+(Uiterlijk getekend op|BBL-contract begonnen op)`);
    const about = (texts: string[]) => texts.filter((text) => pokLine.test(text));

    const dueFrom = working(addDays(contractStart, -14), 1);
    const before = working(addDays(dueFrom, -1), -1);
    await skipTo(before, t.id);
    expect(about(await mailsTo(before, contacts.roc)), 'not before its day').toEqual([]);
    await skipTo(dueFrom, t.id);
    const [due] = about(await mailsTo(dueFrom, contacts.roc));
    expect(due, 'the due item on its first morning').toBeDefined();
    expect(due).toContain('Praktijkovereenkomst nog niet rond');
    expect(due).toMatch(/Nog niet: getekend door de deelnemer, getekend door de werkgever/);

    const lateFrom = working(addDays(contractStart, 1), 1);
    await skipTo(lateFrom, t.id);
    const [late] = about(await mailsTo(lateFrom, contacts.roc));
    expect(late).toContain('Praktijkovereenkomst te laat');
    expect(late).toContain('BBL-contract begonnen op');
    const [escalated] = about(await mailsTo(lateFrom, contacts.coordinator));
    expect(escalated, 'the escalation to the coordinator').toContain('Praktijkovereenkomst te laat');

    // Once all have signed, the signal withdraws what was reached but not mailed, and nothing more is said.
    for (const step of ['participant', 'school'])
      expect((await record(2, step, today, keys.school)).statusCode).toBe(200);
    expect((await record(2, 'employer', today, keys.employer)).statusCode).toBe(200);
    // (The signal is handled by the workflow after the API answered: polled.)
    const said = async () =>
      about([...(await mailsTo(lateFrom, contacts.roc)), ...(await mailsTo(lateFrom, contacts.coordinator))]);
    await expect.poll(said, { timeout: 15_000 }).toEqual([]);
    const later = nextWeekStart(nextWeekStart(lateFrom));
    await skipTo(later, t.id);
    expect(about(await mailsTo(later, contacts.roc))).toEqual([]);
  });
});
