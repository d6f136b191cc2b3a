// The web pages in a real browser (the machine's Chromium, driven by playwright-core), with JavaScript off: a
// workplace trainer confirms last week from the morning mail in one click (an absence with the keyboard alone),
// the coordinator's steering view shows the week recorded; a person signs in with a one-time link and out
// again. Every page is checked with axe-core (WCAG 2.1 A and AA): zero violations. The app, Temporal (time-
// skipping test server) and PostgreSQL are real; mail goes to the development mailbox.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { forgetSessions, markInvited } from '../db/web-sessions';
import { addDays } from '../domain/calendar';
import { dutchDate, isoDateParts } from '../domain/dutch';
import { linkKey, signLink } from '../web/links';
import { taskOf } from '../web/tasks';
import { BSN_HMAC_KEY } from './helpers/app';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { cohortRequest, thisMonday, uniqueId } from './helpers/fixtures';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';

let web: WebWorld;
let api: WebWorld['api'];
let base: string;
let partners: Partners;
let trainer: { id: string; email: string };
let roc: { id: string; email: string };
let trajectories: { id: string; employerId: string; reference: string }[];
const start = addDays(thisMonday(), -14);
const lastWeek = addDays(thisMonday(), -7);
/** The morning mail's link to confirm the week of `monday` ("Week van maandag 23 november bevestigen: <link>"). */
const weekLink = (text: string, monday: string) =>
  new RegExp(`Week van ${dutchDate(monday, isoDateParts(thisMonday()).year)} bevestigen: (${base}/l/\\S+)`).exec(
    text,
  )?.[1];

const context = (o?: { phone?: boolean }) => web.context(o);

/** Days overdue at an organisation, as the coordinator's steering view counts them (0 when it is not listed). */
async function overdueAt(organisationId: string): Promise<number> {
  const coordinator = await createKey(api.call, partners.officeId, 'coordinator');
  const steering = await api.call('GET', '/v1/steering', undefined, coordinator);
  expect(steering.status).toBe(200);
  const row = (steering.json.partners as { organisationId: string; overdueDays: number }[]).find(
    (p) => p.organisationId === organisationId,
  );
  return row?.overdueDays ?? 0;
}
const noAxeViolations = (page: Page) => web.noAxeViolations(page);
const mailTo = (email: string, subject: RegExp) => web.mailTo(email, subject);

beforeAll(async () => {
  web = await startWebWorld();
  ({ api, base } = web);
  partners = await seedPartners(api.call);
  const email = `${uniqueId('petra')}@zorggroep.example.nl`;
  const made = await api.call('POST', `/v1/organisations/${partners.employerIds[0]}/contacts`, {
    role: 'workplace_trainer',
    name: 'Petra Praktijkopleider',
    email,
  });
  expect(made.status).toBe(201);
  trainer = { id: made.json.id as string, email };
  const rocEmail = `${uniqueId('rob')}@roc.example.nl`;
  const rocMade = await api.call('POST', `/v1/organisations/${partners.schoolId}/contacts`, {
    role: 'roc_coordinator',
    name: 'Rob ROC',
    email: rocEmail,
  });
  expect(rocMade.status).toBe(201);
  roc = { id: rocMade.json.id as string, email: rocEmail };
  const launched = await api.call('POST', '/v1/cohorts', cohortRequest({ ...partners, size: 4, startDate: start }));
  expect(launched.status).toBe(201);
  trajectories = launched.json.trajectories as typeof trajectories;
  await untilStarted(api.db, launched.json.id as string);
}, 180_000);

afterAll(async () => {
  await web?.close();
});

