// People's accounts (issue 17), in a real browser with JavaScript off: the coordinator invites a workplace
// trainer through the API; the invitation mail's one-time link signs her in (a button, then the start page); on
// "Mijn account" she switches Monday's week overview off with the keyboard alone, and the next morning's digest
// leaves the overview out for her while her attendance reminder stays (a colleague who kept it still gets it);
// an ROC coordinator who chose each task in a mail of its own gets one mail per participant instead of a digest;
// a coordinator is offered risk signals only when a programme her office's cohorts run on sends them.
// A contact of another office cannot be invited (404, like an unknown one); the invitation link works once and
// 7 days. Every state of the account page is checked with axe-core (WCAG 2.1 A and AA): zero violations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { isWeekStart } from '../activities/reminders';
import { dutchHolidays } from '../activities/holidays';
import { addDays } from '../domain/calendar';
import { linkKey, verifyLink } from '../web/links';
import { BSN_HMAC_KEY } from './helpers/app';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { cohortRequest, thisMonday, uniqueId } from './helpers/fixtures';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';

let web: WebWorld;
let api: WebWorld['api'];
let base: string;
let A: Partners;
let B: Partners;
let coordA: string;
let coordB: string;
let petra: { id: string; email: string };
let jan: { id: string; email: string };
let ruud: { id: string; email: string };
let references: string[];
let invitationLink: string;

const start = addDays(thisMonday(), -14);

/** This week's first working day: the morning the week overview is sent. */
function weekStart(): string {
  const holidays = new Set(dutchHolidays(addDays(thisMonday(), -7), addDays(thisMonday(), 14)).map((h) => h.date));
  let d = thisMonday();
  while (!isWeekStart(d, holidays)) d = addDays(d, 1);
  return d;
}

const invite = (token: string, organisationId: string, contactId: string, key = crypto.randomUUID()) =>
  api.app.inject({
    method: 'POST',
    url: `/v1/organisations/${organisationId}/contacts/${contactId}/invitations`,
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
  });

const addContact = async (name: string, token: string, role = 'workplace_trainer', at = A.employerIds[0]!) => {
  const email = `${uniqueId(name.split(' ')[0]!.toLowerCase())}@example.nl`;
  const made = await api.call('POST', `/v1/organisations/${at}/contacts`, { role, name, email }, token);
  expect(made.status).toBe(201);
  return { id: made.json.id as string, email };
};

const h1 = (page: Page) => page.locator('h1').textContent();

beforeAll(async () => {
  web = await startWebWorld();
  ({ api, base } = web);
  A = await seedPartners(api.call);
  B = await seedPartners(api.call, 'Zeeland');
  coordA = await createKey(api.call, A.officeId, 'coordinator');
  coordB = await createKey(api.call, B.officeId, 'coordinator');
  petra = await addContact('Petra Praktijkopleider', coordA);
  jan = await addContact('Jan Werkbegeleider', coordA);
  ruud = await addContact('Ruud BPV', coordA, 'roc_coordinator', A.schoolId);
  const launched = await api.call('POST', '/v1/cohorts', cohortRequest({ ...A, size: 4, startDate: start }));
  expect(launched.status).toBe(201);
  references = (launched.json.trajectories as { reference: string }[]).map((t) => t.reference);
  await untilStarted(api.db, launched.json.id as string);
}, 180_000);

afterAll(async () => {
  await web?.close();
});

describe('an invitation', () => {
  it('is sent by the coordinator through the API, once per Idempotency-Key, with a link for 7 days', async () => {
    const key = crypto.randomUUID();
    const first = await invite(coordA, A.employerIds[0]!, petra.id, key);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ contactId: petra.id, organisationId: A.employerIds[0], email: petra.email });
    const again = await invite(coordA, A.employerIds[0]!, petra.id, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());

    const mails = await api.db.selectFrom('dev_mailbox').selectAll().where('recipient', '=', petra.email).execute();
    expect(mails.map((m) => m.subject)).toEqual(['Toeleiding – uitnodiging en uw inloglink']); // one, not two
    expect(mails[0]!.text).toMatch(/Beste Petra Praktijkopleider/);
    expect(mails[0]!.text).toMatch(/werkt 7 dagen en één keer/);
    invitationLink = new RegExp(`(${base}/inloggen/\\S+)`).exec(mails[0]!.text)![1]!;
    const contact = await api.db
      .selectFrom('contact')
      .select('invited_at')
      .where('id', '=', petra.id)
      .executeTakeFirstOrThrow();
    expect(contact.invited_at).not.toBeNull();

    // The link works 7 days: still after 6 days and 23 hours, no longer after 7 days and a minute.
    const token = invitationLink.split('/inloggen/')[1]!;
    const day = 24 * 60 * 60 * 1000;
    expect(verifyLink(linkKey({ BSN_HMAC_KEY }), token, Date.now() + 7 * day - 60 * 60 * 1000)).toMatchObject({
      purpose: 'sign-in',
      contactId: petra.id,
    });
    expect(verifyLink(linkKey({ BSN_HMAC_KEY }), token, Date.now() + 7 * day + 60 * 1000)).toBeUndefined();
  });

  it('cannot reach a contact of another office: 404, exactly like an unknown contact', async () => {
    const shape = (r: Awaited<ReturnType<typeof invite>>) => {
      const { detail: _d, requestId: _r, instance: _i, ...rest } = r.json();
      return { status: r.statusCode, ...rest };
    };
    const unknown = shape(await invite(coordB, B.employerIds[0]!, crypto.randomUUID()));
    expect(unknown).toMatchObject({ status: 404, type: '/problems/not-found' });
    // Office B's coordinator, through office A's employer and through its own employer.
    expect(shape(await invite(coordB, A.employerIds[0]!, jan.id))).toEqual(unknown);
    expect(shape(await invite(coordB, B.employerIds[0]!, jan.id))).toEqual(unknown);
    // Office A's coordinator, with A's contact under another organisation than its own.
    expect(shape(await invite(coordA, A.employerIds[1]!, jan.id))).toEqual(unknown);
    // The employer's own key cannot invite another employer's trainer either.
    const otherEmployer = await createKey(api.call, A.employerIds[1]!, 'employer');
    expect(shape(await invite(otherEmployer, A.employerIds[0]!, jan.id))).toEqual(unknown);
    // Nothing happened to Jan: not invited, no mail.
    const row = await api.db
      .selectFrom('contact')
      .select('invited_at')
      .where('id', '=', jan.id)
      .executeTakeFirstOrThrow();
    expect(row.invited_at).toBeNull();
    const mails = await api.db.selectFrom('dev_mailbox').select('id').where('recipient', '=', jan.email).execute();
    expect(mails).toEqual([]);
  });
});

