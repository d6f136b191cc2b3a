// Schedules as iCalendar feeds: a participant's days and checkpoints, an employer's and an ROC's participants,
// and subscription links that work without an Authorization header for as long as their key does.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../api/app';
import type { Db } from '../db/connection';
import { addDays, localDate } from '../domain/calendar';
import { startTestApi, type TestApi } from './helpers/api';
import { ADMIN_TOKEN, testDeps, withKey } from './helpers/app';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { createKey, seedPartners, type Call, type Partners } from './helpers/partners';
import { untilStarted } from './helpers/seed';

let env: TestWorkflowEnvironment;
let api: TestApi;
let db: Db;
let app: App;
let call: Call;
let A: Partners;
let start: string;
/** Participants 0 and 2 are placed with employer 0, participants 1 and 3 with employer 1. */
let cohort: { id: string; trajectories: { id: string; reference: string; employerId: string }[] };
const keys: Record<'coordinator' | 'employer' | 'otherEmployer' | 'school', string> = {} as never;

beforeAll(async () => {
  api = await startTestApi();
  ({ db, env, app, call } = api);
  A = await seedPartners(call, 'West-Brabant');
  start = addDays(thisMonday(), -7);
  cohort = (await call('POST', '/v1/cohorts', cohortRequest({ ...A, size: 4, startDate: start }))).json;
  await untilStarted(db, cohort.id);
  keys.coordinator = await createKey(call, A.officeId, 'coordinator');
  keys.employer = await createKey(call, A.employerIds[0]!, 'employer');
  keys.otherEmployer = await createKey(call, A.employerIds[1]!, 'employer');
  keys.school = await createKey(call, A.schoolId, 'school');
});

afterAll(async () => {
  await api?.close();
});

// --- a minimal iCalendar reader: enough for what the feeds hold --------------------------------------------

interface Event {
  uid: string;
  start: string;
  end: string;
  summary: string;
}

