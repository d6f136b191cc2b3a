// The praktijkovereenkomst page in a real browser (Chromium, JavaScript off): the ROC finds it from the BBL decision
// once the employer confirmed a BBL contract, is refused in Dutch next to the fields when it chooses nothing (nothing
// recorded), and records drawing it up; the praktijkopleider of the participant's own placement records the
// employer's signature (the only step offered to it); the office's coordinator finds it from the participant's page and
// records another party's step; another employer's praktijkopleider gets 404 as for an unknown participant.
// axe-core (WCAG 2.1 A and AA) on every page: zero violations; a phone's width.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeadlineActivities } from '../activities/deadlines';
import { dutchHolidays } from '../activities/holidays';
import { addDays, isWorkingDay, localDate } from '../domain/calendar';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { addContact, createKey, seedPartners, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';

let web: WebWorld;
let api: WebWorld['api'];
let mine: Partners;
let trajectoryId: string;
let reference: string;
let trainer: { id: string; email: string };
let otherTrainer: { id: string; email: string };
let roc: { id: string; email: string };
let coordinator: { id: string; email: string };
const today = localDate(Date.now());

beforeAll(async () => {
  web = await startWebWorld();
  api = web.api;
  mine = await seedPartners(api.call);
  trainer = await addContact(api.call, mine.employerIds[0]!, 'workplace_trainer', 'Petra Praktijkopleider');
  otherTrainer = await addContact(api.call, mine.employerIds[1]!, 'workplace_trainer', 'Otto Opleider');
  roc = await addContact(api.call, mine.schoolId, 'roc_coordinator', 'Rita ROC');
  coordinator = await addContact(api.call, mine.officeId, 'coordinator', 'Cor Coördinator');
  const coordinatorKey = await createKey(api.call, mine.officeId, 'coordinator');
  // Week 16: the BBL decision is open.
  const cohort = await api.call(
    'POST',
    '/v1/cohorts',
    cohortRequest({ ...mine, size: 2, startDate: addDays(thisMonday(), -15 * 7) }),
    coordinatorKey,
  );
  expect(cohort.status, JSON.stringify(cohort.json)).toBe(201);
  trajectoryId = cohort.json.trajectories[0].id;
  reference = cohort.json.trajectories[0].reference;
  await untilStarted(api.db, cohort.json.id);
  const bbl = await api.call(
    'POST',
    `/v1/trajectories/${trajectoryId}/bbl`,
    { by: 'employer', contractStartDate: addDays(today, 20) },
    coordinatorKey,
  );
  expect(bbl.status, JSON.stringify(bbl.json)).toBe(200);
}, 180_000);
afterAll(async () => web?.close());

const path = () => `/trajecten/${trajectoryId}/praktijkovereenkomst`;
const rowOf = async (page: Page, step: string) =>
  (
    await page
      .locator('tr', { has: page.locator('th', { hasText: step }) })
      .locator('th, td')
      .allTextContents()
  ).map((c) => c.replace(/\s+/g, ' ').trim());
const pok = () =>
  api.db.selectFrom('praktijkovereenkomst').selectAll().where('trajectory_id', '=', trajectoryId).executeTakeFirst();

describe("the ROC's task link", () => {
  it('opens the POK page from the morning mail for the ROC contact, and that task only', async () => {
    // The POK is due from 14 days before the BBL start: its first working morning.
    const holidays = new Set(dutchHolidays(today, addDays(today, 60)).map((h) => h.date));
    let morning = addDays(today, 20 - 14);
    while (!isWorkingDay(morning, holidays)) morning = addDays(morning, 1);
    // On that day the trajectory's deadlines workflow runs reachDeadlines (its timer firing is tested in
    // deadlines.test.ts and praktijkovereenkomst.test.ts); here what it records goes out in the morning mail.
    await createDeadlineActivities({ db: api.db }).reachDeadlines({ trajectoryId, on: morning });
    await web.sendDigest(morning);
    const mail = await web.mailTo(roc.email, /^Toeleiding – (?!uw inloglink)/);
    expect(mail.text).toContain('Praktijkovereenkomst nog niet rond');
    expect(mail.text).not.toContain('Leg de handtekeningen vast na het inloggen');
    const link = new RegExp(
      `\\(${reference}\\)\\n(?: {2}.*\\n)*? {2}Leg de handtekeningen vast: (${web.base}/l/\\S+)`,
    ).exec(mail.text)?.[1];
    expect(link, mail.text).toBeDefined();

    const page = await (await web.context()).newPage();
    await page.goto(link!);
    expect(page.url()).toBe(`${web.base}${path()}`);
    await expect(page.locator('h1').textContent()).resolves.toBe(`Praktijkovereenkomst (${reference})`);
    // The ROC's own steps, as when signed in: drawing it up first.
    expect(await page.getByRole('radio').count()).toBe(1);
    await web.noAxeViolations(page);
    // The link's session reaches this task only: not the BBL decision of the same participant.
    await page.goto(`${web.base}/trajecten/${trajectoryId}/bbl`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Log in voor deze pagina');
    // Opening it records nothing.
    expect(await pok()).toBeUndefined();
  }, 120_000);
});

describe('the praktijkovereenkomst page', () => {
  it('lets the ROC draw it up from the BBL decision; nothing chosen is refused in Dutch', async () => {
    const page = await web.signIn(roc, { phone: true });
    await page.goto(`${web.base}/trajecten/${trajectoryId}/bbl`);
    await page.getByRole('link', { name: 'Praktijkovereenkomst van Deelnemer' }).click();
    expect(page.url()).toBe(`${web.base}${path()}`);
    await web.noAxeViolations(page);
    expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(375);
    // The ROC does not sign for the employer, and nothing is signed before it is drawn up.
    expect(await page.getByRole('radio').count()).toBe(1);

    await page.getByRole('button', { name: 'Vastleggen' }).click();
    await expect
      .poll(() => page.locator('.utrecht-form-field-error-message').allTextContents())
      .toEqual(['Kies wat u vastlegt.', 'Vul de datum in.']);
    await web.noAxeViolations(page);
    expect(await pok()).toBeUndefined();

    await page.getByLabel('Opgesteld door het ROC').check();
    await page.getByLabel('Op welke dag?').fill(today);
    await page.getByRole('button', { name: 'Vastleggen' }).click();
    expect(await page.locator('main').textContent()).toContain('Vastgelegd: opgesteld door het ROC.');
    expect((await rowOf(page, 'opgesteld door het ROC'))[1]).not.toBe('Nog niet');
    expect(await page.getByRole('radio').count()).toBe(2); // the participant's and its own signature
    await web.noAxeViolations(page);
    expect((await pok())?.drawn_up_on).toBe(today);
  });

  it("lets the participant's own praktijkopleider record the employer's signature, and only that", async () => {
    const page = await web.signIn(trainer);
    await page.goto(`${web.base}${path()}`);
    await web.noAxeViolations(page);
    expect(await page.getByRole('radio').count()).toBe(1);
    await page.getByLabel('Getekend door de werkgever (leerbedrijf)').check();
    await page.getByLabel('Op welke dag?').fill(today);
    await page.getByRole('button', { name: 'Vastleggen' }).click();
    expect(await page.locator('main').textContent()).toContain('Dank u wel.');
    await web.noAxeViolations(page);
    expect(await pok()).toMatchObject({ employer_on: today, employer_id: mine.employerIds[0] });
  });

  it("lets the office's coordinator reach it from the participant's page and record any party's step", async () => {
    const page = await web.signIn(coordinator);
    await page.goto(`${web.base}/sturing/trajecten/${trajectoryId}`);
    await page.getByRole('link', { name: 'Praktijkovereenkomst', exact: true }).click();
    expect(page.url()).toBe(`${web.base}${path()}`);
    await web.noAxeViolations(page);
    // Drawn up and the employer's signature recorded: the participant's and the ROC's remain.
    expect(await page.getByRole('radio').count()).toBe(2);
    await page.getByLabel('Getekend door de deelnemer').check();
    await page.getByLabel('Op welke dag?').fill(today);
    await page.getByRole('button', { name: 'Vastleggen' }).click();
    expect(await page.locator('main').textContent()).toContain('Vastgelegd: getekend door de deelnemer.');
    expect((await pok())?.participant_on).toBe(today);
  });

  it("is another employer's nothing: 404 exactly as for an unknown participant", async () => {
    const page = await web.signIn(otherTrainer);
    const theirs = await page.goto(`${web.base}${path()}`);
    const theirsText = await page.locator('main').textContent();
    const unknown = await page.goto(`${web.base}/trajecten/${trajectoryId}x/praktijkovereenkomst`);
    expect([theirs?.status(), unknown?.status()]).toEqual([404, 404]);
    expect(await page.locator('main').textContent()).toBe(theirsText);
  });
});
