// The benefit payer's page in a real browser (Chromium, JavaScript off): the gemeente's analyst opens it from the
// morning mail's task link once the participant's BBL contract started, on a phone, and confirms by keyboard alone
// that the benefit ended; an impossible date gets the Dutch message next to the field and nothing is recorded; the
// office's coordinator then reads the confirmation through the API, and the audit log names the analyst. Signed in,
// the analyst records an extension decision; one past the rule's ceiling is refused next to its field. Another
// office's gemeente gets 404 as for an unknown participant. axe-core (WCAG 2.1 A and AA): zero violations.
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeadlineActivities } from '../activities/deadlines';
import { dutchHolidays } from '../activities/holidays';
import { addDays, addMonths, isWorkingDay, localDate } from '../domain/calendar';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { addContact, createKey, seedPartners, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';

let web: WebWorld;
let api: WebWorld['api'];
let mine: Partners;
let coordinatorKey: string;
let trajectoryId: string;
let reference: string;
let analyst: { id: string; email: string };
let otherAnalyst: { id: string; email: string };
/** The BBL contract's start: the first working day after today, the morning the payer's task is reached. */
let contractStart: string;
const today = localDate(Date.now());
/** West-Brabant's werkervaringsplaats (domain/benefit.ts): 3 months, extendable to 6. */
const start = addDays(thisMonday(), -15 * 7);

const DIGEST = /^Toeleiding – (?!uw inloglink)/;
const errorOf = (page: Page, field: string) => page.locator(`#${field}-fout`).textContent();
const benefit = async () =>
  (await api.call('GET', `/v1/trajectories/${trajectoryId}/benefit`, undefined, coordinatorKey)).json as {
    adjustment: { outcome: string; date: string } | null;
    extensions: { until: string; decidedOn: string; reference?: string }[];
  };

/** Presses Enter in the focused field (the form's implicit submission) and waits for the answer: its status. */
async function pressEnter(page: Page): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r: Response) => r.request().method() === 'POST'),
    page.keyboard.press('Enter'),
  ]);
  await page.waitForLoadState();
  return response.status();
}

async function fitsPhone(page: Page) {
  for (const box of await page.locator('main, main form, main dl').all())
    expect((await box.boundingBox())!.width).toBeLessThanOrEqual(375);
}

/** A date as a Dutch person types it: day-month-year, without leading zeros. */
const typed = (iso: string) => `${Number(iso.slice(8, 10))}-${Number(iso.slice(5, 7))}-${iso.slice(0, 4)}`;

beforeAll(async () => {
  web = await startWebWorld();
  api = web.api;
  mine = await seedPartners(api.call);
  const other = await seedPartners(api.call, 'Zeeland');
  analyst = await addContact(api.call, mine.gemeenteId, 'funder_analyst', 'Anna Analist');
  otherAnalyst = await addContact(api.call, other.gemeenteId, 'funder_analyst', 'Zeger Zeeuw');
  coordinatorKey = await createKey(api.call, mine.officeId, 'coordinator');
  // Week 16: the BBL decision is open; the gemeente's werkervaringsplaats is recorded at launch.
  const request = cohortRequest({ ...mine, size: 1, startDate: start });
  request.participants[0]!.benefit = {};
  const cohort = await api.call('POST', '/v1/cohorts', request, coordinatorKey);
  expect(cohort.status, JSON.stringify(cohort.json)).toBe(201);
  trajectoryId = cohort.json.trajectories[0].id;
  reference = cohort.json.trajectories[0].reference;
  await untilStarted(api.db, cohort.json.id);
  const holidays = new Set(dutchHolidays(today, addDays(today, 30)).map((h) => h.date));
  contractStart = addDays(today, 1);
  while (!isWorkingDay(contractStart, holidays)) contractStart = addDays(contractStart, 1);
  const bbl = await api.call(
    'POST',
    `/v1/trajectories/${trajectoryId}/bbl`,
    { by: 'employer', contractStartDate: contractStart },
    coordinatorKey,
  );
  expect(bbl.status, JSON.stringify(bbl.json)).toBe(200);
}, 180_000);
afterAll(async () => web?.close());

const path = () => `/trajecten/${trajectoryId}/uitkering`;

