// The funders' figures as CSV for Dutch Excel (GET /v1/outcomes?format=csv-nl): semicolons, a byte-order mark, CRLF,
// a decimal comma, Dutch headers and words, a suppressed count as "< 5"; the same figures, in the same order, as
// the JSON. Today's CSV (format=csv, Accept: text/csv) stays exactly as existing callers read it. And a gemeente's
// or UWV's analyst is a contact (funder_analyst) of a gemeente or UWV only.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp, type App } from '../api/app';
import type { OutcomeFigures } from '../api/schemas/outcome';
import { connectPostgres, type Db } from '../db/connection';
import { injectCall, testDeps, withKey } from './helpers/app';
import { seedFigureCohort } from './helpers/outcome-figures';
import { createKey, seedPartners, type Call, type Partners } from './helpers/partners';

let db: Db;
let app: App;
let call: Call;
let partners: Partners;
let cohortId: string;
let funder: string;

/** Today's CSV as it was written before format=csv-nl existed (commit 1cf98a8), kept here as the reference. */
function csvAsBefore(f: OutcomeFigures): string {
  const rows: (string | number | null)[][] = [
    ['figure', 'category', 'count'],
    ['started', '', f.started],
  ];
  for (const [k, v] of Object.entries(f.participants)) rows.push(['participants', k, v]);
  for (const [k, v] of Object.entries(f.dropoutByReason)) rows.push(['dropout_by_reason', k, v]);
  for (const [k, v] of Object.entries(f.dropoutByWeek)) rows.push(['dropout_by_week', k, v]);
  rows.push(
    ['attendance', 'participants', f.attendance.participants],
    ['attendance', 'recorded_days', f.attendance.recordedDays],
    ['attendance', 'rate', f.attendance.rate],
  );
  for (const [key, cells] of Object.entries(f.checkpoints))
    for (const [k, v] of Object.entries(cells)) rows.push([`checkpoint_${key}`, k, v]);
  for (const [months, g] of Object.entries(f.followUp)) {
    rows.push([`follow_up_${months}m`, 'asked', g.asked]);
    for (const [k, v] of Object.entries(g.employed)) rows.push([`follow_up_${months}m_employed`, k, v]);
    rows.push([`follow_up_${months}m`, 'enrolment_asked', g.enrolmentAsked]);
    for (const [k, v] of Object.entries(g.enrolled)) rows.push([`follow_up_${months}m_enrolled`, k, v]);
  }
  // Issue 21 added a figure after all of these, so every earlier row stays where it was.
  rows.push(['praktijkverklaring', 'confirmed', f.praktijkverklaring.confirmed]);
  for (const [k, v] of Object.entries(f.praktijkverklaring.byOutcome))
    rows.push(['praktijkverklaring_by_outcome', k, v]);
  rows.push(['doorstroom_pok', 'valid', f.doorstroomPok.valid], ['doorstroom_pok', 'pending', f.doorstroomPok.pending]);
  return stringify(rows.map((r) => r.map((v) => (v === null ? '' : v))));
}

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${funder}`, ...headers } });

beforeAll(async () => {
  db = connectPostgres(inject('databaseUrl'), 3);
  // The figures are SQL only: a Temporal client that never connects is enough.
  app = await buildApp(testDeps(db, new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) })));
  call = injectCall(app);
  partners = await seedPartners(call, `Regio ${randomUUID().slice(0, 6)}`);
  cohortId = await seedFigureCohort(db, {
    covenantId: partners.covenantId,
    schoolId: partners.schoolId,
    employerId: partners.employerIds[0]!,
    benefitPayerId: partners.gemeenteId,
    region: 'Excel',
  });
  const coordinator = await createKey(call, partners.officeId, 'coordinator');
  funder = (
    await call(
      'POST',
      '/v1/api-keys',
      { organisationId: partners.gemeenteId, role: 'funder', label: 'gemeente' },
      coordinator,
    )
  ).json.secret as string;
});

afterAll(async () => {
  await app?.close();
  await db?.destroy();
});

describe('the outcome figures as CSV', () => {
  it('keep today’s format for existing callers, byte for byte, with format=csv and with Accept: text/csv', async () => {
    const figures = (await get(`/v1/outcomes?cohortId=${cohortId}`)).json() as OutcomeFigures;
    const csv = await get(`/v1/outcomes?cohortId=${cohortId}&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="uitkomsten.csv"');
    expect(csv.body).toBe(csvAsBefore(figures));
    // Commas, a decimal point, no byte-order mark, LF line ends, suppressed counts empty.
    expect(csv.body.startsWith('figure,category,count\n')).toBe(true);
    expect(csv.body).toContain('\nattendance,rate,0.871\n');
    expect(csv.body).toContain('\nparticipants,dropout,\n');
    expect(csv.body).not.toContain('\r');
    expect((await get(`/v1/outcomes?cohortId=${cohortId}`, { accept: 'text/csv' })).body).toBe(csv.body);
  });

  it('for Dutch Excel (format=csv-nl): BOM, semicolons, decimal comma, Dutch headers, the same figures', async () => {
    const figures = (await get(`/v1/outcomes?cohortId=${cohortId}`)).json() as OutcomeFigures;
    const res = await get(`/v1/outcomes?cohortId=${cohortId}&format=csv-nl`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="uitkomsten.csv"');
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('Cijfer;Categorie;Aantal');
    expect(lines).toEqual(
      expect.arrayContaining([
        'Gestart;Deelnemers;14',
        'Stand van de deelnemers;Lopend;9',
        'Stand van de deelnemers;Uitgevallen;< 5',
        'Stand van de deelnemers;Doorgestroomd naar BBL;< 5',
        'Uitval naar reden;Motivatie;< 5',
        'Aanwezigheid;Geregistreerde dagen;70',
        'Aanwezigheid;Aanwezig (procent van de geregistreerde dagen);87,1',
        'Checkpoint intake;Op koers;6',
        'Nazorg na 3 maanden;Gevraagd naar werk;6',
        'Nazorg na 3 maanden: werkt nog bij de werkgever;Ja;< 5',
        'Nazorg na 3 maanden: nog ingeschreven bij het ROC;Ja;6',
      ]),
    );
    // Row for row the figures of today's CSV: the same counts, suppressed where they are suppressed.
    const today = (parse((await get(`/v1/outcomes?cohortId=${cohortId}&format=csv`)).body) as string[][]).slice(1);
    const dutch = (parse(text, { delimiter: ';' }) as string[][]).slice(1);
    expect(dutch).toHaveLength(today.length);
    dutch.forEach(([, , count], i) => {
      const [figure, category, was] = today[i]!;
      if (figure === 'attendance' && category === 'rate')
        expect(count).toBe(String(Number(was) * 100).replace('.', ','));
      else expect(count, `${figure} ${category}`).toBe(was === '' ? '< 5' : was);
    });
    // No count of 1 to 4 anywhere: every suppressed count reads "< 5", every shown one is 0 or at least 5.
    for (const [figure, category, count] of dutch)
      if (!/procent/.test(category!) && count !== '< 5')
        expect(Number(count) === 0 || Number(count) >= 5, `${figure} ${category} ${count}`).toBe(true);
    expect(figures.participants.dropout).toBeNull();
  });

  it('refuses a format it does not know (400), and an employer still gets nothing (403)', async () => {
    expect((await get(`/v1/outcomes?format=xlsx`)).statusCode).toBe(400);
    const employer = await createKey(call, partners.employerIds[0]!, 'employer');
    const res = await app.inject({
      method: 'GET',
      url: '/v1/outcomes?format=csv-nl',
      headers: { authorization: `Bearer ${employer}` },
    });
    expect(res.statusCode).toBe(403);
  });

  it('documents csv-nl in the OpenAPI description of the route', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = spec.paths['/v1/outcomes'].get;
    expect(op.description).toMatch(/format=csv-nl/);
    const format = op.parameters.find((p: { name: string }) => p.name === 'format');
    expect(format.schema.enum).toEqual(['json', 'csv', 'csv-nl']);
  });
});

