// The coordinator's recruitment pages in a real browser (Chromium, JavaScript off): the office's rounds, and a
// round as a pipeline with each candidate's step, deadline, overdue mark or reason for leaving. Another office's
// coordinator does not see the round in its list and gets 404 for its page, as for an unknown id; an employer gets
// 404 too. axe-core (WCAG 2.1 A and AA) on every page: zero violations; a phone's width.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../domain/calendar';
import { startWebWorld, type WebWorld } from './helpers/browser';
import { addContact, createKey, type Partners, seedPartners } from './helpers/partners';

let web: WebWorld;
let api: WebWorld['api'];
let mine: Partners;
let roundId: string;
let coordinator: { id: string; email: string };
let intruder: { id: string; email: string };
let employer: { id: string; email: string };

const contact = (organisationId: string, role: string, name: string) =>
  addContact(api.call, organisationId, role, name);

beforeAll(async () => {
  web = await startWebWorld();
  api = web.api;
  mine = await seedPartners(api.call);
  const theirs = await seedPartners(api.call, 'Zeeland');
  coordinator = await contact(mine.officeId, 'coordinator', 'Carla Coördinator');
  intruder = await contact(theirs.officeId, 'coordinator', 'Ines Indringer');
  employer = await contact(mine.employerIds[0]!, 'workplace_trainer', 'Petra Praktijkopleider');
  const key = await createKey(api.call, mine.officeId, 'coordinator');
  roundId = (
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
        { firstName: 'Zoë', lastName: 'de Vries', dateOfBirth: '1994-03-02' },
        { firstName: 'Ahmed', lastName: 'Öztürk', dateOfBirth: '1989-11-20' },
        { firstName: 'Sanne', lastName: 'Jansen', dateOfBirth: '1999-07-14' },
      ],
    },
    key,
  );
  expect(added.status, JSON.stringify(added.json)).toBe(201);
  const [zoe, ahmed] = added.json.candidates as { id: string }[];
  const on = localDate(Date.now());
  expect(
    (await api.call('POST', `/v1/candidates/${zoe!.id}/steps`, { step: 'voorlichting', outcome: 'attended', on }, key))
      .status,
  ).toBe(200);
  expect((await api.call('POST', `/v1/candidates/${ahmed!.id}/leave`, { reason: 'found_work', on }, key)).status).toBe(
    200,
  );
}, 180_000);
afterAll(async () => web?.close());

const cellsOf = async (page: Page, caption: string) =>
  page
    .locator('table', { has: page.locator('caption', { hasText: caption }) })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())),
    );

describe('recruitment pages', () => {
  it('show the office its rounds and a round as a pipeline, each candidate where it stands', async () => {
    const page = await web.signIn(coordinator);
    await page.getByRole('link', { name: /Werving en selectie/ }).click();
    await web.noAxeViolations(page);
    await page.getByRole('link', { name: 'Voorjaar 2027' }).click();
    expect(page.url()).toContain(`/werving/${roundId}`);
    await web.noAxeViolations(page);
    const steps = await cellsOf(page, 'Het draaiboek');
    expect(steps.slice(0, 2)).toEqual([
      ['Voorlichtingsbijeenkomst', '1', '0', '1'],
      ['Groepsintake', '1', '0', '0'],
    ]);
    const candidates = await cellsOf(page, 'Kandidaten');
    expect(candidates.map((c) => c.slice(1))).toEqual([
      ['Zoë de Vries', expect.stringMatching(/^Groepsintake, uiterlijk /)],
      ['Ahmed Öztürk', 'Gestopt bij Voorlichtingsbijeenkomst: Ander werk gevonden'],
      ['Sanne Jansen', expect.stringMatching(/^Voorlichtingsbijeenkomst, uiterlijk /)],
    ]);
    expect(candidates.every((c) => /^K-[0-9A-F]{10}$/.test(c[0]!))).toBe(true);
  });

  it('fit a phone', async () => {
    const page = await web.signIn(coordinator, { phone: true });
    await page.goto(`${web.base}/werving/${roundId}`);
    // Nothing wider than the 375 px screen: the tables scroll in their own region.
    expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(375);
    await web.noAxeViolations(page);
  });

  it("are another office's nothing: not in its list, 404 as for an unknown round; 404 for an employer", async () => {
    const page = await web.signIn(intruder);
    await page.goto(`${web.base}/werving`);
    expect(await page.locator('main').textContent()).not.toContain('Voorjaar 2027');
    const theirs = await page.goto(`${web.base}/werving/${roundId}`);
    const theirsText = await page.locator('main').textContent();
    const unknown = await page.goto(`${web.base}/werving/${roundId}x`);
    expect([theirs?.status(), unknown?.status()]).toEqual([404, 404]);
    expect(await page.locator('main').textContent()).toBe(theirsText);
    const trainer = await web.signIn(employer);
    expect((await trainer.goto(`${web.base}/werving`))?.status()).toBe(404);
    expect((await trainer.goto(`${web.base}/werving/${roundId}`))?.status()).toBe(404);
  });
});
