// Evidence for subsidy and ESF+, the BSN report and the legal hold (issue 21, part 4), on the real Temporal test
// server, PostgreSQL and an SMTP server: the employer's subsidy file counts the weeks it confirmed with presence (at
// most 40 a school year), for itself and its office's coordinator only; the employer is reminded before the
// application deadline; an ESF+ project's file lists its participants by reference with intake, exit, activities and
// result, and the staff hours recorded; the BSN report matches a gemeente's own list only to its own participants
// and keeps nothing of it; a legal hold keeps a record from retention and erasure until it ends or is lifted.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import { dutchHolidays } from '../activities/holidays';
import { isBsn } from '../api/bsn';
import { recordPokStep } from '../db/praktijkovereenkomst';
import { addDays, firstWorkingDay, localDate, localInstant } from '../domain/calendar';
import { holdInForce } from '../domain/legal-hold';
import {
  applicationDeadline,
  MAX_SUBSIDY_WEEKS,
  schoolYear,
  schoolYearOf,
  subsidyReminderDue,
  supervisedWeeks,
} from '../domain/subsidy';
import { createMailer } from '../infra/mail';
import { startTestApi, type TestApi } from './helpers/api';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';
import { startSmtp } from './helpers/smtp';
import { skipToMorning } from './helpers/temporal';
import { deadlinesWorkflowId } from '../workflows/ids';

/** Valid BSNs (the elfproef), none typed by hand. */
const bsns = (() => {
  const out: string[] = [];
  for (let n = 23456780; out.length < 6; n += 37) {
    for (let d = 0; d < 10; d++) if (isBsn(`${n}${d}`)) out.push(`${n}${d}`);
  }
  return out;
})();

let api: TestApi;
let mine: Partners;
let theirs: Partners;
const keys: Record<string, string> = {};
const logLines: string[] = [];
let cohort: { id: string; trajectories: { id: string; reference: string; employerId: string }[] };
let theirCohort: { id: string; trajectories: { id: string; reference: string }[] };
let start: string;
const today = localDate(Date.now());

