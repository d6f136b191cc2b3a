// The funders' outcomes page in a real browser (the machine's Chromium, JavaScript off): a gemeente's analyst is
// invited by the programme office, signs in from the mail and reads "Uitkomsten": the filters of the API, the figures
// as tables with a chart beside them, a small count as "< 5" with why, the follow-up at 3, 6 and 12 months, and the
// downloads (xlsx, opened with exceljs; CSV for Dutch Excel) with the same figures as the page. No count of 1 to 4
// anywhere. Another office's gemeente sees its own figures only; an employer does not get the page (404). Every
// state is checked with axe-core (WCAG 2.1 A and AA): zero violations; on a phone nothing runs off the screen.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { uniqueId } from './helpers/fixtures';
import { seedFigureCohort } from './helpers/outcome-figures';
import { createKey, seedPartners, type Partners } from './helpers/partners';

let web: WebWorld;
let api: WebWorld['api'];
let base: string;
let west: Partners;
let zeeland: Partners;
let westCohort: string;
let zeelandCohorts: string[];
let westCoordinator: string;
const person = (name: string) => ({ name, email: `${uniqueId('analist')}@example.nl` });
const anna = person('Anna Analist');
const zeger = person('Zeger Zeeuw');

const h1 = (page: Page) => page.locator('h1').textContent();
const noAxeViolations = (page: Page) => web.noAxeViolations(page);

/** A contact added by the office's coordinator (through the API), or the problem. */
async function addContact(organisationId: string, role: string, p: { name: string; email: string }, key: string) {
  return api.call('POST', `/v1/organisations/${organisationId}/contacts`, { role, ...p }, key);
}

/** The rows of the table with this caption: [header cell, other cells...] as text. */
async function tableRows(page: Page, caption: string | RegExp): Promise<string[][]> {
  const table = page.locator('table').filter({ has: page.locator('caption', { hasText: caption }) });
  const rows: string[][] = [];
  for (const row of await table.locator('tbody tr').all())
    rows.push((await row.locator('th, td').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()));
  return rows;
}

/** Every number cell of every table on the page: "< 5", or 0, or at least 5. */
async function noSmallCounts(page: Page) {
  const cells = (await page.locator('main td').allTextContents()).map((t) => t.trim()).filter((t) => t !== '');
  expect(cells.length).toBeGreaterThan(10);
  for (const cell of cells) expect(cell === '< 5' || Number(cell) === 0 || Number(cell) >= 5, cell).toBe(true);
}

async function fitsPhone(page: Page) {
  expect((await page.locator('main').boundingBox())!.width).toBeLessThanOrEqual(375);
  for (const box of await page.locator('.table-scroll, main form, main svg').all())
    expect((await box.boundingBox())!.width).toBeLessThanOrEqual(375);
}

async function download(page: Page, link: string): Promise<{ file: Download; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).click()]);
  return { file, bytes: readFileSync((await file.path())!) };
}

beforeAll(async () => {
  web = await startWebWorld();
  ({ api, base } = web);
  west = await seedPartners(api.call);
  zeeland = await seedPartners(api.call, 'Zeeland');
  westCoordinator = await createKey(api.call, west.officeId, 'coordinator');
  const cohort = (p: Partners, region: string, startDate?: string) =>
    seedFigureCohort(api.db, {
      covenantId: p.covenantId,
      schoolId: p.schoolId,
      employerId: p.employerIds[0]!,
      benefitPayerId: p.gemeenteId,
      region,
      startDate,
    });
  westCohort = await cohort(west, 'West-Brabant');
  zeelandCohorts = [await cohort(zeeland, 'Zeeland'), await cohort(zeeland, 'Zeeland', '2027-09-06')];
}, 240_000);

afterAll(async () => {
  await web?.close();
});

