// The web pages in a real browser (the machine's Chromium, driven by playwright-core), with JavaScript off: a
// workplace trainer confirms last week from the morning mail in one click (an absence with the keyboard alone),
// the coordinator's steering view shows the week recorded; a person signs in with a one-time link and out
// again. Every page is checked with axe-core (WCAG 2.1 A and AA): zero violations. The app, Temporal (time-
// skipping test server) and PostgreSQL are real; mail goes to the development mailbox.
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import { markInvited } from '../db/web-sessions';
import { addDays, localDate, localInstant } from '../domain/calendar';
import { createMailer } from '../infra/mail';
import { linkKey } from '../web/links';
import { startTestApi, type TestApi } from './helpers/api';
import { BSN_HMAC_KEY } from './helpers/app';
import { cohortRequest, thisMonday, uniqueId } from './helpers/fixtures';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { freePort } from './helpers/processes';
import { untilStarted } from './helpers/seed';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let api: TestApi;
let base: string;
let browser: Browser;
let axeContext: BrowserContext;
let partners: Partners;
let trainer: { id: string; email: string };
let trajectories: { id: string; employerId: string; reference: string }[];
const logLines: string[] = [];
const start = addDays(thisMonday(), -14);
const lastWeek = addDays(thisMonday(), -7);

/** A fresh browser profile as a person has it on a phone or a desktop, without JavaScript. */
const context = (o: { phone?: boolean } = {}): Promise<BrowserContext> =>
  browser.newContext({
    javaScriptEnabled: false,
    viewport: o.phone ? { width: 375, height: 740 } : { width: 1280, height: 900 },
    locale: 'nl-NL',
  });

/**
 * axe-core runs as a script, which the pages' own contexts do not allow (JavaScript is off there): the page's
 * HTML as the person sees it now (after a POST too) is served again at its own address to a context with
 * scripts on, so styles and contrast are the same, and checked there.
 */
