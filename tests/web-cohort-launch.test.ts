// Launching a cohort from a spreadsheet (issue 18.1), in a real browser with JavaScript off: the coordinator
// downloads the template, uploads a sheet with mistakes and gets every one at once by row and column in Dutch
// (422, nothing launched), uploads the corrected sheet, sees the dated plan (holidays, the ROC's closure, the end,
// the BBL decision week) and starts the cohort; the trajectories exist afterwards, as the API shows. Pressing start
// twice starts nobody twice. A CSV as Dutch Excel saves it (semicolons, Windows-1252) is read; a duplicate row and
// a BSN failing the elfproef are named without showing the number. Another office's coordinator, an employer and
// an ROC get 404 for these pages. Every state is checked with axe-core; the upload page fits a phone.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBsn } from '../api/bsn';
import { SHEET_COLUMNS } from '../api/services/cohort-sheet';
import { launchCohort } from '../api/services/cohorts';
import { findCohortDraft, forgetCohortDrafts, markLaunchRequested } from '../db/cohort-drafts';
import { readSheet } from '../web/spreadsheet';
import { testDeps } from './helpers/app';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { cohortRequest, uniqueId } from './helpers/fixtures';
import { addContact, createKey, type Partners, seedPartners } from './helpers/partners';

let web: WebWorld;
let api: WebWorld['api'];
let base: string;
let A: Partners;
let B: Partners;
let coordA: string;
let anna: { id: string; email: string };
let bram: { id: string; email: string };
let trainer: { id: string; email: string };
let roc: { id: string; email: string };
/** Anna's browser, signed in once (sign-in links are limited to five per address per quarter of an hour). */
let annaContext: BrowserContext;
async function asAnna(o: { phone?: boolean } = {}): Promise<Page> {
  const page = await annaContext.newPage();
  if (o.phone) await page.setViewportSize({ width: 375, height: 740 });
  return page;
}
/** The BSN of a participant already running in WelSlagen at office A. */
const RUNNING_BSN = '111222333';
/** A Monday: Tweede paasdag. The 20 weeks hold Koningsdag, Hemelvaartsdag (a Thursday: the ROC day) and Pinksteren. */
const START = '2027-03-29';

/** `n` numbers that pass the elfproef, none of them RUNNING_BSN. */
function validBsns(n: number, from = 200_000_000): string[] {
  const out: string[] = [];
  for (let x = from; out.length < n; x++) if (isBsn(String(x)) && String(x) !== RUNNING_BSN) out.push(String(x));
  return out;
}

type Row = Partial<
  Record<
    'Referentie' | 'Naam' | 'E-mailadres' | 'BSN' | 'Werkgever' | 'Praktijkdagen' | 'Jobcoach' | 'Uitkeringsinstantie',
    string
  >
>;
const HEADERS = SHEET_COLUMNS.map((c) => c.header);

function participants(n: number, prefix: string): Row[] {
  const bsns = validBsns(n, 200_000_000 + Math.floor(Math.random() * 500_000_000));
  return Array.from({ length: n }, (_, i) => ({
    Referentie: `${prefix}-${String(i + 1).padStart(3, '0')}`,
    Naam: `Deelnemer ${prefix} ${i + 1}`,
    'E-mailadres': `${prefix.toLowerCase()}${i + 1}-${uniqueId('d')}@example.nl`,
    BSN: i % 2 === 0 ? bsns[i]! : '',
    Werkgever: i % 2 === 0 ? 'Zorggroep Breda' : 'thuiszorg roosendaal',
    Praktijkdagen: i % 3 === 0 ? 'ma, di, wo' : '',
    Jobcoach: 'Jobcoach Breda',
    Uitkeringsinstantie: i % 2 === 0 ? 'Gemeente Breda' : 'UWV West-Brabant',
  }));
}

async function xlsx(rows: Row[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Deelnemers');
  sheet.addRow(HEADERS);
  for (const r of rows) sheet.addRow(HEADERS.map((h) => r[h as keyof Row] ?? ''));
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A CSV as Dutch Excel saves it: semicolons, CRLF, Windows-1252. */
const csv1252 = (rows: Row[]) =>
  iconv.encode(
    [HEADERS, ...rows.map((r) => HEADERS.map((h) => r[h as keyof Row] ?? ''))].map((l) => l.join(';')).join('\r\n'),
    'win1252',
  );

async function submit(page: Page, name: string | RegExp): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r: Response) => r.request().method() === 'POST'),
    page.getByRole('button', { name }).click(),
  ]);
  await page.waitForLoadState();
  return response.status();
}