describe('a funder’s analyst', () => {
  const analyst = (organisationId: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: `/v1/organisations/${organisationId}/contacts`,
      headers: { ...withKey(), ...headers },
      // Letters only: a UUID's digits now and then read as a BSN (the API refuses one in any field but bsn).
      payload: {
        role: 'funder_analyst',
        name: 'Anna Analist',
        email: `anna.${randomUUID().replace(/[^a-f]/g, '')}@example.nl`,
      },
    });

  it('is a contact of a gemeente or the UWV', async () => {
    for (const org of [partners.gemeenteId, partners.uwvId]) {
      const res = await analyst(org);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ organisationId: org, role: 'funder_analyst' });
    }
  });

  it('of an employer or ROC is refused (422) naming the role, and nothing is added', async () => {
    for (const org of [partners.employerIds[0]!, partners.schoolId, partners.officeId]) {
      const before = await db.selectFrom('contact').select('id').where('organisation_id', '=', org).execute();
      const res = await analyst(org);
      expect(res.statusCode).toBe(422);
      const problem = res.json();
      expect(problem.errors).toEqual([
        { field: 'role', message: expect.stringMatching(/has no funder_analyst \(that is for gemeente or uwv\)$/) },
      ]);
      expect(await db.selectFrom('contact').select('id').where('organisation_id', '=', org).execute()).toEqual(before);
    }
  });
});
