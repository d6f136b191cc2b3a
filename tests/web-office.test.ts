// The programme office's coordinator in a real browser (the machine's Chromium, JavaScript off): "wie is wie"
// with the covenant's organisations and contacts (the mentor on the work floor included), adding a contact (a
// wrong e-mail address refused in Dutch next to its field), inviting one and the invitee signing in from the
// mail, an API key whose secret is shown once and works until it is revoked, the audit log naming the person
// who read, filtered, paged and downloaded as xlsx, and a participant's AVG export and erasure with its
// confirmations. A coordinator of another office sees none of it and gets 404 for each of its addresses, and
// employers, ROCs and jobcoaches get 404 for these pages. Every page state is checked with axe-core.
import ExcelJS from 'exceljs';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { cohortRequest, uniqueId } from './helpers/fixtures';
import { addContact, createKey, type Partners, seedPartners } from './helpers/partners';
import { untilStarted } from './helpers/seed';

type Launched = { id: string; reference: string; workflowId: string; employerId: string };

let web: WebWorld;
let api: WebWorld['api'];
let base: string;
let partners: Partners;
/** The office's coordinator key (API). */
let coordinatorKey: string;
let carla: { id: string; email: string };
let petra: { id: string; email: string };
let roc: { id: string; email: string };
let jobcoach: { id: string; email: string };
let launched: Launched[];
/** A live key of this office, made by its coordinator through the API. */
let liveKeyId: string;
let liveKey: string;
let foreign: { partners: Partners; coordinator: { id: string; email: string }; trajectory: Launched };

const noAxeViolations = (page: Page) => web.noAxeViolations(page);

const sessions = new Map<string, Page>();
/**
 * A new page in the person's signed-in browser (one sign-in per person and screen width: an address gets at most
 * five sign-in links a quarter of an hour).
 */
async function as(person: { id: string; email: string }, o: { phone?: boolean } = {}): Promise<Page> {
  const key = `${person.id}|${o.phone ? 'phone' : 'desk'}`;
  let first = sessions.get(key);
  if (!first) sessions.set(key, (first = await web.signIn(person, o)));
  return first.context().newPage();
}
const h1 = (page: Page) => page.locator('h1').textContent();
const errorOf = (page: Page, field: string) => page.locator(`#${field}-fout`).textContent();

/** Clicks a submit button and waits for the page it posts to: the response. */
async function submit(page: Page, name: string | RegExp): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r: Response) => r.request().method() === 'POST'),
    page.getByRole('button', { name, exact: typeof name === 'string' }).click(),
  ]);
  await page.waitForLoadState();
  return response;
}

const contact = (organisationId: string, role: string, name: string) =>
  addContact(api.call, organisationId, role, name);

async function launch(p: Partners, prefix: string, size: number) {
  const request = cohortRequest({ ...p, size });
  const made = await api.call('POST', '/v1/cohorts', {
    ...request,
    participants: request.participants.map((x) => ({ ...x, reference: x.reference.replace('WB', prefix) })),
  });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
  await untilStarted(api.db, made.json.id as string);
  return made.json.trajectories as Launched[];
}

/** A form as the browser would send it now: where to, and its fields (hidden ones, texts, checked choices). */
async function formOf(page: Page, button: string) {
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: button, exact: true }) });
  const fields: Record<string, string> = {};
  for (const input of await form.locator('input').all()) {
    const [name, type] = [await input.getAttribute('name'), await input.getAttribute('type')];
    if (!name || ((type === 'radio' || type === 'checkbox') && !(await input.isChecked()))) continue;
    fields[name] = await input.inputValue();
  }
  return { action: new URL((await form.getAttribute('action')) ?? page.url(), page.url()).href, fields };
}

