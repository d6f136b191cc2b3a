// Employer readiness (issue 20) on the real Temporal test server and PostgreSQL: the rules (what is missing, in
// Dutch and English; when a recognition is re-checked), the guard at the cohort launch and at an employer change
// (refused in Dutch naming participant and employer, then started under an override whose reason and person land
// in the override log and the audit log), the SBB import (all or nothing), another office's 404, and the re-check
// reminder arriving in the coordinator's morning digest over a real SMTP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dutchHolidays } from '../activities/holidays';
import { createActivities } from '../activities';
import { composeMails } from '../activities/reminders';
import { addDays, localDate, localInstant } from '../domain/calendar';
import {
  EMPTY_CHECKLIST,
  readinessVerdict,
  recheckDue,
  registerLink,
  WELSLAGEN_CREBO,
  type ReadinessFacts,
} from '../domain/readiness';
import { createMailer, type Mailer } from '../infra/mail';
import { withKey } from './helpers/app';
import { startTestApi, type TestApi } from './helpers/api';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { startSmtp, type TestSmtp } from './helpers/smtp';
import { untilStarted } from './helpers/seed';

const ALL = { suitableWork: true, safeWorkplace: true, mentorTime: true, agreement: true };
const ready: ReadinessFacts = {
  recognition: { number: 'SBB-1', recognisedOn: '2024-01-08', checkedOn: '2026-09-01', checkedBy: 'key-1' },
  mentor: { contactId: 'anna', hoursPerWeek: 4 },
  checklist: ALL,
  places: 2,
};

describe('the readiness rules', () => {
  it('block an employer nobody checked, and one with a gap in the checklist, naming the gap in both languages', () => {
    expect(readinessVerdict(undefined, 0)).toMatchObject({
      canStart: false,
      missing: [{ key: 'not_checked', nl: 'de randvoorwaarden zijn niet gecontroleerd' }],
    });
    expect(readinessVerdict(ready, 0)).toEqual({ canStart: true, missing: [], placesLeft: 2 });
    const unsafe = readinessVerdict({ ...ready, checklist: { ...ALL, safeWorkplace: false } }, 0);
    expect(unsafe.canStart).toBe(false);
    expect(unsafe.missing).toEqual([
      {
        key: 'safeWorkplace',
        en: 'checklist: a safe workplace',
        nl: 'randvoorwaarde: Een veilige werkplek',
        blocks: true,
      },
    ]);
    const bare = readinessVerdict({ recognition: null, mentor: null, checklist: EMPTY_CHECKLIST, places: 0 }, 0);
    expect(bare.missing.map((g) => g.key)).toEqual([
      'recognition',
      'mentor',
      'suitableWork',
      'safeWorkplace',
      'mentorTime',
      'agreement',
      'places',
    ]);
  });

  it('count places: two taken of two blocks the next start; a missing mentor is shown but does not block', () => {
    expect(readinessVerdict(ready, 1).canStart).toBe(true);
    expect(readinessVerdict(ready, 1, 2)).toMatchObject({
      canStart: false,
      missing: [{ key: 'places', nl: '1 van 2 plaatsen vrij, 2 nodig' }],
    });
    const noMentor = readinessVerdict({ ...ready, mentor: null }, 0);
    expect(noMentor).toMatchObject({ canStart: true, missing: [{ key: 'mentor', blocks: false }] });
  });

  it('ask for a re-check in the weeks before the BBL decision when the last check predates the cohort', () => {
    const o = { cohortStart: '2027-01-04', bblDecisionOn: '2027-04-19' };
    expect(recheckDue({ ...o, checkedOn: '2026-12-01', today: '2027-03-22' })).toBe(true); // 28 days before
    expect(recheckDue({ ...o, checkedOn: '2026-12-01', today: '2027-03-21' })).toBe(false); // 29: not yet
    expect(recheckDue({ ...o, checkedOn: '2027-02-01', today: '2027-03-22' })).toBe(false); // checked since start
    expect(recheckDue({ ...o, checkedOn: null, today: '2027-04-19' })).toBe(true);
    expect(recheckDue({ ...o, checkedOn: '2026-12-01', today: '2027-04-20' })).toBe(false); // decision passed
    expect(recheckDue({ ...o, checkedOn: '2026-12-01', today: '2027-04-12' }, 5)).toBe(false); // 7 days, N = 5
    // A check more than a year back is due again, even when it came after an older cohort's start.
    expect(
      recheckDue({
        cohortStart: '2025-01-06',
        bblDecisionOn: '2026-04-20',
        checkedOn: '2025-03-01',
        today: '2026-04-06',
      }),
    ).toBe(true);
  });

  it("link to SBB's register of leerbedrijven by KvK number, or by name, with the crebo", () => {
    expect(registerLink({ crebo: WELSLAGEN_CREBO, kvk: '12345678', name: 'Zorggroep Breda' })).toBe(
      'https://www.stagemarkt.nl/leerbedrijven/?zoekterm=12345678&crebo=25491',
    );
    expect(registerLink({ crebo: '25498', name: 'Zorg & Co' })).toContain('zoekterm=Zorg+%26+Co&crebo=25498');
  });
});

