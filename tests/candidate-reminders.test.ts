// Candidates' deadlines in the coordinator's morning mail, end to end: the real candidate workflows on the Temporal
// test server project where each candidate stands into a throwaway PostgreSQL database, the digest composes through
// the outbox, and a real SMTP server receives the mails (parsed back with mailparser). A step whose reminder day
// has come is in the mail, an overdue one too, and after two mornings of reminders the overdue step is escalated,
// once; a repeated digest sends nothing; another office's coordinator never hears of these candidates.
import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import { dutchHolidays } from '../activities/holidays';
import { addDays, isWorkingDay, localDate, localInstant, nextWorkingDay } from '../domain/calendar';
import { createMailer, type Mailer } from '../infra/mail';
import { startTestApi, type TestApi } from './helpers/api';
import { createKey, seedPartners, type Partners } from './helpers/partners';
import { startSmtp, type TestSmtp } from './helpers/smtp';

let api: TestApi;
let smtp: TestSmtp;
let mailer: Mailer;
let mine: Partners;
let theirs: Partners;
let zoe: { id: string; reference: string; dueOn: string };
const holidays = new Set(dutchHolidays('2026-01-01', '2031-12-31').map((h) => h.date));
const letters = () => randomUUID().replace(/[^a-f]/g, '');
const CARLA = `carla.${letters()}@programmabureau.example.nl`;
const OTTO = `otto.${letters()}@ander-bureau.example.nl`;

const activities = (day: string) =>
  createActivities({
    db: api.db,
    mailer,
    temporal: api.env.client,
    publicUrl: 'https://toeleiding.example.nl',
    now: () => localInstant(day, 10),
  });
/** The morning of `day`: composed into the outbox and delivered; what the SMTP server received. */
async function morning(day: string): Promise<ParsedMail[]> {
  const before = smtp.received.length;
  const a = activities(day);
  const ids = await a.composeDigests({ date: day });
  if (ids.length) await a.deliverMail({ ids });
  return smtp.received.slice(before);
}
const to = (mails: ParsedMail[], address: string) =>
  mails.filter((m) => (m.to as { text: string } | undefined)?.text === address);

beforeAll(async () => {
  // Digests look at every candidate and trajectory, so this file has a database of its own.
  api = await startTestApi({ ownDatabase: true });
  mine = await seedPartners(api.call);
  theirs = await seedPartners(api.call, 'Midden-Brabant');
  for (const [office, name, email] of [
    [mine.officeId, 'Carla Coördinator', CARLA],
    [theirs.officeId, 'Otto Overbeek', OTTO],
  ] as const)
    expect(
      (await api.call('POST', `/v1/organisations/${office}/contacts`, { role: 'coordinator', name, email })).status,
    ).toBe(201);
  const coordinator = await createKey(api.call, mine.officeId, 'coordinator');
  const round = await api.call(
    'POST',
    '/v1/recruitment-rounds',
    { programmeId: 'welslagen', region: 'West-Brabant', name: 'Voorjaar' },
    coordinator,
  );
  const added = await api.call(
    'POST',
    `/v1/recruitment-rounds/${(round.json as { id: string }).id}/candidates`,
    { candidates: [{ firstName: 'Zoë', lastName: 'de Vries', email: `zoe.${letters()}@example.nl` }] },
    coordinator,
  );
  expect(added.status).toBe(201);
  const c = (added.json as { candidates: { id: string; reference: string }[] }).candidates[0]!;
  // The process projects the first step's deadline (21 days for WelSlagen's voorlichting).
  for (let i = 0; i < 100; i++) {
    const row = await api.db
      .selectFrom('candidate')
      .select(['seq', 'due_on'])
      .where('id', '=', c.id)
      .executeTakeFirst();
    if (row && row.seq > 0) {
      zoe = { ...c, dueOn: row.due_on };
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(zoe.dueOn).toBe(addDays(localDate(Date.now()), 21));
  smtp = await startSmtp();
  mailer = createMailer(
    { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>' },
    api.db,
  );
}, 180_000);

afterAll(async () => {
  mailer?.close();
  await smtp?.stop();
  await api?.close();
});

describe("candidates' deadlines in the morning mail", () => {
  it('say nothing before the reminder day', async () => {
    const early = nextWorkingDay(addDays(zoe.dueOn, -10), holidays);
    expect(to(await morning(early), CARLA)).toEqual([]);
  });

  it("remind the office's coordinator from the reminder day, once a morning", async () => {
    // WelSlagen reminds 3 days before the voorlichting's deadline.
    const day = [-3, -2, -1, 0].map((n) => addDays(zoe.dueOn, n)).find((d) => isWorkingDay(d, holidays))!;
    const mails = await morning(day);
    const carla = to(mails, CARLA);
    expect(carla).toHaveLength(1);
    expect(carla[0]!.text).toContain('Kandidaat: termijn nadert');
    expect(carla[0]!.text).toContain(`Zoë (${zoe.reference})`);
    expect(carla[0]!.text).toContain('Voorlichtingsbijeenkomst in Voorjaar');
    expect(carla[0]!.text).toContain(`https://toeleiding.example.nl/werving/kandidaten/${zoe.id}`);
    expect(carla[0]!.text).not.toContain('de Vries');
    expect(to(mails, OTTO)).toEqual([]);
    // The same morning again sends nothing.
    expect(await morning(day)).toEqual([]);
  });

  it('call an overdue step late, escalate it after two mornings of reminders, and raise that once', async () => {
    const first = nextWorkingDay(zoe.dueOn, holidays);
    const second = nextWorkingDay(first, holidays);
    const third = nextWorkingDay(second, holidays);
    const fourth = nextWorkingDay(third, holidays);
    const texts: string[] = [];
    for (const day of [first, second, third, fourth]) {
      const carla = to(await morning(day), CARLA);
      expect(carla, day).toHaveLength(1);
      texts.push(carla[0]!.text as string);
      expect(texts.at(-1)).toContain('Kandidaat: stap te laat');
    }
    expect(texts.map((t) => t.includes('Kandidaat: stap na herhaalde herinnering nog open'))).toEqual([
      false,
      false,
      true,
      false,
    ]);
    expect(texts[2]).toContain('Al 2 keer herinnerd');
    const carried = await api.db
      .selectFrom('outbox_candidate_item')
      .select(['kind'])
      .where('candidate_id', '=', zoe.id)
      .where('kind', '=', 'candidate_escalation')
      .execute();
    expect(carried).toHaveLength(1);
    expect(await morning(fourth)).toEqual([]);
  });

  it('stop once the step is recorded', async () => {
    const coordinator = await createKey(api.call, mine.officeId, 'coordinator');
    const on = localDate(Date.now());
    const res = await api.call(
      'POST',
      `/v1/candidates/${zoe.id}/steps`,
      { step: 'voorlichting', outcome: 'absent', on },
      coordinator,
    );
    expect(res.status).toBe(200);
    const later = nextWorkingDay(addDays(zoe.dueOn, 10), holidays);
    expect(to(await morning(later), CARLA)).toEqual([]);
  });
});
