// The pages around one candidate in a real browser (Chromium, JavaScript off): the coordinator proposes an employer
// for the trial day, assigns a jobcoach, sees a refusal of the process in Dutch next to the field, and lets a
// candidate leave only after confirming; the proposed employer finds the candidate from its start page and gives its
// judgement in one form; the jobcoach sees where its candidate stands; another employer sees nothing of it. axe-core
// (WCAG 2.1 A and AA): zero violations on every page; a phone's width.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../domain/calendar';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { addContact, createKey, type Partners, seedPartners } from './helpers/partners';

let web: WebWorld;
let api: WebWorld['api'];
let mine: Partners;
let zoe: string;
let ahmed: string;
let coordinator: { id: string; email: string };
let trainer: { id: string; email: string };
let otherTrainer: { id: string; email: string };
let jobcoach: { id: string; email: string };
const today = localDate(Date.now());

const contact = (organisationId: string, role: string, name: string) =>
  addContact(api.call, organisationId, role, name);

beforeAll(async () => {
  web = await startWebWorld();
  api = web.api;
  mine = await seedPartners(api.call);
  coordinator = await contact(mine.officeId, 'coordinator', 'Carla Coördinator');
  trainer = await contact(mine.employerIds[0]!, 'workplace_trainer', 'Petra Praktijkopleider');
  otherTrainer = await contact(mine.employerIds[1]!, 'workplace_trainer', 'Otto Opleider');
  jobcoach = await contact(mine.officeId, 'jobcoach', 'Jamal Jobcoach');
  const key = await createKey(api.call, mine.officeId, 'coordinator');
  const roundId = (
    await api.call(
      'POST',
      '/v1/recruitment-rounds',
      { programmeId: 'welslagen', region: 'West-Brabant', name: 'Voorjaar 2027' },
      key,
    )
  ).json.id;
  const added = await api.call(
    'POST',
    `/v1/recruitment-rounds/${roundId}/candidates`,
    {
      candidates: [
        { firstName: 'Zoë', lastName: 'de Vries', dateOfBirth: '1994-03-02', email: 'zoe.devries@example.nl' },
        { firstName: 'Ahmed', lastName: 'Öztürk', dateOfBirth: '1989-11-20' },
      ],
    },
    key,
  );
  expect(added.status, JSON.stringify(added.json)).toBe(201);
  [zoe, ahmed] = (added.json.candidates as { id: string }[]).map((c) => c.id) as [string, string];
  for (const [step, outcome] of [
    ['voorlichting', 'attended'],
    ['groepsintake', 'passed'],
  ])
    expect((await api.call('POST', `/v1/candidates/${zoe}/steps`, { step, outcome, on: today }, key)).status).toBe(200);
}, 180_000);
afterAll(async () => web?.close());

const text = async (page: import('playwright-core').Page, selector = 'main') =>
  ((await page.locator(selector).textContent()) ?? '').replace(/\s+/g, ' ');

