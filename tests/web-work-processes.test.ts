// The praktijkverklaring pages in a real browser (Chromium, JavaScript off): the praktijkopleider of the participant's
// own placement records a work process on /trajecten/{id}/werkprocessen (a missing choice refused in Dutch next to
// the field, nothing recorded); another employer's praktijkopleider gets 404 as for an unknown participant; the ROC
// is refused in Dutch before the end, confirms the praktijkverklaring after a dropout and downloads the export.
// axe-core (WCAG 2.1 A and AA) on every page: zero violations; a phone's width.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../domain/calendar';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { cohortRequest, thisMonday, uniqueId } from './helpers/fixtures';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';

let web: WebWorld;
let api: WebWorld['api'];
let mine: Partners;
let coordinatorKey: string;
let trajectoryId: string;
let trainer: { id: string; email: string };
let otherTrainer: { id: string; email: string };
let roc: { id: string; email: string };
const today = localDate(Date.now());

async function contact(organisationId: string, role: string, name: string) {
  const email = `${uniqueId(role).replace(/[^a-z-]/g, '')}@example.nl`;
  const made = await api.call('POST', `/v1/organisations/${organisationId}/contacts`, { role, name, email });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
  return { id: made.json.id as string, email };
}

beforeAll(async () => {
  web = await startWebWorld();
  api = web.api;
  mine = await seedPartners(api.call);
  trainer = await contact(mine.employerIds[0]!, 'workplace_trainer', 'Petra Praktijkopleider');
  otherTrainer = await contact(mine.employerIds[1]!, 'workplace_trainer', 'Otto Opleider');
  roc = await contact(mine.schoolId, 'roc_coordinator', 'Rita ROC');
  coordinatorKey = await createKey(api.call, mine.officeId, 'coordinator');
  const cohort = await api.call(
    'POST',
    '/v1/cohorts',
    cohortRequest({ ...mine, size: 2, startDate: thisMonday() }),
    coordinatorKey,
  );
  expect(cohort.status, JSON.stringify(cohort.json)).toBe(201);
  trajectoryId = cohort.json.trajectories[0].id;
  await untilStarted(api.db, cohort.json.id);
  const offer = await api.call(
    'POST',
    `/v1/organisations/${mine.employerIds[0]}/work-processes`,
    { programmeId: 'welslagen', codes: ['B1-K1-W1', 'B1-K1-W3'] },
    coordinatorKey,
  );
  expect(offer.status).toBe(200);
}, 180_000);
afterAll(async () => web?.close());

const path = () => `/trajecten/${trajectoryId}/werkprocessen`;
const rowOf = async (page: Page, code: string) =>
  (
    await page
      .locator('tr', { has: page.locator('th', { hasText: code }) })
      .locator('th, td')
      .allTextContents()
  ).map((c) => c.replace(/\s+/g, ' ').trim());

describe('the work processes page', () => {
  it("lets the participant's own praktijkopleider record; a missing choice is refused in Dutch", async () => {
    const page = await web.signIn(trainer, { phone: true });
    await page.goto(`${web.base}/organisaties/${mine.employerIds[0]}/deelnemers`);
    await page.getByRole('link', { name: 'Werkprocessen van Deelnemer' }).click();
    expect(page.url()).toBe(`${web.base}${path()}`);
    await web.noAxeViolations(page);
    expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(375);

    await page.getByLabel('Korte toelichting').fill('Helpt bij het wassen en aankleden.');
    await page.getByRole('button', { name: 'Werkproces vastleggen' }).click();
    await expect
      .poll(() => page.locator('.utrecht-form-field-error-message').allTextContents())
      .toEqual(['Kies het werkproces dat de deelnemer liet zien.', 'Vul de datum in.']);
    await web.noAxeViolations(page);
    expect(await api.db.selectFrom('work_process_evidence').selectAll().execute()).toEqual([]);

    await page.getByLabel(/B1-K1-W1/).check();
    await page.getByLabel('Wanneer liet de deelnemer het zien?').fill(today);
    await page.getByRole('button', { name: 'Werkproces vastleggen' }).click();
    expect(await page.locator('main').textContent()).toContain('Het werkproces is vastgelegd.');
    const row = await rowOf(page, 'B1-K1-W1');
    expect(row[2]).toMatch(/Petra Praktijkopleider \(Zorggroep Breda\)$/);
    expect(row[3]).toBe('Helpt bij het wassen en aankleden.');
    await web.noAxeViolations(page);
  });

  it("is another employer's nothing: 404 exactly as for an unknown participant", async () => {
    const page = await web.signIn(otherTrainer);
    const theirs = await page.goto(`${web.base}${path()}`);
    const theirsText = await page.locator('main').textContent();
    const unknown = await page.goto(`${web.base}/trajecten/${trajectoryId}x/werkprocessen`);
    expect([theirs?.status(), unknown?.status()]).toEqual([404, 404]);
    expect(await page.locator('main').textContent()).toBe(theirsText);
  });

  it('lets the ROC confirm the praktijkverklaring after the end, and download the export', async () => {
    const page = await web.signIn(roc);
    await page.goto(`${web.base}${path()}`);
    await web.noAxeViolations(page);
    await page.getByRole('button', { name: 'Praktijkverklaring bevestigen' }).click();
    expect(await page.locator('.utrecht-form-field-error-message').textContent()).toBe(
      'Het traject is nog niet afgelopen; bevestig de praktijkverklaring na het einde.',
    );
    await web.noAxeViolations(page);

    const dropout = await api.call(
      'POST',
      `/v1/trajectories/${trajectoryId}/changes`,
      { type: 'dropout', reason: 'found_other_work', text: 'Baan gevonden' },
      coordinatorKey,
    );
    expect(dropout.status).toBe(200);
    await expect
      .poll(
        async () =>
          (await api.db.selectFrom('trajectory').select('outcome').where('id', '=', trajectoryId).executeTakeFirst())
            ?.outcome,
        { timeout: 20_000 },
      )
      .toBeTruthy();
    await page.goto(`${web.base}${path()}`);
    await page.getByRole('button', { name: 'Praktijkverklaring bevestigen' }).click();
    expect(await page.locator('main').textContent()).toContain('De praktijkverklaring is bevestigd.');
    expect((await page.locator('main').textContent())?.replace(/\s+/g, ' ')).toMatch(
      /Praktijkverklaring bevestigd op .+, voor B1-K1-W1\./,
    );
    await web.noAxeViolations(page);

    const csv = await page.request.get(`${web.base}${path()}/praktijkverklaring.csv`);
    expect(csv.status()).toBe(200);
    const lines = (await csv.text())
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[1]).toBe(
      `WB-001;Deelnemer 1;B1-K1-W1;Ondersteunt bij persoonlijke verzorging;${today};Petra Praktijkopleider;` +
        'Zorggroep Breda;Helpt bij het wassen en aankleden.',
    );
    const xlsx = await page.request.get(`${web.base}${path()}/praktijkverklaring.xlsx`);
    expect(xlsx.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });
});
