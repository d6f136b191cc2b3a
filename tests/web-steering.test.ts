// The programme office's steering pages in a real browser (the machine's Chromium, JavaScript off): the dashboard
// with the partners that lag behind and the participants at risk in a seeded cohort; the preview of the next
// morning mail against what that digest then really queues and sends; a mail refused by a real SMTP server (550)
// sent again from the outbox, once however often the button is pressed; the trajectory page with its calendar
// (an ROC closure by name) and its change forms (a pause refused by the workflow next to its field with 422 and
// nothing recorded, then a pause recorded once); the xlsx downloads read back with exceljs; another office's
// coordinator and an employer get 404 and see none of these rows. axe-core on every state, and a phone's width.
import ExcelJS from 'exceljs';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import { addDays, localDate, localInstant } from '../domain/calendar';
import { createMailer } from '../infra/mail';
import { linkKey } from '../web/links';
import { BSN_HMAC_KEY } from './helpers/app';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { cohortRequest, thisMonday, uniqueId } from './helpers/fixtures';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';
import { startSmtp, type TestSmtp } from './helpers/smtp';

type Launched = { id: string; employerId: string; reference: string };
type Mail = {
  id: string;
  to: string;
  day: string;
  subject: string;
  status: string;
  items: { trajectoryId: string; kind: string }[];
};

let web: WebWorld;
let api: WebWorld['api'];
let base: string;
let smtp: TestSmtp;
let partners: Partners;
let coordinatorKey: string;
let coordinator: { id: string; email: string };
let bouncer: { id: string; email: string };
let cohortId: string;
let trajectories: Launched[];
let foreign: { partners: Partners; coordinator: { id: string; email: string }; trajectory: Launched; cohortId: string };
const start = addDays(thisMonday(), -14);
const today = localDate(Date.now());
/** A school day (Thursday) of next week on which the ROC is closed. */
const closedOn = addDays(thisMonday(), 10);

/** Clicks a submit button and waits for the page it posts to: the response's status. */
async function submit(page: Page, name: string | RegExp, scope: Page | ReturnType<Page['locator']> = page) {
  const [response] = await Promise.all([
    page.waitForResponse((r: Response) => r.request().method() === 'POST'),
    scope.getByRole('button', { name }).click(),
  ]);
  await page.waitForLoadState();
  return response.status();
}

async function contact(organisationId: string, role: string, name: string, email = `${uniqueId(role)}@example.nl`) {
  const made = await api.call('POST', `/v1/organisations/${organisationId}/contacts`, { role, name, email });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
  return { id: made.json.id as string, email };
}

async function launch(p: Partners, prefix: string, size: number) {
  const request = cohortRequest({ ...p, size, startDate: start });
  const launched = await api.call('POST', '/v1/cohorts', {
    ...request,
    participants: request.participants.map((x) => ({ ...x, reference: x.reference.replace('WB', prefix) })),
  });
  expect(launched.status, JSON.stringify(launched.json)).toBe(201);
  await untilStarted(api.db, launched.json.id as string);
  return { cohortId: launched.json.id as string, trajectories: launched.json.trajectories as Launched[] };
}

/** Downloads what a link on the page offers, and opens it with exceljs. */
async function download(page: Page, name: string | RegExp) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name, exact: typeof name === 'string' }).click(),
  ]);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile((await file.path())!);
  return book;
}
const rowsOf = (sheet: ExcelJS.Worksheet | undefined) => {
  const rows: string[][] = [];
  sheet?.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
};

