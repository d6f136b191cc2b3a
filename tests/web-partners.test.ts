// The employer's and the ROC's further pages in a real browser (the machine's Chromium, JavaScript off): the
// workplace trainer confirms a BBL contract from the morning mail's link and answers a follow-up question from
// it, the coordinator sees both through the API; the ROC publishes a closure and confirms an enrolment (by keyboard
// alone) after signing in; the trainer's participants page. A wrong date or a refusal of the workflow gets a Dutch
// message next to its field with 422 and records nothing; another office's trajectory or organisation answers 404
// like an unknown one. Every page, in each state, is checked with axe-core (WCAG 2.1 A and AA): zero violations.
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, localDate } from '../domain/calendar';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { cohortRequest, shortTemplate, thisMonday, uniqueId, welslagenTemplate } from './helpers/fixtures';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';

type Launched = { id: string; employerId: string; reference: string };

let web: WebWorld;
let api: WebWorld['api'];
let base: string;
let partners: Partners;
let coordinator: string;
let trainer: { id: string; email: string };
let roc: { id: string; email: string };
/** WelSlagen (the BBL decision from week 16), in week 3 today. */
let early: Launched[];
/** The BBL decision open from week 1, in week 3 today. */
let deciding: Launched[];
/** A two-week programme that ended last week and flowed into BBL; its 3-month follow-up is open. */
let followed: Launched;
/** Another office's partners and participant. */
let foreign: { partners: Partners; trajectory: Launched };
const start = addDays(thisMonday(), -14);
const today = localDate(Date.now());

const noAxeViolations = (page: Page) => web.noAxeViolations(page);
/** The morning digest's subject (not a sign-in mail's). */
const DIGEST = /^Toeleiding – (?!uw inloglink)/;
const errorOf = (page: Page, field: string) => page.locator(`#${field}-fout`).textContent();

/** Clicks a submit button and waits for the page it posts to: the response's status. */
async function submit(page: Page, name: string | RegExp): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r: Response) => r.request().method() === 'POST'),
    page.getByRole('button', { name }).click(),
  ]);
  await page.waitForLoadState();
  return response.status();
}

const trajectory = async (id: string) =>
  (await api.call('GET', `/v1/trajectories/${id}`, undefined, coordinator)).json as {
    live: { open: { bbl: string[] } };
    events: { type: string; data: Record<string, unknown> }[];
  };
const bblEvents = async (id: string) => (await trajectory(id)).events.filter((e) => e.type === 'bbl_confirmed');

async function contact(organisationId: string, role: string, name: string) {
  const email = `${uniqueId(role)}@example.nl`;
  const made = await api.call('POST', `/v1/organisations/${organisationId}/contacts`, { role, name, email });
  expect(made.status).toBe(201);
  return { id: made.json.id as string, email };
}

async function launch(p: Partners, o: { programmeId?: string; size: number; prefix: string; startDate?: string }) {
  const request = cohortRequest({ ...p, size: o.size, startDate: o.startDate ?? start });
  const launched = await api.call('POST', '/v1/cohorts', {
    ...request,
    ...(o.programmeId ? { programmeId: o.programmeId } : {}),
    participants: request.participants.map((x) => ({ ...x, reference: x.reference.replace('WB', o.prefix) })),
  });
  expect(launched.status, JSON.stringify(launched.json)).toBe(201);
  return { cohortId: launched.json.id as string, trajectories: launched.json.trajectories as Launched[] };
}

async function programme(template: ReturnType<typeof welslagenTemplate>) {
  const id = uniqueId('programma');
  expect((await api.call('POST', '/v1/programmes', { id, name: 'Programma', template })).status).toBe(201);
  return id;
}

beforeAll(async () => {
  web = await startWebWorld();
  ({ api, base } = web);
  partners = await seedPartners(api.call);
  coordinator = await createKey(api.call, partners.officeId, 'coordinator');
  trainer = await contact(partners.employerIds[0]!, 'workplace_trainer', 'Petra Praktijkopleider');
  roc = await contact(partners.schoolId, 'roc_coordinator', 'Rob Bpv-coördinator');

  const a = await launch(partners, { size: 2, prefix: 'WS' });
  const b = await launch(partners, {
    size: 4,
    prefix: 'KB',
    programmeId: await programme(welslagenTemplate({ bblDecisionFromWeek: 1 })),
  });
  const c = await launch(partners, { size: 1, prefix: 'NZ', programmeId: await programme(shortTemplate()) });
  await untilStarted(api.db, a.cohortId);
  await untilStarted(api.db, b.cohortId);
  early = a.trajectories;
  deciding = b.trajectories;
  followed = c.trajectories[0]!;

  // The two-week trajectory ended last Friday; both confirm BBL from a start three months and a week ago, so its
  // 3-month follow-up question is open now.
  const bblStart = addMonths(addDays(thisMonday(), -7), -3);
  for (const body of [{ by: 'employer', contractStartDate: bblStart }, { by: 'school' }])
    expect((await api.call('POST', `/v1/trajectories/${followed.id}/bbl`, body)).status).toBe(200);
  for (let i = 0; i < 200; i++) {
    const f = await api.call('GET', `/v1/trajectories/${followed.id}/follow-ups`);
    if ((f.json.followUps as { months: number; status: string }[]).some((x) => x.months === 3 && x.status === 'open'))
      break;
    await new Promise((r) => setTimeout(r, 100));
  }

  const other = await seedPartners(api.call, 'Zeeland');
  foreign = { partners: other, trajectory: (await launch(other, { size: 1, prefix: 'ZL' })).trajectories[0]! };
}, 240_000);

