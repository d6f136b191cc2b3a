// The jobcoach's pages in a real browser (the machine's Chromium, JavaScript off): the morning mail links to the
// overdue intake checkpoint, the link opens the three-way checkpoint form without signing in, the jobcoach records
// it with the keyboard alone, and the coordinator sees it recorded through the API. Signed in, the jobcoach finds
// "Mijn deelnemers" (also on a phone), reports a sick leave on a participant's page (a wrong date gets its Dutch
// message next to the field; a refusal of the workflow too) and sees it on the schedule, then the recovery, a
// pause and the resume, each on the schedule too; another jobcoach's participant answers 404 like an unknown one.
// axe-core (WCAG 2.1 A and AA) finds nothing on any page, in any state.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../domain/calendar';
import { dutchDay } from '../domain/dutch';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { cohortRequest, thisMonday, uniqueId } from './helpers/fixtures';
import type { Json } from './helpers/json';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';

let web: WebWorld;
let api: WebWorld['api'];
let base: string;
let partners: Partners;
let jobcoach: { id: string; email: string };
/** The participants of the jobcoach, and the one of the other jobcoach. */
let mine: { id: string; name: string; reference: string }[];
let foreign: { id: string; name: string; reference: string };
const start = addDays(thisMonday(), -14); // today is in week 3: the intake (week 1) is overdue
const today = localDate(Date.now());

const noAxeViolations = (page: Page) => web.noAxeViolations(page);

beforeAll(async () => {
  web = await startWebWorld();
  ({ api, base } = web);
  partners = await seedPartners(api.call);
  const request = cohortRequest({ ...partners, size: 4, startDate: start });
  request.participants[3]!.jobcoachId = partners.otherJobcoachId;
  const launched = await api.call('POST', '/v1/cohorts', request);
  expect(launched.status).toBe(201);
  await untilStarted(api.db, launched.json.id as string);
  const rows = await api.db
    .selectFrom('trajectory')
    .select(['id', 'name', 'reference', 'jobcoach_id'])
    .where('cohort_id', '=', launched.json.id as string)
    .orderBy('reference')
    .execute();
  mine = rows.filter((r) => r.jobcoach_id === partners.jobcoachId);
  foreign = rows.find((r) => r.jobcoach_id === partners.otherJobcoachId)!;
  const contact = await api.db
    .selectFrom('contact')
    .select(['id', 'email'])
    .where('id', '=', partners.jobcoachId)
    .executeTakeFirstOrThrow();
  jobcoach = contact;
}, 180_000);

afterAll(async () => {
  await web?.close();
});