/** The morning digest of `date` as the worker composes and delivers it, over a real SMTP server. */
async function sendDigestOverSmtp(date: string) {
  const mailer = createMailer(
    { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Toeleiding <noreply@x.nl>' },
    api.db,
  );
  const activities = createActivities({
    db: api.db,
    temporal: api.env.client,
    publicUrl: base,
    mailer,
    now: () => localInstant(date, 10),
    links: { key: linkKey({ BSN_HMAC_KEY }), days: 14 },
  });
  try {
    return await activities.deliverMail({ ids: await activities.composeDigests({ date }) });
  } finally {
    mailer.close();
  }
}

const outbox = async (key: string) =>
  (await api.call('GET', '/v1/outbox?limit=200', undefined, key)).json.items as Mail[];

beforeAll(async () => {
  web = await startWebWorld();
  ({ api, base } = web);
  smtp = await startSmtp();
  partners = await seedPartners(api.call);
  coordinatorKey = await createKey(api.call, partners.officeId, 'coordinator');
  coordinator = await contact(partners.officeId, 'coordinator', 'Carla Coördinator');
  await contact(partners.employerIds[0]!, 'workplace_trainer', 'Petra Praktijkopleider');
  // The second employer's trainer has an address the mail server refuses.
  bouncer = await contact(
    partners.employerIds[1]!,
    'workplace_trainer',
    'Bart Bounce',
    `bounce-${uniqueId('trainer')}@example.nl`,
  );
  await contact(partners.schoolId, 'roc_coordinator', 'Rob Bpv-coördinator');
  // Started two weeks ago; nobody recorded a day or the intake since: the employers and the ROC lag behind, and
  // every participant has the intake overdue.
  ({ cohortId, trajectories } = await launch(partners, 'ST', 4));
  const closure = await api.call('POST', `/v1/organisations/${partners.schoolId}/closures`, {
    from: closedOn,
    to: closedOn,
    name: 'Studiedag ROC',
  });
  expect(closure.status, JSON.stringify(closure.json)).toBeLessThan(300);
  // The closure reaches every workflow's plan before anything is looked at.
  for (const t of trajectories)
    for (let i = 0; i < 300; i++) {
      const s = await api.call('GET', `/v1/trajectories/${t.id}/schedule`);
      const days = (s.json.weeks as { days: { date: string; status: string }[] }[]).flatMap((w) => w.days);
      if (days.some((d) => d.date === closedOn && d.status === 'not_planned')) break;
      await new Promise((r) => setTimeout(r, 100));
    }

  const other = await seedPartners(api.call, 'Zeeland');
  const launched = await launch(other, 'ZL', 1);
  foreign = {
    partners: other,
    coordinator: await contact(other.officeId, 'coordinator', 'Zeeuwse Coördinator'),
    trajectory: launched.trajectories[0]!,
    cohortId: launched.cohortId,
  };
}, 240_000);

afterAll(async () => {
  await web?.close();
  await smtp?.stop();
});

describe('the coordinator steers', () => {
  it('sees each cohort by week, who lags behind with whom, and who is at risk and why', async () => {
    const page = await web.signIn(coordinator);
    await page.getByRole('link', { name: /^Sturing/ }).click();
    expect(page.url()).toBe(`${base}/sturing`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Sturing');

    // The cohort week by week: three weeks so far, four participants each.
    const weeks = page.getByRole('table', { name: /^Week voor week: cohort welslagen/ });
    await expect(weeks.locator('tbody tr').count()).resolves.toBeGreaterThanOrEqual(3);
    await expect(weeks.locator('tbody tr').first().locator('td').nth(1).textContent()).resolves.toBe('4');

    // Who lags behind: both employers (placement days), the ROC (school days), the jobcoaches' office (intakes).
    const lagging = page.getByRole('table', { name: 'Wie loopt achter' });
    const names = await lagging.locator('tbody th').allTextContents();
    expect(names.map((n) => n.trim())).toEqual(
      expect.arrayContaining(['Zorggroep Breda', 'Thuiszorg Roosendaal', 'ROC West-Brabant']),
    );
    const roc = lagging.locator('tbody tr', { hasText: 'ROC West-Brabant' });
    await expect(roc.locator('td').nth(1).textContent()).resolves.toMatch(/^[1-9]\d*$/); // school days late
    for (const t of trajectories) await expect(roc.getByRole('link', { name: t.reference }).count()).resolves.toBe(1);
    const breda = lagging.locator('tbody tr', { hasText: 'Zorggroep Breda' });
    for (const t of trajectories.filter((x) => x.employerId === partners.employerIds[0]))
      await expect(breda.getByRole('link', { name: t.reference }).count()).resolves.toBe(1);
    for (const t of trajectories.filter((x) => x.employerId !== partners.employerIds[0]))
      await expect(breda.getByRole('link', { name: t.reference }).count()).resolves.toBe(0);

    // At risk: every participant, the overdue intake in Dutch.
    const risks = page.getByRole('table', { name: /^Deelnemers met een risico \(4\)/ });
    for (const t of trajectories) {
      const row = risks.locator('tbody tr', { has: page.getByRole('link', { name: t.reference }) });
      await expect(row.textContent()).resolves.toMatch(/Checkpoint Intake.* moest uiterlijk .* vastgelegd zijn/);
    }
    // Checkpoint completion: the intake is due for all four, none done.
    const intake = page.getByRole('table', { name: /^Gesprekken/ }).locator('tbody tr', { hasText: 'Intake' });
    await expect(intake.locator('td').allTextContents()).resolves.toEqual(['1', '4', '4', '0', '0', '4', '0', '0%']);
    await web.noAxeViolations(page);
    await web.shot(page, 'coordinator-sturing');

    // Only this cohort (the filter), and nothing of another office's.
    await page.getByLabel('Cohort', { exact: true }).selectOption(cohortId);
    await page.getByRole('button', { name: 'Toon' }).click();
    expect(page.url()).toBe(`${base}/sturing?cohort=${encodeURIComponent(cohortId)}`);
    await expect(page.getByRole('table', { name: /^Deelnemers met een risico \(4\)/ }).count()).resolves.toBe(1);
    await web.noAxeViolations(page);
    expect(await page.content()).not.toContain(foreign.trajectory.reference);
  }, 120_000);

  it('previews the morning mail, which the digest then sends as shown; a refused mail is sent again once', async () => {
    const page = await web.signIn(coordinator);
    await page.goto(`${base}/sturing`);
    const date = (await page.locator('#ochtendmail-datum').getAttribute('datetime'))!;
    expect(date > today || (date === today && Date.now() < localInstant(today, 10))).toBe(true);
    const preview = page.getByRole('list', { name: 'Mails van de ochtendmail' }).locator(':scope > li');
    const shown = await preview.evaluateAll((items) =>
      items.map((li) => li.querySelector('p')!.textContent!.replace(/\s+/g, ' ').trim()),
    );
    const counts = await preview.evaluateAll((items) =>
      items.map((li) => [...li.querySelectorAll('ul li')].map((x) => x.textContent!.trim()).sort()),
    );
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.some((s) => s.includes(bouncer.email))).toBe(true);
    expect(shown.join('\n')).not.toContain(foreign.trajectory.reference);
    // Nothing was queued by looking.
    expect((await outbox(coordinatorKey)).filter((m) => m.day === date)).toEqual([]);

    // The digest as the worker composes and delivers it: the mails of the preview, no more, no fewer.
    const delivered = await sendDigestOverSmtp(date);
    expect(delivered.failed).toBe(1);
    const queued = (await outbox(coordinatorKey)).filter((m) => m.day === date);
    const words: Record<string, string> = {
      attendance_placement: 'aanwezigheid stagedagen registreren',
      attendance_school: 'aanwezigheid ROC-dagen registreren',
      week_overview: 'verwacht deze week',
      checkpoint_due: 'gesprek binnenkort',
      checkpoint_overdue: 'gesprek te laat',
      bbl_decision: 'BBL-besluit nodig',
      follow_up: 'nazorgvraag',
      escalation: 'herinnering twee keer genegeerd',
      risk_raised: 'nieuw risicosignaal',
    };
    const sent = queued
      .map((m) => {
        const n = new Map<string, number>();
        for (const i of m.items) n.set(i.kind, (n.get(i.kind) ?? 0) + 1);
        return {
          line: `${m.to}: ${m.subject}`,
          counts: [...n].map(([k, c]) => `${c} × ${words[k]}`).sort(),
        };
      })
      .sort((a, b) => a.line.localeCompare(b.line));
    const previewed = shown
      .map((s, i) => ({ line: s.replace(/^.*? \((\S+@\S+)\): /, '$1: '), counts: counts[i]! }))
      .sort((a, b) => a.line.localeCompare(b.line));
    expect(previewed).toEqual(sent);
    // The refused address failed for real (550 from the server); the others reached it.
    const failed = queued.find((m) => m.to === bouncer.email)!;
    expect(failed.status).toBe('failed');
    expect(queued.filter((m) => m.status === 'sent')).toHaveLength(queued.length - 1);
    expect(smtp.received.map((m) => m.subject)).toContain(queued.find((m) => m.status === 'sent')!.subject);

    // The outbox shows it failed, with a button to send it again; pressed twice, it is sent once.
    await page.getByRole('link', { name: 'Alle uitgaande mail' }).click();
    const row = page.locator('tbody tr', { hasText: bouncer.email });
    await expect(row.textContent()).resolves.toMatch(/mislukt.*550/s);
    await web.noAxeViolations(page);
    const form = row.locator('form');
    const action = (await form.getAttribute('action'))!;
    const csrf = (await form.locator('input[name=_csrf]').getAttribute('value'))!;
    expect(await submit(page, /^Opnieuw versturen/, row)).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toMatch('De mail is opnieuw verstuurd.');
    await expect(page.locator('tbody tr', { hasText: bouncer.email }).textContent()).resolves.toMatch(/verstuurd/);
    await web.noAxeViolations(page);
    // The second click of a double click (the same form again): nothing sent twice.
    const again = await page.request.post(`${base}${action}`, { form: { _csrf: csrf } });
    expect(again.status()).toBe(200);
    expect(await again.text()).toMatch(/niets opnieuw verstuurd/);
    const resent = await api.db
      .selectFrom('dev_mailbox')
      .select('subject')
      .where('recipient', '=', bouncer.email)
      .execute();
    expect(resent.map((m) => m.subject)).toEqual([failed.subject]);
    expect((await outbox(coordinatorKey)).find((m) => m.id === failed.id)?.status).toBe('sent');

    // Another office's coordinator can neither resend it nor see it.
    const theirs = await createKey(api.call, foreign.partners.officeId, 'coordinator');
    expect((await api.call('POST', `/v1/outbox/${failed.id}/resend`, undefined, theirs)).status).toBe(404);
    expect((await outbox(theirs)).some((m) => m.id === failed.id)).toBe(false);
  }, 180_000);

  it('opens a trajectory: calendar with the ROC closure, signals, a pause refused and then recorded', async () => {
    const t = trajectories[0]!;
    const page = await web.signIn(coordinator);
    await page.goto(`${base}/sturing`);
    await page
      .getByRole('table', { name: /^Deelnemers met een risico/ })
      .getByRole('link', { name: t.reference })
      .click();
    expect(page.url()).toBe(`${base}/sturing/trajecten/${t.id}`);
    const grid = page.getByRole('table', { name: /^Rooster: per week/ });
    await expect(grid.locator('thead th').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['Week', 'Maandag', 'Donderdag', 'Vrijdag']),
    );
    await expect(grid.textContent()).resolves.toMatch(/ROC:\s+vrij \(Studiedag ROC\)/);
    await expect(page.locator('dl').last().textContent()).resolves.toMatch(/vrij \(naam\).*feestdag/s);
    await expect(
      page.getByRole('heading', { name: 'Signalen' }).locator('xpath=following-sibling::ul[1]').textContent(),
    ).resolves.toMatch(/Checkpoint Intake.* moest uiterlijk/);
    await web.noAxeViolations(page);
    await web.shot(page, 'coordinator-traject');

    const events = async () =>
      ((await api.call('GET', `/v1/trajectories/${t.id}`, undefined, coordinatorKey)).json.events as { type: string }[])
        .map((e) => e.type)
        .filter((x) => x === 'paused');
    const pause = page.locator('section', { has: page.getByRole('heading', { name: 'Pauzeren' }) });
    // Two months ahead: the workflow refuses; its reason stands next to the date, nothing is recorded.
    await pause.getByLabel('Eerste dag van de pauze').fill(addDays(today, 60));
    await pause.getByLabel('Reden van de pauze').fill('Zorg voor een familielid');
    expect(await submit(page, 'Pauze vastleggen', pause)).toBe(422);
    await expect(page.locator('#pause-from-fout').textContent()).resolves.toBe(
      'Een pauze kan hoogstens 31 dagen vooruit worden vastgelegd.',
    );
    expect(await page.locator('#pause-from').getAttribute('aria-invalid')).toBe('true');
    await expect(page.locator('#pause-reason').inputValue()).resolves.toBe('Zorg voor een familielid');
    await web.noAxeViolations(page);
    expect(await events()).toEqual([]);

    // A missing reason: the page's own check, also next to its field.
    await page.locator('#pause-from').fill(addDays(today, 7));
    await page.locator('#pause-reason').fill('');
    expect(await submit(page, 'Pauze vastleggen', page.locator('section', { has: page.locator('#pause-kop') }))).toBe(
      422,
    );
    await expect(page.locator('#pause-reason-fout').textContent()).resolves.toBe('Vul de reden in.');
    await web.noAxeViolations(page);

    // Next week: recorded, and the same form sent again records nothing twice.
    await page.locator('#pause-reason').fill('Zorg voor een familielid');
    const form = page.locator('section', { has: page.locator('#pause-kop') }).locator('form');
    const fields = Object.fromEntries(
      await form
        .locator('input')
        .evaluateAll((inputs) =>
          inputs.map((i) => [i.getAttribute('name') ?? '', (i as unknown as { value: string }).value]),
        ),
    ) as Record<string, string>;
    expect(await submit(page, 'Pauze vastleggen', form)).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/De pauze is vastgelegd vanaf/);
    await web.noAxeViolations(page);
    const again = await page.request.post(`${base}/sturing/trajecten/${t.id}/wijzigingen`, { form: fields });
    expect(again.status()).toBe(200);
    expect(await events()).toEqual(['paused']);

    // An extension: 21 weeks is beyond the rule, said next to the field; 2 weeks moves the end date.
    const extension = page.locator('section', { has: page.locator('#extension-kop') });
    await extension.getByLabel('Aantal weken (1 tot 20)').fill('21');
    await extension.getByLabel('Reden van de verlenging').fill('Achterstand na de pauze');
    expect(await submit(page, 'Verlenging vastleggen', extension)).toBe(422);
    await expect(page.locator('#extension-weeks-fout').textContent()).resolves.toBe(
      'Vul een aantal weken in van 1 tot en met 20.',
    );
    await web.noAxeViolations(page);
    await page.locator('#extension-weeks').fill('2');
    expect(
      await submit(page, 'Verlenging vastleggen', page.locator('section', { has: page.locator('#extension-kop') })),
    ).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/verlengd met 2 weken/);
    const live = (await api.call('GET', `/v1/trajectories/${t.id}`, undefined, coordinatorKey)).json.live as {
      extensions: { weeks: number }[];
    };
    expect(live.extensions).toEqual([{ weeks: 2, reason: 'Achterstand na de pauze' }]);
  }, 180_000);

  it('downloads the participants, the steering list and the outbox as xlsx, with the right rows', async () => {
    const page = await web.signIn(coordinator);
    await page.goto(`${base}/sturing`);
    const participants = rowsOf((await download(page, 'Deelnemers met hun status')).getWorksheet('Deelnemers'));
    expect(participants[0]).toEqual(['Deelnemer', 'Status', 'Werkgever', 'Einddatum']);
    expect(
      participants
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(trajectories.map((t) => t.reference).sort());
    expect(participants.find((r) => r[0] === trajectories[0]!.reference)?.[1]).toMatch(/lopend|gepauzeerd/);
    expect(participants.find((r) => r[0] === trajectories[1]!.reference)?.[1]).toBe('lopend');

    const steering = await download(page, /^Sturingslijst/);
    const lagging = rowsOf(steering.getWorksheet('Wie loopt achter'));
    expect(lagging[0]![0]).toBe('Organisatie');
    expect(lagging.map((r) => r[0])).toEqual(expect.arrayContaining(['ROC West-Brabant', 'Zorggroep Breda']));
    const risks = rowsOf(steering.getWorksheet("Risico's"));
    expect(
      risks
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(trajectories.map((t) => t.reference).sort());
    expect(risks[1]![4]).toMatch(/Checkpoint Intake.* moest uiterlijk/);

    const mails = rowsOf((await download(page, 'Uitgaande mail')).getWorksheet('Uitgaande mail'));
    expect(mails[0]!.slice(0, 5)).toEqual(['Dag', 'Aan', 'E-mailadres', 'Onderwerp', 'Status']);
    const listed = await outbox(coordinatorKey);
    expect(mails.length - 1).toBe(listed.length);
    expect(mails.find((r) => r[2] === bouncer.email)?.[4]).toBe('verstuurd');
  }, 120_000);

  it('is at home on a phone', async () => {
    const page = await web.signIn(coordinator, { phone: true });
    for (const path of ['/sturing', `/sturing/trajecten/${trajectories[1]!.id}`, '/sturing/outbox']) {
      await page.goto(`${base}${path}`);
      // Nothing wider than the screen but the tables, which scroll in their own region.
      const width = await page.locator('html').evaluate((el) => el.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(375);
      await web.noAxeViolations(page);
    }
  }, 120_000);
});

describe('isolation', () => {
  it("gives another office's coordinator 404 for these pages' rows, and none of them on its own pages", async () => {
    const page = await web.signIn(foreign.coordinator);
    const mine = trajectories[0]!;
    for (const path of [
      `/sturing/trajecten/${mine.id}`,
      `/sturing/trajecten/unknown-trajectory`,
      `/sturing/cohorten/${cohortId}/deelnemers.xlsx`,
      `/sturing?cohort=${encodeURIComponent(cohortId)}`,
    ]) {
      const response = await page.request.get(`${base}${path}`);
      expect(response.status(), path).toBe(404);
    }
    await page.goto(`${base}/sturing/trajecten/${mine.id}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Niet gevonden');
    await web.noAxeViolations(page);

    await page.goto(`${base}/sturing`);
    const content = await page.content();
    for (const t of trajectories) expect(content).not.toContain(t.reference);
    expect(content).not.toContain(bouncer.email);
    expect(content).toContain(foreign.trajectory.reference); // its own participant is at risk too
    await web.noAxeViolations(page);
    await page.goto(`${base}/sturing/outbox`);
    expect(await page.content()).not.toContain(bouncer.email);

    await page.goto(`${base}/sturing`);
    const steering = await download(page, /^Sturingslijst/);
    const risks = rowsOf(steering.getWorksheet("Risico's"))
      .slice(1)
      .map((r) => r[0]);
    expect(risks).toEqual([foreign.trajectory.reference]);
    const mails = rowsOf((await download(page, 'Uitgaande mail')).getWorksheet('Uitgaande mail'));
    expect(mails.some((r) => r[2] === bouncer.email)).toBe(false);

    // A change to another office's trajectory, with a valid form token: 404, nothing recorded.
    const eventsOf = async () =>
      ((await api.call('GET', `/v1/trajectories/${mine.id}`, undefined, coordinatorKey)).json.events as unknown[])
        .length;
    const before = await eventsOf();
    const csrf = (await page.locator('input[name=_csrf]').first().getAttribute('value'))!;
    const form = await page.request.post(`${base}/sturing/trajecten/${mine.id}/wijzigingen`, {
      form: { _csrf: csrf, type: 'extension', weeks: '2', reason: 'Verlengd', formKey: 'k' },
    });
    expect(form.status()).toBe(404);
    expect(await eventsOf()).toBe(before);
  }, 120_000);

  it('gives an employer, an ROC and a jobcoach 404 for the steering pages', async () => {
    const people = [
      await contact(partners.employerIds[0]!, 'workplace_trainer', 'Wim Werkgever'),
      await contact(partners.schoolId, 'roc_coordinator', 'Roos ROC'),
    ];
    const jobcoach = await api.db
      .selectFrom('contact')
      .select(['id', 'email'])
      .where('id', '=', partners.jobcoachId)
      .executeTakeFirstOrThrow();
    for (const person of [...people, jobcoach]) {
      const page = await web.signIn(person);
      for (const path of [
        '/sturing',
        `/sturing/trajecten/${trajectories[0]!.id}`,
        '/sturing/outbox',
        '/sturing/outbox.xlsx',
        '/sturing/sturingslijst.xlsx',
        `/sturing/cohorten/${cohortId}/deelnemers.xlsx`,
      ]) {
        const response = await page.request.get(`${base}${path}`);
        expect(response.status(), `${person.email} ${path}`).toBe(404);
      }
      await page.goto(`${base}/sturing`);
      await expect(page.locator('h1').textContent()).resolves.toBe('Niet gevonden');
      await page.context().close();
    }
  }, 120_000);
});
