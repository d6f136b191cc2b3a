// The praktijkverklaring route (issue 21, part 3) through the API, on the real Temporal test server and PostgreSQL:
// the WelSlagen template names its qualification's work processes; the coordinator sets which each placement offers;
// the participant's own employer (its praktijkopleider) records when a work process was shown, only one its placement
// offers; the jobcoach and the ROC read it, another employer or office gets 404 exactly as for an unknown participant;
// the ROC confirms the praktijkverklaring after an ending without BBL (refused in Dutch while nothing was shown);
// the outcome figures count it, suppressed like the others; and the ROC's export names each work process, the date,
// the assessor and the employer.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymiseTrajectory } from '../db/privacy';
import { checkTemplate } from '../domain/programme';
import { suppressPart } from '../domain/suppression';
import { localDate } from '../domain/calendar';
import { startTestApi, type TestApi } from './helpers/api';
import { cohortRequest, thisMonday, welslagenTemplate } from './helpers/fixtures';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';
import type { Json } from './helpers/json';

let api: TestApi;
let mine: Partners;
let theirs: Partners;
const keys: Record<string, string> = {};
let cohort: { id: string; programmeVersion: number; trajectories: { id: string; employerId: string }[] };
const today = localDate(Date.now());

const as = (who: string, method: string, url: string, body?: unknown) => api.call(method, url, body, keys[who]);
const dutch = (who: string, method: string, url: string, payload?: unknown) =>
  api.app.inject({
    method: method as 'POST',
    url,
    headers: { authorization: `Bearer ${keys[who]}`, 'idempotency-key': randomUUID(), 'accept-language': 'nl' },
    payload: payload as object,
  });
const participant = (i: number) => cohort.trajectories[i]!.id;

async function untilEnded(id: string) {
  for (let i = 0; i < 200; i++) {
    const t = await api.db.selectFrom('trajectory').select('outcome').where('id', '=', id).executeTakeFirstOrThrow();
    if (t.outcome) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`trajectory ${id} did not end`);
}