/** Fills the upload form (programme WelSlagen, office A's ROC on Thursdays, START) and chooses the file. */
async function upload(
  page: Page,
  file: { name: string; buffer: Buffer; mimeType: string },
  name = 'Zorg voorjaar 2027',
) {
  await page.getByLabel('Naam van het cohort').fill(name);
  await page.getByLabel('Programma').selectOption('welslagen');
  await page.getByLabel('ROC en convenant').selectOption(`${A.covenantId}::${A.schoolId}`);
  await page.getByLabel('ROC-dag').selectOption('thursday');
  await page.getByLabel('Startdatum').fill(START);
  await page.setInputFiles('#bestand', file);
  return submit(page, 'Bestand controleren');
}
const asXlsx = async (rows: Row[]) => ({
  name: 'deelnemers.xlsx',
  mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  buffer: await xlsx(rows),
});

/** The error table as [row, column, message] triples. */
const problems = async (page: Page) =>
  (await page.locator('#fouten tbody tr').all()).length === 0
    ? []
    : Promise.all(
        (await page.locator('#fouten tbody tr').all()).map(async (tr) =>
          (await tr.locator('th, td').allTextContents()).map((t) => t.trim()),
        ),
      );

/** Follows the progress page's Vernieuwen link until the cohort has started (as a person would). */
async function untilLaunched(page: Page) {
  for (let i = 0; i < 120 && (await page.locator('h1').textContent()) !== 'Cohort gestart'; i++) {
    await new Promise((r) => setTimeout(r, 500));
    await page.getByRole('link', { name: 'Vernieuwen' }).click();
  }
  await expect(page.locator('h1').textContent()).resolves.toBe('Cohort gestart');
}

const cohortIdsOf = async (token: string) =>
  ((await api.call('GET', '/v1/cohorts?limit=100', undefined, token)).json.items as { id: string }[]).map((c) => c.id);

const contact = (organisationId: string, role: string, name: string) =>
  addContact(api.call, organisationId, role, name);

beforeAll(async () => {
  web = await startWebWorld();
  ({ api, base } = web);
  A = await seedPartners(api.call);
  B = await seedPartners(api.call, 'Zeeland');
  coordA = await createKey(api.call, A.officeId, 'coordinator');
  anna = await contact(A.officeId, 'coordinator', 'Anna Coördinator');
  bram = await contact(B.officeId, 'coordinator', 'Bram Coördinator');
  trainer = await contact(A.employerIds[0]!, 'workplace_trainer', 'Petra Praktijkopleider');
  roc = await contact(A.schoolId, 'roc_coordinator', 'Rob Bpv-coördinator');
  // Someone already running in WelSlagen at office A, with a BSN.
  const running = cohortRequest({ ...A, size: 1 });
  running.participants[0]!.bsn = RUNNING_BSN;
  running.participants[0]!.reference = 'LOOPT-001';
  expect((await api.call('POST', '/v1/cohorts', running)).status).toBe(201);
  // The ROC's study day, a Thursday in the cohort's weeks.
  const closure = await api.call('POST', `/v1/organisations/${A.schoolId}/closures`, {
    from: '2027-06-10',
    to: '2027-06-10',
    name: 'Studiedag ROC',
  });
  expect(closure.status, JSON.stringify(closure.json)).toBe(201);
  annaContext = (await web.signIn(anna)).context();
}, 240_000);

afterAll(async () => {
  await web?.close();
});

