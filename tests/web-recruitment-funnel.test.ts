// The recruitment funnel's pages in a real browser (Chromium, JavaScript off): the coordinator's funnel of a round
// (per step, reasons for stopping, days per step, downloads), the preview of a round's dates (a form: a date in,
// a table of dates out, a deadline moved off Koningsdag; a session on a holiday refused in Dutch), and the funders'
// recruitment figures beside the outcomes with small counts shown as "< 5". Another office's coordinator gets 404
// as for an unknown round. axe-core (WCAG 2.1 A and AA) on every page: zero violations; a phone's width.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../domain/calendar';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { uniqueId } from './helpers/fixtures';
import { createKey, seedPartners, type Partners } from './helpers/partners';

let web: WebWorld;
let api: WebWorld['api'];
let mine: Partners;
let roundId: string;
let coordinator: { id: string; email: string };
let intruder: { id: string; email: string };
let analyst: { id: string; email: string };

async function contact(organisationId: string, role: string, name: string) {
  const email = `${uniqueId(role).replace(/[0-9]/g, 'x')}@example.nl`;
  const made = await api.call('POST', `/v1/organisations/${organisationId}/contacts`, { role, name, email });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
  return { id: made.json.id as string, email };
}

const names = ['Anna', 'Bram', 'Cees', 'Dirk', 'Eva', 'Fleur', 'Gijs'];

beforeAll(async () => {
  web = await startWebWorld();
  api = web.api;
  mine = await seedPartners(api.call);
  const theirs = await seedPartners(api.call, 'Zeeland');
  coordinator = await contact(mine.officeId, 'coordinator', 'Carla Coördinator');
  intruder = await contact(theirs.officeId, 'coordinator', 'Ines Indringer');
  analyst = await contact(mine.gemeenteId, 'funder_analyst', 'Fenna Financier');
  const key = await createKey(api.call, mine.officeId, 'coordinator');
  roundId = (
    await api.call(
      'POST',
      '/v1/recruitment-rounds',
      { programmeId: 'welslagen', region: 'West-Brabant', name: 'Trechterronde' },
      key,
    )
  ).json.id;
  const added = await api.call(
    'POST',
    `/v1/recruitment-rounds/${roundId}/candidates`,
    { candidates: names.map((n, i) => ({ firstName: n, lastName: 'Proef', dateOfBirth: `199${i}-05-0${i + 1}` })) },
    key,
  );
  expect(added.status, JSON.stringify(added.json)).toBe(201);
  const ids = (added.json.candidates as { id: string }[]).map((c) => c.id);
  const T = localDate(Date.now());
  const step = async (i: number, s: string, outcome: string, on: string) =>
    expect((await api.call('POST', `/v1/candidates/${ids[i]}/steps`, { step: s, outcome, on }, key)).status).toBe(200);
  // Six at the session a week after entering, one absent; five pass the intake three days later, one leaves ill.
  for (let i = 0; i < 7; i++) await step(i, 'voorlichting', i === 6 ? 'absent' : 'attended', addDays(T, 7));
  for (let i = 0; i < 5; i++) await step(i, 'groepsintake', 'passed', addDays(T, 10));
  const left = await api.call('POST', `/v1/candidates/${ids[5]}/leave`, { reason: 'health', on: addDays(T, 9) }, key);
  expect(left.status).toBe(200);
}, 240_000);
afterAll(async () => web?.close());

const cellsOf = async (page: Page, caption: string) =>
  page
    .locator('table', { has: page.locator('caption', { hasText: caption }) })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())),
    );

async function fitsPhone(page: Page) {
  expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(375);
}

describe("a round's funnel page", () => {
  it('shows per step who reached it, went on, stopped and why, and the days it took', async () => {
    const page = await web.signIn(coordinator);
    const res = await page.goto(`${web.base}/werving/${roundId}/trechter`);
    expect(res?.status()).toBe(200);
    await web.noAxeViolations(page);
    expect((await cellsOf(page, 'Trechter per stap')).slice(0, 4)).toEqual([
      ['Voorlichtingsbijeenkomst', '7', '6', '1', '0', '0'],
      ['Groepsintake', '6', '5', '1', '0', '0'],
      ['Meeloopdag bij een werkgever', '5', '0', '0', '5', '0'],
      ['VOG aangevraagd en ontvangen', '0', '0', '0', '0', '0'],
    ]);
    expect(await cellsOf(page, 'Redenen van stoppen')).toEqual([
      ['Voorlichtingsbijeenkomst', 'Niet verschenen', '1'],
      ['Groepsintake', 'Gezondheid', '1'],
    ]);
    expect((await cellsOf(page, 'Doorlooptijd per stap')).slice(0, 3)).toEqual([
      ['Voorlichtingsbijeenkomst', '7', '7', '7', '7 tot 7'],
      ['Groepsintake', '5', '3', '3', '3 tot 3'],
      ['Meeloopdag bij een werkgever', '0', '', 'nog geen uitkomst', ''],
    ]);
    expect(await page.locator('main').textContent()).not.toMatch(/Anna|Proef|K-[0-9A-F]{10}/);
  });

  it('downloads the funnel as xlsx and as CSV for Dutch Excel, the same figures', async () => {
    const page = await web.signIn(coordinator);
    await page.goto(`${web.base}/werving/${roundId}/trechter`);
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'De trechter als Excel-bestand' }).click(),
    ]);
    expect(xlsx.suggestedFilename()).toBe('trechter-Trechterronde.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync((await xlsx.path())!) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Trechter')!;
    expect(sheet.getRow(3).values).toEqual(expect.arrayContaining(['Groepsintake', 6, 5, 1]));
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'De trechter als CSV-bestand voor Excel' }).click(),
    ]);
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.split('\r\n')[1]).toMatch(/^Voorlichtingsbijeenkomst;7;6;1;0;1;/);
  });

  it('fits a phone', async () => {
    const page = await web.signIn(coordinator, { phone: true });
    await page.goto(`${web.base}/werving/${roundId}/trechter`);
    await fitsPhone(page);
    await web.noAxeViolations(page);
  });

  it("is another office's nothing: 404 as for an unknown round", async () => {
    const page = await web.signIn(intruder);
    const theirs = await page.goto(`${web.base}/werving/${roundId}/trechter`);
    const theirsText = await page.locator('main').textContent();
    const unknown = await page.goto(`${web.base}/werving/${roundId}x/trechter`);
    expect([theirs?.status(), unknown?.status()]).toEqual([404, 404]);
    expect(await page.locator('main').textContent()).toBe(theirsText);
    expect((await page.goto(`${web.base}/werving/${roundId}/trechter.csv`))?.status()).toBe(404);
  });
});

