// The employer's subsidy page in a real browser (Chromium, JavaScript off): the praktijkopleider finds it from
// "Mijn deelnemers", sees each participant's supervised weeks and POK status of the school year and downloads the
// file, or opens it from the deadline mail's task link (that school year only); another employer's praktijkopleider
// gets 404 as for an unknown organisation. axe-core (WCAG 2.1 A and AA): zero violations.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeadlineActivities } from '../activities/deadlines';
import { dutchHolidays } from '../activities/holidays';
import { addDays } from '../domain/calendar';
import { schoolYearOf, subsidyReminderDue } from '../domain/subsidy';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { cohortRequest, thisMonday, uniqueId } from './helpers/fixtures';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';

let web: WebWorld;
let api: WebWorld['api'];
let mine: Partners;
let start: string;
let reference: string;
let trajectoryId: string;
let trainer: { id: string; email: string };
let otherTrainer: { id: string; email: string };

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
  const coordinatorKey = await createKey(api.call, mine.officeId, 'coordinator');
  // Two whole weeks behind us, in one school year.
  start = addDays(thisMonday(), -3 * 7);
  if (schoolYearOf(start).label !== schoolYearOf(addDays(start, 13)).label) start = addDays(start, -3 * 7);
  const cohort = await api.call(
    'POST',
    '/v1/cohorts',
    cohortRequest({ ...mine, size: 1, startDate: start }),
    coordinatorKey,
  );
  expect(cohort.status, JSON.stringify(cohort.json)).toBe(201);
  const t = cohort.json.trajectories[0] as { id: string; reference: string };
  reference = t.reference;
  trajectoryId = t.id;
  await untilStarted(api.db, cohort.json.id);
  const schedule = await api.call('GET', `/v1/trajectories/${t.id}/schedule`, undefined, coordinatorKey);
  const days = (schedule.json.weeks as { days: { date: string; kind: string; status: string }[] }[])
    .flatMap((w) => w.days)
    .filter((d) => d.kind === 'placement' && d.status === 'planned' && d.date < addDays(start, 14));
  const recorded = await api.call(
    'POST',
    `/v1/trajectories/${t.id}/attendance`,
    { entries: days.map((d) => ({ date: d.date, kind: 'placement', present: true })) },
    coordinatorKey,
  );
  expect(recorded.status, JSON.stringify(recorded.json)).toBe(200);
}, 180_000);
afterAll(async () => web?.close());

describe("the employer's subsidy page", () => {
  it('shows the supervised weeks of the school year and downloads the file', async () => {
    const page = await web.signIn(trainer);
    await page.goto(`${web.base}/organisaties/${mine.employerIds[0]}/deelnemers`);
    await page.getByRole('link', { name: 'Subsidie praktijkleren: begeleide weken' }).click();
    await page.getByLabel('Schooljaar').selectOption(schoolYearOf(start).label);
    await page.getByRole('button', { name: 'Toon' }).click();
    await page.waitForLoadState();
    expect(await page.locator('h1').textContent()).toBe(
      `Subsidie praktijkleren, schooljaar ${schoolYearOf(start).label}`,
    );
    const row = (await page.locator('tbody tr').first().locator('th, td').allTextContents()).map((c) => c.trim());
    expect(row).toEqual([`Deelnemer 1 (${reference})`, '2', '2', '–', 'Nog niet opgesteld']);
    expect(await page.locator('main').textContent()).toMatch(/bewaar het bestand 5\s+jaar/);
    await web.noAxeViolations(page);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download als Excel-bestand' }).click(),
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await download.path())!);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Toelichting', 'Deelnemers', 'Weken']);
    expect(book.getWorksheet('Weken')!.rowCount).toBe(3);
  });

  it("opens the school year's file from the deadline mail's task link, and that task only", async () => {
    // The first reminder after the school year ended: the mail links the file of that year for the trainer alone.
    const year = schoolYearOf(start);
    const holidays = new Set(dutchHolidays(year.to, addDays(year.to, 60)).map((h) => h.date));
    let morning = addDays(year.to, 1);
    while (!subsidyReminderDue(morning, holidays)) morning = addDays(morning, 1);
    // On that day the trajectory's deadlines workflow runs reachDeadlines (its timer firing is tested in
    // deadlines.test.ts and evidence.test.ts); here what it records goes out in the morning mail.
    await createDeadlineActivities({ db: api.db }).reachDeadlines({ trajectoryId, on: morning });
    await web.sendDigest(morning);
    const mail = await web.mailTo(trainer.email, /^Toeleiding – (?!uw inloglink)/);
    expect(mail.text).not.toContain('(na het inloggen)');
    const link = new RegExp(`Het bestand met de begeleide weken: (${web.base}/l/\\S+)`).exec(mail.text)?.[1];
    expect(link, mail.text).toBeDefined();

    const page = await (await web.context()).newPage();
    await page.goto(link!);
    expect(page.url()).toBe(`${web.base}/organisaties/${mine.employerIds[0]}/subsidie?schooljaar=${year.label}`);
    expect(await page.locator('h1').textContent()).toBe(`Subsidie praktijkleren, schooljaar ${year.label}`);
    await web.noAxeViolations(page);
    // Its download is the same task; another school year is not.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download als Excel-bestand' }).click(),
    ]);
    expect(await download.failure()).toBeNull();
    await page.goto(`${web.base}/organisaties/${mine.employerIds[0]}/subsidie?schooljaar=2019-2020`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Log in voor deze pagina');
  });

  it("is another employer's nothing: 404 as for an unknown organisation", async () => {
    const page = await web.signIn(otherTrainer);
    const theirs = await page.goto(`${web.base}/organisaties/${mine.employerIds[0]}/subsidie`);
    const theirsText = await page.locator('main').textContent();
    const unknown = await page.goto(`${web.base}/organisaties/${mine.employerIds[0]}x/subsidie`);
    expect([theirs?.status(), unknown?.status()]).toEqual([404, 404]);
    expect(await page.locator('main').textContent()).toBe(theirsText);
  });
});
