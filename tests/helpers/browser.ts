// The web pages in a real browser: the app listening on a free port with its PUBLIC_URL (links in mails point
// there), the machine's Chromium driven by playwright-core, contexts without JavaScript as a person's browser,
// axe-core checks, the morning digest as the worker sends it, and signing a person in by the mailed link.
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createActivities } from '../../activities';
import { markInvited } from '../../db/web-sessions';
import { localDate, localInstant } from '../../domain/calendar';
import { createMailer } from '../../infra/mail';
import { linkKey } from '../../web/links';
import { startTestApi, type TestApi } from './api';
import { BSN_HMAC_KEY } from './app';
import { freePort } from './processes';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface WebWorld {
  api: TestApi;
  base: string;
  browser: Browser;
  /** Every log line the app wrote. */
  logLines: string[];
  /** A fresh browser profile as a person has it, without JavaScript; `phone` gives a 375 px wide screen. */
  context(o?: { phone?: boolean }): Promise<BrowserContext>;
  /** axe-core (WCAG 2.1 A and AA) on the page as it is now: its violations, expected to be none. */
  noAxeViolations(page: Page): Promise<void>;
  /** The newest mail to `email` whose subject matches. */
  mailTo(email: string, subject: RegExp): Promise<{ subject: string; text: string; html: string | null }>;
  /** Composes and delivers the morning digest of `date` (today by default) as the worker does at 10:00. */
  sendDigest(date?: string): Promise<void>;
  /**
   * Saves the page as `docs/screenshots/<name>.png` for the README when SCREENSHOTS_DIR is set (`npm run
   * screenshots`); nothing otherwise.
   */
  shot(page: Page, name: string): Promise<void>;
  /** Invites the contact, asks a sign-in link on the page, and signs in with it: the page, signed in. */
  signIn(contact: { id: string; email: string }, o?: { phone?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

export async function startWebWorld(): Promise<WebWorld> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logLines: string[] = [];
  const api = await startTestApi({
    ownDatabase: true,
    deps: (d) => ({
      config: { ...d.config, PUBLIC_URL: base, LOG_LEVEL: 'info' },
      logStream: { write: (line: string) => void logLines.push(line) },
    }),
  });
  await api.app.listen({ port, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const axeContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });

  const context = (o: { phone?: boolean } = {}) =>
    browser.newContext({
      javaScriptEnabled: false,
      viewport: o.phone ? { width: 375, height: 740 } : { width: 1280, height: 900 },
      locale: 'nl-NL',
    });

  // axe-core runs as a script, which the pages' own contexts do not allow (JavaScript is off there): the page's
  // HTML as the person sees it now (after a POST too) is served again at its own address to a context with
  // scripts on, so styles and contrast are the same, and checked there.
  async function noAxeViolations(page: Page) {
    const content = await page.content();
    const checker = await axeContext.newPage();
    await checker.route(page.url(), (route) =>
      route.fulfill({ body: content, contentType: 'text/html; charset=utf-8' }),
    );
    await checker.goto(page.url());
    const result = await new AxeBuilder({ page: checker })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    await checker.close();
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }

  async function mailTo(email: string, subject: RegExp, o: { optional?: boolean } = {}) {
    const mails = await api.db
      .selectFrom('dev_mailbox')
      .selectAll()
      .where('recipient', '=', email)
      .orderBy('id', 'desc')
      .execute();
    const mail = mails.find((m) => subject.test(m.subject));
    if (!o.optional) expect(mail, `a mail to ${email} about ${subject}`).toBeDefined();
    return mail!;
  }

  async function sendDigest(date = localDate(Date.now())) {
    const activities = createActivities({
      db: api.db,
      temporal: api.env.client,
      publicUrl: base,
      mailer: createMailer({ MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>' }, api.db),
      now: () => localInstant(date, 10),
      links: { key: linkKey({ BSN_HMAC_KEY }), days: 14 },
    });
    await activities.deliverMail({ ids: await activities.composeDigests({ date }) });
  }

  async function signIn(contact: { id: string; email: string }, o: { phone?: boolean } = {}) {
    await markInvited(api.db, contact.id);
    const page = await (await context(o)).newPage();
    await page.goto(`${base}/inloggen`);
    await page.getByLabel('E-mailadres').fill(contact.email);
    // The new link, not the one of an earlier sign-in: the click may return before the server has written the mail
    // (it did under load in CI, and the earlier, used link then signed nobody in).
    const before = (await mailTo(contact.email, /inloglink/, { optional: true }))?.id ?? 0;
    await page.getByRole('button', { name: 'Stuur mij een inloglink' }).click();
    let mail = await mailTo(contact.email, /inloglink/, { optional: true });
    for (let i = 0; i < 100 && !(mail && mail.id > before); i++) {
      await new Promise((r) => setTimeout(r, 100));
      mail = await mailTo(contact.email, /inloglink/, { optional: true });
    }
    expect(mail && mail.id > before, `a new sign-in link to ${contact.email}`).toBe(true);
    await page.goto(new RegExp(`(${base}/inloggen/\\S+)`).exec(mail!.text)![1]!);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    return page;
  }

  async function shot(page: Page, name: string) {
    const dir = process.env.SCREENSHOTS_DIR;
    if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  }

  return {
    shot,
    api,
    base,
    browser,
    logLines,
    context,
    noAxeViolations,
    mailTo,
    sendDigest,
    signIn,
    async close() {
      await browser.close();
      await api.close();
    },
  };
}