let api: TestApi;
let mine: Partners;
let theirs: Partners;
let coordinator: string;
let intruder: string;
let coordinatorKeyId: string;
const start = addDays(thisMonday(), 7);
const call = (method: string, url: string, body?: unknown, token = coordinator) => api.call(method, url, body, token);
const readiness = (employerId: string, token = coordinator) =>
  call('GET', `/v1/organisations/${employerId}/readiness`, undefined, token);
const put = (employerId: string, body: unknown, token = coordinator) =>
  call('PUT', `/v1/organisations/${employerId}/readiness/25491`, body, token);
const inDutch = (method: 'POST' | 'PUT', url: string, payload: unknown, token = coordinator) =>
  api.app.inject({ method, url, headers: { ...withKey(token), 'accept-language': 'nl' }, payload: payload as object });

beforeAll(async () => {
  api = await startTestApi({ ownDatabase: true });
  mine = await seedPartners(api.call);
  theirs = await seedPartners(api.call, 'Midden-Brabant');
  coordinator = await createKey(api.call, mine.officeId, 'coordinator');
  intruder = await createKey(api.call, theirs.officeId, 'coordinator');
  coordinatorKeyId = (
    await api.db
      .selectFrom('api_key')
      .select('id')
      .where('organisation_id', '=', mine.officeId)
      .where('role', '=', 'coordinator')
      .executeTakeFirstOrThrow()
  ).id;
}, 120_000);
afterAll(async () => api?.close());

