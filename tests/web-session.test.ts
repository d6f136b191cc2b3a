// What keeps a person's session theirs, in a real browser with JavaScript off: the session cookie's flags (and
// Secure behind an https PUBLIC_URL), forms refused without their CSRF token or with a wrong one (changing
// nothing), a session that ends after IDLE_MINUTES without a request, and a task link past its expiry. The pages
// these paths show are checked with axe-core (WCAG 2.1 A and AA): zero violations.
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../api/app';
import { markInvited } from '../db/web-sessions';
import { linkKey, signLink } from '../web/links';
import { IDLE_MINUTES, SESSION_COOKIE } from '../web/session';
import { taskOf } from '../web/tasks';
import { BSN_HMAC_KEY, testDeps } from './helpers/app';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { thisMonday } from './helpers/fixtures';
import { addContact, seedPartners, type Partners } from './helpers/partners';

let web: WebWorld;
let partners: Partners;
let trainer: { id: string; email: string };
let signedIn: Page;

/** A task link to this week's page of the trainer's employer, working until `expires` (seconds since the epoch). */
const taskLink = (expires: number) =>
  `${web.base}/l/${signLink(linkKey({ BSN_HMAC_KEY }), {
    purpose: 'task',
    contactId: trainer.id,
    task: taskOf.week(partners.employerIds[0]!, thisMonday()),
    expires,
  })}`;
const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s;

/** Ages the trainer's sessions as if the last request came `minutes` ago. */
const idleFor = (minutes: number) =>
  sql`update web_session set last_seen_at = now() - make_interval(mins => ${minutes})
      where contact_id = ${trainer.id}`.execute(web.api.db);

beforeAll(async () => {
  web = await startWebWorld();
  partners = await seedPartners(web.api.call);
  trainer = await addContact(web.api.call, partners.employerIds[0]!, 'workplace_trainer', 'Petra Praktijkopleider');
  await markInvited(web.api.db, trainer.id);
}, 180_000);

afterAll(async () => {
  await web?.close();
});

describe('a session', () => {
  it('is an HttpOnly, SameSite=Lax cookie, begun from a mailed link', async () => {
    const ctx = await web.context();
    signedIn = await ctx.newPage();
    await signedIn.goto(`${web.base}/inloggen`);
    await signedIn.getByLabel('E-mailadres').fill(trainer.email);
    await signedIn.getByRole('button', { name: 'Stuur mij een inloglink' }).click();
    await expect(signedIn.locator('h1').textContent()).resolves.toBe('Kijk in uw e-mail');
    await web.noAxeViolations(signedIn);
    const mail = await web.mailTo(trainer.email, /inloglink/);
    await signedIn.goto(new RegExp(`(${web.base}/inloggen/\\S+)`).exec(mail.text)![1]!);
    await signedIn.getByRole('button', { name: 'Inloggen' }).click();
    await expect(signedIn.locator('h1').textContent()).resolves.toBe('Welkom, Petra Praktijkopleider');
    const cookie = (await ctx.cookies()).find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false }); // http here: no Secure
  }, 120_000);

  it('is Secure when PUBLIC_URL is https', async () => {
    const base = testDeps(web.api.db, web.api.env.client);
    const app = await buildApp({ ...base, config: { ...base.config, PUBLIC_URL: 'https://toeleiding.example.nl' } });
    try {
      const res = await app.inject({ method: 'GET', url: taskLink(inSeconds(3600)).replace(web.base, '') });
      expect(res.statusCode).toBe(303);
      const set = [res.headers['set-cookie']].flat().find((c) => c?.startsWith(`${SESSION_COOKIE}=`));
      expect(set).toMatch(/; HttpOnly/);
      expect(set).toMatch(/; SameSite=Lax/);
      expect(set).toMatch(/; Secure/);
    } finally {
      await app.close();
    }
  });

  it('refuses a form without its CSRF token or with a wrong one, and changes nothing', async () => {
    for (const tamper of [
      (body: string) => body.replace(/_csrf=[^&]*&?/, ''),
      (body: string) => body.replace(/_csrf=[^&]*/, '_csrf=nagemaakt'),
    ]) {
      await signedIn.goto(`${web.base}/`);
      // Signing out is a form too: sent as a forged page would send it, it must not end the session.
      await signedIn.route('**/uitloggen', (route) =>
        route.continue({ postData: tamper(route.request().postData() ?? '') }),
      );
      const [response] = await Promise.all([
        signedIn.waitForResponse((r) => r.request().method() === 'POST'),
        signedIn.getByRole('button', { name: 'Uitloggen' }).click(),
      ]);
      await signedIn.unroute('**/uitloggen');
      expect(response.status()).toBe(403);
      await expect(signedIn.locator('h1').textContent()).resolves.toBe('Formulier verlopen');
      await web.noAxeViolations(signedIn);
      await signedIn.goto(`${web.base}/`);
      await expect(signedIn.locator('h1').textContent()).resolves.toBe('Welkom, Petra Praktijkopleider');
    }
  }, 120_000);

  it(`ends after ${IDLE_MINUTES} minutes without a request`, async () => {
    // Just under the limit the session lives on (and the request renews it).
    await idleFor(IDLE_MINUTES - 1);
    await signedIn.goto(`${web.base}/account`);
    await expect(signedIn.locator('h1').textContent()).resolves.toBe('Mijn account');
    // Over it, a form sent from the page still open says so, and the next page is the sign-in.
    await idleFor(IDLE_MINUTES + 1);
    const [response] = await Promise.all([
      signedIn.waitForResponse((r) => r.request().method() === 'POST'),
      signedIn.getByRole('button', { name: 'Keuze opslaan' }).click(),
    ]);
    expect(response.status()).toBe(401);
    await expect(signedIn.locator('h1').textContent()).resolves.toBe('Niet ingelogd');
    await web.noAxeViolations(signedIn);
    await signedIn.goto(`${web.base}/`);
    expect(signedIn.url()).toBe(`${web.base}/inloggen`);
    await web.noAxeViolations(signedIn);
  }, 120_000);
});

describe('a task link', () => {
  it('opens its task only, signs out, and past its expiry says to ask for a new link', async () => {
    const page = await (await web.context()).newPage();
    await page.goto(taskLink(inSeconds(3600)));
    expect(page.url()).toBe(`${web.base}/organisaties/${partners.employerIds[0]}/weken/${thisMonday()}`);
    await page.goto(`${web.base}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Log in voor deze pagina');
    await web.noAxeViolations(page);
    await page.goBack();
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('U bent uitgelogd');
    await web.noAxeViolations(page);

    const expired = await page.goto(taskLink(inSeconds(-60)));
    expect(expired?.status()).toBe(410);
    await expect(page.locator('h1').textContent()).resolves.toBe('Deze link werkt niet meer');
    await expect(page.locator('main').textContent()).resolves.toMatch(/Vraag een nieuwe inloglink aan/);
    await web.noAxeViolations(page);
    // It opened nothing: no session came of it.
    await page.goto(`${web.base}/organisaties/${partners.employerIds[0]}/weken/${thisMonday()}`);
    expect(page.url()).toBe(`${web.base}/inloggen`);
  }, 120_000);
});