async function noAxeViolations(page: Page) {
  const content = await page.content();
  const checker = await axeContext.newPage();
  await checker.route(page.url(), (route) => route.fulfill({ body: content, contentType: 'text/html; charset=utf-8' }));
  await checker.goto(page.url());
  const result = await new AxeBuilder({ page: checker })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  await checker.close();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function mailTo(email: string, subject: RegExp) {
  const mails = await api.db
    .selectFrom('dev_mailbox')
    .selectAll()
    .where('recipient', '=', email)
    .orderBy('id', 'desc')
    .execute();
  const mail = mails.find((m) => subject.test(m.subject));
  expect(mail, `a mail to ${email} about ${subject}`).toBeDefined();
  return mail!;
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  api = await startTestApi({
    ownDatabase: true,
    deps: (d) => ({
      config: { ...d.config, PUBLIC_URL: base, LOG_LEVEL: 'info' },
      logStream: { write: (line: string) => void logLines.push(line) },
    }),
  });
  await api.app.listen({ port, host: '127.0.0.1' });
  partners = await seedPartners(api.call);
  const email = `${uniqueId('petra')}@zorggroep.example.nl`;
  const made = await api.call('POST', `/v1/organisations/${partners.employerIds[0]}/contacts`, {
    role: 'workplace_trainer',
    name: 'Petra Praktijkopleider',
    email,
  });
  expect(made.status).toBe(201);
  trainer = { id: made.json.id as string, email };
  const launched = await api.call('POST', '/v1/cohorts', cohortRequest({ ...partners, size: 4, startDate: start }));
  expect(launched.status).toBe(201);
  trajectories = launched.json.trajectories as typeof trajectories;
  await untilStarted(api.db, launched.json.id as string);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  axeContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe('the workplace trainer', () => {
  it('confirms last week from the morning mail: all present in one click, an absence with the keyboard', async () => {
    const today = localDate(Date.now());
    // The morning digest, as the worker composes and delivers it at 10:00.
    const activities = createActivities({
      db: api.db,
      temporal: api.env.client,
      publicUrl: base,
      mailer: createMailer({ MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>' }, api.db),
      now: () => localInstant(today, 10),
      links: { key: linkKey({ BSN_HMAC_KEY }), days: 14 },
    });
    const ids = await activities.composeDigests({ date: today });
    await activities.deliverMail({ ids });
    const mail = await mailTo(trainer.email, /Toeleiding/);
    expect(mail.text).not.toMatch(/POST|\/v1\//); // no mail asks anyone to call an API
    // One link per week with days to record, oldest first: the last is last week's.
    const links = [...mail.text.matchAll(new RegExp(`Week van [^:]+ bevestigen: (${base}/l/\\S+)`, 'g'))];
    const link = links.at(-1)?.[1];
    expect(link, mail.text).toBeDefined();

    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(link!);
    // The link's token leaves the address bar at once; the page is last week's sheet of this employer.
    expect(page.url()).toBe(`${base}/organisaties/${partners.employerIds[0]}/weken/${lastWeek}`);
    await expect(page.locator('h1').textContent()).resolves.toMatch(/^Week van maandag/);
    await noAxeViolations(page);

    const mine = trajectories.filter((t) => t.employerId === partners.employerIds[0]);
    const selects = page.locator('select');
    expect(await selects.count()).toBe(mine.length * 3); // three placement days each, all on "Aanwezig"
    // One absence, by keyboard alone: focus the first day's choice, pick the next option, submit with Enter.
    const first = selects.first();
    const absentName = await first.getAttribute('name');
    await first.focus();
    await page.keyboard.press('ArrowDown'); // "Afwezig: ziek"
    expect(await first.inputValue()).toBe('sick');
    await page.getByRole('button', { name: 'Week bevestigen' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForLoadState();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      new RegExp(`Vastgelegd: ${mine.length * 3 - 1} dag\\(en\\) aanwezig, 1 afwezig`),
    );
    await noAxeViolations(page);
    expect(await page.locator('select').count()).toBe(0); // nothing left to confirm

    // Recorded in each trajectory, as the coordinator's steering view reads it.
    const [, absentId, absentDate] = absentName!.split(':');
    const rows = await api.db
      .selectFrom('attendance')
      .select(['trajectory_id', 'date', 'present', 'reason'])
      .where(
        'trajectory_id',
        'in',
        mine.map((t) => t.id),
      )
      .where('date', '>=', lastWeek)
      .where('date', '<', thisMonday())
      .execute();
    expect(rows).toHaveLength(mine.length * 3);
    expect(rows.filter((r) => !r.present)).toEqual([
      { trajectory_id: absentId, date: absentDate, present: false, reason: 'sick' },
    ]);
    const coordinator = await createKey(api.call, partners.officeId, 'coordinator');
    const steering = await api.call('GET', '/v1/steering', undefined, coordinator);
    const employer = (steering.json.partners as { organisationId: string; oldest: string | null }[]).find(
      (p) => p.organisationId === partners.employerIds[0],
    );
    // Whatever is still overdue at this employer lies before last week.
    expect(employer === undefined || (employer.oldest ?? '') < lastWeek).toBe(true);

    // The link still opens the week (a mail is opened twice), now with nothing to do; it opens that task only.
    const again = await (await context({ phone: true })).newPage();
    await again.goto(link!);
    await expect(again.locator('body').textContent()).resolves.toMatch(/niets meer te bevestigen/);
    await noAxeViolations(again);
    await again.goto(`${base}/`);
    await expect(again.locator('h1').textContent()).resolves.toBe('Log in voor deze pagina');
    await again.goto(`${base}/organisaties/${partners.employerIds[0]}/weken/${thisMonday()}`);
    await expect(again.locator('h1').textContent()).resolves.toBe('Log in voor deze pagina');
    // A link with one character changed is no link; it says what to do next.
    const forged = link!.slice(0, -2) + (link!.at(-2) === 'A' ? 'B' : 'A') + link!.at(-1);
    const dead = await again.goto(forged);
    expect(dead?.status()).toBe(410);
    await expect(again.locator('h1').textContent()).resolves.toBe('Deze link werkt niet meer');
    await noAxeViolations(again);
    // No log line holds a link.
    const token = link!.split('/l/')[1]!;
    expect(logLines.some((l) => l.includes(token.slice(0, 40)))).toBe(false);
    expect(logLines.some((l) => l.includes('/l/[redacted]'))).toBe(true);
    await ctx.close();
  }, 120_000);
});

describe('signing in', () => {
  it('takes a one-time link by mail, works once, and ends with signing out', async () => {
    await markInvited(api.db, trainer.id);
    const ctx = await context({ phone: true });
    const page = await ctx.newPage();
    await page.goto(`${base}/`);
    expect(page.url()).toBe(`${base}/inloggen`);
    await noAxeViolations(page);
    // A wrong address gets its message next to the field.
    await page.getByLabel('E-mailadres').fill('geen-adres');
    await page.getByRole('button', { name: 'Stuur mij een inloglink' }).click();
    await expect(page.locator('#email-fout').textContent()).resolves.toMatch(/geldig e-mailadres/);
    await noAxeViolations(page);
    await page.getByLabel('E-mailadres').fill(trainer.email.toUpperCase());
    await page.getByRole('button', { name: 'Stuur mij een inloglink' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Kijk in uw e-mail');

    const mail = await mailTo(trainer.email, /inloglink/);
    const link = new RegExp(`(${base}/inloggen/\\S+)`).exec(mail.text)?.[1];
    expect(link).toBeDefined();
    await page.goto(link!);
    await noAxeViolations(page);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Welkom, Petra Praktijkopleider');
    await noAxeViolations(page);
    // The home page leads to the week pages; a signed-in person may browse between weeks.
    await page.getByRole('link', { name: 'Aanwezigheid van vorige week' }).click();
    expect(page.url()).toBe(`${base}/organisaties/${partners.employerIds[0]}/weken/${lastWeek}`);

    // Used once: the same link signs no one in again.
    const other = await (await context()).newPage();
    await other.goto(link!);
    await other.getByRole('button', { name: 'Inloggen' }).click();
    await expect(other.locator('h1').textContent()).resolves.toBe('Deze link werkt niet meer');

    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('U bent uitgelogd');
    await page.goto(`${base}/organisaties/${partners.employerIds[0]}/weken/${lastWeek}`);
    expect(page.url()).toBe(`${base}/inloggen`);
    // The audit log names the person who read the week.
    const reads = await api.db
      .selectFrom('audit_event')
      .select(['actor', 'route'])
      .where('actor', '=', `contact:${trainer.id}`)
      .execute();
    expect(reads.map((r) => r.route)).toContain('GET /organisaties/:id/weken/:weekStart');
    await ctx.close();
  }, 120_000);

  it('keeps another employer out: its week answers as if it did not exist', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    // Petra signs in again, then asks for the other employer's week.
    await page.goto(`${base}/inloggen`);
    await page.getByLabel('E-mailadres').fill(trainer.email);
    await page.getByRole('button', { name: 'Stuur mij een inloglink' }).click();
    const mail = await mailTo(trainer.email, /inloglink/);
    await page.goto(new RegExp(`(${base}/inloggen/\\S+)`).exec(mail.text)![1]!);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    const foreign = await page.goto(`${base}/organisaties/${partners.employerIds[1]}/weken/${lastWeek}`);
    const unknown = await (await ctx.newPage()).goto(`${base}/organisaties/${uniqueId('nergens')}/weken/${lastWeek}`);
    expect(foreign?.status()).toBe(404);
    expect(unknown?.status()).toBe(404);
    expect(await foreign?.text()).not.toContain('Thuiszorg');
    await ctx.close();
  }, 120_000);
});