describe("an employer's readiness over the API", () => {
  let trajectoryAtFirst: string;

  it('shows what is missing; the seeded employers are ready, with the register link', async () => {
    const seeded = await readiness(mine.employerIds[0]!);
    expect(seeded.status).toBe(200);
    expect(seeded.json.records).toEqual([
      expect.objectContaining({
        officeId: mine.officeId,
        crebo: '25491',
        qualification: 'Verzorgende-IG (niveau 3)',
        canStart: true,
        registerLink: expect.stringContaining('https://www.stagemarkt.nl/leerbedrijven/?zoekterm='),
      }),
    ]);
    const unsafe = await put(mine.employerIds[1]!, { checklist: { ...ALL, safeWorkplace: false }, places: 1 });
    expect(unsafe.status).toBe(200);
    expect(unsafe.json).toMatchObject({ canStart: false, recognition: null, places: 1, placesInUse: 0 });
    expect(unsafe.json.missing.map((g: { key: string }) => g.key)).toEqual(['recognition', 'mentor', 'safeWorkplace']);
  });

  it('names a praktijkopleider among the employer’s workplace trainers only; the employer confirms', async () => {
    const jobcoach = await call('PUT', `/v1/organisations/${mine.employerIds[1]}/readiness/25491`, {
      checklist: ALL,
      places: 1,
      mentor: { contactId: mine.jobcoachId, hoursPerWeek: 4 },
    });
    expect(jobcoach.status).toBe(422);
    expect(jobcoach.json.errors.map((e: { field: string }) => e.field)).toEqual(['mentor.contactId']);
    const anna = await call('POST', `/v1/organisations/${mine.employerIds[1]}/contacts`, {
      role: 'workplace_trainer',
      name: 'Anna Praktijkopleider',
      email: 'anna@thuiszorg.example.nl',
    });
    const named = await put(mine.employerIds[1]!, {
      checklist: { ...ALL, safeWorkplace: false },
      places: 1,
      mentor: { contactId: anna.json.id, hoursPerWeek: 6 },
    });
    expect(named.json.mentor).toMatchObject({ name: 'Anna Praktijkopleider', hoursPerWeek: 6, confirmedOn: null });
    const employerKey = await createKey(api.call, mine.employerIds[1]!, 'employer');
    const confirmed = await call(
      'POST',
      `/v1/organisations/${mine.employerIds[1]}/readiness/25491/mentor-confirmation`,
      { officeId: mine.officeId },
      employerKey,
    );
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.mentor.confirmedOn).toBe(localDate(Date.now()));
    // The employer reads its own record; it cannot change it.
    expect((await readiness(mine.employerIds[1]!, employerKey)).json.records[0].mentor.name).toBe(
      'Anna Praktijkopleider',
    );
    expect((await put(mine.employerIds[1]!, { checklist: ALL, places: 9 }, employerKey)).status).toBe(404);
  });

  it('refuses a launch at an unready employer in Dutch, naming participant and employer; writes nothing', async () => {
    const before = await api.db.selectFrom('cohort').select('id').execute();
    const body = { ...cohortRequest({ ...mine, size: 2, startDate: start }) };
    const refused = await inDutch('POST', '/v1/cohorts', body);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      expect.objectContaining({
        field: 'participants[1].employerId',
        message:
          `deelnemer WB-002: werkgever Thuiszorg Roosendaal (${mine.employerIds[1]}) ` +
          'is niet gereed voor crebo 25491: ' +
          'geen SBB-erkenning als leerbedrijf vastgelegd; randvoorwaarde: Een veilige werkplek; ' +
          'geef readinessOverride.reason om toch te starten',
      }),
    ]);
    expect(await api.db.selectFrom('cohort').select('id').execute()).toEqual(before);
  });

  it('launches under an override; its reason and the person land in the override log and the audit log', async () => {
    const reason = 'Werkplek wordt deze week aangepast; afgestemd met de arbo-arts';
    const launched = await call('POST', '/v1/cohorts', {
      ...cohortRequest({ ...mine, size: 2, startDate: start }),
      readinessOverride: { reason },
    });
    expect(launched.status).toBe(201);
    const second = launched.json.trajectories.find((t: { reference: string }) => t.reference === 'WB-002');
    trajectoryAtFirst = launched.json.trajectories.find((t: { reference: string }) => t.reference === 'WB-001').id;
    const logged = await api.db.selectFrom('readiness_override').selectAll().execute();
    expect(logged).toEqual([
      expect.objectContaining({
        office_id: mine.officeId,
        employer_id: mine.employerIds[1],
        trajectory_id: second.id,
        reason,
        actor: coordinatorKeyId,
      }),
    ]);
    expect(logged[0]!.missing.map((g) => g.key)).toEqual(['recognition', 'safeWorkplace']);
    const audit = await api.db
      .selectFrom('audit_event')
      .selectAll()
      .where('resource', '=', 'readiness-override')
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({
        actor: coordinatorKeyId,
        role: 'coordinator',
        action: 'change',
        resource_id: mine.employerIds[1],
        trajectory_id: second.id,
        office_id: mine.officeId,
        route: 'POST /v1/cohorts',
      }),
    ]);
  });

  it('counts places in use: with its one place taken, the employer takes no one more without override', async () => {
    const complete = await put(mine.employerIds[1]!, {
      recognition: { number: 'SBB-200', recognisedOn: '2023-05-01', checkedOn: localDate(Date.now()) },
      checklist: ALL,
      places: 1,
    });
    expect(complete.json).toMatchObject({ placesInUse: 1, canStart: false });
    const more = await call('POST', '/v1/cohorts', {
      ...cohortRequest({ ...mine, size: 1, startDate: start }),
      participants: cohortRequest({ ...mine, employerIds: [mine.employerIds[1]!], size: 1 }).participants,
    });
    expect(more.status).toBe(422);
    expect(more.json.errors[0].message).toContain('0 of 1 places left, 1 needed');
  });

  it('guards an employer change of a running trajectory the same way', async () => {
    const change = { type: 'employer_change', employerId: mine.employerIds[1], from: addDays(start, 14) };
    const refused = await inDutch('POST', `/v1/trajectories/${trajectoryAtFirst}/changes`, change);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0]).toMatchObject({
      field: 'employerId',
      message: expect.stringMatching(/^deelnemer WB-001: werkgever Thuiszorg Roosendaal .*0 van 1 plaatsen vrij/),
    });
    const reason = 'Tijdelijk een extra plaats in overleg met de werkgever';
    const changed = await call('POST', `/v1/trajectories/${trajectoryAtFirst}/changes`, {
      ...change,
      readinessOverride: { reason },
    });
    expect(changed.status).toBe(200);
    const logged = await api.db
      .selectFrom('readiness_override')
      .selectAll()
      .where('trajectory_id', '=', trajectoryAtFirst)
      .execute();
    expect(logged).toEqual([
      expect.objectContaining({ reason, actor: coordinatorKeyId, employer_id: mine.employerIds[1] }),
    ]);
    // The workflow got the change as it always did: the event in its history holds no override.
    let events: { data: unknown }[] = [];
    for (let i = 0; i < 100 && events.length === 0; i++) {
      events = await api.db
        .selectFrom('trajectory_event')
        .select('data')
        .where('trajectory_id', '=', trajectoryAtFirst)
        .where('type', '=', 'employer_changed')
        .execute();
      if (events.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0]!.data)).toContain(mine.employerIds[1]!);
    expect(JSON.stringify(events[0]!.data)).not.toContain('readinessOverride');
  });

  it('imports recognitions from SBB all or nothing, naming each wrong row, and records "SBB-import"', async () => {
    await put(mine.employerIds[0]!, {
      kvk: '12345678',
      recognition: { number: 'SBB-100234', recognisedOn: '2024-06-03', checkedOn: '2025-02-03' },
      checklist: ALL,
      places: 1000,
    });
    const rows = [
      { kvk: '12345678', crebo: '25491', recognitionNumber: 'SBB-777', recognisedOn: '2026-01-05' },
      { employerId: theirs.employerIds[0], crebo: '25491', recognitionNumber: 'SBB-778', recognisedOn: '2026-01-05' },
      { kvk: '87654321', crebo: '25491', recognitionNumber: 'SBB-779', recognisedOn: '2026-01-05' },
    ];
    const wrong = await call('POST', '/v1/readiness/sbb-imports', {
      agreement: 'SBB-overeenkomst 2026-14',
      recognitions: rows,
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors.map((e: { field: string }) => e.field)).toEqual([
      'recognitions[1].employerId',
      'recognitions[2].kvk',
    ]);
    expect((await readiness(mine.employerIds[0]!)).json.records[0].recognition.number).toBe('SBB-100234');
    const right = await call('POST', '/v1/readiness/sbb-imports', {
      agreement: 'SBB-overeenkomst 2026-14',
      recognitions: [rows[0], { ...rows[1], employerId: mine.employerIds[1] }],
    });
    expect(right.status).toBe(201);
    expect(right.json).toEqual({ imported: 2, employerIds: [mine.employerIds[0], mine.employerIds[1]] });
    const after = (await readiness(mine.employerIds[0]!)).json;
    expect(after.kvk).toBe('12345678');
    expect(after.records[0].recognition).toEqual({
      number: 'SBB-777',
      recognisedOn: '2026-01-05',
      checkedOn: localDate(Date.now()),
      checkedBy: 'SBB-import',
    });
    expect(after.records[0].registerLink).toContain('zoekterm=12345678');
  });

  it("answers another office's coordinator 404, exactly as for an unknown employer", async () => {
    const unknown = await readiness('onbekende-werkgever', intruder);
    const theirsRead = await readiness(mine.employerIds[0]!, intruder);
    expect(theirsRead.status).toBe(404);
    expect(unknown.status).toBe(404);
    const strip = (j: Record<string, unknown>) => ({
      ...j,
      detail: undefined,
      requestId: undefined,
      instance: undefined,
    });
    expect(strip(theirsRead.json)).toEqual(strip(unknown.json));
    expect((await put(mine.employerIds[0]!, { checklist: ALL, places: 1 }, intruder)).status).toBe(404);
  });
});