describe('an ROC coordinator', () => {
  it('chooses each task in a mail of its own instead of the digest', async () => {
    const page = await web.signIn(ruud);
    await page.getByRole('link', { name: 'Mijn account' }).click();
    await expect(h1(page)).resolves.toBe('Mijn account');
    expect(await page.getByRole('checkbox').count()).toBe(0); // all an ROC's mail is tasks
    expect(await page.getByRole('radio', { name: 'Alles samen in één e-mail per ochtend' }).isChecked()).toBe(true);
    await page.getByRole('radio', { name: 'Elke taak in een eigen e-mail' }).check();
    await page.getByRole('button', { name: 'Keuze opslaan' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Uw keuze is opgeslagen/);
    expect(await page.getByRole('radio', { name: 'Elke taak in een eigen e-mail' }).isChecked()).toBe(true);
    await web.noAxeViolations(page);
    const saved = await api.db
      .selectFrom('contact')
      .select('mail_preferences')
      .where('id', '=', ruud.id)
      .executeTakeFirstOrThrow();
    expect(saved.mail_preferences).toEqual({ off: [], perItem: true });
  });
});

describe('the workplace trainer', () => {
  it('signs in with the invitation, turns the week overview off by keyboard; the digest honours it', async () => {
    const ctx = await web.context({ phone: true });
    const page = await ctx.newPage();
    await page.goto(invitationLink);
    await expect(page.locator('body').textContent()).resolves.toMatch(/U logt in als Petra Praktijkopleider/);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    expect(page.url()).toBe(`${base}/`);
    await expect(h1(page)).resolves.toBe('Welkom, Petra Praktijkopleider');

    await page.getByRole('link', { name: 'Mijn account' }).click();
    expect(page.url()).toBe(`${base}/account`);
    await expect(h1(page)).resolves.toBe('Mijn account');
    const body = await page.locator('main').textContent();
    for (const text of ['Petra Praktijkopleider', 'Zorggroep Breda', 'Praktijkopleider', petra.email])
      expect(body).toContain(text);
    const overview = page.getByRole('checkbox', { name: 'Weekoverzicht op maandag' });
    expect(await overview.isChecked()).toBe(true);
    expect(await page.getByRole('checkbox').count()).toBe(1); // tasks are not offered; no risk signals for her
    await web.noAxeViolations(page);

    // A forged choice (not one offered) is refused next to the choices, and nothing is saved.
    await page.route(`${base}/account`, (route) =>
      route.request().method() === 'POST'
        ? route.continue({ postData: `${route.request().postData()}&aan=escalation` })
        : route.continue(),
    );
    const refused = page.waitForResponse(`${base}/account`);
    await page.getByRole('button', { name: 'Keuze opslaan' }).click();
    expect((await refused).status()).toBe(422);
    await expect(page.locator('.utrecht-form-field-error-message').textContent()).resolves.toMatch(
      /Kies alleen uit de berichten hieronder/,
    );
    expect(await page.getByRole('checkbox', { name: 'Weekoverzicht op maandag' }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    await web.noAxeViolations(page);
    await page.unroute(`${base}/account`);
    const untouched = await api.db
      .selectFrom('contact')
      .select('mail_preferences')
      .where('id', '=', petra.id)
      .executeTakeFirstOrThrow();
    expect(untouched.mail_preferences).toBeNull();

    // By keyboard alone: focus the choice, Space switches it off, Enter on the button saves.
    await overview.focus();
    await page.keyboard.press('Space');
    expect(await overview.isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Keuze opslaan' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForLoadState();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Uw keuze is opgeslagen/);
    expect(await page.getByRole('checkbox', { name: 'Weekoverzicht op maandag' }).isChecked()).toBe(false);
    await web.noAxeViolations(page);
    const saved = await api.db
      .selectFrom('contact')
      .select('mail_preferences')
      .where('id', '=', petra.id)
      .executeTakeFirstOrThrow();
    expect(saved.mail_preferences).toEqual({ off: ['week_overview'] });

    // The morning the overview goes out: Petra's digest has her attendance section but no overview; Jan, at the
    // same employer, kept it and gets both.
    await web.sendDigest(weekStart());
    const hers = await web.mailTo(petra.email, /^Toeleiding/);
    expect(hers.subject).not.toMatch(/inloglink/);
    expect(hers.text).toMatch(/Aanwezigheid stagedagen nog niet geregistreerd/);
    expect(hers.text).not.toMatch(/Verwacht deze week/);
    const his = await web.mailTo(jan.email, /^Toeleiding/);
    expect(his.text).toMatch(/Aanwezigheid stagedagen nog niet geregistreerd/);
    expect(his.text).toMatch(/Verwacht deze week/);
    // Ruud (ROC) chose each item apart: one mail per participant's school days, together covering all of them.
    const rocMails = await api.db.selectFrom('dev_mailbox').selectAll().where('recipient', '=', ruud.email).execute();
    const items = rocMails.filter((m) => !/inloglink/.test(m.subject));
    expect(items.length).toBe(references.length);
    for (const m of items) {
      expect(m.text).toMatch(/Aanwezigheid ROC-dagen nog niet geregistreerd/);
      expect(references.filter((r) => m.text.includes(r))).toHaveLength(1);
    }
    expect(new Set(items.flatMap((m) => references.filter((r) => m.text.includes(r)))).size).toBe(references.length);
    await ctx.close();
  }, 120_000);

  it('cannot use the invitation link a second time', async () => {
    const page = await (await web.context()).newPage();
    await page.goto(invitationLink);
    const used = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    expect((await used).status()).toBe(410);
    await expect(h1(page)).resolves.toBe('Deze link werkt niet meer');
    await page.goto(`${base}/account`);
    expect(page.url()).toBe(`${base}/inloggen`); // not signed in
  });
});

describe('a jobcoach', () => {
  it('sees her account with nothing to switch off: all her mail is tasks', async () => {
    const contact = await api.db
      .selectFrom('contact')
      .select(['id', 'email'])
      .where('id', '=', A.jobcoachId)
      .executeTakeFirstOrThrow();
    const page = await web.signIn(contact);
    await page.getByRole('link', { name: 'Mijn account' }).click();
    await expect(h1(page)).resolves.toBe('Mijn account');
    await expect(page.locator('main').textContent()).resolves.toMatch(/geen berichten die u kunt uitzetten/);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    await web.noAxeViolations(page);
  });
});

describe('a coordinator', () => {
  it('may switch risk signals off, unless the programmes of her office do not send them', async () => {
    const welslagen = (await api.call('GET', '/v1/programmes?limit=200', undefined, coordB)).json.items.find(
      (p: { id: string }) => p.id === 'welslagen',
    );
    // Office B runs its cohorts on a programme of its own that sends neither risk signals nor week overviews.
    const quietId = `${B.officeId}.stil`;
    const quiet = await api.call(
      'POST',
      '/v1/programmes',
      {
        id: quietId,
        name: 'WelSlagen zonder signalen',
        template: { ...welslagen.template, reminders: { weekOverview: false, riskSignals: false } },
      },
      coordB,
    );
    expect(quiet.status, JSON.stringify(quiet.json)).toBe(201);
    const cohort = await api.call(
      'POST',
      '/v1/cohorts',
      { ...cohortRequest({ ...B, size: 1, startDate: addDays(thisMonday(), 7) }), programmeId: quietId },
      coordB,
    );
    expect(cohort.status, JSON.stringify(cohort.json)).toBe(201);

    const checkboxes = async (contact: { id: string; email: string }) => {
      const page = await web.signIn(contact);
      await page.getByRole('link', { name: 'Mijn account' }).click();
      await expect(h1(page)).resolves.toBe('Mijn account');
      const names = await page.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => b.id));
      await web.noAxeViolations(page);
      return { page, names };
    };
    const inA = await addContact('Anna Coördinator', coordA, 'coordinator', A.officeId);
    const a = await checkboxes(inA);
    expect(a.names).toEqual(['aan-risk_raised']);
    expect(await a.page.getByRole('checkbox', { name: 'Risicosignalen' }).isChecked()).toBe(true);
    const inB = await addContact('Bram Coördinator', coordB, 'coordinator', B.officeId);
    const b = await checkboxes(inB);
    expect(b.names).toEqual([]);
    await expect(b.page.locator('main').textContent()).resolves.toMatch(/geen berichten die u kunt uitzetten/);
  });
});
