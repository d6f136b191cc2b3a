// Offices are sealed from each other (issue 15). Two programme offices, each with its own partners, contacts,
// keys, programme and cohort. Coordinator A, as an attacker holding its own office's key, tries every write on
// office B's objects and every client-chosen id of B's; each must be refused exactly as an unknown object would
// be, and show in B's audit log. Then the morning digest runs: nothing of B's reaches any contact of A.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createActivities } from '../activities';
import { dutchHolidays } from '../activities/holidays';
import type { Db } from '../db/connection';
import { addDays, localInstant, nextWorkingDay } from '../domain/calendar';
import { startTestApi, type TestApi } from './helpers/api';
import { cohortRequest, thisMonday, welslagenTemplate } from './helpers/fixtures';
import { seedPartners, type Call, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';
import type { Json } from './helpers/json';

let api: TestApi;
let db: Db;
let call: Call;
let A: Partners;
let B: Partners;
let coordA: string;
let coordAKeyId: string;
let coordB: string;
let keyOfB: string;
let linkOfB: string;
let contactOfB: string;
let mailOfB: string;
let cohortB: { id: string; trajectories: { id: string }[] };
let cohortA: { id: string; trajectories: { id: string }[] };
const start = addDays(thisMonday(), -14);
const holidays = new Set(dutchHolidays('2026-01-01', '2030-12-31').map((h) => h.date));
const EVIL = 'evil@aanvaller.example.nl';

async function key(organisationId: string, role: string, token?: string) {
  const res = await call('POST', '/v1/api-keys', { organisationId, role, label: `${role} key` }, token);
  expect(res.status).toBe(201);
  return res.json as { id: string; secret: string };
}

beforeAll(async () => {
  // The digest looks at every running trajectory: a database of this file's own.
  api = await startTestApi({ ownDatabase: true });
  ({ db, call } = api);
  A = await seedPartners(call, 'West-Brabant');
  B = await seedPartners(call, 'Zeeland');
  const a = await key(A.officeId, 'coordinator');
  coordA = a.secret;
  coordAKeyId = a.id;
  coordB = (await key(B.officeId, 'coordinator')).secret;
  keyOfB = (await key(B.employerIds[0]!, 'employer', coordB)).id;
  // Office B's people: they, and only they, hear about B's participants.
  const contact = async (org: string, role: string, email: string, token: string) => {
    const made = await call('POST', `/v1/organisations/${org}/contacts`, { role, name: 'Contact', email }, token);
    expect(made.status).toBe(201);
    return made.json.id as string;
  };
  contactOfB = await contact(B.employerIds[0]!, 'workplace_trainer', 'trainer@b.example.nl', coordB);
  await contact(B.schoolId, 'roc_coordinator', 'roc@b.example.nl', coordB);
  await contact(B.officeId, 'coordinator', 'coordinator@b.example.nl', coordB);
  // Office A's contacts, among them the attacker's address, on A's own organisations.
  await contact(A.employerIds[0]!, 'workplace_trainer', EVIL, coordA);
  await contact(A.officeId, 'coordinator', EVIL, coordA);
  // Office B derives its own programme from the shared WelSlagen template.
  expect(
    (
      await call(
        'POST',
        '/v1/programmes',
        { id: `${B.officeId}.welslagen`, name: 'WelSlagen Zeeland', basedOn: { id: 'welslagen' } },
        coordB,
      )
    ).status,
  ).toBe(201);
  cohortB = (
    await call(
      'POST',
      '/v1/cohorts',
      { ...cohortRequest({ ...B, size: 2, startDate: start }), programmeId: `${B.officeId}.welslagen` },
      coordB,
    )
  ).json;
  cohortA = (await call('POST', '/v1/cohorts', cohortRequest({ ...A, size: 2, startDate: start }), coordA)).json;
  await untilStarted(db, cohortB.id);
  await untilStarted(db, cohortA.id);
  linkOfB = (await call('POST', '/v1/calendar-links', { trajectoryId: cohortB.trajectories[0]!.id }, coordB)).json?.id;
  // A mail of B's that failed (a digest about B's participant, on a day long past, so the morning digest below
  // composes its own): B's coordinator may resend it, nobody of A.
  mailOfB = randomUUID();
  await db
    .insertInto('outbox')
    .values({
      id: mailOfB,
      key: `trainer@b.example.nl|digest|2020-01-06`,
      recipient: 'trainer@b.example.nl',
      recipient_name: 'Contact',
      organisation_id: B.employerIds[0]!,
      kind: 'digest',
      day: '2020-01-06',
      subject: 'Toeleiding: uw taken',
      text: 'Taken',
      html: '<p>Taken</p>',
      status: 'failed',
      attempts: 5,
      last_error: '550 mailbox unavailable',
    })
    .execute();
  await db
    .insertInto('outbox_item')
    .values({
      outbox_id: mailOfB,
      trajectory_id: cohortB.trajectories[0]!.id,
      kind: 'attendance_placement',
      subject: 'Taken',
    })
    .execute();
});

afterAll(async () => {
  await api?.close();
});

/** The answer without what differs by request and by the id itself: what a caller can compare. */
const shape = (res: { status: number; json: Json }, id: string) => ({
  status: res.status,
  body: JSON.parse(JSON.stringify(res.json ?? null).replaceAll(id, '<id>')) as unknown,
  requestId: undefined,
});
const strip = (s: ReturnType<typeof shape>) => ({
  status: s.status,
  body: { ...(s.body as object), requestId: undefined, instance: undefined },
});

interface Attempt {
  name: string;
  method: string;
  url: (id: string) => string;
  body?: (id: string) => unknown;
  theirs: string;
  unknown: string;
}

const attempts = (): Attempt[] => [
  {
    name: "read B's employer",
    method: 'GET',
    url: (id) => `/v1/organisations/${id}`,
    theirs: B.employerIds[0]!,
    unknown: 'zorg-die-niet-bestaat',
  },
  {
    name: "read B's employer's contacts",
    method: 'GET',
    url: (id) => `/v1/organisations/${id}/contacts`,
    theirs: B.employerIds[0]!,
    unknown: 'zorg-die-niet-bestaat',
  },
  {
    name: "add a contact to B's employer",
    method: 'POST',
    url: (id) => `/v1/organisations/${id}/contacts`,
    body: () => ({ role: 'workplace_trainer', name: 'Evil', email: EVIL }),
    theirs: B.employerIds[0]!,
    unknown: 'zorg-die-niet-bestaat',
  },
  {
    name: 'add a coordinator contact to office B',
    method: 'POST',
    url: (id) => `/v1/organisations/${id}/contacts`,
    body: () => ({ role: 'coordinator', name: 'Evil', email: EVIL }),
    theirs: B.officeId,
    unknown: 'bureau-dat-niet-bestaat',
  },
  {
    name: "share B's employer with itself",
    method: 'POST',
    url: (id) => `/v1/organisations/${id}/shares`,
    body: () => ({ officeId: A.officeId }),
    theirs: B.employerIds[0]!,
    unknown: 'zorg-die-niet-bestaat',
  },
  {
    name: "read B's ROC's closures",
    method: 'GET',
    url: (id) => `/v1/organisations/${id}/closures`,
    theirs: B.schoolId,
    unknown: 'roc-dat-niet-bestaat',
  },
  {
    name: "read B's covenant",
    method: 'GET',
    url: (id) => `/v1/covenants/${id}`,
    theirs: B.covenantId,
    unknown: 'convenant-dat-niet-bestaat',
  },
  {
    name: "add members to B's covenant",
    method: 'POST',
    url: (id) => `/v1/covenants/${id}/members`,
    body: () => ({ members: [{ organisationId: A.employerIds[0], role: 'employer' }] }),
    theirs: B.covenantId,
    unknown: 'convenant-dat-niet-bestaat',
  },
  {
    name: "draw B's employer into A's covenant",
    method: 'POST',
    url: () => `/v1/covenants/${A.covenantId}/members`,
    body: (id) => ({ members: [{ organisationId: id, role: 'employer' }] }),
    theirs: B.employerIds[0]!,
    unknown: 'zorg-die-niet-bestaat',
  },
  {
    name: "draw office B into A's covenant",
    method: 'POST',
    url: () => `/v1/covenants/${A.covenantId}/members`,
    body: (id) => ({ members: [{ organisationId: id, role: 'jobcoaching' }] }),
    theirs: B.officeId,
    unknown: 'bureau-dat-niet-bestaat',
  },
  {
    name: "make a key for B's employer",
    method: 'POST',
    url: () => '/v1/api-keys',
    body: (id) => ({ organisationId: id, role: 'employer', label: 'overname' }),
    theirs: B.employerIds[0]!,
    unknown: 'zorg-die-niet-bestaat',
  },
  {
    name: "revoke B's key",
    method: 'DELETE',
    url: (id) => `/v1/api-keys/${id}`,
    theirs: keyOfB,
    unknown: '00000000-0000-4000-8000-000000000000',
  },
  {
    name: "read B's cohort",
    method: 'GET',
    url: (id) => `/v1/cohorts/${id}`,
    theirs: cohortB.id,
    unknown: '00000000-0000-4000-8000-000000000001',
  },
  {
    name: "read B's trajectory",
    method: 'GET',
    url: (id) => `/v1/trajectories/${id}`,
    theirs: cohortB.trajectories[0]!.id,
    unknown: '00000000-0000-4000-8000-000000000002',
  },
  {
    name: "pause B's trajectory",
    method: 'POST',
    url: (id) => `/v1/trajectories/${id}/changes`,
    body: () => ({ type: 'pause', from: addDays(thisMonday(), 7), reason: 'Overname' }),
    theirs: cohortB.trajectories[0]!.id,
    unknown: '00000000-0000-4000-8000-000000000002',
  },
  {
    name: "subscribe to B's trajectory calendar",
    method: 'POST',
    url: () => '/v1/calendar-links',
    body: (id) => ({ trajectoryId: id }),
    theirs: cohortB.trajectories[0]!.id,
    unknown: '00000000-0000-4000-8000-000000000002',
  },
  {
    name: "revoke B's calendar link",
    method: 'DELETE',
    url: (id) => `/v1/calendar-links/${id}`,
    theirs: linkOfB,
    unknown: '00000000-0000-4000-8000-000000000003',
  },
  {
    name: "publish a version of B's programme",
    method: 'POST',
    url: () => '/v1/programmes',
    body: (id) => ({ id, name: 'Eén week', template: welslagenTemplate({ weeks: 1 }) }),
    theirs: `${B.officeId}.welslagen`,
    unknown: `${B.officeId}.bestaat-niet`,
  },
  {
    name: "register an organisation under B's id",
    method: 'POST',
    url: () => '/v1/organisations',
    body: (id) => ({ id, name: 'Kaping', kind: 'employer' }),
    theirs: B.employerIds[0]!,
    unknown: 'zorg-die-niet-bestaat',
  },
  {
    name: "record a covenant under B's id",
    method: 'POST',
    url: () => '/v1/covenants',
    body: (id) => ({ id, name: 'Kaping', region: 'Zeeland', programmeOfficeId: A.officeId, members: [] }),
    theirs: B.covenantId,
    unknown: 'convenant-dat-niet-bestaat',
  },
  {
    name: "launch under B's covenant",
    method: 'POST',
    url: () => '/v1/cohorts',
    body: (id) => ({ ...cohortRequest({ ...A, size: 1, startDate: addDays(thisMonday(), 28) }), covenantId: id }),
    theirs: B.covenantId,
    unknown: 'convenant-dat-niet-bestaat',
  },
  {
    name: "name B's employer in a covenant for office B",
    method: 'POST',
    url: () => '/v1/covenants',
    body: (id) => ({
      name: 'Kaping',
      region: 'Zeeland',
      programmeOfficeId: B.officeId,
      members: [{ organisationId: id, role: 'employer' }],
    }),
    theirs: B.employerIds[0]!,
    unknown: 'zorg-die-niet-bestaat',
  },
  {
    name: "move A's participant to B's employer",
    method: 'POST',
    url: () => `/v1/trajectories/${cohortA.trajectories[0]!.id}/changes`,
    body: (id) => ({ type: 'employer_change', employerId: id, from: addDays(thisMonday(), 7) }),
    theirs: B.employerIds[0]!,
    unknown: 'zorg-die-niet-bestaat',
  },
  {
    name: "launch with B's ROC",
    method: 'POST',
    url: () => '/v1/cohorts',
    body: (id) => ({ ...cohortRequest({ ...A, size: 1, startDate: addDays(thisMonday(), 28) }), schoolId: id }),
    theirs: B.schoolId,
    unknown: 'roc-dat-niet-bestaat',
  },
  {
    name: "launch with B's jobcoach",
    method: 'POST',
    url: () => '/v1/cohorts',
    body: (id) => ({
      ...cohortRequest({ ...A, size: 1, startDate: addDays(thisMonday(), 28) }),
      participants: [{ ...cohortRequest({ ...A, size: 1 }).participants[0], jobcoachId: id }],
    }),
    theirs: B.jobcoachId,
    unknown: 'coach-die-niet-bestaat',
  },
  {
    // Without a share: B's ROC is not A's to publish for (the share is made further down).
    name: "publish a closure for B's ROC",
    method: 'POST',
    url: (id) => `/v1/organisations/${id}/closures`,
    body: () => ({ from: addDays(thisMonday(), 35), to: addDays(thisMonday(), 35), name: 'Kaping' }),
    theirs: B.schoolId,
    unknown: 'roc-dat-niet-bestaat',
  },
  {
    name: "invite B's employer's contact (a sign-in link to whoever B added)",
    method: 'POST',
    url: (id) => `/v1/organisations/${id}/contacts/${contactOfB}/invitations`,
    theirs: B.employerIds[0]!,
    unknown: 'zorg-die-niet-bestaat',
  },
  {
    name: "resend B's failed mail",
    method: 'POST',
    url: (id) => `/v1/outbox/${id}/resend`,
    theirs: mailOfB,
    unknown: '00000000-0000-4000-8000-000000000004',
  },
];

describe("an office with another office's ids", () => {
  const results: { name: string; status: number }[] = [];

  it('is refused every write and read on them, exactly as for ids that do not exist', async () => {
    for (const a of attempts()) {
      const send = (id: string) => call(a.method, a.url(id), a.body?.(id), coordA);
      const [theirs, unknown] = [await send(a.theirs), await send(a.unknown)];
      results.push({ name: a.name, status: theirs.status });
      expect(theirs.status, a.name).toBeGreaterThanOrEqual(400);
      expect(theirs.status, a.name).toBeLessThan(500);
      expect(strip(shape(theirs, a.theirs)), a.name).toEqual(strip(shape(unknown, a.unknown)));
    }
    // And nothing happened to B's objects: no closure, no sign-in link to B's contact, B's mail not sent again.
    const closures = await db.selectFrom('school_closure').select('name').where('school_id', '=', B.schoolId).execute();
    expect(closures.map((c) => c.name)).not.toContain('Kaping');
    const mails = await db
      .selectFrom('dev_mailbox')
      .select('subject')
      .where('recipient', '=', 'trainer@b.example.nl')
      .execute();
    expect(mails).toEqual([]);
    const mail = await db.selectFrom('outbox').select(['status', 'attempts']).where('id', '=', mailOfB).execute();
    expect(mail).toEqual([{ status: 'failed', attempts: 5 }]);
    console.log(
      `office isolation: ${results.length} attempts on office B's ` +
        `objects, ${results.filter((r) => r.status >= 400).length} refused`,
      results,
    );
  });

  it("shows every attempt on an object of B in B's audit log, by A's key", async () => {
    const denied = await vi.waitFor(
      async () => {
        const log = await call('GET', `/v1/audit-events?actor=${coordAKeyId}&limit=200`, undefined, coordB);
        const rows = (log.json.items as { action: string; resourceId: string; route: string }[]).filter(
          (e) => e.action === 'denied',
        );
        // Each attempt by itself: its route and B's id.
        const audited = new Set(rows.map((r) => `${r.route.split(' ')[0]} ${r.resourceId}`));
        expect(
          attempts()
            .filter((a) => !audited.has(`${a.method} ${a.theirs}`))
            .map((a) => a.name),
        ).toEqual([]);
        return rows;
      },
      { timeout: 10_000, interval: 200 },
    );
    expect(denied.length).toBeGreaterThanOrEqual(attempts().length);
    // A sees none of this in its own log of the same key: the attempts concern B's objects.
    const own = await call('GET', `/v1/audit-events?actor=${coordAKeyId}&limit=200`, undefined, coordA);
    expect((own.json.items as { resourceId: string }[]).map((e) => e.resourceId)).not.toContain(B.covenantId);
  });

  it('lists nothing of B: organisations, covenants, programmes, keys', async () => {
    const ids = async (url: string) =>
      ((await call('GET', url, undefined, coordA)).json.items as { id: string }[]).map((x) => x.id);
    const orgs = await ids('/v1/organisations?limit=200');
    expect(orgs).toEqual(expect.arrayContaining([A.officeId, ...A.employerIds]));
    for (const b of [B.officeId, B.schoolId, B.gemeenteId, B.uwvId, ...B.employerIds]) expect(orgs).not.toContain(b);
    expect(await ids('/v1/covenants?limit=200')).not.toContain(B.covenantId);
    expect(await ids('/v1/programmes?limit=200')).not.toContain(`${B.officeId}.welslagen`);
    expect(await ids('/v1/api-keys?limit=200')).not.toContain(keyOfB);
  });
});

describe('an office probing with an unknown covenant', () => {
  it("learns nothing of other offices' partners: they are not looked up at all", async () => {
    const launch = (p: { schoolId: string; employerId: string; benefitPayerId: string; jobcoachId: string }) => {
      const req = cohortRequest({ ...A, size: 1, startDate: addDays(thisMonday(), 28) });
      const { schoolId, ...participant } = p;
      return call(
        'POST',
        '/v1/cohorts',
        {
          ...req,
          covenantId: 'convenant-dat-niet-bestaat',
          schoolId,
          participants: [{ ...req.participants[0]!, ...participant }],
        },
        coordA,
      );
    };
    const theirs = await launch({
      schoolId: B.schoolId,
      employerId: B.employerIds[0]!,
      benefitPayerId: B.gemeenteId,
      jobcoachId: B.jobcoachId,
    });
    const unknown = await launch({
      schoolId: 'x-roc',
      employerId: 'x-zorg',
      benefitPayerId: 'x-gemeente',
      jobcoachId: 'x-coach',
    });
    expect(theirs.status).toBe(422);
    expect(theirs.json.errors).toEqual(unknown.json.errors);
  });
});

describe('programme templates', () => {
  it('change only the launches of the office that owns them; the shared WelSlagen stays read-only', async () => {
    expect(
      (
        await call(
          'POST',
          '/v1/programmes',
          { id: 'welslagen', name: 'WelSlagen', template: welslagenTemplate({ weeks: 1 }) },
          coordA,
        )
      ).status,
    ).toBe(422);
    expect(
      (
        await call(
          'POST',
          '/v1/programmes',
          {
            id: `${A.officeId}.kort`,
            name: 'Kort',
            template: welslagenTemplate({ weeks: 2, checkpoints: [], bblDecisionFromWeek: 2 }),
          },
          coordA,
        )
      ).status,
    ).toBe(201);
    // B launches without a version: its own newest, never one of A's and never a version A published.
    const launched = await call(
      'POST',
      '/v1/cohorts',
      {
        ...cohortRequest({ ...B, size: 1, startDate: addDays(thisMonday(), 7) }),
        programmeId: `${B.officeId}.welslagen`,
      },
      coordB,
    );
    expect(launched.status).toBe(201);
    expect((await call('GET', `/v1/cohorts/${launched.json.id}`, undefined, coordB)).json.programmeVersion).toBe(1);
    const shared = await call(
      'POST',
      '/v1/cohorts',
      cohortRequest({ ...B, size: 1, startDate: addDays(thisMonday(), 14) }),
      coordB,
    );
    expect(shared.status).toBe(201);
    const weeks = await db
      .selectFrom('programme')
      .select(['id', 'version', 'template'])
      .where('id', '=', 'welslagen')
      .execute();
    expect(weeks.every((w) => w.template.weeks === welslagenTemplate().weeks)).toBe(true);
    // A key the admin made for a partner sees the shared templates only, not any office's own.
    const adminMade = await key(B.employerIds[1]!, 'employer');
    const seen = (await call('GET', '/v1/programmes?limit=200', undefined, adminMade.secret)).json.items as {
      id: string;
      officeId: string | null;
    }[];
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((p) => p.officeId !== null)).toEqual([]);
    // A's own programme is unknown to B.
    const theirs = await call(
      'POST',
      '/v1/cohorts',
      { ...cohortRequest({ ...B, size: 1, startDate: addDays(thisMonday(), 21) }), programmeId: `${A.officeId}.kort` },
      coordB,
    );
    expect(theirs.status).toBe(422);
    expect(theirs.json.errors.map((e: { field: string }) => e.field)).toContain('programmeId');
  });
});

