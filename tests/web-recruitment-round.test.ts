// The coordinator's round in a real browser (Chromium, JavaScript off): opening a round by form (Dutch errors next
// to the fields; a double submit opens one round), uploading the gemeente's and UWV's lists as a CSV the way Dutch
// Excel saves it (semicolons, Windows-1252) and as xlsx: every bad row named by row and column in Dutch and nobody
// added; the corrected list added, each candidate's process started at the first step. Near matches shown side by
// side and decided both ways; adding twice adds nobody twice; no BSN on any page or in the stored upload. Another
// office's coordinator gets 404 for the round, its upload form, an upload and adding to it, exactly as for an unknown
// round. axe-core (WCAG 2.1 A and AA) on every page; a phone's width.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBsn } from '../api/bsn';
import { CANDIDATE_COLUMNS } from '../api/services/candidate-sheet';
import { addDays, localDate } from '../domain/calendar';
import { dutchDate } from '../domain/dutch';
import { candidateWorkflowId } from '../workflows/ids';
import { readSheet } from '../web/spreadsheet';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { cohortRequest, uniqueId } from './helpers/fixtures';
import { addContact, createKey, type Partners, seedPartners } from './helpers/partners';

let web: WebWorld;
let api: WebWorld['api'];
let base: string;
let A: Partners;
let coordA: string;
let anna: { id: string; email: string };
let bram: { id: string; email: string };
let annaContext: BrowserContext;
let roundId: string;
/** The address of an upload of office A waiting for its decisions (for the other office's attempts). */
let waitingUpload: string;

/** The BSN of a participant already running in WelSlagen at office A. */
const RUNNING_BSN = '111222333';
const HEADERS = CANDIDATE_COLUMNS.map((c) => c.header);
type Row = Partial<Record<(typeof HEADERS)[number], string | Date>>;

/** `n` numbers that pass the elfproef, none of them RUNNING_BSN. */
function validBsns(n: number, from: number): string[] {
  const out: string[] = [];
  for (let x = from; out.length < n; x++) if (isBsn(String(x)) && String(x) !== RUNNING_BSN) out.push(String(x));
  return out;
}
const BSNS = validBsns(10, 300_000_000);
const mail = (who: string) => `${who}-${uniqueId('k')}@example.nl`;

/** A CSV as Dutch Excel saves it: semicolons, CRLF, Windows-1252. */
const csv1252 = (rows: Row[]) => ({
  name: 'kandidaten.csv',
  mimeType: 'text/csv',
  buffer: iconv.encode(
    [HEADERS, ...rows.map((r) => HEADERS.map((h) => String(r[h] ?? '')))].map((l) => l.join(';')).join('\r\n'),
    'win1252',
  ),
});
async function asXlsx(rows: Row[]) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Kandidaten');
  sheet.addRow(HEADERS);
  for (const r of rows) sheet.addRow(HEADERS.map((h) => r[h] ?? ''));
  return {
    name: 'kandidaten.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: Buffer.from(await book.xlsx.writeBuffer()),
  };
}

async function submit(page: Page, name: string | RegExp): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r: Response) => r.request().method() === 'POST'),
    page.getByRole('button', { name }).click(),
  ]);
  await page.waitForLoadState();
  return response.status();
}

async function upload(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  await page.goto(`${base}/werving/${roundId}/lijsten/nieuw`);
  await page.setInputFiles('#bestand', file);
  return submit(page, 'Bestand controleren');
}

/** The error table as [row, column, message] triples. */
const problems = async (page: Page) =>
  Promise.all(
    (await page.locator('#fouten tbody tr').all()).map(async (tr) =>
      (await tr.locator('th, td').allTextContents()).map((t) => t.trim()),
    ),
  );

const candidatesOf = async () =>
  (await api.call('GET', `/v1/recruitment-rounds/${roundId}`, undefined, coordA)).json.candidates as {
    id: string;
    firstName: string;
    lastName: string;
    step: string;
  }[];

