// Employer readiness on the pages, in a real browser (Chromium, JavaScript off): the readiness section of an
// employer's partner page (what is missing, SBB's register, the form that records recognition, praktijkopleider,
// checklist and places), and the cohort launch from a spreadsheet draft that names an employer not ready: refused
// without a reason, started with one, the reason kept with the person's name. Another office's coordinator gets
// 404 as for an unknown employer. axe-core (WCAG 2.1 A and AA) on every page: zero violations; a phone's width.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCohortDraft } from '../db/cohort-drafts';
import { addDays } from '../domain/calendar';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { thisMonday } from './helpers/fixtures';
import { addContact, type Partners, seedPartners } from './helpers/partners';

let web: WebWorld;
let api: WebWorld['api'];
let mine: Partners;
let coordinator: { id: string; email: string };
let intruder: { id: string; email: string };
let unready: string;

const contact = (organisationId: string, role: string, name: string) =>
  addContact(api.call, organisationId, role, name);

/** Presses a form's button and answers the status of the POST (a 303 is followed to its page). */
async function submit(page: Page, button: string | RegExp): Promise<number> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: button }).click(),
  ]);
  await page.waitForLoadState();
  return res.status();
}

const main = async (page: Page) => ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

beforeAll(async () => {
  web = await startWebWorld();
  api = web.api;
  mine = await seedPartners(api.call);
  const theirs = await seedPartners(api.call, 'Zeeland');
  coordinator = await contact(mine.officeId, 'coordinator', 'Carla Coördinator');
  intruder = await contact(theirs.officeId, 'coordinator', 'Ines Indringer');
  await contact(mine.employerIds[1]!, 'workplace_trainer', 'Anna Praktijkopleider');
  unready = mine.employerIds[1]!;
  // Thuiszorg Roosendaal: checked, but no safe workplace yet and not recognised.
  const put = await api.call('PUT', `/v1/organisations/${unready}/readiness/25491`, {
    officeId: mine.officeId,
    checklist: { suitableWork: true, safeWorkplace: false, mentorTime: true, agreement: true },
    places: 2,
  });
  expect(put.status, JSON.stringify(put.json)).toBe(200);
}, 180_000);
afterAll(async () => web?.close());

describe("an employer's readiness on its partner page", () => {
  it('says what is missing, links to SBB’s register, and records the readiness from the form', async () => {
    const page = await web.signIn(coordinator);
    await page.goto(`${web.base}/partners/${unready}`);
    let text = await main(page);
    expect(text).toContain('Gereedheid als leerbedrijf');
    expect(text).toContain('Verzorgende-IG (niveau 3), crebo 25491');
    expect(text).toContain('Een plaatsing kan hier niet starten');
    expect(text).toContain('geen SBB-erkenning als leerbedrijf vastgelegd');
    expect(text).toContain('randvoorwaarde: Een veilige werkplek');
    expect(text).toContain('geen praktijkopleider met uren per week genoemd (houdt de start niet tegen)');
    const register = page.getByRole('link', { name: /register van leerbedrijven/ });
    expect(await register.getAttribute('href')).toMatch(/^https:\/\/www\.stagemarkt\.nl\/leerbedrijven\/\?zoekterm=/);
    await web.noAxeViolations(page);

    // A recognition number without its dates: the form comes back with the message next to each field.
    await page.getByLabel('Erkenningsnummer SBB').fill('SBB-200345');
    await page.getByLabel('Aantal plaatsen voor deelnemers').fill('');
    expect(await submit(page, 'Gereedheid opslaan')).toBe(422);
    text = await main(page);
    expect(text).toContain('Vul de datum van de erkenning in');
    expect(text).toContain('Vul het aantal plaatsen in');
    await web.noAxeViolations(page);

    await page.getByLabel('KvK-nummer (8 cijfers)').fill('24681357');
    await page.getByLabel('Erkend op').fill('2024-06-03');
    await page.getByLabel('Gecontroleerd in het register op').fill('2026-11-02');
    await page.getByLabel(/Anna Praktijkopleider/).check();
    await page.getByLabel('Uren per week van de praktijkopleider voor de deelnemers').fill('4');
    await page.getByLabel('Een veilige werkplek').check();
    await page.getByLabel('Aantal plaatsen voor deelnemers').fill('3');
    expect(await submit(page, 'Gereedheid opslaan')).toBe(303);
    expect(page.url()).toContain(`/partners/${unready}?gereedheid=opgeslagen`);
    text = await main(page);
    expect(text).toContain('De gereedheid is opgeslagen.');
    expect(text).toContain('Een plaatsing kan hier starten.');
    expect(text).toContain('nummer SBB-200345, erkend op maandag 3 juni 2024');
    expect(text).toContain('door Carla Coördinator');
    expect(text).toContain('Anna Praktijkopleider');
    expect(text).toContain('4 uur per week');
    expect(await register.getAttribute('href')).toContain('zoekterm=24681357');
    await web.noAxeViolations(page);
  });

  it('fits a phone', async () => {
    const page = await web.signIn(coordinator, { phone: true });
    await page.goto(`${web.base}/partners/${unready}`);
    expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(375);
    await web.noAxeViolations(page);
  });

  it("is another office's nothing: 404, exactly as for an unknown employer", async () => {
    const page = await web.signIn(intruder);
    const theirs = await page.goto(`${web.base}/partners/${unready}`);
    const theirsText = await main(page);
    const unknown = await page.goto(`${web.base}/partners/${unready}x`);
    expect([theirs?.status(), unknown?.status()]).toEqual([404, 404]);
    expect(await main(page)).toBe(theirsText.replace(unready, `${unready}x`));
  });
});