describe('the jobcoach', () => {
  it('records the overdue intake from the morning mail, with the keyboard; the coordinator sees it', async () => {
    await web.sendDigest();
    const mail = await web.mailTo(jobcoach.email, /Toeleiding/);
    expect(mail.text).not.toMatch(/POST|\/v1\//); // no mail asks anyone to call an API
    // Each overdue intake has its own link: to the checkpoint form, signed for this jobcoach.
    const links = [...mail.text.matchAll(/moeten zijn\n {2}Leg het gesprek vast: (\S+)/g)].map((m) => m[1]!);
    expect(links, mail.text).toHaveLength(mine.length);
    expect(links.every((l) => l.startsWith(`${base}/l/`))).toBe(true);

    const ctx = await web.context();
    const page = await ctx.newPage();
    await page.goto(links[0]!); // not signed in: the link is the key to this one task
    const match = new RegExp(`^${base}/trajecten/([^/]+)/checkpoints/intake$`).exec(page.url());
    expect(match, page.url()).not.toBeNull();
    const id = decodeURIComponent(match![1]!);
    expect(mine.map((t) => t.id)).toContain(id);
    await expect(page.locator('h1').textContent()).resolves.toBe('Gesprek: Intake (0-meting)');
    await expect(page.locator('main').textContent()).resolves.toMatch(/had uiterlijk .* vastgelegd moeten zijn/);
    await noAxeViolations(page);
    await web.shot(page, 'jobcoach-gesprek');

    // Sent without a choice and without a note: a Dutch message next to each field, nothing recorded.
    const refused = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Gesprek vastleggen' }).click();
    expect((await refused).status()).toBe(422);
    await expect(page.locator('#status-fout').textContent()).resolves.toMatch(/Kies hoe het gaat/);
    await expect(page.locator('#note-fout').textContent()).resolves.toBe('Vul het verslag in.');
    await expect(page.locator('#note').getAttribute('aria-describedby')).resolves.toContain('note-fout');
    await noAxeViolations(page);

    // With the keyboard alone: a status, the note, the trainer's confirmation, and Enter.
    await page.getByLabel(/^Zorgen/).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab'); // out of the radio group, into the note
    await page.keyboard.type('Goed gestart; let op de reistijd. Afspraak: om 8.00 uur aanwezig.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // "De werkplekbegeleider heeft het verslag bevestigd"
    expect(await page.getByLabel(/werkplekbegeleider heeft het verslag bevestigd/).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    const saved = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.keyboard.press('Enter');
    expect((await saved).status()).toBe(200);
    await page.waitForLoadState();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Het gesprek is vastgelegd/);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Vastgelegd op .* als "Zorgen"/);
    await noAxeViolations(page);

    // Recorded once, as the coordinator reads it through the API.
    const reviews = await api.db.selectFrom('checkpoint_review').selectAll().where('trajectory_id', '=', id).execute();
    expect(reviews.map((r) => [r.key, r.status, r.trainer_confirmed])).toEqual([['intake', 'concerns', true]]);
    const coordinator = await createKey(api.call, partners.officeId, 'coordinator');
    const read = await api.call('GET', `/v1/trajectories/${id}`, undefined, coordinator);
    expect(read.status).toBe(200);
    const live = read.json.live as { open: { overdueCheckpoints: { key: string }[] } };
    expect(live.open.overdueCheckpoints.map((c) => c.key)).not.toContain('intake');
    const events = read.json.events as { type: string; data: Json }[];
    expect(events.filter((e) => e.type === 'checkpoint_recorded').map((e) => e.data)).toEqual([
      expect.objectContaining({ key: 'intake', status: 'concerns', trainerConfirmed: true }),
    ]);

    // The task link opens this form only: not the participant's page, not the list.
    await page.goto(`${base}/trajecten/${id}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Log in voor deze pagina');
    await page.goto(`${base}/deelnemers`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Log in voor deze pagina');
    await ctx.close();
  }, 120_000);

  it('finds "Mijn deelnemers" on a phone; sick leave, recovery, pause and resume, each on the schedule', async () => {
    const page = await web.signIn(jobcoach, { phone: true });
    await page.getByRole('link', { name: 'Mijn deelnemers' }).click();
    expect(page.url()).toBe(`${base}/deelnemers`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Mijn deelnemers');
    const text = (await page.locator('main').textContent())!;
    for (const t of mine) expect(text).toContain(t.name);
    expect(text).not.toContain(foreign.reference);
    // The overdue intakes of the others, with the reason of their signal in Dutch.
    expect(text).toMatch(/Te laat:\s+Intake \(0-meting\)/);
    expect(text).toMatch(/Checkpoint Intake \(0-meting\) moest uiterlijk \d{1,2} [a-z]+ \d{4} vastgelegd zijn/);
    // On a 375 px screen nothing sticks out: each participant is a section of its own, no wide table.
    const sections = await page.locator('main section').all();
    expect(sections).toHaveLength(mine.length);
    for (const box of await Promise.all([page.locator('main'), ...sections].map((l) => l.boundingBox())))
      expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    await noAxeViolations(page);
    await web.shot(page, 'jobcoach-deelnemers');

    const t = mine.at(-1)!;
    await page.getByRole('link', { name: t.name }).click();
    expect(page.url()).toBe(`${base}/trajecten/${t.id}`);
    await expect(page.locator('h1').textContent()).resolves.toBe(`${t.name} (${t.reference})`);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Week 3 van 20/);
    await noAxeViolations(page);

    // No date: the message stands next to the field, and nothing is recorded.
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Ziekmelding vastleggen' }) });
    await form.getByRole('button', { name: 'Ziekmelding vastleggen' }).click();
    await expect(page.locator('#sick-leave-from-fout').textContent()).resolves.toBe(
      'Vul een datum in, zoals 30-11-2026.',
    );
    await expect(page.getByLabel('Eerste ziektedag').getAttribute('aria-invalid')).resolves.toBe('true');
    await noAxeViolations(page);
    // A day ahead: the workflow refuses, and says why in Dutch next to the field.
    await page.getByLabel('Eerste ziektedag').fill(addDays(today, 1));
    await page.getByRole('button', { name: 'Ziekmelding vastleggen' }).click();
    await expect(page.locator('#sick-leave-from-fout').textContent()).resolves.toBe(
      'Een ziekmelding gaat in op vandaag of een eerdere dag, niet op een dag die nog moet komen.',
    );
    await noAxeViolations(page);
    const before = await api.db
      .selectFrom('trajectory_event')
      .select('type')
      .where('trajectory_id', '=', t.id)
      .where('type', '=', 'sick_leave_started')
      .execute();
    expect(before).toEqual([]);

    // Today, with a reason (health data: the form says who sees it).
    await expect(page.locator('#sick-leave-reason-uitleg').textContent()).resolves.toMatch(
      /Alleen u als jobcoach en de coördinator/,
    );
    await page.getByLabel('Eerste ziektedag').fill(today);
    await page.getByLabel('Reden (niet verplicht)').fill('Griep');
    await page.getByRole('button', { name: 'Ziekmelding vastleggen' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/De ziekmelding is vastgelegd vanaf/);
    await noAxeViolations(page);
    // The schedule shows the placement days from today as sick; the sick leave is listed with its reason.
    const placement = await page
      .locator('tr', { has: page.locator('td', { hasText: 'stagedag' }) })
      .filter({ hasText: 'ziekgemeld' })
      .count();
    expect(placement).toBeGreaterThan(0);
    const leave = page.locator('tr', { hasText: 'Ziekmelding' });
    await expect(leave.textContent()).resolves.toMatch(/Griep/);
    // Now the recovery is what can be reported.
    await expect(page.getByRole('button', { name: 'Herstel vastleggen' }).count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Ziekmelding vastleggen' }).count()).resolves.toBe(0);
    // Through the API (as the admin): the placement days from today on are sick
    const schedule = await api.call('GET', `/v1/trajectories/${t.id}/schedule`);
    const days = (schedule.json.weeks as { days: { date: string; kind: string; status: string }[] }[]).flatMap(
      (w) => w.days,
    );
    // (a holiday keeps its own name: not planned anyway)
    const ahead = days.filter((d) => d.date >= today && d.kind === 'placement' && d.status !== 'not_planned');
    expect(ahead.length).toBeGreaterThan(0);
    expect(new Set(ahead.map((d) => d.status))).toEqual(new Set(['sick_leave']));

    // The placement day of a Monday as the page's schedule shows it ("stagedag", then its state in words).
    const shown = async (monday: string) =>
      page
        .locator('tr', { has: page.locator('th', { hasText: new RegExp(`^maandag ${dutchDay(monday)}$`) }) })
        .filter({ hasText: 'stagedag' })
        .textContent();
    const [week1, week2, week3] = [7, 14, 21].map((n) => addDays(thisMonday(), n)) as [string, string, string];
    // Recovered from next Monday on: from then the placement days are planned again.
    await page.getByLabel('Eerste dag terug').fill(week1);
    await page.getByRole('button', { name: 'Herstel vastleggen' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Het herstel is vastgelegd/);
    await noAxeViolations(page);
    await expect(shown(week1)).resolves.toMatch(/gepland/);
    await expect(page.locator('tr', { hasText: 'Ziekmelding' }).textContent()).resolves.toContain(dutchDay(week1));
    // A pause from the Monday after: its placement days stand as paused, the next weeks' too until a resume.
    await page.getByLabel('Eerste dag van de pauze').fill(week2);
    await page.getByLabel('Reden van de pauze').fill('Verhuizing');
    await page.getByRole('button', { name: 'Pauze vastleggen' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/De pauze is vastgelegd vanaf/);
    await noAxeViolations(page);
    await expect(shown(week1)).resolves.toMatch(/gepland/);
    await expect(shown(week2)).resolves.toMatch(/pauze/);
    await expect(shown(week3)).resolves.toMatch(/pauze/);
    await expect(page.getByRole('button', { name: 'Pauze vastleggen' }).count()).resolves.toBe(0);
    // Resumed a week later: that week's days are planned again, the paused week stays paused.
    await page.getByLabel('Eerste dag terug').fill(week3);
    await page.getByRole('button', { name: 'Hervatten vastleggen' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Het traject loopt weer vanaf/);
    await noAxeViolations(page);
    await expect(shown(week2)).resolves.toMatch(/pauze/);
    await expect(shown(week3)).resolves.toMatch(/gepland/);
    await expect(page.locator('tr', { hasText: 'Verhuizing' }).textContent()).resolves.toContain(dutchDay(week3));
    await page.context().close();
  }, 180_000);

  it("answers another jobcoach's participant as if it did not exist", async () => {
    const page = await web.signIn(jobcoach);
    const other = await page.goto(`${base}/trajecten/${foreign.id}`);
    expect(other?.status()).toBe(404);
    const otherText = await other?.text();
    const unknown = await page.goto(`${base}/trajecten/${uniqueId('nergens')}`);
    expect(unknown?.status()).toBe(404);
    expect(otherText).toBe(await unknown?.text());
    expect(otherText).not.toContain(foreign.name);
    await noAxeViolations(page);
    const form = await page.goto(`${base}/trajecten/${foreign.id}/checkpoints/intake`);
    expect(form?.status()).toBe(404);
    const missing = await page.goto(`${base}/trajecten/${mine[0]!.id}/checkpoints/geen-gesprek`);
    expect(missing?.status()).toBe(404);
    await page.context().close();
  }, 120_000);
});