describe("the payer's analyst", () => {
  it('confirms from the mail by keyboard on a phone that the benefit ended; the coordinator sees it', async () => {
    // On the contract's first day the trajectory's deadlines workflow runs reachDeadlines (its timer firing is tested
    // in benefit-instrument.test.ts and deadlines.test.ts); here what it records goes out in the morning mail.
    await createDeadlineActivities({ db: api.db }).reachDeadlines({ trajectoryId, on: contractStart });
    await web.sendDigest(contractStart);
    const mail = await web.mailTo(analyst.email, DIGEST);
    expect(mail.text).toContain('Uitkering aanpassen of beëindigen');
    expect(mail.text).not.toMatch(/POST|\/v1\//);
    const link = new RegExp(
      `\\(${reference}\\)\\n(?: {2}.*\\n)*? {2}Bevestig de aanpassing: (${web.base}/l/\\S+)`,
    ).exec(mail.text)?.[1];
    expect(link, mail.text).toBeDefined();

    const page = await (await web.context({ phone: true })).newPage();
    await page.goto(link!);
    expect(page.url()).toBe(`${web.base}${path()}`);
    await expect(page.locator('h1').textContent()).resolves.toBe(`Uitkering van deelnemer ${reference}`);
    const main = (await page.locator('main').textContent())!.replace(/\s+/g, ' ');
    expect(main).toContain('Werkervaringsplaats');
    expect(main).toContain('Participatiewet');
    expect(main).toMatch(/Uitkering voor de BBL\s*Nog niet bevestigd/);
    // The 20 weeks run past the 3 months: the page says so, with the dates, and what the payer can do.
    expect(main).toMatch(/Let op: Het traject zou eindigen op .* Leg hieronder uw verlengingsbesluit vast/);
    // Nothing of the trajectory beyond the instrument: no name, no employer, no school.
    expect(main).not.toMatch(/Deelnemer 1|Zorggroep|ROC West-Brabant/);
    await web.noAxeViolations(page);
    await fitsPhone(page);

    // By keyboard alone: the choice, then a date that does not exist (31 February), and Enter.
    await page.getByLabel('Beëindigd').focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Ingangsdatum').focus();
    await page.keyboard.type(`31-02-${contractStart.slice(0, 4)}`);
    expect(await pressEnter(page)).toBe(422);
    await expect(errorOf(page, 'ingangsdatum')).resolves.toBe(
      'Dit is geen bestaande datum. Vul dag-maand-jaar in, bijvoorbeeld 1-9-2027.',
    );
    expect(await page.locator('#ingangsdatum').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Beëindigd').isChecked()).toBe(true);
    await web.noAxeViolations(page);
    expect((await benefit()).adjustment).toBeNull();

    await page.getByLabel('Ingangsdatum').focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(typed(contractStart));
    expect(await pressEnter(page)).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Vastgelegd: uitkering beëindigd per/);
    await expect(page.locator('main dl').textContent()).resolves.toMatch(/Uitkering voor de BBL\s*Beëindigd per/);
    await web.noAxeViolations(page);
    await fitsPhone(page);

    // The coordinator reads it through the API; the audit log names the analyst, not a key.
    expect((await benefit()).adjustment).toEqual({ outcome: 'ended', date: contractStart });
    const audit = await api.db
      .selectFrom('audit_event')
      .select(['actor', 'action'])
      .where('trajectory_id', '=', trajectoryId)
      .where('route', 'like', '%uitkering%')
      .execute();
    expect(audit).toContainEqual({ actor: `contact:${analyst.id}`, action: 'change' });
    // The link's session reaches this task only.
    await page.goto(`${web.base}/uitkomsten`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Log in voor deze pagina');
  }, 120_000);

  it('records an extension decision once signed in; one past the ceiling is refused next to its field', async () => {
    const page = await web.signIn(analyst);
    await page.goto(`${web.base}${path()}`);
    const ceiling = addDays(addMonths(start, 6), -1);
    await page.getByLabel('Verlengd tot en met').fill(addDays(ceiling, 1));
    await page.getByLabel('Datum van uw besluit').fill(today);
    await page.getByLabel('Verlengd tot en met').focus();
    expect(await pressEnter(page)).toBe(422);
    await expect(errorOf(page, 'tot')).resolves.toMatch(/^Werkervaringsplaats: een verlenging loopt tot uiterlijk/);
    await web.noAxeViolations(page);
    expect((await benefit()).extensions).toEqual([]);

    await page.getByLabel('Verlengd tot en met').fill(ceiling);
    await page.getByLabel('Uw kenmerk (niet verplicht)').fill('WB-BESLUIT-TWEE');
    await page.getByLabel('Uw kenmerk (niet verplicht)').focus();
    expect(await pressEnter(page)).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Vastgelegd: verlengd tot en met/);
    // Covered now to the ceiling, past the planned end: no warning, and nothing left to extend, so no form.
    await expect(page.locator('main').textContent()).resolves.not.toMatch(/Let op/);
    expect(await page.getByLabel('Verlengd tot en met').count()).toBe(0);
    await web.noAxeViolations(page);
    expect((await benefit()).extensions).toEqual([{ until: ceiling, decidedOn: today, reference: 'WB-BESLUIT-TWEE' }]);
  }, 120_000);

  it("is another office's gemeente's nothing: 404 as for an unknown participant", async () => {
    const page = await web.signIn(otherAnalyst);
    const theirs = await page.goto(`${web.base}${path()}`);
    const theirsText = await page.locator('main').textContent();
    await web.noAxeViolations(page);
    const unknown = await page.goto(`${web.base}/trajecten/onbekend-traject/uitkering`);
    expect([theirs?.status(), unknown?.status()]).toEqual([404, 404]);
    expect(await page.locator('main').textContent()).toBe(theirsText);
  }, 120_000);
});