describe('the preview of a round', () => {
  it('turns a date into a table of dates, a deadline on Koningsdag moved to the day before', async () => {
    const page = await web.signIn(coordinator, { phone: true });
    await page.goto(`${web.base}/werving/voorvertoning`);
    await web.noAxeViolations(page);
    await page.getByLabel('Datum van de voorlichting').fill('2027-04-13');
    await page.getByRole('button', { name: 'Toon de data' }).click();
    const rows = await cellsOf(page, 'Data vanaf de voorlichting');
    expect(rows.map((r) => [r[0], r[3]])).toEqual([
      ['Voorlichtingsbijeenkomst', '13 april 2027'],
      ['Groepsintake', '26 april 2027'],
      ['Meeloopdag bij een werkgever', '10 mei 2027'],
      ['VOG aangevraagd en ontvangen', '7 juni 2027'],
      ['Selectiebesluit', '14 juni 2027'],
      ['Match met een werkplek', '21 juni 2027'],
    ]);
    expect(rows[1]![4]).toBe('Koningsdag (27 april 2027)');
    expect(await page.locator('main').textContent()).toMatch(/op zijn vroegst beginnen op\s+28 juni 2027/);
    await web.noAxeViolations(page);
    await fitsPhone(page);
  });

  it('refuses a session on a public holiday, saying why in Dutch', async () => {
    const page = await web.signIn(coordinator);
    await page.goto(`${web.base}/werving/voorvertoning`);
    await page.getByLabel('Datum van de voorlichting').fill('2027-04-27');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/werving/voorvertoning?')),
      page.getByRole('button', { name: 'Toon de data' }).click(),
    ]);
    expect(answer.status()).toBe(422);
    await expect
      .poll(() => page.locator('#voorlichting-fout').textContent())
      .toContain('2027-04-27 is een feestdag (Koningsdag)');
    await web.noAxeViolations(page);
  });
});

describe("the funders' recruitment figures", () => {
  it('show counts only, a small count and the one beside it as "< 5", and download the same', async () => {
    const page = await web.signIn(analyst);
    await page.goto(`${web.base}/uitkomsten`);
    await page.getByRole('link', { name: 'Werving in cijfers' }).click();
    await web.noAxeViolations(page);
    await page.getByLabel('Regio').fill('West-Brabant');
    // A funder gets programme and region only (rounds added up): no choice per round to set beside its total.
    expect(await page.locator('select#per').count()).toBe(0);
    await page.getByRole('button', { name: 'Toon cijfers' }).click();
    const caption = 'Trechter: welslagen, West-Brabant (1 ronde)';
    const rows = await cellsOf(page, caption);
    // One absent: hidden, and the six who went on with it (7 - 6 would tell); the six are the intake's total.
    expect(rows.slice(0, 3)).toEqual([
      ['Voorlichtingsbijeenkomst', '7', '< 5', '< 5', '0', ''],
      ['Groepsintake', '< 5', '< 5', '< 5', '< 5', ''],
      ['Meeloopdag bij een werkgever', '< 5', '< 5', '< 5', '< 5', ''],
    ]);
    expect(await page.locator('main').textContent()).not.toMatch(/Anna|Proef|K-[0-9A-F]{10}/);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Deze cijfers als CSV-bestand voor Excel' }).click(),
    ]);
    const lines = readFileSync((await csv.path())!, 'utf8').split('\r\n');
    expect(lines.find((l) => l.includes('West-Brabant;1 ronde;Voorlichtingsbijeenkomst'))).toMatch(/;7;< 5;< 5;/);
    expect(lines.join('\n')).not.toContain('Trechterronde');
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Deze cijfers als Excel-bestand' }).click(),
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync((await xlsx.path())!) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Werving')!;
    const first = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(3).value === '1 ronde')!;
    expect([4, 5, 6, 7].map((c) => first.getCell(c).value)).toEqual(['Voorlichtingsbijeenkomst', 7, '< 5', '< 5']);
    expect(String(book.getWorksheet('Toelichting')!.getCell('A2').value)).toMatch(/^"< 5": 1 tot en met 4/);
    const phone = await web.signIn(analyst, { phone: true });
    // Asking per round in the address answers per region all the same.
    await phone.goto(`${web.base}/uitkomsten/werving?regio=West-Brabant&per=ronde`);
    expect(await cellsOf(phone, caption)).toEqual(rows);
    expect(await phone.locator('main').textContent()).not.toContain('Trechterronde');
    await fitsPhone(phone);
    await web.noAxeViolations(phone);
  });
});