/** The page is usable at 375 px: nothing but the scroll containers is wider than the screen. */
async function fitsPhone(page: Page) {
  const main = await page.locator('main').boundingBox();
  expect(main!.width).toBeLessThanOrEqual(375);
  for (const region of await page.locator('.table-scroll').all())
    expect((await region.boundingBox())!.width).toBeLessThanOrEqual(375);
  for (const form of await page.locator('main form').all())
    expect((await form.boundingBox())!.width).toBeLessThanOrEqual(375);
}

const contactsOf = async (organisationId: string) =>
  (await api.call('GET', `/v1/organisations/${organisationId}/contacts`, undefined, coordinatorKey)).json.items as {
    id: string;
    name: string;
    email: string;
  }[];

beforeAll(async () => {
  web = await startWebWorld();
  ({ api, base } = web);
  partners = await seedPartners(api.call);
  coordinatorKey = await createKey(api.call, partners.officeId, 'coordinator');
  carla = await contact(partners.officeId, 'coordinator', 'Carla Coördinator');
  petra = await contact(partners.employerIds[0]!, 'workplace_trainer', 'Petra Praktijkopleider');
  roc = await contact(partners.schoolId, 'roc_coordinator', 'Rob Bpv-coördinator');
  jobcoach = {
    id: partners.jobcoachId,
    email: (await contactsOf(partners.officeId)).find((c) => c.id === partners.jobcoachId)!.email,
  };
  launched = await launch(partners, 'OF', 2);
  const live = await api.call(
    'POST',
    '/v1/api-keys',
    { organisationId: partners.employerIds[1], role: 'employer', label: 'Live sleutel Roosendaal' },
    coordinatorKey,
  );
  expect(live.status).toBe(201);
  liveKeyId = live.json.id as string;
  liveKey = live.json.secret as string;

  const other = await seedPartners(api.call, 'Zeeland');
  foreign = {
    partners: other,
    coordinator: await contact(other.officeId, 'coordinator', 'Zeger Zeeuw'),
    trajectory: (await launch(other, 'ZL', 1))[0]!,
  };
}, 240_000);

afterAll(async () => {
  await web?.close();
});