describe('the coordinator launches a cohort from a spreadsheet', () => {
  it('gets every mistake by row and column, then the plan of the corrected file, and launches it once', async () => {
    const page = await asAnna();
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Een cohort starten vanuit een spreadsheet' }).click();
    expect(page.url()).toBe(`${base}/cohorten/nieuw`);
    await web.noAxeViolations(page);

    // The template: the Dutch columns, how to fill them, and the office's own partners.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Sjabloon downloaden (Excel)' }).click(),
    ]);
    const template = readFileSync(await download.path());
    expect((await readSheet(template)).headers).toEqual(HEADERS);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Deelnemers', 'Uitleg', 'Partners']);
    const partnerNames = book.getWorksheet('Partners')!.getColumn(2).values.map(String);
    expect(partnerNames).toEqual(expect.arrayContaining(['Zorggroep Breda', 'Jobcoach Breda', 'UWV West-Brabant']));

    const before = await cohortIdsOf(coordA);
    const rows = participants(20, 'VJ');
    const bad = rows.map((r) => ({ ...r }));
    bad[1]!['E-mailadres'] = 'geen-adres'; // row 3
    bad[3]!.BSN = '123456789'; // row 5: fails the elfproef
    bad[5]!.Werkgever = 'Bakkerij De Hoek'; // row 7: not in the covenant
    bad[7] = { ...bad[2]!, Referentie: 'VJ-DUBBEL' }; // row 9: the same person as row 4
    bad[9]!.Naam = ''; // row 11
    bad[11]!.BSN = RUNNING_BSN; // row 13: already running in WelSlagen
    expect(await upload(page, await asXlsx(bad))).toBe(422);
    await expect(page.locator('[role=alert] h2').textContent()).resolves.toMatch(/Er zijn 7 fouten in het bestand/);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Er is niets gestart/);
    expect(await problems(page)).toEqual([
      ['3', 'E-mailadres', "'geen-adres' is geen geldig e-mailadres. Vul een adres in zoals naam@voorbeeld.nl."],
      ['5', 'BSN', 'Dit is geen geldig BSN: het moet negen cijfers hebben en de elfproef doorstaan.'],
      [
        '7',
        'Werkgever',
        "Onbekende werkgever 'Bakkerij De Hoek': die zit niet in het convenant WelSlagen West-Brabant.",
      ],
      ['9', 'E-mailadres', 'Dubbel: rij 4 heeft hetzelfde e-mailadres.'],
      ['9', 'BSN', 'Dubbel: rij 4 heeft hetzelfde BSN.'],
      ['11', 'Naam', 'Vul de naam in.'],
      ['13', 'BSN', 'Deze deelnemer (zelfde BSN) loopt al in dit programma.'],
    ]);
    // No BSN in the page, not even the wrong one; nothing launched.
    const errorHtml = await page.content();
    for (const bsn of [RUNNING_BSN, '123456789', ...rows.map((r) => r.BSN).filter(Boolean)])
      expect(errorHtml).not.toContain(bsn);
    expect(await cohortIdsOf(coordA)).toEqual(before);
    // The choices stay chosen; only the file is chosen again.
    await expect(page.getByLabel('Naam van het cohort').inputValue()).resolves.toBe('Zorg voorjaar 2027');
    await web.noAxeViolations(page);
    await web.shot(page, 'coordinator-cohort-upload');

    // The corrected file: the plan, before anything starts.
    expect(await upload(page, await asXlsx(rows))).toBe(303);
    expect(page.url()).toMatch(new RegExp(`^${base}/cohorten/concepten/[0-9a-f-]{36}$`));
    const planUrl = page.url();
    await expect(page.locator('h1').textContent()).resolves.toBe('Cohort controleren en starten');
    const main = (await page.locator('main').textContent())!.replace(/\s+/g, ' ');
    expect(main).toMatch(/Alle 20 rijen zijn goed/);
    expect(main).toContain('Eerste dag maandag 29 maart 2027');
    expect(main).toContain('Laatste dag vrijdag 13 augustus 2027');
    expect(main).toContain('BBL-besluit vanaf week 16 (maandag 12 juli 2027 tot en met vrijdag 16 juli 2027)');
    const daysOff = (await page.locator('#vrije-dagen li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(daysOff).toEqual([
      'maandag 29 maart 2027: Tweede paasdag (geen praktijkdag)',
      'dinsdag 27 april 2027: Koningsdag (geen praktijkdag)',
      'donderdag 6 mei 2027: Hemelvaartsdag (ROC-dag vervalt)',
      'maandag 17 mei 2027: Tweede pinksterdag (geen praktijkdag)',
      'donderdag 10 juni 2027: Studiedag ROC (ROC-dag vervalt)',
    ]);
    expect(await page.locator('#planning tbody tr').count()).toBe(20);
    await expect(page.locator('#planning tbody tr').nth(15).textContent()).resolves.toMatch(
      /BBL-besluit vanaf deze week/,
    );
    expect(await page.locator('#deelnemers tbody tr').count()).toBe(20);
    const planHtml = await page.content();
    for (const bsn of rows.map((r) => r.BSN).filter(Boolean)) expect(planHtml).not.toContain(bsn);
    expect(await cohortIdsOf(coordA)).toEqual(before);
    await web.noAxeViolations(page);
    await web.shot(page, 'coordinator-cohort-plan');

    // The same plan open in a second tab: both start buttons pressed, one cohort with 20 trajectories.
    const second = await page.context().newPage();
    await second.goto(planUrl);
    expect(await submit(page, 'Cohort starten met 20 deelnemers')).toBe(303);
    await untilLaunched(page);
    await expect(page.locator('#voortgang').textContent()).resolves.toBe(
      'Het cohort is gestart: 20 van de 20 trajecten lopen.',
    );
    await web.noAxeViolations(page);
    expect(await submit(second, 'Cohort starten met 20 deelnemers')).toBe(303);
    await untilLaunched(second);
    await expect(second.locator('#voortgang').textContent()).resolves.toMatch(/20 van de 20/);
    await page.reload();
    await expect(page.locator('h1').textContent()).resolves.toBe('Cohort gestart');

    const added = (await cohortIdsOf(coordA)).filter((id) => !before.includes(id));
    expect(added).toHaveLength(1);
    const cohort = (await api.call('GET', `/v1/cohorts/${added[0]}`, undefined, coordA)).json as {
      startDate: string;
      schoolId: string;
      trajectories: { id: string; reference: string; workflowId: string; endDate: string }[];
    };
    expect(cohort.startDate).toBe(START);
    expect(cohort.trajectories.map((t) => t.reference).sort()).toEqual(rows.map((r) => r.Referentie).sort());
    expect(new Set(cohort.trajectories.map((t) => t.endDate))).toEqual(new Set(['2027-08-13']));
    for (const t of cohort.trajectories) {
      const described = await api.env.client.workflow.getHandle(t.workflowId).describe();
      expect(described.status.name).toBe('RUNNING');
    }
    // The BSNs arrived as their hashes, as through the API; the placement days as the sheet said.
    const stored = await api.db
      .selectFrom('trajectory')
      .select(['reference', 'bsn_hash', 'placement_weekdays'])
      .where('cohort_id', '=', added[0]!)
      .orderBy('reference')
      .execute();
    expect(stored.filter((t) => t.bsn_hash !== null)).toHaveLength(10);
    expect(stored.every((t) => t.placement_weekdays.join() === 'monday,tuesday,wednesday')).toBe(true);
    // The launch is in the audit log, by person.
    const audited = await api.db
      .selectFrom('audit_event')
      .select('trajectory_id')
      .where('actor', '=', `contact:${anna.id}`)
      .where('action', '=', 'change')
      .execute();
    expect(new Set(audited.map((a) => a.trajectory_id))).toEqual(new Set(cohort.trajectories.map((t) => t.id)));
    // The draft keeps no copy of the participants once the trajectories hold them.
    expect((await findCohortDraft(api.db, planUrl.split('/').at(-1)!, A.officeId))!.participants).toEqual([]);
  }, 180_000);
});