const asAnna = async (o: { phone?: boolean } = {}) => {
  const page = await annaContext.newPage();
  if (o.phone) await page.setViewportSize({ width: 375, height: 740 });
  return page;
};

const contact = (organisationId: string, role: string, name: string) =>
  addContact(api.call, organisationId, role, name);

beforeAll(async () => {
  web = await startWebWorld();
  ({ api, base } = web);
  A = await seedPartners(api.call);
  const B = await seedPartners(api.call, 'Zeeland');
  coordA = await createKey(api.call, A.officeId, 'coordinator');
  anna = await contact(A.officeId, 'coordinator', 'Anna Coördinator');
  bram = await contact(B.officeId, 'coordinator', 'Bram Coördinator');
  const running = cohortRequest({ ...A, size: 1 });
  running.participants[0]!.bsn = RUNNING_BSN;
  expect((await api.call('POST', '/v1/cohorts', running)).status).toBe(201);
  annaContext = (await web.signIn(anna)).context();
}, 240_000);
afterAll(async () => web?.close());

describe("the coordinator's recruitment round", () => {
  it('is opened by a form, with Dutch errors next to the fields; a double submit opens one round', async () => {
    const page = await asAnna();
    await page.goto(`${base}/werving`);
    await web.noAxeViolations(page);
    await page.getByLabel('Naam van de ronde').fill('Voorjaar 2027');
    expect(await submit(page, 'Ronde openen')).toBe(422);
    await expect(page.locator('#regio-fout').textContent()).resolves.toBe(
      'Vul de regio in, bijvoorbeeld West-Brabant.',
    );
    await expect(page.getByLabel('Naam van de ronde').inputValue()).resolves.toBe('Voorjaar 2027');
    await web.noAxeViolations(page);

    await page.getByLabel('Regio').fill('West-Brabant');
    await page.getByLabel('Programma').selectOption('welslagen');
    // The same form sent twice (a double click): its id was chosen when it was shown.
    const form = Object.fromEntries(
      await page
        .locator('form[action="/werving"] input[type=hidden]')
        .evaluateAll((inputs) => inputs.map((i) => [i.getAttribute('name'), i.getAttribute('value')])),
    ) as Record<string, string>;
    expect(await submit(page, 'Ronde openen')).toBe(303);
    roundId = page.url().split('/').at(-1)!;
    expect(roundId).toBe(form.ronde);
    await expect(page.locator('h1').textContent()).resolves.toBe('Wervingsronde Voorjaar 2027');
    const again = await page.context().request.post(`${base}/werving`, {
      form: { ...form, programma: 'welslagen', regio: 'West-Brabant', naam: 'Voorjaar 2027' },
      maxRedirects: 0,
    });
    expect(again.status()).toBe(303);
    const rounds = (
      await api.db.selectFrom('recruitment_round').select('id').where('office_id', '=', A.officeId).execute()
    ).map((r) => r.id);
    expect(rounds).toEqual([roundId]);
    const round = (await api.call('GET', `/v1/recruitment-rounds/${roundId}`, undefined, coordA)).json;
    expect(round.draaiboek.steps.map((s: { key: string }) => s.key)).toEqual([
      'voorlichting',
      'groepsintake',
      'meeloopdag',
      'vog',
      'selectie',
      'match',
    ]);
    await web.noAxeViolations(page);
  }, 60_000);

  it('takes a list only when every row is right, naming each mistake by row and column; then adds it', async () => {
    const page = await asAnna();
    // The template: the Dutch columns, what goes in them, and the office's gemeenten and UWV.
    await page.goto(`${base}/werving/${roundId}/lijsten/nieuw`);
    await web.noAxeViolations(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Sjabloon downloaden (Excel)' }).click(),
    ]);
    const template = readFileSync(await download.path());
    expect((await readSheet(template)).headers).toEqual(HEADERS);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Kandidaten', 'Uitleg', 'Bronnen']);
    expect(book.getWorksheet('Bronnen')!.getColumn(1).values.map(String)).toEqual(
      expect.arrayContaining(['Gemeente Breda', 'UWV West-Brabant']),
    );

    const good: Row[] = [
      {
        Voornaam: 'Zoë',
        Achternaam: 'de Vries',
        Geboortedatum: '2-3-1994',
        'E-mail': mail('zoe'),
        BSN: BSNS[0],
        'Aangeleverd door': 'Gemeente Breda',
      },
      { Voornaam: 'Ahmed', Achternaam: 'Öztürk', Geboortedatum: '20-11-1989', 'Aangeleverd door': 'UWV West-Brabant' },
      { Voornaam: 'Sanne', Achternaam: 'Jansen', Geboortedatum: '1999-07-14', 'E-mail': mail('sanne') },
      { Voornaam: 'Bas', Achternaam: 'Smits', Geboortedatum: '5-6-1985', BSN: BSNS[1] },
    ];
    const bad: Row[] = [
      good[0]!, // row 2
      { ...good[1]!, Geboortedatum: '31-2-1990' }, // row 3: no such date
      { ...good[2]!, 'E-mail': 'geen-adres' }, // row 4
      { ...good[3]!, BSN: '123456789' }, // row 5: fails the elfproef
      { ...good[0]! }, // row 6: row 2 again
      { Voornaam: 'Eva', Achternaam: 'Mol', Geboortedatum: '1-1-2000', 'Aangeleverd door': 'Gemeente Tilburg' },
      { Voornaam: 'Piet', Achternaam: 'Loper', Geboortedatum: '1-1-1980', BSN: RUNNING_BSN }, // row 8: running
      { Voornaam: '', Achternaam: 'Zonder', Geboortedatum: '1-1-1990' }, // row 9
    ];
    const csv = csv1252(bad);
    expect(csv.buffer.includes(Buffer.from('ë', 'latin1'))).toBe(true);
    expect(await upload(page, csv)).toBe(422);
    await expect(page.locator('[role=alert] h2').textContent()).resolves.toMatch(/Er zijn 7 fouten in het bestand/);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Er is niemand toegevoegd/);
    expect(await problems(page)).toEqual([
      ['3', 'Geboortedatum', "'31-2-1990' is geen bestaande datum. Schrijf dag-maand-jaar, zoals 2-3-1994."],
      ['4', 'E-mail', "'geen-adres' is geen geldig e-mailadres. Vul een adres in zoals naam@voorbeeld.nl."],
      ['5', 'BSN', 'Dit is geen geldig BSN: het moet negen cijfers hebben en de elfproef doorstaan.'],
      ['6', 'BSN', 'Dubbel: rij 2 is dezelfde persoon.'],
      [
        '7',
        'Aangeleverd door',
        "Onbekende aanleveraar 'Gemeente Tilburg': geen gemeente of UWV waarmee uw programmabureau werkt.",
      ],
      ['8', 'BSN', 'Deze persoon doet al mee aan een lopend traject van dit programma.'],
      ['9', 'Voornaam', 'Vul de voornaam in.'],
    ]);
    const errorHtml = await page.content();
    for (const bsn of [RUNNING_BSN, '123456789', ...BSNS.slice(0, 2)]) expect(errorHtml).not.toContain(bsn);
    expect(await candidatesOf()).toEqual([]);
    await web.noAxeViolations(page);
    await web.shot(page, 'coordinator-recruitment-upload-errors');

    // A file that is no spreadsheet, and one over 2 MB: the form again, the message next to the file field.
    const junk = {
      name: 'kandidaten.xlsx',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('PK\x03\x04kapot'),
    };
    expect(await upload(page, junk)).toBe(422);
    await expect(page.locator('#bestand-fout').textContent()).resolves.toMatch(/^Het bestand is geen leesbaar Excel/);
    const huge = { name: 'kandidaten.csv', mimeType: 'text/csv', buffer: Buffer.alloc(2 * 1024 * 1024 + 10, 'a') };
    expect(await upload(page, huge)).toBe(413);
    await expect(page.locator('#bestand-fout').textContent()).resolves.toMatch(/^Het bestand is groter dan 2 MB/);
    await web.noAxeViolations(page);

    // An xlsx with a real date cell and one bad row: the same checks.
    const xlsxBad = await asXlsx([
      { ...good[0]!, Geboortedatum: new Date(Date.UTC(1994, 2, 2)) },
      { ...good[1]!, Geboortedatum: '2031-01-01' },
    ]);
    expect(await upload(page, xlsxBad)).toBe(422);
    expect(await problems(page)).toEqual([
      ['3', 'Geboortedatum', "'2031-01-01' kan geen geboortedatum zijn: kijk het jaar na."],
    ]);
    expect(await candidatesOf()).toEqual([]);

    // The corrected list: shown first, then added; every candidate at the first step, its process running.
    expect(await upload(page, csv1252(good))).toBe(303);
    expect(page.url()).toMatch(new RegExp(`/werving/${roundId}/lijsten/[0-9a-f-]{36}$`));
    await expect(page.locator('main').textContent()).resolves.toMatch(/Alle 4 rijen zijn goed/);
    const names = (await page.locator('#rijen tbody th').allTextContents()).map((t) => t.trim());
    expect(names).toEqual(['Zoë de Vries', 'Ahmed Öztürk', 'Sanne Jansen', 'Bas Smits']);
    expect(await page.content()).not.toContain(BSNS[0]);
    await web.noAxeViolations(page);
    expect(await candidatesOf()).toEqual([]);
    expect(await submit(page, 'Kandidaten toevoegen')).toBe(303);
    expect(page.url()).toBe(`${base}/werving/${roundId}?toegevoegd=4`);
    await expect(page.locator('main').textContent()).resolves.toMatch(/4 kandidaten toegevoegd/);
    const rows = await page.locator('table', { hasText: 'Kenmerk' }).locator('tbody tr').allTextContents();
    expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringMatching(/^K-[0-9A-F]{10} Zoë de Vries Voorlichtingsbijeenkomst, uiterlijk /),
      expect.stringMatching(/Ahmed Öztürk Voorlichtingsbijeenkomst, uiterlijk /),
      expect.stringMatching(/Sanne Jansen Voorlichtingsbijeenkomst, uiterlijk /),
      expect.stringMatching(/Bas Smits Voorlichtingsbijeenkomst, uiterlijk /),
    ]);
    await web.noAxeViolations(page);
    const added = await candidatesOf();
    expect(added.map((c) => [c.firstName, c.step])).toEqual([
      ['Zoë', 'voorlichting'],
      ['Ahmed', 'voorlichting'],
      ['Sanne', 'voorlichting'],
      ['Bas', 'voorlichting'],
    ]);
    for (const c of added) {
      const described = await api.env.client.workflow.getHandle(candidateWorkflowId(c.id)).describe();
      expect(described.status.name).toBe('RUNNING');
    }
    // Each name links to the candidate's own page.
    await expect(page.getByRole('link', { name: 'Zoë de Vries' }).getAttribute('href')).resolves.toBe(
      `/werving/kandidaten/${added[0]!.id}`,
    );
    // The BSN as its keyed hash only: in the candidates and in the stored upload.
    const stored = await api.db
      .selectFrom('candidate')
      .select(['first_name', 'bsn_hash', 'source_id'])
      .where('round_id', '=', roundId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(stored.map((c) => [c.first_name, c.bsn_hash !== null, c.source_id])).toEqual([
      ['Zoë', true, A.gemeenteId],
      ['Ahmed', false, A.uwvId],
      ['Sanne', false, null],
      ['Bas', true, null],
    ]);
    const uploads = await sql<{ t: string }>`select entries::text || near::text as t from candidate_upload`.execute(
      api.db,
    );
    for (const u of uploads.rows) for (const bsn of BSNS) expect(u.t).not.toContain(bsn);
    // Once added, the upload keeps no copy of the rows.
    const kept = await api.db.selectFrom('candidate_upload').select(['entries', 'added_at']).execute();
    expect(kept.filter((u) => u.added_at !== null).map((u) => u.entries)).toEqual([[]]);
  }, 120_000);

  it('shows each near match side by side; the coordinator decides same person or someone else', async () => {
    const page = await asAnna();
    const before = (await candidatesOf()).length;
    // Someone already in the round (the same BSN) is no question: the round's check refuses the row.
    const again = csv1252([{ Voornaam: 'Zoë', Achternaam: 'de Vries', Geboortedatum: '2-3-1994', BSN: BSNS[0] }]);
    expect(await upload(page, again)).toBe(422);
    expect(await problems(page)).toEqual([
      ['2', 'BSN', expect.stringMatching(/^Deze persoon staat al in deze ronde als K-[0-9A-F]{10}\.$/)],
    ]);
    const file = await asXlsx([
      { Voornaam: 'Zoe', Achternaam: 'de Vries', Geboortedatum: '2-3-1994' }, // row 2: like Zoë de Vries
      { Voornaam: 'Sanne', Achternaam: 'Janssen', Geboortedatum: '14-7-1999' }, // row 3: like Sanne Jansen
      { Voornaam: 'Pieter', Achternaam: 'Bakker', Geboortedatum: '8-8-1988', 'E-mail': mail('pieter') },
      { Voornaam: 'Piet', Achternaam: 'Bakker', Geboortedatum: '8-8-1988' }, // row 5: like row 4
    ]);
    expect(await upload(page, file)).toBe(303);
    waitingUpload = page.url();
    const pairs = (await page.locator('section.near-match caption').allTextContents()).map((t) => t.trim());
    expect(pairs).toEqual([
      expect.stringMatching(/^Rij 2 naast in deze ronde: K-[0-9A-F]{10}$/),
      expect.stringMatching(/^Rij 3 naast in deze ronde: K-[0-9A-F]{10}$/),
      'Rij 5 naast uit het bestand: rij 4',
    ]);
    const first = page.locator('section.near-match').first();
    const sideBySide = await first.locator('tbody tr').allTextContents();
    expect(sideBySide.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
      'Voornaam Zoe Zoë',
      'Achternaam de Vries de Vries',
      'Geboortedatum 2 maart 1994 2 maart 1994',
      expect.stringMatching(/^E-mail niet opgegeven zoe-/),
    ]);
    await web.noAxeViolations(page);
    await web.shot(page, 'coordinator-recruitment-near-matches');

    // Without a choice: nobody added, the question marked in Dutch.
    expect(await submit(page, 'Kandidaten toevoegen')).toBe(422);
    await expect(page.locator('#keuze-0-fout').textContent()).resolves.toBe('Kies of dit dezelfde persoon is.');
    expect((await candidatesOf()).length).toBe(before);
    await web.noAxeViolations(page);

    const decide = (n: number, label: string) => page.locator('section.near-match').nth(n).getByLabel(label).check();
    await decide(0, 'Zelfde persoon (overslaan)');
    await decide(1, 'Iemand anders (toevoegen)');
    await decide(2, 'Iemand anders (toevoegen)');
    expect(await submit(page, 'Kandidaten toevoegen')).toBe(303);
    await expect(page.locator('main').textContent()).resolves.toMatch(/3 kandidaten toegevoegd/);
    // At once at the first step with its deadline (21 days in WelSlagen's draaiboek), before any projection.
    const today = localDate(Date.now());
    const pieter = page.locator('table', { hasText: 'Kenmerk' }).locator('tr', { hasText: 'Pieter Bakker' });
    expect((await pieter.locator('td').last().textContent())!.replace(/\s+/g, ' ').trim()).toBe(
      `Voorlichtingsbijeenkomst, uiterlijk ${dutchDate(addDays(today, 21), Number(today.slice(0, 4)))}`,
    );
    const now = await candidatesOf();
    expect(now.slice(before).map((c) => `${c.firstName} ${c.lastName}`)).toEqual([
      'Sanne Janssen',
      'Pieter Bakker',
      'Piet Bakker',
    ]);
    expect(now.filter((c) => c.lastName === 'de Vries')).toHaveLength(1);
    await web.shot(page, 'coordinator-recruitment-round');
  }, 90_000);

  it('adds nobody twice when "add" is pressed twice, in two tabs or by a repeat', async () => {
    const page = await asAnna();
    const before = (await candidatesOf()).length;
    expect(
      await upload(
        page,
        csv1252([
          { Voornaam: 'Fleur', Achternaam: 'Visser', Geboortedatum: '3-4-1996' },
          { Voornaam: 'Daan', Achternaam: 'Mulder', Geboortedatum: '4-5-1997' },
        ]),
      ),
    ).toBe(303);
    const uploadId = page.url().split('/').at(-1)!;
    const waiting = await api.db
      .selectFrom('candidate_upload')
      .selectAll()
      .where('id', '=', uploadId)
      .executeTakeFirst();
    const second = await page.context().newPage();
    await second.goto(page.url());
    const csrf = await page.locator('form[action$="/toevoegen"] input[name=_csrf]').inputValue();
    const action = await page.locator('form[action$="/toevoegen"]').getAttribute('action');
    // Both tabs pressed at once, and a third POST after them.
    const [a, b] = await Promise.all([submit(page, 'Kandidaten toevoegen'), submit(second, 'Kandidaten toevoegen')]);
    expect([a, b]).toEqual([303, 303]);
    const third = await page.context().request.post(`${base}${action}`, { form: { _csrf: csrf }, maxRedirects: 0 });
    expect(third.status()).toBe(303);
    expect((await candidatesOf()).length).toBe(before + 2);
    // A crash after the candidates were written but before the upload was marked: the upload as it was, added again.
    await api.db
      .updateTable('candidate_upload')
      .set({ added_at: null, entries: JSON.stringify(waiting!.entries), near: '[]' } as never)
      .where('id', '=', uploadId)
      .execute();
    const repeat = await page.context().request.post(`${base}${action}`, { form: { _csrf: csrf }, maxRedirects: 0 });
    expect(repeat.status()).toBe(303);
    const now = await candidatesOf();
    expect(now.length).toBe(before + 2);
    expect(now.filter((c) => c.lastName === 'Visser' || c.lastName === 'Mulder')).toHaveLength(2);
  }, 90_000);

  it("is another office's nothing: 404 for the round, its upload form, an upload and adding it", async () => {
    const page = await web.signIn(bram);
    const status = async (path: string) => (await page.goto(`${base}${path}`))?.status();
    const unknownRound = `${roundId.slice(0, -1)}0`;
    expect(await status(`/werving/${roundId}`)).toBe(404);
    const theirs = await page.locator('main').textContent();
    expect(await status(`/werving/${unknownRound}`)).toBe(404);
    expect(await page.locator('main').textContent()).toBe(theirs);
    expect(await status(`/werving/${roundId}/lijsten/nieuw`)).toBe(404);
    expect(await status(`/werving/${roundId}/lijsten/sjabloon`)).toBe(404);
    expect(await status(new URL(waitingUpload).pathname)).toBe(404);
    expect(await status(`/werving/${roundId}/kandidaten.xlsx`)).toBe(404);
    // Posting a list or adding one, with Bram's own valid CSRF token.
    await page.goto(`${base}/werving`);
    const csrf = await page.locator('form[action="/werving"] input[name=_csrf]').inputValue();
    const before = (await candidatesOf()).length;
    const posted = await page.context().request.post(`${base}/werving/${roundId}/lijsten`, {
      multipart: {
        _csrf: csrf,
        bestand: csv1252([{ Voornaam: 'In', Achternaam: 'Dringer', Geboortedatum: '1-1-1990' }]),
      },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(404);
    const adding = await page.context().request.post(`${waitingUpload.replace(base, base)}/toevoegen`, {
      form: { _csrf: csrf, 'keuze-0': 'different', 'keuze-1': 'different', 'keuze-2': 'different' },
      maxRedirects: 0,
    });
    expect(adding.status()).toBe(404);
    expect((await candidatesOf()).length).toBe(before);
  }, 60_000);

  it('fits a phone: the list of rounds, the round, the upload form and an upload', async () => {
    const page = await asAnna({ phone: true });
    const paths = ['/werving', `/werving/${roundId}`, `/werving/${roundId}/lijsten/nieuw`];
    for (const path of paths) {
      await page.goto(`${base}${path}`);
      expect(await page.locator('html').evaluate((el) => el.scrollWidth), path).toBeLessThanOrEqual(375);
      await web.noAxeViolations(page);
    }
    expect(await upload(page, csv1252([{ Voornaam: 'Zoë', Achternaam: 'de Vries', Geboortedatum: '2-3-1994' }]))).toBe(
      303,
    );
    expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(375);
    await web.noAxeViolations(page);
  }, 60_000);

  it('filters the pipeline by step and by overdue, the overdue in words', async () => {
    const page = await asAnna();
    const all = await candidatesOf();
    const zoe = all.find((c) => c.firstName === 'Zoë')!;
    // Zoë went to the information session: she is the only one at the group intake.
    const on = localDate(Date.now()); // the Amsterdam day, as the API judges the step (not the UTC day)
    const step = { step: 'voorlichting', outcome: 'attended', on };
    expect((await api.call('POST', `/v1/candidates/${zoe.id}/steps`, step, coordA)).status).toBe(200);
    // Sanne's deadline has passed (the projection as the deadline timer writes it).
    const sanne = all.find((c) => c.firstName === 'Sanne')!;
    await api.db.updateTable('candidate').set({ overdue: true }).where('id', '=', sanne.id).execute();
    await page.goto(`${base}/werving/${roundId}`);
    await page.getByLabel('Stap', { exact: true }).selectOption('groepsintake');
    await page.getByRole('button', { name: 'Tonen' }).click();
    const names = async () =>
      (await page.locator('table', { hasText: 'Kenmerk' }).locator('tbody th').allTextContents()).map((t) => t.trim());
    expect(await names()).toEqual(['Zoë de Vries']);
    await page.goto(`${base}/werving/${roundId}`);
    await page.getByLabel('Alleen wie te laat is').check();
    await page.getByRole('button', { name: 'Tonen' }).click();
    expect(await names()).toEqual(['Sanne Jansen']);
    await expect(
      page.locator('table', { hasText: 'Kenmerk' }).locator('tbody td').last().textContent(),
    ).resolves.toMatch(/\(te laat\)$/);
    await web.noAxeViolations(page);
    // The round's candidates as Excel: every one, where each stands, the overdue in words.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Kandidaten downloaden (Excel)' }).click(),
    ]);
    const sheet = await readSheet(readFileSync(await download.path()));
    expect(sheet.headers).toEqual([
      'Kenmerk',
      'Voornaam',
      'Achternaam',
      'Status',
      'Stap',
      'Uiterlijk',
      'Te laat',
      'Reden gestopt',
    ]);
    expect(sheet.rows).toHaveLength(all.length);
    expect(sheet.rows.find((r) => r.cells[1] === 'Sanne' && r.cells[2] === 'Jansen')!.cells.slice(3, 5)).toEqual([
      'Bezig',
      'Voorlichtingsbijeenkomst',
    ]);
    expect(sheet.rows.find((r) => r.cells[1] === 'Sanne' && r.cells[2] === 'Jansen')!.cells[6]).toBe('ja');
    // The list of rounds counts them.
    await page.goto(`${base}/werving`);
    const row = (await page.locator('table tbody tr').first().locator('th, td').allTextContents()).map((t) => t.trim());
    const total = all.length;
    expect(row).toEqual(['Voorjaar 2027', 'West-Brabant', String(total), String(total), '1', '0']);
  }, 60_000);
});