describe('the workplace trainer', () => {
  it('confirms last week from the morning mail: all present in one click, an absence with the keyboard', async () => {
    // The morning digest, as the worker composes and delivers it at 10:00.
    await web.sendDigest();
    const mail = await mailTo(trainer.email, /Toeleiding/);
    expect(mail.text).not.toMatch(/POST|\/v1\//); // no mail asks anyone to call an API
    // One link per week with days to record, named by its Monday: last week's (after Monday, this week's past
    // days are due too, so it is not always the last link).
    const link = weekLink(mail.text, lastWeek);
    expect(link, mail.text).toBeDefined();

    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(link!);
    // The link's token leaves the address bar at once; the page is last week's sheet of this employer.
    expect(page.url()).toBe(`${base}/organisaties/${partners.employerIds[0]}/weken/${lastWeek}`);
    await expect(page.locator('h1').textContent()).resolves.toMatch(/^Week van maandag/);
    await noAxeViolations(page);
    await web.shot(page, 'werkgever-week');

    const mine = trajectories.filter((t) => t.employerId === partners.employerIds[0]);
    const overdueBefore = await overdueAt(partners.employerIds[0]!);
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
    // A correction needs its reason; without one nothing changes. The absence was a mistake: she was there.
    await page.getByRole('link', { name: 'Een vastgelegde dag corrigeren' }).click();
    await noAxeViolations(page);
    const day = page.locator(`select[name="c:${absentId}:${absentDate}"]`);
    expect(await day.inputValue()).toBe('sick');
    await day.selectOption('aanwezig');
    await page.getByRole('button', { name: 'Correctie opslaan' }).click();
    await expect(page.locator('#reden-fout').textContent()).resolves.toMatch(/reden van de correctie/);
    await noAxeViolations(page);
    const unchanged = await api.db
      .selectFrom('attendance')
      .select('present')
      .where('trajectory_id', '=', absentId!)
      .where('date', '=', absentDate!)
      .executeTakeFirstOrThrow();
    expect(unchanged.present).toBe(false);
    expect(await page.locator(`select[name="c:${absentId}:${absentDate}"]`).inputValue()).toBe('aanwezig'); // kept
    await page.getByLabel('Reden van de correctie').fill('Verkeerd aangeklikt, ze was er wel');
    await page.getByRole('button', { name: 'Correctie opslaan' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Gecorrigeerd: 1 dag/);
    const corrected = await api.db
      .selectFrom('attendance')
      .select(['present', 'correction_reason'])
      .where('trajectory_id', '=', absentId!)
      .where('date', '=', absentDate!)
      .executeTakeFirstOrThrow();
    expect(corrected).toEqual({ present: true, correction_reason: 'Verkeerd aangeklikt, ze was er wel' });

    // The coordinator's steering view counts exactly the confirmed days as no longer overdue.
    expect(overdueBefore - (await overdueAt(partners.employerIds[0]!))).toBe(mine.length * 3);

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
    // Every form of a page works on a first visit (one CSRF token per answer): signing out right after the link.
    const fresh = await (await context()).newPage();
    await fresh.goto(link!);
    await fresh.getByRole('button', { name: 'Uitloggen' }).click();
    await expect(fresh.locator('h1').textContent()).resolves.toBe('U bent uitgelogd');
    // No log line holds a link.
    const token = link!.split('/l/')[1]!;
    expect(web.logLines.some((l) => l.includes(token.slice(0, 40)))).toBe(false);
    expect(web.logLines.some((l) => l.includes('/l/[redacted]'))).toBe(true);
    await ctx.close();
  }, 120_000);
});

describe('the ROC coordinator', () => {
  it('confirms the ROC days of last week from the morning mail in one click', async () => {
    await web.sendDigest();
    const mail = await mailTo(roc.email, /Toeleiding/);
    expect(mail.text).toMatch(/ROC-dagen nog niet geregistreerd/);
    expect(mail.text).not.toMatch(/POST|\/v1\//);
    const link = weekLink(mail.text, lastWeek);
    expect(link, mail.text).toBeDefined();
    const page = await (await context({ phone: true })).newPage();
    await page.goto(link!);
    expect(page.url()).toBe(`${base}/organisaties/${partners.schoolId}/weken/${lastWeek}`);
    await expect(page.locator('body').textContent()).resolves.toMatch(/De ROC-dagen van de deelnemers/);
    // Every planned ROC day of the week, of each of the ROC's participants, on "Aanwezig" (a holiday is not).
    const planned = await api.db
      .selectFrom('planned_day')
      .select('trajectory_id')
      .where('kind', '=', 'school')
      .where('planned', '=', true)
      .where('date', '>=', lastWeek)
      .where('date', '<', thisMonday())
      .where(
        'trajectory_id',
        'in',
        trajectories.map((t) => t.id),
      )
      .execute();
    const n = planned.length;
    expect(await page.locator('select').count()).toBe(n);
    await noAxeViolations(page);
    await web.shot(page, 'roc-week');
    const overdueBefore = await overdueAt(partners.schoolId);
    await page.getByRole('button', { name: 'Week bevestigen' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      new RegExp(`Vastgelegd: ${n} dag\\(en\\) aanwezig, 0 afwezig`),
    );
    const school = await api.db
      .selectFrom('attendance')
      .select(['trajectory_id', 'present'])
      .where('kind', '=', 'school')
      .where('date', '>=', lastWeek)
      .where('date', '<', thisMonday())
      .where(
        'trajectory_id',
        'in',
        trajectories.map((t) => t.id),
      )
      .execute();
    expect(school).toHaveLength(n);
    expect(school.every((r) => r.present)).toBe(true);
    // The coordinator's steering view counts exactly the confirmed days as no longer overdue.
    expect(overdueBefore - (await overdueAt(partners.schoolId))).toBe(n);
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
    // The start page lists every week with days still to record: the trajectories' first week, two weeks back,
    // which nobody confirmed; not last week, confirmed from the mail. Once confirmed, the older week goes too.
    const openWeeks = page.getByRole('list', { name: 'Nog te registreren' });
    const weekOf = (monday: string) => `/organisaties/${partners.employerIds[0]}/weken/${monday}`;
    expect(await openWeeks.locator(`a[href="${weekOf(start)}"]`).textContent()).toMatch(/^Week van maandag/);
    await expect(openWeeks.textContent()).resolves.toMatch(/Week van maandag .*: \d+ dagen open/);
    expect(await openWeeks.locator(`a[href="${weekOf(lastWeek)}"]`).count()).toBe(0);
    await openWeeks.locator(`a[href="${weekOf(start)}"]`).click();
    expect(page.url()).toBe(`${base}${weekOf(start)}`);
    await page.getByRole('button', { name: 'Week bevestigen' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Vastgelegd: \d+ dag\(en\) aanwezig/);
    await page.goto(`${base}/`);
    expect(await page.locator(`main a[href="${weekOf(start)}"]`).count()).toBe(0);
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

  it('forgets ended sessions and old sign-in link hashes, and keeps what still matters', async () => {
    const { db } = api;
    const contact = (await db.selectFrom('contact').select('id').limit(1).executeTakeFirstOrThrow()).id;
    const at = (sqlText: string) => sql<Date>`now() - ${sql.raw(`interval '${sqlText}'`)}`;
    await db
      .insertInto('web_session')
      .values([
        { id: uniqueId('ended'), contact_id: contact, task: null, expires_at: new Date(Date.now() + 3_600_000) },
        { id: uniqueId('live'), contact_id: contact, task: null, expires_at: new Date(Date.now() + 3_600_000) },
        { id: uniqueId('expired'), contact_id: contact, task: null, expires_at: new Date(Date.now() - 2 * 86_400_000) },
      ])
      .execute();
    await db
      .updateTable('web_session')
      .set({ ended_at: at('2 days') })
      .where('id', 'like', 'ended%')
      .execute();
    await db
      .insertInto('used_link')
      .values([{ token_hash: uniqueId('old') }, { token_hash: uniqueId('new') }])
      .execute();
    // used_at is set by the database only (the schema types it so); the test ages it directly.
    await sql`update used_link set used_at = now() - interval '9 days' where token_hash like 'old%'`.execute(db);
    await forgetSessions(db);
    const sessions = (await db.selectFrom('web_session').select('id').execute()).map((r) => r.id);
    expect(sessions.some((id) => id.startsWith('live'))).toBe(true);
    expect(sessions.some((id) => id.startsWith('ended') || id.startsWith('expired'))).toBe(false);
    const links = (await db.selectFrom('used_link').select('token_hash').execute()).map((r) => r.token_hash);
    expect(links.some((h) => h.startsWith('new'))).toBe(true);
    expect(links.some((h) => h.startsWith('old'))).toBe(false);
  });

  it('sends an address at most five sign-in links in a quarter of an hour', async () => {
    const page = await (await context()).newPage();
    const address = `${uniqueId('bom')}@example.nl`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      await page.goto(`${base}/inloggen`);
      await page.getByLabel('E-mailadres').fill(address);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Stuur mij een inloglink' }).click(),
      ]);
      statuses.push(response.status());
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Even geduld');
    await noAxeViolations(page);
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

describe('a correction of several participants', () => {
  it("saves nobody's correction when one participant's day is refused, and says which and why", async () => {
    const employer = partners.employerIds[0]!;
    const [first, second] = trajectories.filter((t) => t.employerId === employer);
    const monday = lastWeek;
    const wednesday = addDays(lastWeek, 2);
    // The second participant is paused from last Wednesday on, a day already recorded: its workflow would now
    // refuse to correct it (the day is no longer planned), while the week's sheet still shows it as recorded.
    const paused = await api.call('POST', `/v1/trajectories/${second!.id}/changes`, {
      type: 'pause',
      from: wednesday,
      reason: 'Tijdelijk niet beschikbaar',
    });
    expect(paused.status).toBe(200);
    // The week's task link, as the morning mail gives it (signed here: last week has nothing left to mail about).
    const token = signLink(linkKey({ BSN_HMAC_KEY }), {
      purpose: 'task',
      contactId: trainer.id,
      task: taskOf.week(employer, lastWeek),
      expires: Math.floor(Date.now() / 1000) + 3600,
    });
    const page = await (await context()).newPage();
    await page.goto(`${base}/l/${token}`);
    await page.goto(`${base}/organisaties/${employer}/weken/${lastWeek}/correcties`);
    await page.locator(`select[name="c:${first!.id}:${monday}"]`).selectOption('sick');
    await page.locator(`select[name="c:${second!.id}:${wednesday}"]`).selectOption('sick');
    await page.getByLabel('Reden van de correctie').fill('Toch ziek gemeld');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Correctie opslaan' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    const alert = await page.getByRole('alert').textContent();
    expect(alert).toMatch(/Er is niets opgeslagen/);
    expect(alert).toContain(second!.reference);
    await expect(page.locator(`#fout-${second!.id}-${wednesday}`).textContent()).resolves.toMatch(
      /niet verwacht \(pauze\)/,
    );
    await noAxeViolations(page);
    // The page and the database agree: neither participant's day changed.
    const day = (trajectoryId: string, date: string) =>
      api.db
        .selectFrom('attendance')
        .select(['present', 'reason'])
        .where('trajectory_id', '=', trajectoryId)
        .where('date', '=', date)
        .executeTakeFirstOrThrow();
    expect(await day(first!.id, monday)).toEqual({ present: true, reason: null });
    expect(await day(second!.id, wednesday)).toEqual({ present: true, reason: null });

    // Without the refused day, the first participant's correction is saved, and audited for that participant only.
    const { n: before } = await api.db
      .selectFrom('audit_event')
      .select((e) => e.fn.max('id').as('n'))
      .executeTakeFirstOrThrow();
    await page.locator(`select[name="c:${second!.id}:${wednesday}"]`).selectOption('aanwezig');
    await page.getByRole('button', { name: 'Correctie opslaan' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Gecorrigeerd: 1 dag/);
    expect(await day(first!.id, monday)).toEqual({ present: false, reason: 'sick' });
    const audited = await api.db
      .selectFrom('audit_event')
      .select('trajectory_id')
      .where('actor', '=', `contact:${trainer.id}`)
      .where('action', '=', 'change')
      .where('route', '=', 'POST /organisaties/:id/weken/:weekStart/correcties')
      .where('id', '>', before ?? 0)
      .where('trajectory_id', 'is not', null)
      .execute();
    expect(audited.map((a) => a.trajectory_id)).toEqual([first!.id]);
  }, 120_000);
});