describe('an uploaded sheet', () => {
  it('is read from a CSV as Dutch Excel saves it: semicolons, Windows-1252', async () => {
    const page = await asAnna();
    await page.goto(`${base}/cohorten/nieuw`);
    const rows = participants(3, 'CSV');
    rows[0]!.Naam = 'Anaïs Müller';
    rows[1]!.Naam = 'José Çelik';
    rows[2]!.Praktijkdagen = 'maandag dinsdag vrijdag';
    const file = { name: 'deelnemers.csv', mimeType: 'text/csv', buffer: csv1252(rows) };
    expect(file.buffer.includes(Buffer.from('ï', 'latin1'))).toBe(true);
    expect(await upload(page, file, 'CSV-cohort')).toBe(303);
    const names = await page.locator('#deelnemers tbody th').allTextContents();
    expect(names.map((n) => n.trim())).toEqual(['Anaïs Müller', 'José Çelik', rows[2]!.Naam]);
    await expect(page.locator('#deelnemers tbody tr').nth(2).textContent()).resolves.toMatch(
      /maandag, dinsdag, vrijdag/,
    );
    await web.noAxeViolations(page);
  }, 60_000);

  it('with a participant twice names both rows, and a BSN failing the elfproef without showing it', async () => {
    const page = await asAnna();
    await page.goto(`${base}/cohorten/nieuw`);
    const rows = participants(4, 'DUB');
    rows[3] = { ...rows[0]!, Referentie: 'DUB-999', 'E-mailadres': `ander-${uniqueId('d')}@example.nl` };
    rows[1]!.BSN = '999999998';
    expect(await upload(page, await asXlsx(rows))).toBe(422);
    expect(await problems(page)).toEqual([
      ['3', 'BSN', 'Dit is geen geldig BSN: het moet negen cijfers hebben en de elfproef doorstaan.'],
      ['5', 'BSN', 'Dubbel: rij 2 heeft hetzelfde BSN.'],
    ]);
    expect(await page.content()).not.toContain('999999998');
    await web.noAxeViolations(page);
  }, 60_000);

  it('too large gets a Dutch message next to the file field, and the upload page fits a phone', async () => {
    const page = await asAnna({ phone: true });
    await page.goto(`${base}/cohorten/nieuw`);
    await web.noAxeViolations(page);
    for (const selector of ['h1', '#bestand', 'button[type=submit]', '#roc']) {
      const box = (await page.locator(selector).first().boundingBox())!;
      expect(box.x + box.width, selector).toBeLessThanOrEqual(375);
    }
    const big = { name: 'groot.csv', mimeType: 'text/csv', buffer: Buffer.alloc(2 * 1024 * 1024 + 10, 'a;') };
    expect(await upload(page, big)).toBe(413);
    await expect(page.locator('#bestand-fout').textContent()).resolves.toMatch(/groter dan 2 MB/);
    await web.noAxeViolations(page);
  }, 60_000);
});