describe("a candidate's page and the people who act on it", () => {
  it('lets the coordinator propose an employer, assign a jobcoach, and see a refusal by the field', async () => {
    const page = await web.signIn(coordinator);
    await page.goto(`${web.base}/werving/kandidaten/${zoe}`);
    await web.noAxeViolations(page);
    expect(await text(page)).toContain('Meeloopdag bij een werkgever, uiterlijk');
    expect(await page.locator('caption', { hasText: 'Geschiedenis' }).count()).toBe(1);
    expect(await page.locator('table tbody tr').count()).toBe(3);

    await page.getByLabel('Werkgever', { exact: true }).selectOption({ label: 'Zorggroep Breda' });
    await page.getByRole('button', { name: 'Werkgever voorstellen' }).click();
    expect(await text(page, '[role=status]')).toContain('De werkgever is voorgesteld');
    expect(await text(page)).toContain('Voorgesteld voor de meeloopdag bij Zorggroep Breda');

    await page
      .getByLabel('Jobcoach', { exact: true })
      .selectOption({ label: 'Jamal Jobcoach (Programmabureau WelSlagen)' });
    await page.getByRole('button', { name: 'Jobcoach toewijzen' }).click();
    expect(await text(page, '[role=status]')).toContain('De jobcoach is toegewezen');

    // A trial day before the candidate reached it: the process refuses, the page says why next to the date.
    await page.getByLabel('positief').check();
    await page.getByLabel('Datum', { exact: true }).first().fill('2020-01-01');
    const refused = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/stap')),
      page.getByRole('button', { name: 'Uitkomst vastleggen' }).click(),
    ]);
    expect(refused[0].status()).toBe(422);
    expect(await text(page, '#on-fout')).toContain('Deze datum ligt voor het moment waarop de kandidaat');
    await web.noAxeViolations(page);
    const row = await api.db
      .selectFrom('candidate')
      .select(['step', 'jobcoach_id'])
      .where('id', '=', zoe)
      .executeTakeFirst();
    expect(row).toEqual({ step: 'meeloopdag', jobcoach_id: jobcoach.id });
  });

  it('lets the proposed employer judge the trial day from its start page, seeing no more than it needs', async () => {
    const page = await web.signIn(trainer);
    await page.getByRole('link', { name: /Voorgestelde kandidaten/ }).click();
    await web.noAxeViolations(page);
    const main = await text(page);
    expect(main).toContain('Zoë (K-');
    expect(main).not.toMatch(/de Vries|1994|zoe\.devries|Ahmed/);
    await page.getByLabel('positief').check();
    await page.getByLabel('Toelichting (niet verplicht)').fill('Pakt het werk goed op');
    await page.getByRole('button', { name: 'Oordeel vastleggen' }).click();
    expect(await text(page, '[role=status]')).toContain('Uw oordeel over de meeloopdag is vastgelegd');
    expect(await text(page)).toContain('Oordeel: positief');
    expect(await page.getByRole('button', { name: 'Oordeel vastleggen' }).count()).toBe(0);
    await web.noAxeViolations(page);
    // The coordinator's page is not the employer's.
    expect((await page.goto(`${web.base}/werving/kandidaten/${zoe}`))?.status()).toBe(404);

    const coord = await web.signIn(coordinator);
    await coord.goto(`${web.base}/werving/kandidaten/${zoe}`);
    const history = await text(coord);
    expect(history).toContain('Meeloopdag bij een werkgever bij Zorggroep Breda: positief (door de werkgever)');
    expect(history).toContain('Pakt het werk goed op');
    expect(history).toContain('VOG aangevraagd en ontvangen, uiterlijk');
  });

  it('shows another employer nothing, and the jobcoach where its candidate stands', async () => {
    const other = await web.signIn(otherTrainer);
    await other.goto(`${web.base}/kandidaten`);
    expect(await text(other)).toContain('Er zijn (nog) geen kandidaten aan uw organisatie voorgesteld');
    const page = await web.signIn(jobcoach);
    await page.getByRole('link', { name: /Mijn kandidaten/ }).click();
    await web.noAxeViolations(page);
    const main = await text(page);
    expect(main).toContain('Zoë (K-');
    expect(main).toContain('VOG aangevraagd en ontvangen, uiterlijk');
    expect(main).toContain('zoe.devries@example.nl');
    expect(main).not.toMatch(/de Vries|1994|Ahmed/);
  });

  it('lets a candidate leave only after the coordinator confirms it, with a reason of the list', async () => {
    const page = await web.signIn(coordinator);
    await page.goto(`${web.base}/werving/kandidaten/${ahmed}`);
    await page.getByLabel('Reden').selectOption({ label: 'Ander werk gevonden' });
    await page.getByRole('button', { name: 'Kandidaat laten stoppen' }).click();
    expect(await text(page, '#confirm-fout')).toContain('Vink aan dat de kandidaat stopt');
    await web.noAxeViolations(page);
    expect(
      (await api.db.selectFrom('candidate').select('status').where('id', '=', ahmed).executeTakeFirst())?.status,
    ).toBe('in_progress');
    await page.getByLabel(/Ja, de kandidaat stopt/).check();
    await page.getByRole('button', { name: 'Kandidaat laten stoppen' }).click();
    expect(await text(page)).toContain('Gestopt bij Voorlichtingsbijeenkomst: Ander werk gevonden');
    expect(await page.getByRole('button', { name: 'Uitkomst vastleggen' }).count()).toBe(0);
  });

  it('fits a phone', async () => {
    const page = await web.signIn(coordinator, { phone: true });
    await page.goto(`${web.base}/werving/kandidaten/${zoe}`);
    expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(375);
    await web.noAxeViolations(page);
    const employer = await web.signIn(trainer, { phone: true });
    await employer.goto(`${web.base}/kandidaten`);
    expect(await employer.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(375);
  });
});
