// "Collega's" in a real browser with JavaScript off: a workplace trainer adds and invites a colleague; the
// invitation arrives in the development mailbox and its link signs the colleague in. Another organisation's
// contact and page answer 404, as through the API. axe-core (WCAG 2.1 A and AA): zero violations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { uniqueId } from './helpers/fixtures';
import { addContact, seedPartners, type Partners } from './helpers/partners';

let web: WebWorld;
let partners: Partners;
let trainer: { id: string; email: string };

beforeAll(async () => {
  web = await startWebWorld();
  partners = await seedPartners(web.api.call);
  trainer = await addContact(web.api.call, partners.employerIds[0]!, 'workplace_trainer', 'Petra Praktijkopleider');
}, 180_000);

afterAll(async () => {
  await web?.close();
});

describe("the workplace trainer's colleagues", () => {
  it('adds and invites a colleague, who signs in with the mailed link; another employer is out of reach', async () => {
    const employer = partners.employerIds[0]!;
    const page = await web.signIn(trainer);
    await page.getByRole('link', { name: /^Collega's/ }).click();
    expect(page.url()).toBe(`${web.base}/organisaties/${employer}/collegas`);
    await expect(page.locator('h1').textContent()).resolves.toBe("Collega's bij Zorggroep Breda");
    await expect(page.getByRole('row', { name: /Petra Praktijkopleider/ }).count()).resolves.toBe(1);
    await web.noAxeViolations(page);

    // A bad address gets its message next to the field, and nobody is added.
    const email = `${uniqueId('karin')}@zorggroep.example.nl`;
    await page.getByLabel('Naam').fill('Karin Collega');
    await page.getByLabel('E-mailadres').fill('karin-zonder-domein');
    await page.getByRole('button', { name: 'Toevoegen en uitnodigen' }).click();
    await expect(page.locator('#email-fout').textContent()).resolves.toMatch(/geen geldig e-mailadres/);
    await web.noAxeViolations(page);
    // An employer adds workplace trainers only: the one role is chosen already.
    await expect(page.getByRole('radio').count()).resolves.toBe(1);
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByRole('button', { name: 'Toevoegen en uitnodigen' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      new RegExp(`Karin Collega is toegevoegd. De uitnodiging is verstuurd naar ${email}`),
    );
    await web.noAxeViolations(page);
    const added = await web.api.db
      .selectFrom('contact')
      .select(['organisation_id', 'role', 'name'])
      .where('email', '=', email)
      .execute();
    expect(added).toEqual([{ organisation_id: employer, role: 'workplace_trainer', name: 'Karin Collega' }]);

    // The invitation's link signs Karin in, in her own browser.
    const mail = await web.mailTo(email, /uitnodiging/);
    const link = new RegExp(`(${web.base}/inloggen/\\S+)`).exec(mail.text)?.[1];
    expect(link, mail.text).toBeDefined();
    const karin = await (await web.context()).newPage();
    await karin.goto(link!);
    await karin.getByRole('button', { name: 'Inloggen' }).click();
    await expect(karin.locator('h1').textContent()).resolves.toBe('Welkom, Karin Collega');

    // Another employer's contact cannot be invited from here, nor is its page there: 404, and no mail.
    const other = await addContact(web.api.call, partners.employerIds[1]!, 'workplace_trainer', 'Olaf Ander');
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const foreign = await page.request.post(`${web.base}/organisaties/${employer}/collegas/${other.id}/uitnodigen`, {
      form: { _csrf: csrf, formKey: uniqueId('sleutel') },
    });
    expect(foreign.status()).toBe(404);
    const elsewhere = await page.request.post(
      `${web.base}/organisaties/${partners.employerIds[1]}/collegas/${other.id}/uitnodigen`,
      { form: { _csrf: csrf, formKey: uniqueId('sleutel') } },
    );
    expect(elsewhere.status()).toBe(404);
    const otherPage = await page.goto(`${web.base}/organisaties/${partners.employerIds[1]}/collegas`);
    expect(otherPage?.status()).toBe(404);
    await expect(otherPage!.text()).resolves.not.toContain('Olaf Ander');
    const mails = await web.api.db
      .selectFrom('dev_mailbox')
      .select('id')
      .where('recipient', '=', other.email)
      .execute();
    expect(mails).toEqual([]);
  }, 180_000);
});