describe('a draft', () => {
  it("is not found by another office's coordinator, an employer or an ROC; they cannot launch it", async () => {
    const page = await asAnna();
    await page.goto(`${base}/cohorten/nieuw`);
    expect(await upload(page, await asXlsx(participants(2, 'GEH')), 'Geheim')).toBe(303);
    const draftUrl = page.url();
    const before = await cohortIdsOf(coordA);

    const other = await web.signIn(bram);
    const unknown = await other.goto(`${base}/cohorten/concepten/${crypto.randomUUID()}`);
    expect(unknown!.status()).toBe(404);
    const unknownText = await other.locator('main').textContent();
    const theirs = await other.goto(draftUrl);
    expect(theirs!.status()).toBe(404);
    expect(await other.locator('main').textContent()).toBe(unknownText);
    expect(await other.content()).not.toContain('GEH-001');
    await web.noAxeViolations(other);
    // Starting it with a valid form token of his own: 404, and nothing starts.
    await other.goto(`${base}/cohorten/nieuw`);
    const csrf = await other.locator('input[name=_csrf]').first().getAttribute('value');
    const launched = await other.request.post(`${draftUrl}/starten`, { form: { _csrf: csrf! }, maxRedirects: 0 });
    expect(launched.status()).toBe(404);
    expect(await cohortIdsOf(coordA)).toEqual(before);

    for (const person of [trainer, roc]) {
      const p = await web.signIn(person);
      for (const url of [`${base}/cohorten/nieuw`, draftUrl, `${base}/cohorten/nieuw/sjabloon`]) {
        const r = await p.request.get(url, { maxRedirects: 0 });
        expect(r.status(), url).toBe(404);
      }
    }
    // The owner still sees it.
    await page.goto(draftUrl);
    await expect(page.locator('h1').textContent()).resolves.toBe('Cohort controleren en starten');

    // Retention forgets it after 14 days: then it is gone for the owner too.
    const draftId = draftUrl.split('/').at(-1)!;
    await sql`update cohort_draft set created_at = now() - interval '15 days' where id = ${draftId}::uuid`.execute(
      api.db,
    );
    expect(await forgetCohortDrafts(api.db)).toBe(1);
    expect((await page.goto(draftUrl))!.status()).toBe(404);
  }, 90_000);
});