describe('a gemeente’s analyst', () => {
  let page: Page;

  it('is invited by the programme office and signs in from the mail; an employer cannot have one (422)', async () => {
    // A funder's analyst belongs to a gemeente or the UWV, not to an employer.
    const refused = await addContact(west.employerIds[0]!, 'funder_analyst', anna, westCoordinator);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.json)).toMatch(/has no funder_analyst/);

    const added = await addContact(west.gemeenteId, 'funder_analyst', anna, westCoordinator);
    expect(added.status).toBe(201);
    const invited = await api.call(
      'POST',
      `/v1/organisations/${west.gemeenteId}/contacts/${added.json.id}/invitations`,
      {},
      westCoordinator,
    );
    expect(invited.status, JSON.stringify(invited.json)).toBe(201);
    const mail = await web.mailTo(anna.email, /uitnodiging/);
    expect(mail.text).toMatch(/de uitkomsten van de trajecten leest/);

    page = await (await web.context()).newPage();
    await page.goto(new RegExp(`(${base}/inloggen/\\S+)`).exec(mail.text)![1]!);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect(h1(page)).resolves.toBe('Welkom, Anna Analist');
    await noAxeViolations(page);
    await page.getByRole('link', { name: 'Uitkomsten' }).click();
    expect(page.url()).toBe(`${base}/uitkomsten`);
    await expect(h1(page)).resolves.toBe('Uitkomsten');
  }, 120_000);

  it('reads the figures: filters, tables with charts, "< 5" with why, the follow-up at 3, 6, 12 months', async () => {
    for (const label of ['Programma', 'Regio', 'Cohortcode', 'Gestart vanaf', 'Gestart tot en met'])
      expect(await page.getByLabel(label, { exact: true }).count(), label).toBe(1);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Gestart in deze selectie: 14 deelnemers/);

    // Where everyone stands: nine running, the three dropouts and two in BBL hidden.
    const standing = await tableRows(page, 'Waar de deelnemers nu staan');
    expect(standing).toEqual(
      expect.arrayContaining([
        ['Lopend', '9'],
        ['Uitgevallen', '< 5'],
        ['Doorgestroomd naar BBL', '< 5'],
        ['Nog niet begonnen', '0'],
      ]),
    );
    // The chart beside the table says the same, in its name; the hidden ones as "minder dan 5", without a bar.
    const chart = page.getByRole('img', { name: /Waar de deelnemers nu staan/ });
    await expect(chart.getAttribute('aria-label')).resolves.toMatch(/Lopend: 9; .*Uitgevallen: minder dan 5/);
    expect(await page.locator('svg[role="img"]').count()).toBeGreaterThanOrEqual(4);

    // "< 5" is explained, and the page links to the explanation.
    await page.getByRole('link', { name: 'lees waarom' }).click();
    const why = page.getByRole('region', { name: /Waarom staat er soms "< 5"\?/ });
    await expect(why.textContent()).resolves.toMatch(/1 tot en met 4 mensen tonen we niet/);

    await expect(page.locator('main').textContent()).resolves.toMatch(/Aanwezig:\s*87,1 %\s*van de geregistreerde/);
    expect(await tableRows(page, /Checkpoint intake/)).toEqual([
      ['Op koers', '6'],
      ['Zorgen', '< 5'],
      ['In gevaar', '< 5'],
    ]);
    // At 3 months six were asked: five still employed and one not, both hidden; all six still enrolled.
    expect(await tableRows(page, /Nazorg na 3, 6 en 12 maanden/)).toEqual([
      ['3 maanden', '6', '< 5', '< 5', '0', '0', '6', '6', '0', '0', '0'],
      ['6 maanden', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'],
      ['12 maanden', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'],
    ]);
    await noSmallCounts(page);
    // Counts only: no participant's name or reference on the page.
    const text = await page.locator('body').textContent();
    expect(text).not.toMatch(/Deelnemer \d|U-[0-9a-f]{4}-\d/);
    await noAxeViolations(page);
    await web.shot(page, 'funder-uitkomsten');
  }, 120_000);

  it('filters by region, period and cohort; a date that is no date is refused next to its field', async () => {
    await page.getByLabel('Regio', { exact: true }).fill('Nergens');
    await page.getByRole('button', { name: 'Toon cijfers' }).click();
    expect(new URL(page.url()).searchParams.get('regio')).toBe('Nergens');
    await expect(page.locator('main').textContent()).resolves.toMatch(/Gestart in deze selectie: 0 deelnemers/);
    await noAxeViolations(page);

    await page.getByLabel('Regio', { exact: true }).fill('West-Brabant');
    await page.getByLabel('Gestart vanaf', { exact: true }).fill('2027-04-01');
    await page.getByLabel('Gestart tot en met', { exact: true }).fill('2027-04-30');
    await page.getByRole('button', { name: 'Toon cijfers' }).click();
    await expect(page.locator('main').textContent()).resolves.toMatch(/Gestart in deze selectie: 14 deelnemers/);
    await page.getByLabel('Gestart vanaf', { exact: true }).fill('2027-05-01');
    await page.getByLabel('Gestart tot en met', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Toon cijfers' }).click();
    await expect(page.locator('main').textContent()).resolves.toMatch(/Gestart in deze selectie: 0 deelnemers/);

    // Another office's cohort, named by its code: nothing of it.
    const response = await page.goto(`${base}/uitkomsten?cohort=${zeelandCohorts[0]}`);
    expect(response!.status()).toBe(200);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Gestart in deze selectie: 0 deelnemers/);

    // A date typed wrong: 422, the message next to the field, no figures.
    const wrong = await page.goto(`${base}/uitkomsten?van=morgen&tot=2027-13-01`);
    expect(wrong!.status()).toBe(422);
    await expect(page.locator('#van-fout').textContent()).resolves.toBe('Vul een datum in, zoals 1-9-2027.');
    expect(await page.locator('#van').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#van').getAttribute('aria-describedby')).toContain('van-fout');
    expect(await page.locator('table').count()).toBe(0);
    await noAxeViolations(page);
    const backwards = await page.goto(`${base}/uitkomsten?van=2027-05-01&tot=2027-04-01`);
    expect(backwards!.status()).toBe(422);
    await expect(page.locator('#tot-fout').textContent()).resolves.toBe('De einddatum ligt vóór de begindatum.');
    await noAxeViolations(page);
  }, 120_000);

  it('downloads the figures as xlsx and as CSV for Dutch Excel, the same figures as the page', async () => {
    await page.goto(`${base}/uitkomsten?cohort=${westCohort}`);
    const standing = Object.fromEntries(await tableRows(page, 'Waar de deelnemers nu staan'));
    const reasons = Object.fromEntries(await tableRows(page, 'Uitval naar reden'));

    const xlsx = await download(page, 'Deze cijfers als Excel-bestand (xlsx)');
    expect(xlsx.file.suggestedFilename()).toBe('uitkomsten.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Uitkomsten', 'Toelichting']);
    const sheet = book.getWorksheet('Uitkomsten')!;
    const rows: [string, string, string | number][] = [];
    sheet.eachRow((row) =>
      rows.push([String(row.getCell(1).value), String(row.getCell(2).value), row.getCell(3).value as number]),
    );
    expect(rows[0]).toEqual(['Cijfer', 'Categorie', 'Aantal']);
    const inXlsx = (figure: string) =>
      Object.fromEntries(rows.filter((r) => r[0] === figure).map((r) => [r[1], String(r[2])]));
    expect(inXlsx('Stand van de deelnemers')).toEqual(standing);
    expect(inXlsx('Uitval naar reden')).toEqual(reasons);
    expect(rows).toContainEqual(['Aanwezigheid', 'Aanwezig (procent van de geregistreerde dagen)', 87.1]);
    for (const [figure, category, value] of rows.slice(1))
      if (!/procent/.test(category))
        expect(value === '< 5' || value === 0 || Number(value) >= 5, `${figure} ${category} ${value}`).toBe(true);
    expect(String(book.getWorksheet('Toelichting')!.getCell('A3').value)).toMatch(
      /"< 5": een aantal van 1 tot en met 4/,
    );

    const csv = await download(page, 'Deze cijfers als CSV-bestand voor Excel');
    expect(csv.file.suggestedFilename()).toBe('uitkomsten.csv');
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Cijfer;Categorie;Aantal');
    expect(lines).toContain('Aanwezigheid;Aanwezig (procent van de geregistreerde dagen);87,1');
    const cells = lines.map((l) => l.split(';'));
    const inCsv = (figure: string) => Object.fromEntries(cells.filter((c) => c[0] === figure).map((c) => [c[1], c[2]]));
    expect(inCsv('Stand van de deelnemers')).toEqual(standing);
    expect(inCsv('Uitval naar reden')).toEqual(reasons);
    // The CSV is the API's format=csv-nl, row for row.
    const viaApi = await api.app.inject({
      method: 'GET',
      url: `/v1/outcomes?cohortId=${westCohort}&format=csv-nl`,
      headers: { authorization: `Bearer ${westCoordinator}` },
    });
    expect(csv.bytes.toString('utf8')).toBe(viaApi.body);
  }, 120_000);

  it('on a phone: the tables scroll in their own frame, the charts fit', async () => {
    const phone = await (await web.context({ phone: true })).newPage();
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${base}/uitkomsten`);
    await expect(h1(phone)).resolves.toBe('Uitkomsten');
    await fitsPhone(phone);
    await noAxeViolations(phone);
  }, 120_000);
});

describe('the programme office’s coordinator', () => {
  it('reads the same page, choosing a cohort of the office from a list', async () => {
    const carla = person('Carla Coördinator');
    const added = await addContact(west.officeId, 'coordinator', carla, westCoordinator);
    expect(added.status).toBe(201);
    const page = await web.signIn({ id: added.json.id as string, email: carla.email });
    await page.getByRole('link', { name: 'Uitkomsten' }).click();
    await expect(h1(page)).resolves.toBe('Uitkomsten');
    // Only this office's cohort is offered (Zeeland's two are another office's).
    const cohorts = page.getByLabel('Cohort', { exact: true });
    expect(await cohorts.locator('option').allTextContents()).toEqual([
      'Alle cohorten',
      'West-Brabant, gestart 5 april 2027',
    ]);
    await cohorts.selectOption({ label: 'West-Brabant, gestart 5 april 2027' });
    await page.getByRole('button', { name: 'Toon cijfers' }).click();
    expect(new URL(page.url()).searchParams.get('cohort')).toBe(westCohort);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Gestart in deze selectie: 14 deelnemers/);
    await noSmallCounts(page);
    await noAxeViolations(page);
  }, 120_000);
});

describe('isolation', () => {
  it('another office’s gemeente analyst sees the figures of its own office only', async () => {
    const coordinator = await createKey(api.call, zeeland.officeId, 'coordinator');
    const added = await addContact(zeeland.gemeenteId, 'funder_analyst', zeger, coordinator);
    expect(added.status).toBe(201);
    const page = await web.signIn({ id: added.json.id as string, email: zeger.email });
    await page.goto(`${base}/uitkomsten`);
    // Its two cohorts of fourteen, not West-Brabant's.
    await expect(page.locator('main').textContent()).resolves.toMatch(/Gestart in deze selectie: 28 deelnemers/);
    // Four in BBL are hidden, and so are the six dropouts beside them, or 28 - 18 - 6 would give the four away.
    expect(Object.fromEntries(await tableRows(page, 'Waar de deelnemers nu staan'))).toMatchObject({
      Lopend: '18',
      Uitgevallen: '< 5',
      'Doorgestroomd naar BBL': '< 5',
    });
    await page.goto(`${base}/uitkomsten?cohort=${westCohort}`);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Gestart in deze selectie: 0 deelnemers/);
    await noSmallCounts(page);
    await noAxeViolations(page);

    // Her account names her role and the reminders a payer's analyst gets (the benefit's deadlines), none of which
    // can be switched off.
    await page.goto(`${base}/account`);
    await expect(page.locator('main').textContent()).resolves.toMatch(
      /Analist \(financier\)[\s\S]*altijd de uitkeringstermijnen van uw deelnemers/,
    );
    await expect(page.locator('main').textContent()).resolves.not.toMatch(/geen herinneringen/);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    await noAxeViolations(page);
  }, 120_000);

  it('an employer gets no outcomes: the page and its downloads answer 404', async () => {
    const trainer = person('Petra Praktijkopleider');
    const added = await addContact(west.employerIds[0]!, 'workplace_trainer', trainer, westCoordinator);
    expect(added.status).toBe(201);
    const page = await web.signIn({ id: added.json.id as string, email: trainer.email });
    expect(await page.getByRole('link', { name: 'Uitkomsten' }).count()).toBe(0);
    for (const path of ['/uitkomsten', '/uitkomsten.xlsx', '/uitkomsten.csv']) {
      const response = await page.goto(`${base}${path}`);
      expect(response!.status(), path).toBe(404);
      await expect(h1(page)).resolves.toBe('Niet gevonden');
    }
    await noAxeViolations(page);
  }, 120_000);
});