const as = (who: string, method: string, url: string, body?: unknown) => api.call(method, url, body, keys[who]);
const raw = (who: string, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  api.app.inject({
    method: method as 'GET',
    url,
    headers: {
      authorization: `Bearer ${keys[who]}`,
      ...(method === 'POST' && { 'idempotency-key': randomUUID() }),
      'accept-language': 'nl',
      ...headers,
    },
    payload: payload as string,
  });

async function schedule(id: string) {
  const res = await as('coordinator', 'GET', `/v1/trajectories/${id}/schedule`);
  expect(res.status).toBe(200);
  return (res.json.weeks as { days: { date: string; kind: string; status: string }[] }[]).flatMap((w) => w.days);
}

/** Records the planned placement days of the weeks from `from` (a Monday) for `weeks` weeks: present or not. */
async function record(i: number, from: string, weeks: number, present: boolean) {
  const t = cohort.trajectories[i]!;
  const days = (await schedule(t.id)).filter(
    (d) => d.kind === 'placement' && d.status === 'planned' && d.date >= from && d.date < addDays(from, 7 * weeks),
  );
  expect(days.length).toBeGreaterThan(0);
  const res = await as('coordinator', 'POST', `/v1/trajectories/${t.id}/attendance`, {
    entries: days.map((d) => ({ date: d.date, kind: 'placement', present, ...(!present && { reason: 'sick' }) })),
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
}

beforeAll(async () => {
  // Retention and the dump look at every row: a database of this file's own.
  api = await startTestApi({
    ownDatabase: true,
    deps: (base) => ({
      config: { ...base.config, LOG_LEVEL: 'trace' },
      logStream: new Writable({
        write(chunk, _enc, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    }),
  });
  mine = await seedPartners(api.call);
  theirs = await seedPartners(api.call, 'Zeeland');
  Object.assign(keys, {
    coordinator: await createKey(api.call, mine.officeId, 'coordinator'),
    employer: await createKey(api.call, mine.employerIds[0]!, 'employer'),
    otherEmployer: await createKey(api.call, mine.employerIds[1]!, 'employer'),
    school: await createKey(api.call, mine.schoolId, 'school'),
    gemeente: await createKey(api.call, mine.gemeenteId, 'funder'),
    uwv: await createKey(api.call, mine.uwvId, 'funder'),
    theirCoordinator: await createKey(api.call, theirs.officeId, 'coordinator'),
    theirGemeente: await createKey(api.call, theirs.gemeenteId, 'funder'),
  });
  // Three whole weeks behind us, all in one school year.
  start = addDays(thisMonday(), -4 * 7);
  if (schoolYearOf(start).label !== schoolYearOf(addDays(start, 20)).label) start = addDays(start, -5 * 7);
  const request = cohortRequest({ ...mine, size: 4, startDate: start });
  request.participants.forEach((p, i) => (p.bsn = bsns[i]));
  const launched = await as('coordinator', 'POST', '/v1/cohorts', request);
  expect(launched.status, JSON.stringify(launched.json)).toBe(201);
  cohort = launched.json;
  const theirRequest = cohortRequest({ ...theirs, size: 1, startDate: start });
  theirRequest.participants[0]!.bsn = bsns[4];
  const other = await api.call('POST', '/v1/cohorts', theirRequest);
  expect(other.status, JSON.stringify(other.json)).toBe(201);
  theirCohort = other.json;
  await untilStarted(api.db, cohort.id);
  await untilStarted(api.db, theirCohort.id);
  // Participant 0 (employer 0): three weeks present. Participant 2 (employer 0): the first week present, then sick.
  // Participant 1 (employer 1): two weeks present.
  await record(0, start, 3, true);
  await record(2, start, 1, true);
  await record(2, addDays(start, 7), 2, false);
  await record(1, start, 2, true);
}, 240_000);
afterAll(async () => api?.close());

describe('the subsidy rules (domain/subsidy.ts)', () => {
  it('count a week once the employer recorded presence on a day of it, at most 40 a school year', () => {
    const year = schoolYear('2026-2027')!;
    expect(year).toEqual({ label: '2026-2027', from: '2026-08-01', to: '2027-07-31' });
    expect(schoolYear('2026-2028')).toBeUndefined();
    const days = [
      { date: '2026-07-27', present: true }, // the school year before
      { date: '2026-08-03', present: true },
      { date: '2026-08-04', present: true }, // the same week
      { date: '2026-08-10', present: false }, // absent: no supervision
    ];
    expect(supervisedWeeks(days, year)).toEqual({
      weeks: [{ monday: '2026-08-03', daysPresent: 2 }],
      recorded: 1,
      counted: 1,
    });
    const many = Array.from({ length: 45 }, (_, i) => ({ date: addDays('2026-08-03', 7 * i), present: true }));
    expect(supervisedWeeks(many, year)).toMatchObject({ recorded: 45, counted: MAX_SUBSIDY_WEEKS });
  });

  it('remind 28 and 7 days before 16 September after the school year, on a working morning; a year may differ', () => {
    const holidays = new Set<string>();
    expect(applicationDeadline(schoolYear('2025-2026')!)).toBe('2026-09-16');
    // 16 September 2026 is a Wednesday: 19 August and 9 September.
    expect(subsidyReminderDue('2026-08-19', holidays)).toEqual({
      schoolYear: schoolYear('2025-2026'),
      deadline: '2026-09-16',
      daysBefore: 28,
    });
    expect(subsidyReminderDue('2026-09-09', holidays)?.daysBefore).toBe(7);
    expect(subsidyReminderDue('2026-08-20', holidays)).toBeUndefined();
    expect(subsidyReminderDue('2026-09-17', holidays)).toBeUndefined();
    // 16 September 2028 is a Saturday: 19 August is a Saturday too, so the reminder comes on Monday 21 August.
    expect(subsidyReminderDue('2028-08-19', holidays)).toBeUndefined();
    expect(subsidyReminderDue('2028-08-21', holidays)?.deadline).toBe('2028-09-16');
    // A year whose regulation sets another date.
    expect(subsidyReminderDue('2026-08-03', holidays, { '2025-2026': '2026-08-31' })).toMatchObject({
      deadline: '2026-08-31',
      daysBefore: 28,
    });
  });
});

describe("the employer's subsidy file", () => {
  const url = (employer: string, year = schoolYearOf(start).label, format = '') =>
    `/v1/organisations/${employer}/subsidy-evidence?schoolYear=${year}${format && `&format=${format}`}`;

  it("gives the employer each of its students' supervised weeks, as JSON, xlsx and Dutch CSV", async () => {
    const res = await as('employer', 'GET', url(mine.employerIds[0]!));
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const e = res.json;
    expect(e).toMatchObject({
      schoolYear: schoolYearOf(start).label,
      maxWeeks: 40,
      applicationDeadline: expect.any(String),
    });
    const byRef = Object.fromEntries(e.students.map((s: { reference: string }) => [s.reference, s]));
    expect(Object.keys(byRef).sort()).toEqual([cohort.trajectories[0]!.reference, cohort.trajectories[2]!.reference]);
    expect(byRef[cohort.trajectories[0]!.reference]).toMatchObject({
      weeksRecorded: 3,
      weeksCounted: 3,
      pok: { status: 'geen', bpvBladNeeded: false },
    });
    expect(byRef[cohort.trajectories[0]!.reference].weeks.map((w: { monday: string }) => w.monday)).toEqual([
      start,
      addDays(start, 7),
      addDays(start, 14),
    ]);
    // Weeks it recorded absent carry no supervision.
    expect(byRef[cohort.trajectories[2]!.reference]).toMatchObject({ weeksRecorded: 1 });

    const xlsx = await raw('employer', 'GET', url(mine.employerIds[0]!, undefined, 'xlsx'));
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Toelichting', 'Deelnemers', 'Weken']);
    const explanation = book.getWorksheet('Toelichting')!.getColumn(1).values.join(' ');
    expect(explanation).toMatch(/Bewaar dit bestand .* 5 jaar/);
    expect(explanation).toMatch(/ten hoogste 40 weken/);
    expect(book.getWorksheet('Weken')!.rowCount).toBe(1 + 3 + 1);

    const csv = await raw('employer', 'GET', url(mine.employerIds[0]!, undefined, 'csv-nl'));
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toMatch(/^\ufeff"?Toelichting/);
    expect(csv.body).toContain('5 jaar');
    expect(csv.body).toContain(`${cohort.trajectories[0]!.reference};Deelnemer 1;;3;3;`);
  });

  it('shows the POK as recorded: valid once signed by all, none for a participant without one', async () => {
    // Participant 0's employer confirmed a BBL contract and the POK was signed by all three; participant 2 has none.
    // (Written as the POK routes write it: this cohort is weeks from its BBL decision.)
    const t = cohort.trajectories[0]!;
    const contractStart = addDays(today, -3);
    const { seq } = await api.db
      .selectFrom('trajectory_event')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('trajectory_id', '=', t.id)
      .executeTakeFirstOrThrow();
    await api.db
      .insertInto('trajectory_event')
      .values({
        trajectory_id: t.id,
        seq: Number(seq) + 1,
        type: 'bbl_confirmed',
        occurred_on: addDays(today, -20),
        data: JSON.stringify({ by: 'employer', contractStartDate: contractStart }),
      })
      .execute();
    const steps = [
      ['drawn_up', addDays(today, -15)],
      ['participant', addDays(today, -12)],
      ['school', addDays(today, -11)],
    ] as const;
    const before = await as('employer', 'GET', url(mine.employerIds[0]!));
    const pokOf = (e: { students: { reference: string; pok: unknown }[] }, ref: string) =>
      e.students.find((s) => s.reference === ref)!.pok;
    expect(pokOf(before.json, t.reference)).toEqual({ status: 'geen', bpvBladNeeded: false });
    for (const [step, on] of steps) await recordPokStep(api.db, { trajectoryId: t.id, step, on, by: 'test' });
    // Drawn up, the employer's signature missing: not yet valid.
    const half = await as('employer', 'GET', url(mine.employerIds[0]!));
    expect(pokOf(half.json, t.reference)).toEqual({ status: 'niet rond', bpvBladNeeded: false });
    const signedOn = addDays(today, -5);
    await recordPokStep(api.db, {
      trajectoryId: t.id,
      step: 'employer',
      on: signedOn,
      by: 'test',
      employerId: t.employerId,
    });

    const res = await as('employer', 'GET', url(mine.employerIds[0]!));
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(pokOf(res.json, t.reference)).toEqual({ status: 'geldig', signedOn, bpvBladNeeded: false });
    expect(pokOf(res.json, cohort.trajectories[2]!.reference)).toEqual({ status: 'geen', bpvBladNeeded: false });
    const csv = await raw('employer', 'GET', url(mine.employerIds[0]!, undefined, 'csv-nl'));
    expect(csv.body).toContain('POK-status');
    expect(csv.body).toContain(`${t.reference};Deelnemer 1;${contractStart};3;3;geldig, getekend ${signedOn}`);
    expect(csv.body).toMatch(new RegExp(`${cohort.trajectories[2]!.reference};[^\\r]*;geen\\r`));
    const xlsx = await raw('employer', 'GET', url(mine.employerIds[0]!, undefined, 'xlsx'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const cells = book.getWorksheet('Deelnemers')!.getColumn(6).values;
    expect(cells).toContain(`geldig, getekend ${signedOn}`);
    expect(cells).toContain('geen');
  });

  it('is audited per participant, and an empty school year says so with no students', async () => {
    const audited = await api.db
      .selectFrom('audit_event')
      .select(['trajectory_id', 'action'])
      .where('route', '=', 'GET /v1/organisations/:id/subsidy-evidence')
      .where('trajectory_id', '=', cohort.trajectories[0]!.id)
      .execute();
    expect(audited.length).toBeGreaterThan(0);
    expect(audited[0]!.action).toBe('export');
    const earlier = await as('employer', 'GET', url(mine.employerIds[0]!, '2019-2020'));
    expect(earlier.json.students).toEqual([]);
    const bad = await raw('employer', 'GET', url(mine.employerIds[0]!, '2019-2021'));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0]).toMatchObject({
      field: 'schoolYear',
      message: expect.stringContaining('opeenvolgende'),
    });
  });

  it("goes to the employer itself and its office's coordinator only: others get 404 as for unknown", async () => {
    expect((await as('coordinator', 'GET', url(mine.employerIds[0]!))).json.students).toHaveLength(2);
    const unknown = await raw('coordinator', 'GET', url(randomUUID()));
    for (const who of ['otherEmployer', 'theirCoordinator']) {
      const res = await raw(who, 'GET', url(mine.employerIds[0]!));
      expect(res.statusCode, who).toBe(404);
      expect(res.json().title).toBe(unknown.json().title);
      expect(res.body).not.toContain(cohort.trajectories[0]!.reference);
    }
    expect((await raw('school', 'GET', url(mine.employerIds[0]!))).statusCode).toBe(404);
    // The other employer gets its own student, not employer 0's.
    const own = await as('otherEmployer', 'GET', url(mine.employerIds[1]!));
    expect(own.json.students.map((s: { reference: string }) => s.reference)).toEqual([
      cohort.trajectories[1]!.reference,
    ]);
  });
});

describe("an ESF+ project's file", () => {
  const url = (format = '') => `/v1/covenants/${mine.covenantId}/esf-evidence${format && `?format=${format}`}`;

  it('lists the participants by reference with intake, activities and result, and the staff hours', async () => {
    const hours = await as('coordinator', 'POST', `/v1/covenants/${mine.covenantId}/staff-hours`, {
      organisationId: mine.schoolId,
      month: start.slice(0, 7),
      hours: 42.5,
      note: 'Docenten BBL-voorbereiding',
    });
    expect(hours.status, JSON.stringify(hours.json)).toBe(200);
    // A correction replaces the figure.
    await as('coordinator', 'POST', `/v1/covenants/${mine.covenantId}/staff-hours`, {
      organisationId: mine.schoolId,
      month: start.slice(0, 7),
      hours: 40,
    });
    const outsider = await raw('coordinator', 'POST', `/v1/covenants/${mine.covenantId}/staff-hours`, {
      organisationId: theirs.schoolId,
      month: start.slice(0, 7),
      hours: 1,
    });
    expect(outsider.statusCode).toBe(422);
    expect(outsider.json().errors[0]).toMatchObject({
      field: 'organisationId',
      message: 'neemt geen deel aan dit convenant',
    });

    const res = await as('coordinator', 'GET', url());
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.participants).toHaveLength(4);
    const first = res.json.participants.find(
      (p: { reference: string }) => p.reference === cohort.trajectories[0]!.reference,
    );
    expect(first).toEqual({
      reference: cohort.trajectories[0]!.reference,
      intakeDate: start,
      exitDate: null,
      placementDays: expect.any(Number),
      schoolDays: 0,
      checkpoints: 0,
      result: 'Lopend',
    });
    expect(first.placementDays).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(res.json)).not.toContain('Deelnemer 1');
    expect(res.json.hours).toEqual([
      {
        organisationId: mine.schoolId,
        organisationName: 'ROC West-Brabant',
        month: start.slice(0, 7),
        hours: 40,
        note: null,
      },
    ]);
    expect(res.json.totalHours).toBe(40);

    const csv = await raw('coordinator', 'GET', url('csv-nl'));
    expect(csv.body.split('\r\n')[0]).toBe(
      '\ufeffKenmerk deelnemer;Datum instroom;Datum uitstroom;Werkplekdagen aanwezig;Schooldagen aanwezig;' +
        'Voortgangsgesprekken;Resultaat',
    );
    const hoursCsv = await raw('coordinator', 'GET', `${url('csv-nl')}&part=hours`);
    expect(hoursCsv.body).toContain(`ROC West-Brabant;${start.slice(0, 7)};40;`);
    const xlsx = await raw('coordinator', 'GET', url('xlsx'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Toelichting', 'Deelnemers', 'Uren']);
  });

  it('is for the office coordinator only: another office, a partner or a funder gets 404', async () => {
    const unknown = await raw('coordinator', 'GET', `/v1/covenants/${randomUUID()}/esf-evidence`);
    for (const who of ['theirCoordinator', 'employer', 'gemeente']) {
      const res = await raw(who, 'GET', url());
      expect(res.statusCode, who).toBe(404);
      expect(res.json().title).toBe(unknown.json().title);
    }
  });
});

describe('the BSN report', () => {
  const report = (who: string, body: unknown) =>
    raw(who, 'POST', '/v1/bsn-reports', body, { 'content-type': 'application/json' });

  it("matches a gemeente's own list only to its own participants, and answers an invalid row in Dutch", async () => {
    const list = [bsns[0], bsns[1], bsns[2], bsns[4], '123456789', bsns[5]];
    const res = await report('gemeente', JSON.stringify({ bsn: list }));
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    // Participants 0 and 2 are paid by this gemeente; 1 by the UWV, and bsns[4] is another office's participant.
    expect(r.matched.map((m: { bsn: string }) => m.bsn).sort()).toEqual([bsns[0], bsns[2]].sort());
    expect(r.matched[0]).toMatchObject({ intakeDate: start, exitDate: null, result: 'Lopend' });
    expect(r).toMatchObject({ received: 6, unmatched: 3 });
    expect(r.invalid).toEqual([
      {
        row: 5,
        field: 'bsn[4]',
        message: 'is not a valid BSN (it fails the elfproef)',
        nl: 'is geen geldig BSN (het voldoet niet aan de elfproef)',
      },
    ]);
    expect(res.body).not.toContain('123456789');

    const theirs = (await report('theirGemeente', JSON.stringify({ bsn: list }))).json();
    expect(theirs.matched.map((m: { bsn: string }) => m.bsn)).toEqual([bsns[4]]);
  });

  it('takes a CSV as the gemeente keeps it, and the coordinator names the payer', async () => {
    const csv = `bsn\r\n${bsns[0]}\r\n${bsns[1]};extra\r\n`;
    const res = await raw('gemeente', 'POST', '/v1/bsn-reports', '\ufeff' + csv, {
      'content-type': 'text/csv; charset=utf-8',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ received: 2, unmatched: 1 });
    const byCoordinator = await report('coordinator', JSON.stringify({ bsn: [bsns[1]], payerId: mine.uwvId }));
    expect(byCoordinator.json().matched.map((m: { bsn: string }) => m.bsn)).toEqual([bsns[1]]);
    const unnamed = await report('coordinator', JSON.stringify({ bsn: [bsns[1]] }));
    expect(unnamed.statusCode).toBe(422);
    // Another office's payer answers as an unknown one, and a payer naming another payer too.
    const unknown = await report('coordinator', JSON.stringify({ bsn: [bsns[1]], payerId: randomUUID() }));
    for (const [who, payerId] of [
      ['theirCoordinator', mine.gemeenteId],
      ['gemeente', mine.uwvId],
    ] as const) {
      const r = await report(who, JSON.stringify({ bsn: [bsns[0]], payerId }));
      expect(r.statusCode, who).toBe(404);
      expect(r.json().title).toBe(unknown.json().title);
    }
    expect((await report('employer', JSON.stringify({ bsn: [bsns[0]] }))).statusCode).toBe(403);
  });

  it('keeps nothing of the list: not in the database, not in a log line; the matches are audited', async () => {
    const dump = execFileSync('pg_dump', ['--data-only', '--no-owner', api.databaseUrl], {
      maxBuffer: 512 * 1024 * 1024,
    }).toString();
    expect(dump).toContain(cohort.trajectories[0]!.id);
    for (const b of bsns) expect(dump).not.toContain(b);
    expect(logLines.join('')).not.toMatch(new RegExp(bsns.join('|')));
    const audited = await api.db
      .selectFrom('audit_event')
      .select(['trajectory_id', 'action', 'role', 'organisation_id'])
      .where('route', '=', 'POST /v1/bsn-reports')
      .execute();
    expect(audited.every((a) => a.action === 'read')).toBe(true);
    // The gemeente read its own two participants, nobody else's.
    const byMine = new Set(audited.filter((a) => a.organisation_id === mine.gemeenteId).map((a) => a.trajectory_id));
    expect(byMine).toEqual(new Set([cohort.trajectories[0]!.id, cohort.trajectories[2]!.id]));
  });
});

describe('a legal hold', () => {
  const holds = (id: string) => `/v1/trajectories/${id}/legal-holds`;

  it('keeps a finished trajectory from retention and erasure until lifted; erasure names its reason', async () => {
    const t = cohort.trajectories[3]!;
    const dropped = await as('coordinator', 'POST', `/v1/trajectories/${t.id}/changes`, {
      type: 'dropout',
      reason: 'moved',
      text: 'Verhuisd naar Groningen',
    });
    expect(dropped.status, JSON.stringify(dropped.json)).toBe(200);
    for (let i = 0; i < 100; i++) {
      const row = await api.db
        .selectFrom('trajectory')
        .select('status')
        .where('id', '=', t.id)
        .executeTakeFirstOrThrow();
      if (row.status === 'dropped_out') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // The grace period for reverting a dropout passes (time skips while we wait for the result): the trajectory is
    // finished, so only the hold stands between it and its erasure.
    const { workflowId } = await api.db
      .selectFrom('trajectory')
      .select('workflow_id as workflowId')
      .where('id', '=', t.id)
      .executeTakeFirstOrThrow();
    await api.env.client.workflow.getHandle(workflowId).result();
    const until = addDays(today, 4 * 366);
    const past = await raw('coordinator', 'POST', holds(t.id), { reason: 'Te laat', until: today });
    expect(past.statusCode).toBe(422);
    expect(past.json().errors[0].field).toBe('until');
    const placed = await as('coordinator', 'POST', holds(t.id), {
      reason: 'Bewaarplicht ESF+-verantwoording',
      until,
    });
    expect(placed.status, JSON.stringify(placed.json)).toBe(201);
    expect(placed.json.inForce).toMatchObject({ reason: 'Bewaarplicht ESF+-verantwoording', until, lifted: null });

    // Another office cannot see it, nor place one.
    const unknown = await raw('coordinator', 'GET', holds(randomUUID()));
    const intruder = await raw('theirCoordinator', 'GET', holds(t.id));
    expect(intruder.statusCode).toBe(404);
    expect(intruder.json().title).toBe(unknown.json().title);
    expect((await raw('theirCoordinator', 'POST', holds(t.id), { reason: 'x', until })).statusCode).toBe(404);

    // Retention long after the end: the held trajectory stays.
    const retention = createActivities({ db: api.db }).anonymiseExpired;
    const later = addDays(today, 3 * 366);
    await retention({ today: later, months: 24, batch: 500 });
    const kept = await api.db
      .selectFrom('trajectory')
      .select(['anonymised_at', 'name'])
      .where('id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(kept.anonymised_at).toBeNull();

    const refused = await raw('coordinator', 'POST', `/v1/trajectories/${t.id}/erasure`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.json()).toMatchObject({ type: '/problems/legal-hold', title: 'Bewaarplicht (legal hold)' });
    expect(refused.json().detail).toContain('Bewaarplicht ESF+-verantwoording');
    expect(refused.json().detail).toMatch(/tot en met \d+ [a-z]+ \d{4}/);

    // Lifted early, with the reason: erasure goes through, and the lift is kept.
    const lifted = await as('coordinator', 'POST', `/v1/trajectories/${t.id}/legal-hold-lift`, {
      reason: 'Verantwoording goedgekeurd',
    });
    expect(lifted.status, JSON.stringify(lifted.json)).toBe(200);
    expect(lifted.json.inForce).toBeNull();
    expect(lifted.json.holds[0].lifted).toMatchObject({ on: today, reason: 'Verantwoording goedgekeurd' });
    expect(
      (await raw('coordinator', 'POST', `/v1/trajectories/${t.id}/legal-hold-lift`, { reason: 'nog eens' })).statusCode,
    ).toBe(409);
    const erased = await raw('coordinator', 'POST', `/v1/trajectories/${t.id}/erasure`, {});
    expect(erased.statusCode, erased.body).toBe(200);
    const actions = await api.db
      .selectFrom('audit_event')
      .select(['route', 'action'])
      .where('trajectory_id', '=', t.id)
      .where('route', 'like', '%legal-hold%')
      .execute();
    expect(actions).toEqual(
      expect.arrayContaining([
        { route: 'POST /v1/trajectories/:id/legal-holds', action: 'change' },
        { route: 'POST /v1/trajectories/:id/legal-hold-lift', action: 'change' },
      ]),
    );
  });

  it('ends by itself: from the day after its end date retention applies again (domain/legal-hold.ts)', () => {
    const hold = { reason: 'Bewaarplicht', until: '2031-09-16', liftedOn: null };
    expect(holdInForce([hold], '2031-09-16')).toBe(hold);
    expect(holdInForce([hold], '2031-09-17')).toBeUndefined();
    expect(holdInForce([{ ...hold, liftedOn: '2027-01-04' }], '2027-01-05')).toBeUndefined();
  });

  it('keeps a candidate from retention and its erasure, and lets retention take it once the hold ended', async () => {
    const round = await as('coordinator', 'POST', '/v1/recruitment-rounds', {
      programmeId: 'welslagen',
      region: 'West-Brabant',
      name: 'Voorjaar',
    });
    const added = await as('coordinator', 'POST', `/v1/recruitment-rounds/${round.json.id}/candidates`, {
      candidates: [{ firstName: 'Zoë', lastName: 'de Vries' }],
    });
    const id = added.json.candidates[0].id as string;
    const left = await as('coordinator', 'POST', `/v1/candidates/${id}/leave`, { reason: 'found_work', on: today });
    expect(left.status, JSON.stringify(left.json)).toBe(200);
    await api.db
      .updateTable('candidate')
      .set({ left_on: sql<string>`(current_date - interval '7 months')::date` })
      .where('id', '=', id)
      .execute();
    const until = addDays(today, 30);
    expect(
      (await as('coordinator', 'POST', `/v1/candidates/${id}/legal-holds`, { reason: 'Klacht in behandeling', until }))
        .status,
    ).toBe(201);
    const refused = await raw('coordinator', 'POST', `/v1/candidates/${id}/erasure`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('Klacht in behandeling');

    const retention = createActivities({ db: api.db }).anonymiseExpired;
    await retention({ today, months: 24, batch: 500, candidateMonths: 6 });
    const held = await api.db
      .selectFrom('candidate')
      .select('anonymised_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(held.anonymised_at).toBeNull();
    // The day after the hold's end, retention takes it as any other.
    await retention({ today: addDays(until, 1), months: 24, batch: 500, candidateMonths: 6 });
    const gone = await api.db
      .selectFrom('candidate')
      .select('anonymised_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(gone.anonymised_at).not.toBeNull();
  });
});

// Last: the test server's clock moves to the next application deadline, months ahead, and the trajectories with it.
describe("the employer's subsidy reminder", () => {
  it('reminds the employer by mail before the application deadline, on the rule’s days only', async () => {
    const smtp = await startSmtp();
    const mailer = createMailer(
      { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Toeleiding <noreply@x.nl>' },
      api.db,
    );
    const trainer = `trainer.${randomUUID().replace(/[^a-f]/g, '')}@zorggroep.example.nl`;
    expect(
      (
        await api.call('POST', `/v1/organisations/${mine.employerIds[0]}/contacts`, {
          role: 'workplace_trainer',
          name: 'Wim Werkbegeleider',
          email: trainer,
        })
      ).status,
    ).toBe(201);
    try {
      const year = schoolYearOf(start);
      const deadline = applicationDeadline(year);
      const from = addDays(deadline, -40);
      const holidays = new Set(dutchHolidays(from, deadline).map((h) => h.date));
      let first = from;
      while (!subsidyReminderDue(first, holidays)) first = addDays(first, 1);
      const skipTo = (date: string) =>
        skipToMorning(
          api.env,
          date,
          cohort.trajectories.map((t) => t.id),
        );
      const morning = async (date: string) => {
        await skipTo(date);
        const before = smtp.received.length;
        const activities = createActivities({
          db: api.db,
          mailer,
          temporal: api.env.client,
          publicUrl: 'https://toeleiding.example.nl',
          now: () => localInstant(date, 10),
        });
        await activities.deliverMail({ ids: await activities.composeDigests({ date }) });
        return smtp.received
          .slice(before)
          .filter((m) => (m.to as { text: string } | undefined)?.text === trainer)
          .filter((m) => m.text?.includes('Subsidie praktijkleren aanvragen'));
      };
      const dayBefore = addDays(first, -1);
      expect(await morning(dayBefore)).toEqual([]);
      const [mail] = await morning(first);
      expect(mail, 'the reminder on its day').toBeDefined();
      expect(mail!.text).toContain(`Schooljaar ${year.label}: 3 weken met begeleiding (3 tellen mee, ten hoogste 40)`);
      expect(mail!.text).toContain(cohort.trajectories[0]!.reference);
      // Only the employer's own participants: employer 1's student is in another mail.
      expect(mail!.text).not.toContain(cohort.trajectories[1]!.reference);
      expect(mail!.text).not.toMatch(/[0-9]{9}/);
      const [second] = await morning(firstWorkingDay(addDays(deadline, -7), holidays));
      expect(second, 'the second reminder, 7 days before').toBeDefined();
      // Past the deadline, with the trajectory ended and no supervised weeks to come, its deadlines workflow ends.
      await skipTo(addDays(deadline, 2 * 7 + 1));
      const { status } = await api.env.client.workflow
        .getHandle(deadlinesWorkflowId(cohort.trajectories[0]!.id))
        .describe();
      expect(status.name).toBe('COMPLETED');
    } finally {
      mailer.close();
      await smtp.stop();
    }
  });
});