describe('the morning digest', () => {
  it("mails B's participants only to contacts office B made, never to a contact of A", async () => {
    const day = nextWorkingDay(thisMonday(), holidays);
    const activities = createActivities({
      db,
      temporal: api.env.client,
      publicUrl: 'https://toeleiding.example.nl',
      now: () => localInstant(day, 10),
    });
    const ids = await activities.composeDigests({ date: day });
    const rows = await db
      .selectFrom('outbox as o')
      .innerJoin('outbox_item as i', 'i.outbox_id', 'o.id')
      .select(['o.recipient', 'i.trajectory_id'])
      .where('o.id', 'in', ids)
      .execute();
    const ofB = new Set(cohortB.trajectories.map((t) => t.id));
    const ofA = new Set(cohortA.trajectories.map((t) => t.id));
    const recipientsOfB = new Set(rows.filter((r) => ofB.has(r.trajectory_id)).map((r) => r.recipient));
    // The control: B's own people did hear about B's participants, and the attacker about A's.
    expect(recipientsOfB).toContain('trainer@b.example.nl');
    expect(rows.some((r) => r.recipient === EVIL && ofA.has(r.trajectory_id))).toBe(true);
    const madeByB = new Set(
      (await db.selectFrom('contact').select('email').where('office_id', '=', B.officeId).execute()).map(
        (c) => c.email,
      ),
    );
    expect([...recipientsOfB].filter((r) => !madeByB.has(r))).toEqual([]);
    expect(rows.filter((r) => r.recipient === EVIL && ofB.has(r.trajectory_id))).toEqual([]);
  });

  it(
    "mails a consenting organisation's contacts about another " +
      "office's participants only when that office made them",
    async () => {
      // B's ROC consents to work with A too; A adds its own ROC contact there. B's ROC contact hears nothing of A's.
      expect(
        (await call('POST', `/v1/organisations/${B.schoolId}/shares`, { officeId: A.officeId }, coordB)).status,
      ).toBe(201);
      expect((await call('GET', `/v1/organisations/${B.schoolId}`, undefined, coordA)).status).toBe(200);
      const contacts = await call('GET', `/v1/organisations/${B.schoolId}/contacts`, undefined, coordA);
      expect(contacts.json.items).toEqual([]);
      expect(
        (
          await call(
            'POST',
            `/v1/organisations/${B.schoolId}/contacts`,
            { role: 'roc_coordinator', name: 'ROC voor A', email: 'roc-voor-a@a.example.nl' },
            coordA,
          )
        ).status,
      ).toBe(201);
      const ofB = await call('GET', `/v1/organisations/${B.schoolId}/contacts`, undefined, coordB);
      expect(ofB.json.items.map((c: { email: string }) => c.email)).toEqual(['roc@b.example.nl']);
    },
  );

  it("mails A's participant at the shared ROC to A's own contact there, never to B's", async () => {
    expect(
      (
        await call(
          'POST',
          `/v1/covenants/${A.covenantId}/members`,
          { members: [{ organisationId: B.schoolId, role: 'school' }] },
          coordA,
        )
      ).status,
    ).toBe(200);
    const launched = await call(
      'POST',
      '/v1/cohorts',
      { ...cohortRequest({ ...A, size: 1, startDate: start }), schoolId: B.schoolId },
      coordA,
    );
    expect(launched.status).toBe(201);
    await untilStarted(db, launched.json.id);
    const ours = launched.json.trajectories[0].id as string;
    const day = nextWorkingDay(addDays(thisMonday(), 1), holidays);
    const activities = createActivities({
      db,
      temporal: api.env.client,
      publicUrl: 'https://toeleiding.example.nl',
      now: () => localInstant(day, 10),
    });
    const ids = await activities.composeDigests({ date: day });
    const rows = await db
      .selectFrom('outbox as o')
      .innerJoin('outbox_item as i', 'i.outbox_id', 'o.id')
      .select(['o.recipient', 'i.trajectory_id', 'i.kind'])
      .where('o.id', 'in', ids)
      .execute();
    const toRoc = rows
      .filter((r) => r.trajectory_id === ours && r.kind === 'attendance_school')
      .map((r) => r.recipient);
    expect(toRoc.length).toBeGreaterThan(0);
    expect([...new Set(toRoc)]).toEqual(['roc-voor-a@a.example.nl']);
    // And B's ROC contact's mails hold only B's participants.
    const ofB = new Set(cohortB.trajectories.map((t) => t.id));
    expect(rows.filter((r) => r.recipient === 'roc@b.example.nl' && !ofB.has(r.trajectory_id))).toEqual([]);
  });

  it("lets a closure published under A's key for the shared ROC change A's trajectories only", async () => {
    // The share above stands. A school key made by A may be in A's hands, not the ROC's: it cannot move B's plans.
    const schoolKeyOfA = (await key(B.schoolId, 'school', coordA)).secret;
    const from = addDays(thisMonday(), 21);
    const published = await call(
      'POST',
      `/v1/organisations/${B.schoolId}/closures`,
      { from, to: from, name: 'Studiedag (via A)' },
      schoolKeyOfA,
    );
    expect(published.status).toBe(201);
    // A's one participant at B's ROC (test above); none of B's running ones
    expect(published.json.trajectoriesNotified).toBe(1);
    const seenByB = await call('GET', `/v1/organisations/${B.schoolId}/closures`, undefined, coordB);
    expect(seenByB.json.items.map((c: { name: string }) => c.name)).not.toContain('Studiedag (via A)');
    const seenByA = await call('GET', `/v1/organisations/${B.schoolId}/closures`, undefined, coordA);
    expect(seenByA.json.items.map((c: { name: string }) => c.name)).toContain('Studiedag (via A)');
    // The ROC's own key (made by its owner, B) reaches B's running trajectories.
    const schoolKeyOfB = (await key(B.schoolId, 'school', coordB)).secret;
    const ofB = await call(
      'POST',
      `/v1/organisations/${B.schoolId}/closures`,
      { from, to: from, name: 'Studiedag' },
      schoolKeyOfB,
    );
    expect(ofB.json.trajectoriesNotified).toBeGreaterThan(0);
  });
});