afterAll(async () => {
  await web?.close();
});

describe('the workplace trainer', () => {
  it('confirms a BBL contract from the morning mail; a missing date is refused next to its field', async () => {
    const mine = deciding.find((t) => t.employerId === partners.employerIds[0])!;
    // The BBL decision is asked on the week's first morning.
    await web.sendDigest(thisMonday());
    const mail = await web.mailTo(trainer.email, DIGEST);
    expect(mail.text).not.toMatch(/POST|\/v1\//);
    const link = new RegExp(
      `\\(${mine.reference}\\)\\n(?: {2}.*\\n)*? {2}Bevestig het BBL-besluit: (${base}/l/\\S+)`,
    ).exec(mail.text)?.[1];
    expect(link, mail.text).toBeDefined();

    const page = await (await web.context({ phone: true })).newPage();
    await page.goto(link!);
    expect(page.url()).toBe(`${base}/trajecten/${mine.id}/bbl`);
    await expect(page.locator('h1').textContent()).resolves.toBe(`BBL-besluit voor Deelnemer (${mine.reference})`);
    // The employer confirms for the employer only.
    expect(await page.getByRole('button', { name: 'Inschrijving bevestigen' }).count()).toBe(0);
    await noAxeViolations(page);

    // A BBL contract without its start date: the message stands next to the date, nothing is recorded.
    await page.getByLabel('Een BBL-arbeidsovereenkomst (werken en leren)').check();
    expect(await submit(page, 'Afspraak bevestigen')).toBe(422);
    await expect(errorOf(page, 'startdatum')).resolves.toBe('Vul de startdatum van de BBL-arbeidsovereenkomst in.');
    expect(await page.locator('#startdatum').getAttribute('aria-invalid')).toBe('true');
    await noAxeViolations(page);
    expect(await bblEvents(mine.id)).toEqual([]);

    const contractStart = addDays(today, 60);
    await page.getByLabel('Startdatum van de BBL-arbeidsovereenkomst').fill(contractStart);
    expect(await submit(page, 'Afspraak bevestigen')).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Vastgelegd: BBL-arbeidsovereenkomst vanaf/);
    await expect(page.locator('dl').textContent()).resolves.toMatch(/BBL-arbeidsovereenkomst vanaf/);
    await noAxeViolations(page);

    // The coordinator sees it through the API: the contract recorded, the ROC's enrolment still open.
    expect((await bblEvents(mine.id)).map((e) => e.data)).toEqual([
      { by: 'employer', contractStartDate: contractStart },
    ]);
    expect((await trajectory(mine.id)).live.open.bbl).toEqual(['school_enrolment']);
    // The link's session reaches this task only.
    await page.goto(`${base}/organisaties/${partners.employerIds[0]}/deelnemers`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Log in voor deze pagina');
  }, 120_000);

  it('answers the follow-up question from the same morning mail', async () => {
    const mail = await web.mailTo(trainer.email, DIGEST);
    const link = new RegExp(
      `\\(${followed.reference}\\)\\n(?: {2}.*\\n)*? {2}Beantwoord de vraag: (${base}/l/\\S+)`,
    ).exec(mail.text)?.[1];
    expect(link, mail.text).toBeDefined();
    const page = await (await web.context()).newPage();
    await page.goto(link!);
    expect(page.url()).toBe(`${base}/trajecten/${followed.id}/nazorg/3`);
    await noAxeViolations(page);
    // No choice: the message stands next to the question.
    expect(await submit(page, 'Antwoord versturen')).toBe(422);
    await expect(errorOf(page, 'employed')).resolves.toBe('Kies ja of nee.');
    await noAxeViolations(page);
    await page.getByRole('group', { name: 'Werkt Deelnemer nog bij u?' }).getByLabel('Ja').check();
    expect(await submit(page, 'Antwoord versturen')).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/Uw antwoord is vastgelegd/);
    await noAxeViolations(page);
    const followUps = (await api.call('GET', `/v1/trajectories/${followed.id}/follow-ups`, undefined, coordinator)).json
      .followUps as { months: number; employed: boolean | null; enrolled: boolean | null }[];
    expect(followUps.find((f) => f.months === 3)).toMatchObject({ employed: true, enrolled: null });
  }, 120_000);

  it('sees its participants with their next days, and the way to the week and the BBL decision', async () => {
    const page = await web.signIn(trainer);
    await page.getByRole('link', { name: 'Mijn deelnemers' }).click();
    expect(page.url()).toBe(`${base}/organisaties/${partners.employerIds[0]}/deelnemers`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Mijn deelnemers');
    await noAxeViolations(page);
    const rows = await page.locator('tbody tr').allTextContents();
    const placedHere = [...early, ...deciding].filter((t) => t.employerId === partners.employerIds[0]);
    expect(rows).toHaveLength(placedHere.length); // the finished trajectory is no longer listed
    for (const t of placedHere) expect(rows.some((r) => r.includes(`(${t.reference})`))).toBe(true);
    // Placement days are Monday to Wednesday: each has some in the next four weeks.
    for (const r of rows) expect(r).toMatch(/(maandag|dinsdag|woensdag) \d+ /);
    await page.getByRole('link', { name: 'Aanwezigheid van deze week' }).click();
    expect(page.url()).toBe(`${base}/organisaties/${partners.employerIds[0]}/weken/${thisMonday()}`);
    await page.goBack();
    const other = deciding.find((t) => t.employerId === partners.employerIds[0])!;
    expect(await page.getByRole('link', { name: /^BBL-besluit van/ }).count()).toBe(placedHere.length);
    await page.locator(`a[href="/trajecten/${other.id}/bbl"]`).click();
    await expect(page.locator('h1').textContent()).resolves.toBe(`BBL-besluit voor Deelnemer (${other.reference})`);
  }, 120_000);
});

describe('the ROC', () => {
  it('publishes a closure: a wrong date is refused next to its field, then it is published', async () => {
    const page = await web.signIn(roc);
    await page.goto(`${base}/organisaties/${partners.schoolId}/sluitingen`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Sluitingsdagen');
    await expect(page.locator('main').textContent()).resolves.toMatch(/nog geen sluitingsdagen/);
    await noAxeViolations(page);

    const from = addDays(thisMonday(), 17); // a Thursday: a school day
    await page.getByLabel('Naam').fill('Studiedag');
    await page.getByLabel('Eerste dag').fill(from);
    await page.getByLabel('Laatste dag').fill(addDays(from, -2));
    expect(await submit(page, 'Sluiting publiceren')).toBe(422);
    await expect(errorOf(page, 'tot')).resolves.toBe('De laatste dag ligt vóór de eerste dag.');
    expect(await page.locator('#tot').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Naam').inputValue()).toBe('Studiedag'); // what was typed stays
    await noAxeViolations(page);
    const saved = () =>
      api.db.selectFrom('school_closure').selectAll().where('school_id', '=', partners.schoolId).execute();
    expect(await saved()).toEqual([]);

    await page.getByLabel('Laatste dag').fill(from);
    expect(await submit(page, 'Sluiting publiceren')).toBe(200);
    const running = early.length + deciding.length;
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      new RegExp(`Gepubliceerd: Studiedag, .* Doorgegeven aan ${running} lopende trajecten`),
    );
    await expect(page.locator('tbody').textContent()).resolves.toMatch(/Studiedag/);
    await noAxeViolations(page);
    expect((await saved()).map((c) => [c.name, c.from_date, c.to_date])).toEqual([['Studiedag', from, from]]);
    // As the API lists it; and the day is no longer planned for the ROC's participants.
    const listed = await api.call('GET', `/v1/organisations/${partners.schoolId}/closures`, undefined, coordinator);
    expect((listed.json.items as { name: string }[]).map((c) => c.name)).toEqual(['Studiedag']);
    const dayStatus = async () => {
      const schedule = await api.call('GET', `/v1/trajectories/${early[0]!.id}/schedule`, undefined, coordinator);
      return (schedule.json.weeks as { days: { date: string; kind: string; status: string }[] }[])
        .flatMap((w) => w.days)
        .find((d) => d.date === from && d.kind === 'school')?.status;
    };
    for (let i = 0; i < 50 && (await dayStatus()) !== 'not_planned'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await dayStatus()).toBe('not_planned');
  }, 120_000);

  it('confirms an enrolment by keyboard alone; before the decision week, the refusal stands by the field', async () => {
    const page = await web.signIn(roc);
    // WelSlagen's decision opens in week 16: refused, in Dutch, nothing recorded.
    await page.goto(`${base}/trajecten/${early[0]!.id}/bbl`);
    expect(await page.getByRole('button', { name: 'Afspraak bevestigen' }).count()).toBe(0);
    await page.getByLabel(/is ingeschreven voor de BBL-opleiding/).check();
    expect(await submit(page, 'Inschrijving bevestigen')).toBe(422);
    await expect(errorOf(page, 'ingeschreven')).resolves.toBe(
      'Het BBL-besluit kan pas worden bevestigd vanaf week 16 van het traject; nu is het week 3.',
    );
    await noAxeViolations(page);
    expect(await bblEvents(early[0]!.id)).toEqual([]);

    // The employer of this one confirmed its contract above; the ROC's enrolment completes the decision.
    const mine = deciding.find((t) => t.employerId === partners.employerIds[0])!;
    await page.goto(`${base}/trajecten/${mine.id}/bbl`);
    await noAxeViolations(page);
    await page.getByLabel(/is ingeschreven voor de BBL-opleiding/).focus();
    await page.keyboard.press('Space');
    expect(await page.getByLabel(/is ingeschreven voor de BBL-opleiding/).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect((await page.locator(':focus').textContent())?.trim()).toBe('Inschrijving bevestigen');
    const [response] = await Promise.all([
      page.waitForResponse((r: Response) => r.request().method() === 'POST'),
      page.keyboard.press('Enter'),
    ]);
    await page.waitForLoadState();
    expect(response.status()).toBe(200);
    expect((await page.getByRole('status').textContent())?.trim()).toBe(
      'Dank u wel. De inschrijving van Deelnemer is bevestigd.',
    );
    await noAxeViolations(page);
    expect((await bblEvents(mine.id)).map((e) => e.data.by)).toEqual(['employer', 'school']);
    expect((await trajectory(mine.id)).live.open.bbl).toEqual([]);
  }, 120_000);
});

describe("another office's objects", () => {
  it('answer 404 like unknown ones, on every new page', async () => {
    const trainerPage = await web.signIn(trainer);
    const status = async (page: Page, path: string) => (await page.goto(`${base}${path}`))?.status();
    const theirs = foreign.trajectory.id;
    const nobody = uniqueId('nergens');
    for (const path of [
      `/trajecten/${theirs}/bbl`,
      `/trajecten/${nobody}/bbl`,
      `/trajecten/${theirs}/nazorg/3`,
      `/trajecten/${nobody}/nazorg/3`,
      `/organisaties/${foreign.partners.employerIds[0]}/deelnemers`,
      `/organisaties/${nobody}/deelnemers`,
      // Another employer of the same office, and its participant.
      `/organisaties/${partners.employerIds[1]}/deelnemers`,
      `/trajecten/${deciding.find((t) => t.employerId === partners.employerIds[1])!.id}/bbl`,
    ])
      expect([path, await status(trainerPage, path)]).toEqual([path, 404]);
    await expect(trainerPage.locator('h1').textContent()).resolves.toBe('Niet gevonden');
    await noAxeViolations(trainerPage);
    // A form posted to another office's trajectory with a valid token: the same 404, and nothing recorded.
    await trainerPage.goto(
      `${base}/trajecten/${deciding.find((t) => t.employerId === partners.employerIds[0])!.id}/bbl`,
    );
    const csrf = await trainerPage.locator('input[name=_csrf]').first().inputValue();
    const posted = await trainerPage.request.post(`${base}/trajecten/${theirs}/bbl`, {
      form: { _csrf: csrf, formKey: uniqueId('k'), by: 'employer', afspraak: 'baan' },
    });
    expect(posted.status()).toBe(404);
    expect(await posted.text()).not.toContain('Zeeland');
    const foreignEvents = await api.db
      .selectFrom('trajectory_event')
      .select('type')
      .where('trajectory_id', '=', theirs)
      .where('type', '=', 'bbl_confirmed')
      .execute();
    expect(foreignEvents).toEqual([]);

    const rocPage = await web.signIn(roc);
    for (const path of [`/organisaties/${foreign.partners.schoolId}/sluitingen`, `/organisaties/${nobody}/sluitingen`])
      expect([path, await status(rocPage, path)]).toEqual([path, 404]);
    // An ROC has no employer's participants page of another organisation, nor an employer an ROC's closures.
    expect(await status(trainerPage, `/organisaties/${partners.schoolId}/sluitingen`)).toBe(404);
  }, 120_000);
});