async function dropOut(i: number) {
  const res = await as('coordinator', 'POST', `/v1/trajectories/${participant(i)}/changes`, {
    type: 'dropout',
    reason: 'found_other_work',
    text: 'Kiest voor een baan in de schoonmaak',
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  await untilEnded(participant(i));
}

beforeAll(async () => {
  api = await startTestApi({ ownDatabase: true });
  mine = await seedPartners(api.call);
  theirs = await seedPartners(api.call, 'Zeeland');
  Object.assign(keys, {
    coordinator: await createKey(api.call, mine.officeId, 'coordinator'),
    employer: await createKey(api.call, mine.employerIds[0]!, 'employer'),
    otherEmployer: await createKey(api.call, mine.employerIds[1]!, 'employer'),
    school: await createKey(api.call, mine.schoolId, 'school'),
    jobcoach: await createKey(api.call, mine.officeId, 'jobcoach', mine.jobcoachId),
    theirCoordinator: await createKey(api.call, theirs.officeId, 'coordinator'),
    theirEmployer: await createKey(api.call, theirs.employerIds[0]!, 'employer'),
    theirSchool: await createKey(api.call, theirs.schoolId, 'school'),
  });
  const launched = await as('coordinator', 'POST', '/v1/cohorts', {
    ...cohortRequest({ ...mine, size: 6, startDate: thisMonday() }),
  });
  expect(launched.status, JSON.stringify(launched.json)).toBe(201);
  cohort = launched.json;
  await untilStarted(api.db, cohort.id);
}, 180_000);
afterAll(async () => api?.close());

describe('the work processes of a programme', () => {
  it('are checked when a template names them: codes well formed and each once', () => {
    const problems = checkTemplate(
      welslagenTemplate({
        workProcesses: [
          { code: 'B1-K1-W1', name: 'Ondersteunt bij persoonlijke verzorging' },
          { code: 'B1-K1-W1', name: 'Nog eens' },
          { code: 'werkproces 3', name: 'Geen code' },
        ],
      }),
    );
    expect(problems.map((p) => p.field)).toEqual(['template.workProcesses[1].code', 'template.workProcesses[2].code']);
    expect(problems[1]!.nl).toBe('werkproces 3 is geen werkprocescode zoals B1-K1-W1');
    expect(checkTemplate(welslagenTemplate({ workProcesses: [{ code: 'P2-K1-W12', name: 'Profieldeel' }] }))).toEqual(
      [],
    );
  });

  it('refuses a published template with a work process twice, in Dutch', async () => {
    const res = await dutch('coordinator', 'POST', '/v1/programmes', {
      id: `${mine.officeId}.praktijk`,
      name: 'Praktijkroute',
      template: welslagenTemplate({
        workProcesses: [
          { code: 'B1-K1-W2', name: 'Ondersteunt bij wonen en huishouden' },
          { code: 'B1-K1-W2', name: 'Ondersteunt bij wonen en huishouden' },
        ],
      }),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      expect.objectContaining({ field: 'template.workProcesses[1].code', message: 'B1-K1-W2 komt twee keer voor' }),
    ]);
  });

  it("are named by WelSlagen's new version (Helpende Zorg en Welzijn); version 1 stays as it was", async () => {
    const items = (await as('coordinator', 'GET', '/v1/programmes')).json as Json;
    const welslagen = (Array.isArray(items) ? items : items.items).filter((p: Json) => p.id === 'welslagen');
    const v1 = welslagen.find((p: Json) => p.version === 1);
    const newest = welslagen.at(-1);
    expect(v1.template.workProcesses).toBeUndefined();
    expect(newest.version).toBe(2);
    expect(newest.template.workProcesses.map((w: Json) => w.code)).toEqual([
      'B1-K1-W1',
      'B1-K1-W2',
      'B1-K1-W3',
      'B1-K2-W1',
      'B1-K2-W2',
    ]);
    expect(cohort.programmeVersion).toBe(2);
  });

  it("are offered per placement, set by the employer's coordinator only", async () => {
    const unknown = await dutch('coordinator', 'POST', `/v1/organisations/${mine.employerIds[0]}/work-processes`, {
      programmeId: 'welslagen',
      codes: ['B1-K1-W1', 'B9-K9-W9'],
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0]).toMatchObject({
      field: 'codes',
      message: 'B9-K9-W9: geen werkproces van het programma',
    });
    for (const employerId of mine.employerIds) {
      const set = await as('coordinator', 'POST', `/v1/organisations/${employerId}/work-processes`, {
        programmeId: 'welslagen',
        codes: ['B1-K1-W3', 'B1-K1-W1'],
      });
      expect(set.status).toBe(200);
      expect(set.json.codes).toEqual(['B1-K1-W1', 'B1-K1-W3']);
    }
    const other = await as('theirCoordinator', 'POST', `/v1/organisations/${mine.employerIds[0]}/work-processes`, {
      programmeId: 'welslagen',
      codes: ['B1-K1-W2'],
    });
    expect(other.status).toBe(404);
    const offered = await api.db
      .selectFrom('placement_work_process')
      .select('code')
      .where('employer_id', '=', mine.employerIds[0]!)
      .execute();
    expect(offered.map((o) => o.code).sort()).toEqual(['B1-K1-W1', 'B1-K1-W3']);
  });
});

describe('the praktijkopleider records a work process', () => {
  const shown = {
    code: 'B1-K1-W1',
    shownOn: today,
    note: 'Helpt twee bewoners zelfstandig bij het wassen en aankleden, volgens het zorgplan.',
  };

  it('for its own participant, a work process its placement offers; named with its assessor', async () => {
    const headers = { authorization: `Bearer ${keys.employer}`, 'idempotency-key': randomUUID() };
    const url = `/v1/trajectories/${participant(0)}/work-processes`;
    const first = await api.app.inject({
      method: 'POST',
      url,
      headers,
      payload: { ...shown, assessor: 'Anja de Groot' },
    });
    expect(first.statusCode, first.body).toBe(200);
    const w1 = first.json().workProcesses.find((w: Json) => w.code === 'B1-K1-W1');
    expect(w1).toMatchObject({
      offered: true,
      shown: { on: today, assessor: 'Anja de Groot', employerName: 'Zorggroep Breda', note: shown.note },
    });
    // The same request again (a retry after a lost answer) records nothing twice.
    const again = await api.app.inject({
      method: 'POST',
      url,
      headers,
      payload: { ...shown, assessor: 'Anja de Groot' },
    });
    expect(again.json()).toEqual(first.json());
    const rows = await api.db
      .selectFrom('work_process_evidence')
      .selectAll()
      .where('trajectory_id', '=', participant(0))
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses in Dutch a work process the placement does not offer, a future date, no assessor', async () => {
    const url = `/v1/trajectories/${participant(0)}/work-processes`;
    const notOffered = await dutch('employer', 'POST', url, { ...shown, code: 'B1-K1-W2', assessor: 'Anja de Groot' });
    expect(notOffered.statusCode).toBe(422);
    expect(notOffered.json().errors).toEqual([
      expect.objectContaining({
        field: 'code',
        message: 'B1-K1-W2 is geen werkproces dat deze stageplaats biedt (de coördinator legt die vast)',
      }),
    ]);
    const future = await dutch('employer', 'POST', url, { ...shown, shownOn: '2999-01-01', assessor: 'Anja de Groot' });
    expect(future.json().errors).toEqual([
      expect.objectContaining({ field: 'shownOn', message: 'ligt in de toekomst' }),
    ]);
    const nobody = await dutch('employer', 'POST', url, shown);
    expect(nobody.statusCode).toBe(422);
    expect(nobody.json().errors[0].field).toBe('assessor');
  });

  it("answers another employer, or another office's, exactly as for an unknown participant", async () => {
    const body = { ...shown, assessor: 'Piet Jansen' };
    const unknown = await as('otherEmployer', 'POST', `/v1/trajectories/${randomUUID()}/work-processes`, body);
    expect(unknown.status).toBe(404);
    for (const who of ['otherEmployer', 'theirEmployer', 'school', 'jobcoach', 'coordinator']) {
      const res = await as(who, 'POST', `/v1/trajectories/${participant(0)}/work-processes`, body);
      expect(res.status, who).toBe(404);
      expect(res.json.title).toBe(unknown.json.title);
    }
    expect(
      await api.db
        .selectFrom('work_process_evidence')
        .select('assessor')
        .where('trajectory_id', '=', participant(0))
        .execute(),
    ).toEqual([{ assessor: 'Anja de Groot' }]);
  });

  it('is read by the jobcoach, the ROC and the coordinator (audited), not by another employer or office', async () => {
    for (const who of ['jobcoach', 'school', 'coordinator', 'employer']) {
      const res = await as(who, 'GET', `/v1/trajectories/${participant(0)}/work-processes`);
      expect(res.status, who).toBe(200);
      expect(res.json.workProcesses.find((w: Json) => w.code === 'B1-K1-W1').shown.note, who).toBe(shown.note);
    }
    for (const who of ['otherEmployer', 'theirEmployer', 'theirSchool', 'theirCoordinator'])
      expect((await as(who, 'GET', `/v1/trajectories/${participant(0)}/work-processes`)).status, who).toBe(404);
    const audited = await api.db
      .selectFrom('audit_event')
      .select(['role', 'action'])
      .where('trajectory_id', '=', participant(0))
      .where('route', '=', 'GET /v1/trajectories/:id/work-processes')
      .where('action', '=', 'read')
      .execute();
    expect(audited.map((a) => a.role).sort()).toEqual(['coordinator', 'employer', 'jobcoach', 'school']);
  });
});

describe("the jobcoach's checkpoint", () => {
  it("may refer to work processes of the participant's programme, and only to those", async () => {
    const url = `/v1/trajectories/${participant(0)}/checkpoints`;
    const review = { key: 'intake', status: 'on_track', note: 'Goede start op de afdeling.', trainerConfirmed: true };
    const unknown = await dutch('jobcoach', 'POST', url, { ...review, workProcesses: ['B1-K1-W1', 'B1-K1-W9'] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors).toEqual([
      expect.objectContaining({ field: 'workProcesses', message: 'B1-K1-W9: geen werkproces van het programma' }),
    ]);
    const done = await as('jobcoach', 'POST', url, { ...review, workProcesses: ['B1-K1-W1'] });
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    const events = await api.db
      .selectFrom('trajectory_event')
      .select('data')
      .where('trajectory_id', '=', participant(0))
      .where('type', '=', 'checkpoint_recorded')
      .execute();
    expect(events.map((e) => e.data.workProcesses)).toEqual([['B1-K1-W1']]);
  });
});

describe('the praktijkverklaring', () => {
  it('is refused in Dutch before the end, and when no work process was shown', async () => {
    const early = await dutch('school', 'POST', `/v1/trajectories/${participant(0)}/praktijkverklaring`, {});
    expect(early.statusCode).toBe(422);
    expect(early.json().errors[0].message).toBe(
      'het traject is nog niet afgelopen; bevestig de praktijkverklaring na het einde',
    );
    await dropOut(5);
    const nothing = await dutch('school', 'POST', `/v1/trajectories/${participant(5)}/praktijkverklaring`, {});
    expect(nothing.statusCode).toBe(422);
    expect(nothing.json().errors[0]).toMatchObject({
      field: 'workProcesses',
      message: 'er is nog geen werkproces aangetoond: de praktijkopleider legt ze eerst vast',
    });
    expect(await api.db.selectFrom('praktijkverklaring').selectAll().execute()).toEqual([]);
  });

  it('is confirmed by the ROC after an ending without BBL, once; not by another ROC or the employer', async () => {
    await dropOut(0);
    for (const who of ['theirSchool', 'employer', 'jobcoach'])
      expect((await as(who, 'POST', `/v1/trajectories/${participant(0)}/praktijkverklaring`, {})).status, who).toBe(
        404,
      );
    const notShown = await dutch('school', 'POST', `/v1/trajectories/${participant(0)}/praktijkverklaring`, {
      codes: ['B1-K1-W3'],
    });
    expect(notShown.statusCode).toBe(422);
    const done = await as('school', 'POST', `/v1/trajectories/${participant(0)}/praktijkverklaring`, {});
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    expect(done.json.praktijkverklaring).toEqual({ confirmedOn: today, codes: ['B1-K1-W1'] });
    const twice = await as('school', 'POST', `/v1/trajectories/${participant(0)}/praktijkverklaring`, {});
    expect(twice.status).toBe(409);
  });

  it('counts in the outcome figures, suppressed below 5 and where it leaves fewer than 5 without one', async () => {
    const figures = async () =>
      (await as('coordinator', 'GET', `/v1/outcomes?cohortId=${cohort.id}`)).json.praktijkverklaring;
    const hidden = { confirmed: null, byOutcome: { no_doorstroom: null, dropout: null, job_without_bbl: null } };
    expect(await figures()).toEqual(hidden);
    // The rest: each shown at the participant's own placement, dropped out, and confirmed by the ROC.
    const confirm = async (i: number) => {
      const employer = cohort.trajectories[i]!.employerId === mine.employerIds[0] ? 'employer' : 'otherEmployer';
      const rec = await as(employer, 'POST', `/v1/trajectories/${participant(i)}/work-processes`, {
        code: 'B1-K1-W3',
        shownOn: today,
        note: 'Begeleidt de middagactiviteit zelfstandig.',
        assessor: 'Piet Jansen',
      });
      expect(rec.status, JSON.stringify(rec.json)).toBe(200);
      if (i !== 5) await dropOut(i);
      const done = await as('school', 'POST', `/v1/trajectories/${participant(i)}/praktijkverklaring`, {});
      expect(done.status).toBe(200);
    };
    for (const i of [1, 2, 3, 4]) await confirm(i);
    // 5 of the 6 dropouts have one: showing 5 would show that 1 dropout left without one.
    expect(await figures()).toEqual(hidden);
    await confirm(5);
    expect(await figures()).toEqual({
      confirmed: 6,
      byOutcome: { no_doorstroom: 0, dropout: 6, job_without_bbl: 0 },
    });
    const csv = await api.app.inject({
      method: 'GET',
      url: `/v1/outcomes?cohortId=${cohort.id}&format=csv`,
      headers: { authorization: `Bearer ${keys.coordinator}` },
    });
    expect(csv.body.split('\n')).toEqual(
      expect.arrayContaining(['praktijkverklaring,confirmed,6', 'praktijkverklaring_by_outcome,dropout,6']),
    );
  });

  it('is suppressed across to the outcome counts it is part of', () => {
    const whole = { no_doorstroom: 9, dropout: 20, job_without_bbl: 0 };
    // 9 - 6 = 3 without one: hidden, and so the next smallest, or the total would give it away.
    expect(suppressPart({ no_doorstroom: 6, dropout: 10, job_without_bbl: 0 }, whole, whole)).toEqual({
      total: 16,
      cells: { no_doorstroom: null, dropout: null, job_without_bbl: 0 },
    });
    expect(suppressPart(whole, whole, whole)).toEqual({ total: 29, cells: whole });
    // 16 - 13 = 3 without one in all: the total goes, and everything within it.
    const few = { no_doorstroom: 9, dropout: 7, job_without_bbl: 0 };
    expect(suppressPart({ no_doorstroom: 6, dropout: 7, job_without_bbl: 0 }, few, few)).toEqual({
      total: null,
      cells: { no_doorstroom: null, dropout: null, job_without_bbl: null },
    });
    // A hidden whole gives nothing away: its part is judged on its own.
    expect(
      suppressPart({ no_doorstroom: 6, dropout: 10, job_without_bbl: 0 }, whole, { ...whole, no_doorstroom: null }),
    ).toEqual({ total: 16, cells: { no_doorstroom: 6, dropout: 10, job_without_bbl: 0 } });
  });
});

describe("the participant's rights", () => {
  it('the AVG export holds the evidence and the statement; anonymisation keeps the facts, not the note', async () => {
    const exported = (await as('coordinator', 'GET', `/v1/trajectories/${participant(1)}/export`)).json;
    expect(exported.workProcesses).toEqual([
      expect.objectContaining({ code: 'B1-K1-W3', note: 'Begeleidt de middagactiviteit zelfstandig.' }),
    ]);
    expect(exported.praktijkverklaring).toMatchObject({ codes: ['B1-K1-W3'], confirmed_on: today });
    // As the retention schedule anonymises it (the erasure route waits until the dropout can no longer be reverted).
    await anonymiseTrajectory(api.db, participant(1), {
      actor: 'retention',
      organisation_id: null,
      role: 'system',
      action: 'anonymise',
      route: 'schedule retention',
      request_id: null,
    });
    expect(
      await api.db
        .selectFrom('work_process_evidence')
        .select(['code', 'note'])
        .where('trajectory_id', '=', participant(1))
        .execute(),
    ).toEqual([{ code: 'B1-K1-W3', note: '' }]);
  });
});

describe("the ROC's export for the Praktijkloket", () => {
  const url = () => `/v1/trajectories/${participant(0)}/praktijkverklaring/export`;

  it('names each work process, the date shown, the assessor and the employer', async () => {
    const res = await as('school', 'GET', url());
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ confirmedOn: today, school: 'ROC West-Brabant' });
    expect(res.json.rows).toEqual([
      {
        reference: 'WB-001',
        participant: 'Deelnemer 1',
        code: 'B1-K1-W1',
        name: 'Ondersteunt bij persoonlijke verzorging',
        shownOn: today,
        assessor: 'Anja de Groot',
        employer: 'Zorggroep Breda',
        note: 'Helpt twee bewoners zelfstandig bij het wassen en aankleden, volgens het zorgplan.',
      },
    ]);
    for (const who of ['employer', 'otherEmployer', 'jobcoach', 'theirSchool'])
      expect((await as(who, 'GET', url())).status, who).toBe(404);
  });

  it('downloads as CSV for Dutch Excel and as xlsx with the same rows', async () => {
    const get = (format: string) =>
      api.app.inject({
        method: 'GET',
        url: `${url()}?format=${format}`,
        headers: { authorization: `Bearer ${keys.school}` },
      });
    const csv = await get('csv-nl');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="praktijkverklaring-WB-001.csv"');
    expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.rawPayload.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe(
      'Deelnemer (referentie);Naam;Werkproces;Omschrijving;Aangetoond op;Beoordelaar (praktijkopleider);' +
        'Leerbedrijf;Toelichting',
    );
    expect(lines[1]).toBe(
      `WB-001;Deelnemer 1;B1-K1-W1;Ondersteunt bij persoonlijke verzorging;${today};Anja de Groot;Zorggroep Breda;` +
        'Helpt twee bewoners zelfstandig bij het wassen en aankleden, volgens het zorgplan.',
    );
    const xlsx = await get('xlsx');
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Praktijkverklaring')!;
    expect(sheet.getRow(2).getCell(3).value).toBe('B1-K1-W1');
    expect(sheet.getRow(2).getCell(6).value).toBe('Anja de Groot');
    expect(sheet.getRow(2).getCell(7).value).toBe('Zorggroep Breda');
  });
});