describe('a launch interrupted halfway', () => {
  it('shows how many have started; resuming starts the rest and nobody twice', async () => {
    const page = await asAnna();
    await page.goto(`${base}/cohorten/nieuw`);
    const rows = participants(20, 'ONB');
    expect(await upload(page, await asXlsx(rows), 'Onderbroken')).toBe(303);
    const draftUrl = page.url();
    const draft = (await findCohortDraft(api.db, draftUrl.split('/').at(-1)!, A.officeId))!;

    // The draft's launch dies after 8 workflow starts (Temporal gone), as a crash or a lost connection leaves it.
    // The launch fails as soon as the ninth start fails, while some of the first 8 may still be on their way: the
    // test waits for those before it counts what reached the server.
    let starts = 0;
    const sent: Promise<unknown>[] = [];
    const real = api.env.client;
    const workflow = Object.create(real.workflow, {
      start: {
        value: async (...args: Parameters<typeof real.workflow.start>) => {
          if (++starts > 8) throw new Error('Temporal is even weg');
          const start = real.workflow.start(...args);
          sent.push(start);
          return start;
        },
      },
    }) as typeof real.workflow;
    const broken = Object.create(real, { workflow: { value: workflow } }) as typeof real;
    const principal = {
      actor: `contact:${anna.id}`,
      role: 'coordinator' as const,
      organisationId: A.officeId,
      contactId: anna.id,
      officeId: A.officeId,
    };
    await expect(
      launchCohort(testDeps(api.db, broken), principal, draft.cohort_id, {
        programmeId: draft.programme_id,
        programmeVersion: draft.programme_version,
        covenantId: draft.covenant_id,
        startDate: draft.start_date,
        schoolId: draft.school_id,
        schoolWeekday: draft.school_weekday,
        participants: draft.participants.map(({ line: _, ...p }) => p),
      }),
    ).rejects.toThrow();
    await Promise.allSettled(sent);
    await markLaunchRequested(api.db, draft.id);
    const trajectories = await api.db
      .selectFrom('trajectory')
      .select(['id', 'workflow_id'])
      .where('cohort_id', '=', draft.cohort_id)
      .execute();
    expect(trajectories).toHaveLength(20);
    const runs = new Map<string, string>();
    for (const t of trajectories)
      await real.workflow
        .getHandle(t.workflow_id)
        .describe()
        .then((d) => runs.set(t.workflow_id, d.runId))
        .catch(() => undefined);
    expect(runs.size).toBe(8);

    // The page shows how far it came, and resumes.
    await page.goto(draftUrl);
    await expect(page.locator('h1').textContent()).resolves.toBe('Cohort wordt gestart');
    await expect(page.locator('#voortgang').textContent()).resolves.toBe('8 van de 20 trajecten zijn gestart.');
    await web.noAxeViolations(page);
    expect(await submit(page, 'Starten hervatten')).toBe(303);
    await untilLaunched(page);
    await expect(page.locator('#voortgang').textContent()).resolves.toBe(
      'Het cohort is gestart: 20 van de 20 trajecten lopen.',
    );
    await web.noAxeViolations(page);

    // Still 20 trajectories, each running once: the 8 that had started are the same runs.
    const after = await api.db
      .selectFrom('trajectory')
      .select('workflow_id')
      .where('cohort_id', '=', draft.cohort_id)
      .execute();
    expect(after).toHaveLength(20);
    for (const t of after) {
      const d = await real.workflow.getHandle(t.workflow_id).describe();
      expect(d.status.name).toBe('RUNNING');
      if (runs.has(t.workflow_id)) expect(d.runId).toBe(runs.get(t.workflow_id));
    }
    const cohort = await api.call('GET', `/v1/cohorts/${draft.cohort_id}`, undefined, coordA);
    expect(cohort.json).toMatchObject({ status: 'launched' });
    expect((cohort.json.trajectories as unknown[]).length).toBe(20);
  }, 120_000);
});