describe('the coordinator', () => {
  it('sees who is who: the partners with their roles and contacts, the mentor on the work floor too', async () => {
    const page = await as(carla);
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: /Partners: wie is wie/ }).click();
    expect(page.url()).toBe(`${base}/partners`);
    await expect(h1(page)).resolves.toBe('Partners: wie is wie');
    const table = page.getByRole('table', { name: `Partners van WelSlagen West-Brabant` });
    const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
    await expect(row('Zorggroep Breda').textContent()).resolves.toMatch(
      new RegExp(
        'Werkgever \\(leerwerkplek\\)\\s*Biedt de werkplek\\s*' +
          'Petra Praktijkopleider: Praktijkopleider \\(mentor op de werkvloer\\)',
      ),
    );
    await expect(row('ROC West-Brabant').textContent()).resolves.toMatch(/Rob Bpv-coördinator: ROC-coördinator/);
    await expect(row('Programmabureau WelSlagen').textContent()).resolves.toMatch(
      /Coördineert het convenant[\s\S]*Carla Coördinator: Coördinator programmabureau[\s\S]*Jobcoach Breda: Jobcoach/,
    );
    await expect(row('Gemeente Breda').textContent()).resolves.toMatch(/Financier/);
    // Only this office's organisations: the other office's (with the same names) are not linked.
    const links = [...(await page.content()).matchAll(/href="(\/partners\/[^"]+)"/g)].map((m) => m[1]);
    expect(links).toContain(`/partners/${partners.employerIds[0]}`);
    for (const id of [foreign.partners.officeId, foreign.partners.schoolId, ...foreign.partners.employerIds])
      expect(links).not.toContain(`/partners/${id}`);
    await noAxeViolations(page);
    await web.shot(page, 'coordinator-partners');

    // The office's own page: its coordinators and jobcoaches, and keys for a jobcoach.
    await page.getByRole('link', { name: 'Programmabureau WelSlagen' }).click();
    await expect(h1(page)).resolves.toBe('Programmabureau WelSlagen');
    expect(await page.getByRole('group', { name: /Jobcoach \(alleen voor een jobcoachsleutel\)/ }).count()).toBe(1);
    await noAxeViolations(page);

    // On a phone the tables scroll within their own frame.
    const phone = await as(carla, { phone: true });
    await phone.goto(`${base}/partners`);
    await fitsPhone(phone);
    await noAxeViolations(phone);
  }, 120_000);

  it('adds a contact (a wrong e-mail refused in Dutch), invites her, and she signs in from the mail', async () => {
    const page = await as(carla);
    await page.goto(`${base}/partners/${partners.employerIds[0]}`);
    await expect(h1(page)).resolves.toBe('Zorggroep Breda');
    await noAxeViolations(page);
    const before = await contactsOf(partners.employerIds[0]!);

    await page.getByLabel('Naam', { exact: true }).fill('Mo Mentor');
    await page.getByLabel('E-mailadres').fill('mo.mentor@zorggroep');
    expect((await submit(page, 'Contactpersoon toevoegen')).status()).toBe(422);
    await expect(errorOf(page, 'email')).resolves.toBe(
      'Dit is geen geldig e-mailadres. Vul een adres in zoals naam@organisatie.nl.',
    );
    expect(await page.locator('#email').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#email').getAttribute('aria-describedby')).toContain('email-fout');
    await expect(page.getByLabel('Naam', { exact: true }).inputValue()).resolves.toBe('Mo Mentor');
    await noAxeViolations(page);
    expect(await contactsOf(partners.employerIds[0]!)).toEqual(before);

    const email = `${uniqueId('mo')}@zorggroep.example.nl`;
    await page.getByLabel('E-mailadres').fill(email);
    const contactForm = await formOf(page, 'Contactpersoon toevoegen');
    expect((await submit(page, 'Contactpersoon toevoegen')).status()).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      /Mo Mentor is toegevoegd als Praktijkopleider \(mentor op de werkvloer\)/,
    );
    await noAxeViolations(page);
    const after = await contactsOf(partners.employerIds[0]!);
    const mo = after.find((c) => c.email === email);
    expect(mo).toMatchObject({ name: 'Mo Mentor', role: 'workplace_trainer' });
    expect(after).toHaveLength(before.length + 1);
    // The same form again (a double click, a reload) adds nobody twice.
    expect((await page.request.post(contactForm.action, { form: contactForm.fields })).status()).toBe(200);
    expect(await contactsOf(partners.employerIds[0]!)).toEqual(after);

    const inviteForm = await formOf(page, 'Mo Mentor uitnodigen');
    expect((await submit(page, 'Mo Mentor uitnodigen')).status()).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      new RegExp(`De uitnodiging is verstuurd naar ${email.replace(/\./g, '\\.')}`),
    );
    await noAxeViolations(page);
    const mail = await web.mailTo(email, /uitnodiging/);
    // Sent again by the same form: no second mail.
    expect((await page.request.post(inviteForm.action, { form: inviteForm.fields })).status()).toBe(200);
    const invitations = await api.db.selectFrom('dev_mailbox').select('id').where('recipient', '=', email).execute();
    expect(invitations).toHaveLength(1);
    const link = new RegExp(`(${base}/inloggen/\\S+)`).exec(mail.text)?.[1];
    expect(link, mail.text).toBeDefined();

    const her = await (await web.context({ phone: true })).newPage();
    await her.goto(link!);
    await expect(her.locator('body').textContent()).resolves.toMatch(/U logt in als Mo Mentor/);
    await her.getByRole('button', { name: 'Inloggen' }).click();
    await expect(h1(her)).resolves.toBe('Welkom, Mo Mentor');
    // She is a workplace trainer: the office's pages are not for her.
    expect((await her.goto(`${base}/partners`))!.status()).toBe(404);
  }, 120_000);

  it('hands out an API key: its secret shown once, working, never again; revoked after a confirm', async () => {
    const page = await as(carla);
    const orgPage = `${base}/partners/${partners.employerIds[0]}`;
    await page.goto(orgPage);
    // Without a name: refused next to the field, no key made.
    const keysBefore = (await api.call('GET', '/v1/api-keys?limit=200', undefined, coordinatorKey)).json.total;
    expect((await submit(page, 'Sleutel aanmaken')).status()).toBe(422);
    await expect(errorOf(page, 'sleutelnaam')).resolves.toMatch(/Geef de sleutel een naam/);
    await noAxeViolations(page);
    expect((await api.call('GET', '/v1/api-keys?limit=200', undefined, coordinatorKey)).json.total).toBe(keysBefore);

    await page.getByLabel('Naam van de sleutel').fill('Roosterkoppeling Zorggroep');
    const keyForm = await formOf(page, 'Sleutel aanmaken');
    const created = await submit(page, 'Sleutel aanmaken');
    expect(created.status()).toBe(200);
    expect(created.headers()['cache-control']).toBe('no-store');
    const secret = await page.getByLabel('Geheim (API-sleutel)').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Dit geheim ziet u alleen nu/);
    await noAxeViolations(page);

    // The secret works against the API, as the employer's key.
    const own = await api.call('GET', `/v1/organisations/${partners.employerIds[0]}`, undefined, secret);
    expect(own.status).toBe(200);

    // The same form again (a reload): no second key, and the secret is not shown again.
    const replay = await page.request.post(keyForm.action, { form: keyForm.fields });
    expect(replay.status()).toBe(200);
    const replayed = await replay.text();
    expect(replayed).toMatch(/was al aangemaakt/);
    expect(replayed).not.toContain(secret);
    expect((await api.call('GET', '/v1/api-keys?limit=200', undefined, coordinatorKey)).json.total).toBe(
      keysBefore + 1,
    );

    // Never shown again: not on the organisation, not in the list, not in any mail or log line.
    await page.goto(orgPage);
    expect(await page.getByLabel('Geheim (API-sleutel)').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    await page.goto(`${base}/sleutels`);
    await expect(h1(page)).resolves.toBe('API-sleutels');
    expect(await page.content()).not.toContain(secret);
    await expect(page.getByRole('table').textContent()).resolves.toMatch(/Roosterkoppeling Zorggroep/);
    await noAxeViolations(page);
    const mails = await api.db.selectFrom('dev_mailbox').select(['text', 'html']).execute();
    expect(mails.some((m) => m.text.includes(secret) || (m.html ?? '').includes(secret))).toBe(false);
    expect(web.logLines.some((l) => l.includes(secret))).toBe(false);

    // Revoking asks first.
    await page.getByRole('link', { name: 'intrekken (Roosterkoppeling Zorggroep)' }).click();
    await expect(h1(page)).resolves.toBe('Sleutel ‘Roosterkoppeling Zorggroep’ intrekken');
    await noAxeViolations(page);
    expect((await api.call('GET', `/v1/organisations/${partners.employerIds[0]}`, undefined, secret)).status).toBe(200);
    const confirm = page.url();
    expect((await submit(page, 'Ja, sleutel intrekken')).status()).toBe(200);
    await expect(h1(page)).resolves.toBe('Sleutel ‘Roosterkoppeling Zorggroep’ ingetrokken');
    await noAxeViolations(page);
    expect((await api.call('GET', `/v1/organisations/${partners.employerIds[0]}`, undefined, secret)).status).toBe(401);
    // Opening the confirm page again says so, and offers nothing to press.
    await page.goto(confirm);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Deze sleutel is al ingetrokken/);
    expect(await page.getByRole('button', { name: 'Ja, sleutel intrekken' }).count()).toBe(0);
    await page.goto(`${base}/sleutels`);
    await expect(
      page.getByRole('row').filter({ hasText: 'Roosterkoppeling Zorggroep' }).textContent(),
    ).resolves.toMatch(/ingetrokken op/);
    await fitsPhone(
      await (async () => {
        const phone = await as(carla, { phone: true });
        await phone.goto(orgPage);
        return phone;
      })(),
    );
  }, 120_000);

  it('reads the audit log: a read named by person, filtered, paged, and downloaded as xlsx', async () => {
    const t = launched[0]!;
    const page = await as(carla);
    // Carla looks the participant up on the AVG page: a read of personal data, in her name.
    await page.goto(`${base}/privacy/trajecten/${t.id}`);
    await expect(h1(page)).resolves.toBe(`AVG-verzoeken van Deelnemer 1 (${t.reference})`);
    // Enough reads through the API (the admin's) for a second page.
    for (let i = 0; i < 30; i++)
      for (const x of launched) expect((await api.call('GET', `/v1/trajectories/${x.id}`)).status).toBe(200);

    await page.goto(`${base}/`);
    await page.getByRole('link', { name: /Auditlog/ }).click();
    await expect(h1(page)).resolves.toBe('Auditlog');
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(50);
    await noAxeViolations(page);
    await page.getByRole('link', { name: 'Volgende pagina' }).click();
    expect(page.url()).toBe(`${base}/auditlog?pagina=2`);
    expect(await rows.count()).toBeGreaterThan(0);
    await noAxeViolations(page);

    // By the trajectory and the person: Carla's read, by her name.
    await page.goto(`${base}/auditlog`);
    await page.getByLabel('Traject (referentie van de deelnemer)').fill(t.reference);
    await page.getByLabel('Wie').selectOption({ label: 'Carla Coördinator (Programmabureau WelSlagen)' });
    await page.getByRole('button', { name: 'Filter toepassen' }).click();
    await page.waitForLoadState();
    const filtered = await rows.allTextContents();
    expect(filtered.length).toBeGreaterThan(0);
    for (const r of filtered) {
      expect(r).toMatch(/Carla Coördinator \(Coördinator programmabureau\)/);
      expect(r).toContain(`traject ${t.id}`);
    }
    expect(filtered.some((r) => /gelezen/.test(r) && r.includes('/privacy/trajecten/:id'))).toBe(true);
    await expect(
      page
        .getByRole('link', { name: `traject ${t.id}` })
        .first()
        .getAttribute('href'),
    ).resolves.toBe(`/sturing/trajecten/${t.id}`);
    await noAxeViolations(page);
    await web.shot(page, 'coordinator-auditlog');

    // The filtered list as xlsx: the same rows, opened with exceljs.
    const total = Number(/(\d+) gebeurtenis/.exec((await page.locator('main').textContent())!)![1]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download deze lijst als Excel-bestand/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^auditlog-.*\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await download.path())!);
    const sheet = book.getWorksheet('Auditlog')!;
    expect(sheet.getRow(1).values).toEqual(
      expect.arrayContaining(['Wanneer', 'Wie', 'Organisatie', 'Wat', 'Traject', 'Via']),
    );
    expect(sheet.rowCount - 1).toBe(total);
    const header = (sheet.getRow(1).values as string[]).indexOf('Wie');
    const trajectory = (sheet.getRow(1).values as string[]).indexOf('Traject');
    for (let r = 2; r <= sheet.rowCount; r++) {
      expect(sheet.getRow(r).getCell(header).value).toBe('Carla Coördinator (Coördinator programmabureau)');
      expect(sheet.getRow(r).getCell(trajectory).value).toBe(t.id);
    }

    // A key is named by its label: the employer's system reading its participant.
    const placed = launched.find((x) => x.employerId === partners.employerIds[1])!;
    expect((await api.call('GET', `/v1/trajectories/${placed.id}`, undefined, liveKey)).status).toBe(200);
    await page.goto(`${base}/auditlog`);
    await page
      .getByLabel('Wie')
      .selectOption({ label: 'API-sleutel ‘Live sleutel Roosendaal’ (Thuiszorg Roosendaal)' });
    await page.getByRole('button', { name: 'Filter toepassen' }).click();
    await page.waitForLoadState();
    const byKey = await rows.allTextContents();
    expect(byKey).toHaveLength(1);
    expect(byKey[0]).toMatch(/API-sleutel ‘Live sleutel Roosendaal’\s*gelezen/);
    expect(byKey[0]).toContain(`traject ${placed.id}`);

    // A date that is no date: refused next to its field.
    await page.goto(`${base}/auditlog?van=31-02-2026`);
    await expect(errorOf(page, 'van')).resolves.toMatch(/geen bestaande datum/);
    await noAxeViolations(page);

    const phone = await as(carla, { phone: true });
    await phone.goto(`${base}/auditlog`);
    await fitsPhone(phone);
  }, 180_000);

  it("exports a participant's data and erases it after confirming; confirming again changes nothing", async () => {
    const t = launched[1]!;
    const page = await as(carla);
    await page.goto(`${base}/privacy`);
    await expect(h1(page)).resolves.toBe('AVG-verzoeken');
    await noAxeViolations(page);
    await page.getByLabel('Referentie van de deelnemer').fill('XX-onbekend');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await expect(errorOf(page, 'referentie')).resolves.toMatch(/Geen traject/);
    await noAxeViolations(page);
    await page.getByLabel('Referentie van de deelnemer').fill(t.reference);
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.getByRole('link', { name: t.reference }).click();
    expect(page.url()).toBe(`${base}/privacy/trajecten/${t.id}`);
    await noAxeViolations(page);

    // Article 15: everything held, as the API's export.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download alle gegevens (JSON-bestand)' }).click(),
    ]);
    const { readFile } = await import('node:fs/promises');
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
      trajectory: Record<string, unknown>;
      events: unknown[];
    };
    expect(exported.trajectory).toMatchObject({ id: t.id, name: 'Deelnemer 2', reference: t.reference });
    expect(exported.events.length).toBeGreaterThan(0);
    expect(JSON.stringify(exported)).not.toMatch(/bsn_hash/);

    // Article 17: the confirm page says what goes and what stays; nothing goes without the explicit tick.
    await page.getByRole('link', { name: 'Gegevens wissen' }).click();
    await expect(h1(page)).resolves.toBe(`Gegevens wissen van Deelnemer 2 (${t.reference})`);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Wat wordt gewist[\s\S]*Wat blijft, en waarom/);
    await noAxeViolations(page);
    expect((await submit(page, 'Definitief wissen')).status()).toBe(422);
    await expect(errorOf(page, 'bevestigd')).resolves.toMatch(/Er is nog niets gewist/);
    await noAxeViolations(page);
    // Still running: refused, nothing erased.
    await page.getByLabel(/wil de gegevens definitief wissen/).check();
    expect((await submit(page, 'Definitief wissen')).status()).toBe(409);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/Er is niets gewist: dit traject loopt nog/);
    await noAxeViolations(page);
    expect((await api.call('GET', `/v1/trajectories/${t.id}`)).json.name).toBe('Deelnemer 2');

    // It ends (a dropout), then the erasure goes through.
    const dropout = await api.call('POST', `/v1/trajectories/${t.id}/changes`, {
      type: 'dropout',
      reason: 'personal_circumstances',
      text: 'Verhuist naar het buitenland',
    });
    expect(dropout.status, JSON.stringify(dropout.json)).toBe(200);
    await api.env.client.workflow.getHandle(t.workflowId).result();

    // Under a legal hold the erasure is refused, naming the reason, until the hold is lifted.
    await page.goto(`${base}/privacy/trajecten/${t.id}`);
    expect((await submit(page, 'Bewaarplicht vastleggen')).status()).toBe(422);
    await expect(errorOf(page, 'reden')).resolves.toMatch(/Vul de reden in/);
    await noAxeViolations(page);
    await page.getByLabel('Reden', { exact: true }).fill('Bewaarplicht subsidie praktijkleren');
    await page.getByLabel('Bewaren tot en met').fill(new Date(Date.now() + 400 * 864e5).toISOString().slice(0, 10));
    expect((await submit(page, 'Bewaarplicht vastleggen')).status()).toBe(303);
    await expect(page.locator('main').textContent()).resolves.toMatch(
      /vallen onder een bewaarplicht tot en met .*: Bewaarplicht subsidie praktijkleren/,
    );
    await noAxeViolations(page);
    await page.goto(`${base}/privacy/trajecten/${t.id}/wissen`);
    await page.getByLabel(/wil de gegevens definitief wissen/).check();
    expect((await submit(page, 'Definitief wissen')).status()).toBe(409);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(
      /Er is niets gewist\. Dit traject valt onder een bewaarplicht \(legal hold\) tot en met .*Bewaarplicht subsidie/,
    );
    await noAxeViolations(page);
    await page.goto(`${base}/privacy/trajecten/${t.id}`);
    await page.getByLabel('Waarom eindigt de bewaarplicht eerder?').fill('De deelnemer vraagt erom; geen subsidie');
    expect((await submit(page, 'Bewaarplicht opheffen')).status()).toBe(303);
    await expect(page.locator('main').textContent()).resolves.toMatch(/opgeheven op .*: De deelnemer vraagt erom/);
    await noAxeViolations(page);

    await page.goto(`${base}/privacy/trajecten/${t.id}/wissen`);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    await page.getByLabel(/wil de gegevens definitief wissen/).check();
    expect((await submit(page, 'Definitief wissen')).status()).toBe(200);
    await expect(h1(page)).resolves.toBe('Gegevens gewist');
    await noAxeViolations(page);
    const after = (await api.call('GET', `/v1/trajectories/${t.id}`)).json;
    expect(after.name).toBe('Geanonimiseerd');
    expect(after.reference).not.toBe(t.reference);
    expect(JSON.stringify(after)).not.toMatch(/Verhuist naar het buitenland|deelnemer2@example/);
    const first = await api.db
      .selectFrom('trajectory')
      .select('anonymised_at')
      .where('id', '=', t.id)
      .executeTakeFirstOrThrow();

    // Confirming again (a reload, a double click) is harmless.
    const again = await page.request.post(`${base}/privacy/trajecten/${t.id}/wissen`, {
      form: { _csrf: csrf, bevestigd: 'ja' },
    });
    expect(again.status()).toBe(200);
    const second = await api.db
      .selectFrom('trajectory')
      .select('anonymised_at')
      .where('id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(second.anonymised_at).toEqual(first.anonymised_at);
    const erasures = await api.db
      .selectFrom('audit_event')
      .select('actor')
      .where('trajectory_id', '=', t.id)
      .where('action', '=', 'erase')
      .execute();
    expect(erasures).toEqual([{ actor: `contact:${carla.id}` }]);
    await page.goto(`${base}/privacy/trajecten/${t.id}/wissen`);
    expect(page.url()).toBe(`${base}/privacy/trajecten/${t.id}`);
    await expect(page.locator('main').textContent()).resolves.toMatch(/zijn al gewist/);
  }, 180_000);
});

