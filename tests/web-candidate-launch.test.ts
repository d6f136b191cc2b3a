// Launching matched candidates from the round, in a real browser (Chromium, JavaScript off): the page lists the
// matched candidates not launched yet with their employer; a wrong start date is named next to its field; starting
// makes them participants under their own references, and the page then says who started and offers nobody again.
// Another office's coordinator gets 404 as for an unknown round. axe-core (WCAG 2.1 A and AA): zero violations; a
// phone's width.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoWeekday, localDate } from '../domain/calendar';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { addContact, createKey, type Partners, seedPartners } from './helpers/partners';

let web: WebWorld;
let api: WebWorld['api'];
let mine: Partners;
let roundId: string;
let coordinator: { id: string; email: string };
let intruder: { id: string; email: string };
const refs: Record<string, string> = {};
let sanne: { id: string; reference: string };
const letters = () => randomUUID().replace(/[^a-f]/g, '');
const today = localDate(Date.now());
const nextMonday = addDays(today, 8 - isoWeekday(today));

const contact = (organisationId: string, role: string, name: string) =>
  addContact(api.call, organisationId, role, name);

beforeAll(async () => {
  web = await startWebWorld();
  api = web.api;
  mine = await seedPartners(api.call);
  const theirs = await seedPartners(api.call, 'Zeeland');
  coordinator = await contact(mine.officeId, 'coordinator', 'Carla Coördinator');
  intruder = await contact(theirs.officeId, 'coordinator', 'Ines Indringer');
  const key = await createKey(api.call, mine.officeId, 'coordinator');
  roundId = (
    await api.call(
      'POST',
      '/v1/recruitment-rounds',
      { programmeId: 'welslagen', region: 'West-Brabant', name: 'Zomer' },
      key,
    )
  ).json.id;
  const added = await api.call(
    'POST',
    `/v1/recruitment-rounds/${roundId}/candidates`,
    {
      candidates: [
        { firstName: 'Zoë', lastName: 'de Vries', email: `zoe.${letters()}@example.nl`, sourceId: mine.gemeenteId },
        { firstName: 'Ahmed', lastName: 'Öztürk', email: `ahmed.${letters()}@example.nl`, sourceId: mine.uwvId },
        { firstName: 'Sanne', lastName: 'Jansen', email: `sanne.${letters()}@example.nl` },
      ],
    },
    key,
  );
  expect(added.status, JSON.stringify(added.json)).toBe(201);
  const steps: [string, string][] = [
    ['voorlichting', 'attended'],
    ['groepsintake', 'passed'],
    ['meeloopdag', 'positive'],
    ['vog', 'received'],
    ['selectie', 'selected'],
    ['match', 'matched'],
  ];
  sanne = added.json.candidates[2];
  expect((await api.call('POST', `/v1/candidates/${sanne.id}/leave`, { reason: 'moved', on: today }, key)).status).toBe(
    200,
  );
  for (const c of added.json.candidates.slice(0, 2) as { id: string; reference: string; firstName: string }[]) {
    refs[c.firstName] = c.reference;
    for (const [step, outcome] of steps)
      expect(
        (
          await api.call(
            'POST',
            `/v1/candidates/${c.id}/steps`,
            { step, outcome, on: today, employerId: mine.employerIds[0] },
            key,
          )
        ).status,
      ).toBe(200);
  }
}, 180_000);
afterAll(async () => web?.close());