const isoOf = (value: string) => `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
const unescape = (text: string) => text.replace(/\\([\\;,])/g, '$1').replace(/\\n/gi, '\n');

function parseIcs(ics: string): Event[] {
  // Long lines are folded: a line break followed by a space continues the line before it.
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  const events: Event[] = [];
  let current: Record<string, string> | undefined;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      events.push({
        uid: current!.UID!,
        start: isoOf(current!.DTSTART!),
        end: isoOf(current!.DTEND!),
        summary: unescape(current!.SUMMARY!),
      });
      current = undefined;
    } else if (current) {
      const colon = line.indexOf(':');
      const [name, ...params] = line.slice(0, colon).split(';');
      if (name === 'DTSTART' || name === 'DTEND') expect(params, line).toEqual(['VALUE=DATE']);
      current[name!] = line.slice(colon + 1);
    }
  }
  return events;
}

const get = (url: string, token?: string) =>
  app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

async function calendar(url: string, token?: string): Promise<Event[]> {
  const res = await get(url, token);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
  return parseIcs(res.body);
}

async function link(body: object, token: string) {
  return app.inject({ method: 'POST', url: '/v1/calendar-links', headers: withKey(token), payload: body });
}

/** The path of a link from POST /v1/calendar-links, to fetch it through inject. */
async function feedPath(body: object, token: string): Promise<string> {
  const res = await link(body, token);
  expect(res.statusCode, res.body).toBe(200);
  const url = new URL(res.json().url);
  expect(url.pathname).toMatch(/^\/feeds\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.ics$/);
  return url.pathname;
}

const EXPECTED = ['planned', 'attended', 'absent'];

/** A refusal without what differs per request (its id, its url). */
const refusal = ({ requestId: _r, instance: _i, ...rest }: Record<string, unknown>) => rest;
/** The one answer to a link that does not work: forged, unknown, expired, revoked alike. */
const GONE = {
  type: '/problems/not-found',
  title: 'Agendalink werkt niet',
  status: 404,
  detail:
    'Deze agendalink werkt niet (meer): hij is verlopen, ingetrokken of onjuist. Vraag een nieuwe agendalink aan.',
};

describe("a participant's calendar", () => {
  it(
    'holds every planned placement and school day on the dates ' +
      'of its schedule, and the checkpoints of its programme',
    async () => {
      const t = cohort.trajectories[0]!;
      const events = await calendar(`/v1/trajectories/${t.id}/calendar.ics`, keys.coordinator);
      const schedule = (await call('GET', `/v1/trajectories/${t.id}/schedule`, undefined, keys.coordinator)).json;
      const days = schedule.weeks
        .flatMap((w: { days: { date: string; kind: string; status: string }[] }) => w.days)
        .filter((d: { status: string }) => EXPECTED.includes(d.status));
      expect(days.length).toBeGreaterThan(50);

      const label = { placement: 'Werkplek', school: 'ROC-dag' } as Record<string, string>;
      const dayEvents = events.filter((e) => !e.summary.startsWith('Checkpoint'));
      expect(dayEvents.map((e) => [e.start, e.summary]).sort()).toEqual(
        days
          .map((d: { date: string; kind: string }) => [d.date, `${label[d.kind]}: Deelnemer (${t.reference})`])
          .sort(),
      );
      for (const e of dayEvents) expect(e.end).toBe(addDays(e.start, 1));

      // WelSlagen's checkpoints, each over Monday to Friday of its week of the trajectory.
      const checkpoints = events.filter((e) => e.summary.startsWith('Checkpoint'));
      expect(checkpoints.map((e) => [e.summary, e.start, e.end])).toEqual([
        [`Checkpoint Intake (0-meting): Deelnemer (${t.reference})`, start, addDays(start, 5)],
        [
          `Checkpoint Persoonlijk ontwikkelplan (POP): Deelnemer (${t.reference})`,
          addDays(start, 14),
          addDays(start, 19),
        ],
        [`Checkpoint Tussenevaluatie: Deelnemer (${t.reference})`, addDays(start, 63), addDays(start, 68)],
        [`Checkpoint Voorbereiding BBL: Deelnemer (${t.reference})`, addDays(start, 119), addDays(start, 124)],
      ]);
    },
  );

  it(
    "keeps each event's UID from one fetch to the next, " + 'so a subscribed client updates rather than duplicates',
    async () => {
      const url = `/v1/trajectories/${cohort.trajectories[0]!.id}/calendar.ics`;
      const first = await calendar(url, keys.employer);
      const second = await calendar(url, keys.employer);
      expect(new Set(first.map((e) => e.uid)).size).toBe(first.length);
      expect(second.map((e) => [e.uid, e.start, e.summary])).toEqual(first.map((e) => [e.uid, e.start, e.summary]));
      expect(first[0]!.uid).toMatch(
        new RegExp(`^${cohort.trajectories[0]!.id}-\\d{4}-\\d{2}-\\d{2}-(placement|school)@toeleiding$`),
      );
    },
  );

  it('is not there for an employer the participant is not placed with', async () => {
    expect(
      (await get(`/v1/trajectories/${cohort.trajectories[0]!.id}/calendar.ics`, keys.otherEmployer)).statusCode,
    ).toBe(404);
  });
});

describe("an organisation's calendar", () => {
  it(
    "an employer's holds the placement days of its own " +
      'participants only, from a week ago on, and audits each of them',
    async () => {
      const events = await calendar(`/v1/organisations/${A.employerIds[0]}/calendar.ics`, keys.employer);
      const own = cohort.trajectories.filter((t) => t.employerId === A.employerIds[0]);
      expect(own.length).toBe(2);
      const since = addDays(localDate(Date.now()), -7);
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.summary.startsWith('Werkplek: Deelnemer (') && e.start >= since)).toBe(true);
      const shown = new Set(events.map((e) => /\((.+)\)$/.exec(e.summary)![1]));
      expect([...shown].sort()).toEqual(own.map((t) => t.reference).sort());
      // The same days as each participant's own calendar shows from then on.
      const mine = await calendar(`/v1/trajectories/${own[0]!.id}/calendar.ics`, keys.employer);
      expect(
        events
          .filter((e) => e.uid.startsWith(own[0]!.id))
          .map((e) => e.uid)
          .sort(),
      ).toEqual(
        mine
          .filter((e) => e.uid.endsWith('-placement@toeleiding') && e.start >= since)
          .map((e) => e.uid)
          .sort(),
      );

      const audited = await db
        .selectFrom('audit_event')
        .select('trajectory_id')
        .where('route', '=', 'GET /v1/organisations/:id/calendar.ics')
        .where('organisation_id', '=', A.employerIds[0]!)
        .where('trajectory_id', 'is not', null)
        .execute();
      expect(new Set(audited.map((r) => r.trajectory_id))).toEqual(new Set(own.map((t) => t.id)));
    },
  );

  it("an ROC's holds the school days of all its students", async () => {
    const events = await calendar(`/v1/organisations/${A.schoolId}/calendar.ics`, keys.school);
    expect(events.every((e) => e.summary.startsWith('ROC-dag: '))).toBe(true);
    expect(new Set(events.map((e) => /\((.+)\)$/.exec(e.summary)![1]))).toEqual(
      new Set(cohort.trajectories.map((t) => t.reference)),
    );
  });

  it('is not there for another employer', async () => {
    expect((await get(`/v1/organisations/${A.employerIds[0]}/calendar.ics`, keys.otherEmployer)).statusCode).toBe(404);
  });
});

describe('calendar links', () => {
  it('serve the feed without an Authorization header, audited under the key, until the key is revoked', async () => {
    const made = await call('POST', '/v1/api-keys', {
      organisationId: A.employerIds[0],
      role: 'employer',
      label: 'agenda',
    });
    expect(made.status).toBe(201);
    const t = cohort.trajectories[0]!;
    const path = await feedPath({ trajectoryId: t.id }, made.json.secret);

    const viaLink = await calendar(path);
    expect(viaLink).toEqual(await calendar(`/v1/trajectories/${t.id}/calendar.ics`, made.json.secret));
    const audit = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('route', '=', 'GET /feeds/:token')
      .where('actor', '=', made.json.id)
      .execute();
    expect(audit.map((r) => [r.trajectory_id, r.role, r.organisation_id, r.action])).toEqual([
      [t.id, 'employer', A.employerIds[0], 'read'],
    ]);

    expect((await call('DELETE', `/v1/api-keys/${made.json.id}`)).status).toBe(200);
    const revoked = await get(path);
    expect(revoked.statusCode).toBe(404);
    expect(revoked.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it("of the admin work until the admin token changes, as a key's until it is revoked", async () => {
    const path = await feedPath({ trajectoryId: cohort.trajectories[0]!.id }, ADMIN_TOKEN);
    expect((await get(path)).statusCode).toBe(200);
    const deps = testDeps(db, env.client);
    const rotated = await buildApp({
      ...deps,
      config: { ...deps.config, ADMIN_TOKEN: 'a-new-admin-token-9876543210' },
    });
    try {
      expect((await rotated.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    } finally {
      await rotated.close();
    }
  });

  it('of an organisation serve its feed too', async () => {
    const path = await feedPath({ organisationId: A.employerIds[0] }, keys.employer);
    expect(await calendar(path)).toEqual(
      await calendar(`/v1/organisations/${A.employerIds[0]}/calendar.ics`, keys.employer),
    );
  });

  it(
    'answer 404 when tampered with: another secret, another ' + "link's id under the same secret, or no token at all",
    async () => {
      const path = await feedPath({ trajectoryId: cohort.trajectories[0]!.id }, keys.employer);
      const other = await feedPath({ trajectoryId: cohort.trajectories[0]!.id }, keys.coordinator);
      const [id, secret] = path.slice('/feeds/'.length, -'.ics'.length).split('.') as [string, string];
      const [otherId] = other.slice('/feeds/'.length, -'.ics'.length).split('.') as [string];
      const flipped = `${secret.slice(0, 5)}${secret[5] === 'A' ? 'B' : 'A'}${secret.slice(6)}`;
      for (const bad of [
        `${id}.${flipped}`,
        `${otherId}.${secret}`,
        `${id}.`,
        'x',
        `${id}.${secret}.${secret}`,
        `${randomUUID()}.${secret}`,
      ]) {
        const res = await get(`/feeds/${bad}.ics`);
        expect(res.statusCode, bad).toBe(404);
        expect(refusal(res.json()), bad).toEqual(GONE);
      }
      expect((await get(path)).statusCode).toBe(200);
    },
  );

  it(
    "are refused (404) for what the caller may not see: an employer another employer's participant, or an " +
      'organisation not its own',
    async () => {
      expect((await link({ trajectoryId: cohort.trajectories[0]!.id }, keys.otherEmployer)).statusCode).toBe(404);
      expect((await link({ organisationId: A.employerIds[0] }, keys.otherEmployer)).statusCode).toBe(404);
      // A coordinator sees the employer but does not get its organisation calendar.
      expect((await link({ organisationId: A.employerIds[0] }, keys.coordinator)).statusCode).toBe(404);
      expect(
        (await link({ trajectoryId: cohort.trajectories[0]!.id, organisationId: A.employerIds[0] }, keys.coordinator))
          .statusCode,
      ).toBe(400);
    },
  );

  it(
    'stop working when the key no longer sees the ' + 'participant: the former employer after an employer change',
    async () => {
      const moved = cohort.trajectories[3]!; // placed with employer 1
      const path = await feedPath({ trajectoryId: moved.id }, keys.otherEmployer);
      expect((await get(path)).statusCode).toBe(200);
      const change = await call(
        'POST',
        `/v1/trajectories/${moved.id}/changes`,
        { type: 'employer_change', employerId: A.employerIds[0], from: localDate(Date.now()) },
        keys.coordinator,
      );
      expect(change.status, JSON.stringify(change.json)).toBe(200);
      // The projection writes the new placement a moment after the update answers.
      for (let i = 0; i < 50 && (await get(path)).statusCode === 200; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await get(path)).statusCode).toBe(404);
    },
  );
});

describe('managing calendar links', () => {
  const DAY = 24 * 3600 * 1000;
  /** Office B: its coordinator, with a participant of its own to make a link for. */
  let B: Partners;
  let coordB: string;
  let participantB: string;

  beforeAll(async () => {
    B = await seedPartners(call, 'Zeeland');
    const cohortB = (await call('POST', '/v1/cohorts', cohortRequest({ ...B, size: 1, startDate: start }))).json;
    await untilStarted(db, cohortB.id);
    participantB = cohortB.trajectories[0]!.id;
    coordB = await createKey(call, B.officeId, 'coordinator');
  });

  const list = async (token: string) => {
    const res = await get('/v1/calendar-links?limit=200', token);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      items: {
        id: string;
        trajectoryId: string | null;
        organisationId: string | null;
        createdBy: string;
        officeId: string | null;
        expiresAt: string;
        revokedAt: string | null;
      }[];
      total: number;
    };
  };
  const revoke = (id: string, token: string) =>
    app.inject({ method: 'DELETE', url: `/v1/calendar-links/${id}`, headers: { authorization: `Bearer ${token}` } });
  /** An app on the same database and Temporal, with its own clock and configuration. */
  async function withApp<T>(
    over: { now?: () => number; months?: number; logLines?: string[] },
    work: (other: App) => Promise<T>,
  ): Promise<T> {
    const deps = testDeps(db, env.client);
    const other = await buildApp({
      ...deps,
      now: over.now,
      config: {
        ...deps.config,
        ...(over.months && { CALENDAR_LINK_MONTHS: over.months }),
        ...(over.logLines && { LOG_LEVEL: 'trace' as const }),
      },
      ...(over.logLines && {
        logStream: new Writable({
          write(chunk, _e, done) {
            over.logLines!.push(String(chunk));
            done();
          },
        }),
      }),
    });
    try {
      return await work(other);
    } finally {
      await other.close();
    }
  }

  it(
    'answer the URL once: stored as a hash only, not kept for ' +
      'a repeated request, expiring after 12 months by default',
    async () => {
      const headers = withKey(keys.coordinator);
      const body = { trajectoryId: cohort.trajectories[0]!.id };
      const first = await app.inject({ method: 'POST', url: '/v1/calendar-links', headers, payload: body });
      expect(first.statusCode, first.body).toBe(200);
      const made = first.json();
      expect(made).toMatchObject({ trajectoryId: body.trajectoryId, organisationId: null, revokedAt: null });
      const token = new URL(made.url).pathname.slice('/feeds/'.length, -'.ics'.length);
      expect(token.startsWith(`${made.id}.`)).toBe(true);
      // Twelve calendar months from now.
      const expires = new Date(made.expiresAt).getTime() - new Date(made.createdAt).getTime();
      expect(expires).toBeGreaterThanOrEqual(365 * DAY - 3600_000);
      expect(expires).toBeLessThanOrEqual(366 * DAY + 3600_000);

      const again = await app.inject({ method: 'POST', url: '/v1/calendar-links', headers, payload: body });
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json().id).toBe(made.id);
      expect(again.body).not.toContain(token);

      const secret = token.split('.')[1]!;
      const row = await db.selectFrom('calendar_link').selectAll().where('id', '=', made.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(secret);
      const stored = await db
        .selectFrom('idempotency_key')
        .select('response')
        .where('resource_id', '=', made.id)
        .executeTakeFirstOrThrow();
      expect(stored.response).not.toContain(secret);
    },
  );

  it('are listed to who made them only, without their URLs; the admin sees them all', async () => {
    const mineA = await feedPath({ trajectoryId: cohort.trajectories[1]!.id }, keys.coordinator);
    const mineEmployer = await feedPath({ trajectoryId: cohort.trajectories[0]!.id }, keys.employer);
    const mineB = await feedPath({ trajectoryId: participantB }, coordB);
    const idOf = (path: string) => path.slice('/feeds/'.length).split('.')[0]!;

    const a = await list(keys.coordinator);
    const employer = await list(keys.employer);
    const b = await list(coordB);
    expect(a.items.map((l) => l.id)).toContain(idOf(mineA));
    expect(employer.items.map((l) => l.id)).toContain(idOf(mineEmployer));
    expect(b.items.map((l) => l.id)).toEqual([idOf(mineB)]);
    expect(b.total).toBe(1);
    expect(b.items[0]).toMatchObject({
      trajectoryId: participantB,
      organisationId: null,
      officeId: B.officeId,
      revokedAt: null,
    });
    // Each sees only what its own key made: not another key's of the same office, not another office's.
    for (const [own, others] of [
      [a, [mineEmployer, mineB]],
      [employer, [mineA, mineB]],
    ] as const) {
      for (const path of others) expect(own.items.map((l) => l.id)).not.toContain(idOf(path));
      expect(new Set(own.items.map((l) => l.createdBy)).size).toBe(1);
    }
    for (const l of [...a.items, ...employer.items, ...b.items]) expect(JSON.stringify(l)).not.toMatch(/feeds|url/);

    const all = (await list(ADMIN_TOKEN)).items.map((l) => l.id);
    for (const path of [mineA, mineEmployer, mineB]) expect(all).toContain(idOf(path));

    // Paginated like every list.
    const page = (await get('/v1/calendar-links?limit=1&offset=1', keys.coordinator)).json();
    expect(page).toMatchObject({ limit: 1, offset: 1, total: a.total });
    expect(page.items.map((l: { id: string }) => l.id)).toEqual([a.items[1]!.id]);
  });

  it(
    'are revoked by who made them: the feed ends at once with the Dutch "ask for a new link" answer, and a ' +
      'repeat changes nothing',
    async () => {
      const path = await feedPath({ trajectoryId: cohort.trajectories[0]!.id }, keys.employer);
      const id = path.slice('/feeds/'.length).split('.')[0]!;
      expect((await get(path)).statusCode).toBe(200);

      const revoked = await revoke(id, keys.employer);
      expect(revoked.statusCode, revoked.body).toBe(200);
      expect(revoked.json().revokedAt).not.toBeNull();
      const gone = await get(path);
      expect(gone.statusCode).toBe(404);
      expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refusal(gone.json())).toEqual(GONE);
      expect(gone.body).toContain('Vraag een nieuwe agendalink aan');

      const repeated = await revoke(id, keys.employer);
      expect(repeated.statusCode).toBe(200);
      expect(repeated.json().revokedAt).toBe(revoked.json().revokedAt);
      expect((await list(keys.employer)).items.find((l) => l.id === id)?.revokedAt).toBe(revoked.json().revokedAt);
    },
  );

  it(
    "are not another caller's to revoke: another office's coordinator, another key of the same office and a " +
      'funder get exactly the answer to an unknown link',
    async () => {
      const path = await feedPath({ trajectoryId: cohort.trajectories[1]!.id }, keys.coordinator);
      const id = path.slice('/feeds/'.length).split('.')[0]!;
      const unknownId = randomUUID();
      const unknown = await revoke(unknownId, coordB);
      expect(unknown.statusCode).toBe(404);
      const funder = await createKey(call, A.gemeenteId, 'funder');
      for (const token of [coordB, keys.employer, keys.school, funder]) {
        const res = await revoke(id, token);
        expect(res.statusCode).toBe(404);
        const { requestId: _a, ...shape } = res.json();
        const { requestId: _b, ...expected } = unknown.json();
        expect(JSON.stringify(shape).replaceAll(id, '<id>')).toBe(
          JSON.stringify(expected).replaceAll(unknownId, '<id>'),
        );
      }
      expect((await get(path)).statusCode).toBe(200);
      // The admin may revoke any link.
      expect((await revoke(id, ADMIN_TOKEN)).statusCode).toBe(200);
      expect(refusal((await get(path)).json())).toEqual(GONE);
    },
  );

  it('expire after CALENDAR_LINK_MONTHS (12 by default) with the same answer as a forged link', async () => {
    const path = await feedPath({ trajectoryId: cohort.trajectories[0]!.id }, keys.coordinator);
    await withApp({ now: () => Date.now() + 300 * DAY }, async (later) => {
      expect((await later.inject({ method: 'GET', url: path })).statusCode).toBe(200);
    });
    await withApp({ now: () => Date.now() + 367 * DAY }, async (later) => {
      const res = await later.inject({ method: 'GET', url: path });
      expect(res.statusCode).toBe(404);
      expect(refusal(res.json())).toEqual(GONE);
      // Listed as it was: the list shows when it expired.
      const listed = (
        await later.inject({
          method: 'GET',
          url: '/v1/calendar-links?limit=200',
          headers: { authorization: `Bearer ${keys.coordinator}` },
        })
      ).json();
      expect(new Date(listed.items.find((l: { id: string }) => path.includes(l.id)).expiresAt).getTime()).toBeLessThan(
        Date.now() + 367 * DAY,
      );
    });

    // Configured shorter: one month.
    await withApp({ months: 1 }, async (short) => {
      const res = await short.inject({
        method: 'POST',
        url: '/v1/calendar-links',
        headers: withKey(keys.coordinator),
        payload: { trajectoryId: cohort.trajectories[0]!.id },
      });
      expect(res.statusCode, res.body).toBe(200);
      const made = res.json();
      const months = (new Date(made.expiresAt).getTime() - new Date(made.createdAt).getTime()) / DAY;
      expect(months).toBeGreaterThanOrEqual(28);
      expect(months).toBeLessThanOrEqual(31);
      const oneMonth = new URL(made.url).pathname;
      await withApp({ now: () => Date.now() + 25 * DAY }, async (later) =>
        expect((await later.inject({ method: 'GET', url: oneMonth })).statusCode).toBe(200),
      );
      await withApp({ now: () => Date.now() + 32 * DAY }, async (later) =>
        expect(refusal((await later.inject({ method: 'GET', url: oneMonth })).json())).toEqual(GONE),
      );
    });
  });

  it('never put their token in a log line: feeds served, refused, misrouted or spelled with escapes', async () => {
    const logLines: string[] = [];
    await withApp({ logLines }, async (logged) => {
      const made = await logged.inject({
        method: 'POST',
        url: '/v1/calendar-links',
        headers: withKey(keys.coordinator),
        payload: { trajectoryId: cohort.trajectories[0]!.id },
      });
      expect(made.statusCode, made.body).toBe(200);
      const path = new URL(made.json().url).pathname;
      const token = path.slice('/feeds/'.length, -'.ics'.length);
      const secret = token.split('.')[1]!;
      const escaped = path.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`);
      expect((await logged.inject({ method: 'GET', url: path })).statusCode).toBe(200);
      expect((await logged.inject({ method: 'GET', url: `${path}?x=1` })).statusCode).toBe(200);
      expect((await logged.inject({ method: 'HEAD', url: path })).statusCode).toBe(200);
      await logged.inject({ method: 'GET', url: escaped });
      await logged.inject({ method: 'GET', url: path.replace('/feeds/', '/Feeds/') });
      await logged.inject({ method: 'POST', url: path, payload: {} });
      await logged.inject({ method: 'GET', url: `${path}/extra` });
      await logged.inject({ method: 'GET', url: `${path}%zz` });
      expect(
        (
          await logged.inject({
            method: 'DELETE',
            url: `/v1/calendar-links/${made.json().id}`,
            headers: { authorization: `Bearer ${keys.coordinator}` },
          })
        ).statusCode,
      ).toBe(200);
      expect((await logged.inject({ method: 'GET', url: path })).statusCode).toBe(404);

      expect(logLines.length).toBeGreaterThan(10);
      const leaks = logLines.filter((l) => l.includes(secret) || l.includes(token));
      expect(leaks).toEqual([]);
      const feedLines = logLines
        .map((l) => JSON.parse(l))
        .filter((l) => l.req?.url?.includes('/feeds/') || l.req?.url?.includes('/Feeds/'));
      expect(feedLines.length).toBeGreaterThanOrEqual(9);
      for (const l of feedLines) expect(l.req.url).toMatch(/\/feeds\/\[redacted\]$/);
    });
  });
});