describe('isolation', () => {
  it("another office's coordinator sees none of it, 404 for each address; forged forms change nothing", async () => {
    const page = await as(foreign.coordinator);
    await page.goto(`${base}/partners`);
    await expect(h1(page)).resolves.toBe('Partners: wie is wie');
    let content = await page.content();
    for (const id of [partners.officeId, partners.schoolId, ...partners.employerIds]) expect(content).not.toContain(id);
    for (const name of ['Carla Coördinator', 'Petra Praktijkopleider', 'Rob Bpv-coördinator'])
      expect(content).not.toContain(name);
    await noAxeViolations(page);
    await page.goto(`${base}/sleutels`);
    content = await page.content();
    expect(content).not.toContain('Live sleutel Roosendaal');
    expect(content).not.toContain('Roosterkoppeling Zorggroep');
    await page.goto(`${base}/auditlog`);
    content = await page.content();
    expect(content).not.toContain('Carla Coördinator');
    for (const t of launched) expect(content).not.toContain(t.id);
    await page.goto(`${base}/privacy?referentie=OF-`);
    expect(await page.locator('tbody tr').count()).toBe(0);
    await noAxeViolations(page);

    const unknown = `${base}/partners/${uniqueId('onbekend')}`;
    expect((await page.goto(unknown))!.status()).toBe(404);
    const notFoundText = await page.locator('main').textContent();
    for (const url of [
      `/partners/${partners.employerIds[0]}`,
      `/partners/${partners.officeId}`,
      `/sleutels/${liveKeyId}/intrekken`,
      `/privacy/trajecten/${launched[0]!.id}`,
      `/privacy/trajecten/${launched[0]!.id}/export`,
      `/privacy/trajecten/${launched[0]!.id}/wissen`,
    ]) {
      const response = await page.goto(`${base}${url}`);
      expect(response!.status(), url).toBe(404);
      await expect(page.locator('main').textContent()).resolves.toBe(notFoundText);
    }

    // Forged forms, with this coordinator's own valid form token, at the other office's objects.
    await page.goto(`${base}/partners/${foreign.partners.employerIds[0]}`);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const before = await contactsOf(partners.employerIds[0]!);
    const forged = [
      [
        `/partners/${partners.employerIds[0]}/contactpersonen`,
        { naam: 'Indringer', email: 'x@example.nl', rol: 'workplace_trainer' },
      ],
      [`/partners/${partners.employerIds[0]}/contactpersonen/${petra.id}/uitnodigen`, {}],
      [`/partners/${foreign.partners.employerIds[0]}/contactpersonen/${petra.id}/uitnodigen`, {}],
      [`/partners/${partners.employerIds[0]}/sleutels`, { sleutelnaam: 'Indringer', sleutelrol: 'employer' }],
      [`/sleutels/${liveKeyId}/intrekken`, {}],
      [`/privacy/trajecten/${launched[0]!.id}/wissen`, { bevestigd: 'ja' }],
    ] as const;
    for (const [url, form] of forged) {
      const r = await page.request.post(`${base}${url}`, { form: { _csrf: csrf, formKey: uniqueId('f'), ...form } });
      expect(r.status(), url).toBe(404);
    }
    expect(await contactsOf(partners.employerIds[0]!)).toEqual(before);
    const keys = (await api.call('GET', '/v1/api-keys?limit=200', undefined, coordinatorKey)).json.items as {
      id: string;
      label: string;
      revokedAt: string | null;
    }[];
    expect(keys.find((k) => k.id === liveKeyId)?.revokedAt).toBeNull();
    expect(keys.some((k) => k.label === 'Indringer')).toBe(false);
    expect((await api.call('GET', `/v1/trajectories/${launched[0]!.id}`)).json.name).toBe('Deelnemer 1');
    await expect(web.mailTo(petra.email, /uitnodiging/)).rejects.toThrow();
  }, 180_000);

  it('employer, ROC and jobcoach accounts get 404 for these pages', async () => {
    for (const person of [petra, roc, jobcoach]) {
      const page = await web.signIn(person);
      for (const url of [
        '/partners',
        `/partners/${partners.employerIds[0]}`,
        '/sleutels',
        '/auditlog',
        '/auditlog.xlsx',
        '/privacy',
        `/privacy/trajecten/${launched[0]!.id}`,
      ]) {
        const response = await page.goto(`${base}${url}`);
        expect(response!.status(), `${person.email} ${url}`).toBe(404);
      }
      await noAxeViolations(page);
    }
  }, 180_000);
});