describe('the launch page of a round', () => {
  it('lists the matched candidates, names a wrong start date, and starts them as participants', async () => {
    const page = await web.signIn(coordinator);
    await page.goto(`${web.base}/werving/${roundId}/cohort`);
    await web.noAxeViolations(page);
    const labels = await page.locator('form label[for^="kandidaat-"]').allTextContents();
    expect(labels.map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      `Zoë de Vries (${refs['Zoë']}), bij Zorggroep Breda`,
      `Ahmed Öztürk (${refs.Ahmed}), bij Zorggroep Breda`,
    ]);
    await page.getByLabel('ROC-dag').selectOption('friday');
    await page.getByLabel('Startdatum').fill(addDays(nextMonday, 1));
    await page.getByRole('button', { name: 'Cohort starten' }).click();
    expect(await page.locator('#startdatum-fout').textContent()).toContain('geen maandag');
    await web.noAxeViolations(page);
    await page.getByLabel('Startdatum').fill(nextMonday);
    await page.getByRole('button', { name: 'Cohort starten' }).click();
    expect(page.url()).toContain(`/werving/${roundId}/cohort?gestart=`);
    const started = await page.locator('#gestart li').allTextContents();
    expect(started.sort()).toEqual([`Ahmed Öztürk (${refs.Ahmed})`, `Zoë de Vries (${refs['Zoë']})`]);
    expect(await page.locator('main').textContent()).toContain('Er wacht geen gematchte kandidaat');
    await web.noAxeViolations(page);
    const trajectories = await api.db
      .selectFrom('trajectory')
      .select(['reference', 'benefit_payer_id', 'status'])
      .where('reference', 'in', [refs['Zoë']!, refs.Ahmed!])
      .execute();
    expect(Object.fromEntries(trajectories.map((t) => [t.reference, t.benefit_payer_id]))).toEqual({
      [refs['Zoë']!]: mine.gemeenteId,
      [refs.Ahmed!]: mine.uwvId,
    });
  });

  it('fits a phone', async () => {
    const page = await web.signIn(coordinator, { phone: true });
    await page.goto(`${web.base}/werving/${roundId}/cohort`);
    expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(375);
    await web.noAxeViolations(page);
  });

  it("is another office's nothing: 404 as for an unknown round", async () => {
    const page = await web.signIn(intruder);
    const theirs = await page.goto(`${web.base}/werving/${roundId}/cohort`);
    const unknown = await page.goto(`${web.base}/werving/${roundId}x/cohort`);
    expect([theirs?.status(), unknown?.status()]).toEqual([404, 404]);
  });
});

describe("a candidate's AVG requests on the privacy pages", () => {
  it('find the candidate by reference, export everything, and erase only after the confirm', async () => {
    const page = await web.signIn(coordinator);
    await page.goto(`${web.base}/privacy?referentie=${sanne.reference}`);
    await web.noAxeViolations(page);
    await page.getByRole('link', { name: sanne.reference }).click();
    expect(page.url()).toContain(`/privacy/kandidaten/${sanne.id}`);
    await web.noAxeViolations(page);
    const exported = await page.request.get(`${web.base}/privacy/kandidaten/${sanne.id}/export`);
    expect(exported.status()).toBe(200);
    expect((await exported.json()).candidate).toMatchObject({ first_name: 'Sanne', last_name: 'Jansen' });
    // Under a legal hold the erasure names the hold and erases nothing, until the hold is lifted.
    await page.getByLabel('Reden', { exact: true }).fill('Klacht in behandeling');
    await page.getByLabel('Bewaren tot en met').fill(new Date(Date.now() + 60 * 864e5).toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Bewaarplicht vastleggen' }).click();
    expect(await page.locator('main').textContent()).toMatch(/bewaarplicht tot en met .*: Klacht in behandeling/);
    await web.noAxeViolations(page);
    await page.getByLabel(/wil de gegevens definitief wissen/).check();
    await page.getByRole('button', { name: 'Definitief wissen' }).click();
    expect(await page.locator('main').textContent()).toMatch(/Er is niets gewist\. Deze kandidaat valt onder een/);
    await web.noAxeViolations(page);
    await page.getByLabel('Waarom eindigt de bewaarplicht eerder?').fill('Klacht afgehandeld');
    await page.getByRole('button', { name: 'Bewaarplicht opheffen' }).click();
    expect(await page.locator('main').textContent()).toMatch(/opgeheven op .*: Klacht afgehandeld/);
    await page.getByRole('button', { name: 'Definitief wissen' }).click();
    expect(await page.locator('#bevestigd-fout').textContent()).toContain('Er is nog niets gewist');
    await page.getByLabel(/wil de gegevens definitief wissen/).check();
    await page.getByRole('button', { name: 'Definitief wissen' }).click();
    expect(await page.locator('main').textContent()).toContain('De persoonsgegevens zijn gewist op');
    await web.noAxeViolations(page);
    const row = await api.db.selectFrom('candidate').selectAll().where('id', '=', sanne.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ first_name: 'Geanonimiseerd', email: null });
    const intruderPage = await web.signIn(intruder);
    expect((await intruderPage.goto(`${web.base}/privacy/kandidaten/${sanne.id}`))?.status()).toBe(404);
  });
});