describe('the re-check reminder', () => {
  let smtp: TestSmtp;
  let mailer: Mailer;
  const holidays = new Set(dutchHolidays('2025-01-01', '2030-12-31').map((h) => h.date));
  // A cohort whose BBL decision (week 16) is next Monday: this Monday lies within the 28 days before it.
  const earlier = addDays(thisMonday(), -15 * 7);
  const monday = thisMonday();

  beforeAll(async () => {
    await put(mine.employerIds[1]!, {
      recognition: { number: 'SBB-778', recognisedOn: '2026-01-05', checkedOn: localDate(Date.now()) },
      checklist: ALL,
      places: 1000,
    });
    await call('POST', `/v1/organisations/${mine.officeId}/contacts`, {
      role: 'coordinator',
      name: 'Carla Coördinator',
      email: 'carla@programmabureau.example.nl',
    });
    const launched = await call('POST', '/v1/cohorts', cohortRequest({ ...mine, size: 2, startDate: earlier }));
    expect(launched.status).toBe(201);
    await untilStarted(api.db, launched.json.id);
    smtp = await startSmtp();
    mailer = createMailer(
      { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>' },
      api.db,
    );
  }, 120_000);
  afterAll(async () => {
    mailer?.close();
    await smtp?.stop();
  });

  it("reaches the coordinator's digest for an employer checked before the cohort; stops once re-checked", async () => {
    // Zorggroep Breda was last checked before the cohort started; Thuiszorg Roosendaal today (the import above).
    await put(mine.employerIds[0]!, {
      recognition: { number: 'SBB-777', recognisedOn: '2024-01-08', checkedOn: addDays(earlier, -7) },
      checklist: ALL,
      places: 1000,
    });
    const activities = createActivities({
      db: api.db,
      mailer,
      temporal: api.env.client,
      publicUrl: 'https://toeleiding.example.nl',
      now: () => localInstant(monday, 10),
    });
    const ids = await activities.composeDigests({ date: monday });
    await activities.deliverMail({ ids });
    const toCarla = smtp.received.filter((m) => (m.to as { text: string }).text === 'carla@programmabureau.example.nl');
    expect(toCarla).toHaveLength(1);
    const text = toCarla[0]!.text!;
    expect(text).toContain('Erkenning leerbedrijf opnieuw controleren');
    expect(text).toContain('Werkgever: Zorggroep Breda (crebo 25491)');
    expect(text).toContain('https://www.stagemarkt.nl/leerbedrijven/?zoekterm=12345678&crebo=25491');
    expect(text).not.toContain('Werkgever: Thuiszorg Roosendaal');

    await put(mine.employerIds[0]!, {
      recognition: { number: 'SBB-777', recognisedOn: '2024-01-08', checkedOn: localDate(Date.now()) },
      checklist: ALL,
      places: 1000,
    });
    const nextMonday = addDays(monday, 7);
    const later = await composeMails({ db: api.db, temporal: api.env.client }, nextMonday, holidays);
    expect(later.map((m) => m.mail.text).join('\n')).not.toContain('Erkenning leerbedrijf opnieuw controleren');
  });
});