describe('the launch from a spreadsheet draft', () => {
  it('is refused without a reason where an employer is not ready; starts with one, kept with the name', async () => {
    // Thuiszorg Roosendaal is not ready again: its checklist lacks the agreement with the programme office.
    await api.call('PUT', `/v1/organisations/${unready}/readiness/25491`, {
      officeId: mine.officeId,
      recognition: { number: 'SBB-200345', recognisedOn: '2024-06-03', checkedOn: '2026-11-02' },
      checklist: { suitableWork: true, safeWorkplace: true, mentorTime: true, agreement: false },
      places: 3,
    });
    const draftId = randomUUID();
    await insertCohortDraft(api.db, {
      id: draftId,
      office_id: mine.officeId,
      created_by: `contact:${coordinator.id}`,
      name: 'Zorg voorjaar',
      programme_id: 'welslagen',
      programme_version: 1,
      covenant_id: mine.covenantId,
      school_id: mine.schoolId,
      school_weekday: 'thursday',
      start_date: addDays(thisMonday(), 14),
      participants: [
        {
          line: 2,
          reference: 'ZV-001',
          name: 'Fatima el Amrani',
          email: 'fatima@example.nl',
          employerId: unready,
          placementWeekdays: ['monday', 'tuesday', 'wednesday'],
          jobcoachId: mine.jobcoachId,
          benefitPayerId: mine.gemeenteId,
        },
      ],
      cohort_id: randomUUID(),
    });
    const page = await web.signIn(coordinator);
    await page.goto(`${web.base}/cohorten/concepten/${draftId}`);
    let text = await main(page);
    expect(text).toContain('Niet elke werkgever is gereed');
    expect(text).toContain(
      'rij 2, ZV-001: Thuiszorg Roosendaal: randvoorwaarde: Afspraken met het programmabureau vastgelegd',
    );
    await web.noAxeViolations(page);

    expect(await submit(page, 'Cohort starten met 1 deelnemers')).toBe(422);
    text = await main(page);
    expect(text).toContain('Vul de reden in om toch te starten');
    expect(await api.db.selectFrom('readiness_override').select('id').execute()).toEqual([]);
    await web.noAxeViolations(page);

    const reason = 'Afspraken worden deze week getekend; de werkgever is verder gereed';
    await page.getByLabel('Reden om toch te starten').fill(reason);
    expect(await submit(page, 'Cohort starten met 1 deelnemers')).toBe(303);
    let logged: { reason: string; actor: string }[] = [];
    for (let i = 0; i < 100 && logged.length === 0; i++) {
      logged = await api.db.selectFrom('readiness_override').select(['reason', 'actor']).execute();
      if (logged.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(logged).toEqual([{ reason, actor: `contact:${coordinator.id}` }]);
  });
});
