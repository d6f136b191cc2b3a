// A candidate's AVG rights and retention, on the real Temporal test server and PostgreSQL: the export holds
// everything kept about the candidate (and who read it), an erasure anonymises a candidate who left (name, e-mail,
// date of birth, BSN hash, reference and the notes at its steps go; the step, dates and reason stay for the funnel)
// and is audited; one still in the round is refused; another office gets 404. Retention anonymises a candidate who
// left longer ago than the candidate retention period, and leaves a recent one alone.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import { insertCandidateUpload } from '../db/candidate-uploads';
import { localDate } from '../domain/calendar';
import { withKey } from './helpers/app';
import { startTestApi, type TestApi } from './helpers/api';
import { createKey, seedPartners, type Partners } from './helpers/partners';

let api: TestApi;
let mine: Partners;
let coordinator: string;
let intruder: string;
let roundId: string;
const c: Record<string, { id: string; reference: string }> = {};
const today = localDate(Date.now());
const letters = () => randomUUID().replace(/[^a-f]/g, '');
const call = (method: string, url: string, body?: unknown, token = coordinator) => api.call(method, url, body, token);

beforeAll(async () => {
  // Retention looks at every candidate, so this file has a database of its own.
  api = await startTestApi({ ownDatabase: true });
  mine = await seedPartners(api.call);
  const theirs = await seedPartners(api.call, 'Midden-Brabant');
  coordinator = await createKey(api.call, mine.officeId, 'coordinator');
  intruder = await createKey(api.call, theirs.officeId, 'coordinator');
  roundId = (
    (await call('POST', '/v1/recruitment-rounds', { programmeId: 'welslagen', region: 'West-Brabant', name: 'Najaar' }))
      .json as { id: string }
  ).id;
  const added = await call('POST', `/v1/recruitment-rounds/${roundId}/candidates`, {
    candidates: [
      { firstName: 'Zoë', lastName: 'de Vries', email: `zoe.${letters()}@example.nl`, bsn: '111222333' },
      { firstName: 'Ahmed', lastName: 'Öztürk', email: `ahmed.${letters()}@example.nl`, dateOfBirth: '1989-11-20' },
      { firstName: 'Sanne', lastName: 'Jansen', email: `sanne.${letters()}@example.nl` },
    ],
  });
  for (const x of (added.json as { candidates: { id: string; reference: string; firstName: string }[] }).candidates)
    c[x.firstName] = x;
  const ok = (r: { status: number; json: unknown }) => expect(r.status, JSON.stringify(r.json)).toBe(200);
  ok(
    await call('POST', `/v1/candidates/${c['Zoë']!.id}/steps`, {
      step: 'voorlichting',
      outcome: 'attended',
      on: today,
      note: 'Vertelde over zorgen thuis',
    }),
  );
  ok(
    await call('POST', `/v1/candidates/${c['Zoë']!.id}/leave`, {
      reason: 'found_work',
      on: today,
      note: 'Gaat bij de supermarkt werken',
    }),
  );
  ok(await call('POST', `/v1/candidates/${c.Sanne!.id}/leave`, { reason: 'moved', on: today }));
}, 180_000);
afterAll(async () => api?.close());

describe("a candidate's personal data", () => {
  it('is exported in full to the office, with who read it, and never to another office', async () => {
    expect((await call('GET', `/v1/candidates/${c['Zoë']!.id}`)).status).toBe(200);
    const res = await call('GET', `/v1/candidates/${c['Zoë']!.id}/export`);
    expect(res.status).toBe(200);
    const out = res.json as {
      candidate: Record<string, unknown>;
      events: { type: string; data: Record<string, unknown> }[];
      audit: { action: string }[];
    };
    expect(out.candidate).toMatchObject({ first_name: 'Zoë', last_name: 'de Vries', reference: c['Zoë']!.reference });
    expect(out.candidate.bsn).toMatch(/keyed hash/);
    expect(JSON.stringify(out)).not.toMatch(/111222333|bsn_hash/);
    expect(out.events.map((e) => e.type)).toEqual(['entered', 'step_recorded', 'left']);
    expect(out.events[1]!.data.note).toBe('Vertelde over zorgen thuis');
    expect(out.audit.map((a) => a.action)).toContain('read');
    for (const [method, path] of [
      ['GET', 'export'],
      ['POST', 'erasure'],
    ] as const) {
      const theirs = await call(method, `/v1/candidates/${c['Zoë']!.id}/${path}`, {}, intruder);
      const unknown = await call(method, `/v1/candidates/nope/${path}`, {}, intruder);
      expect([theirs.status, unknown.status]).toEqual([404, 404]);
    }
  });

  it('is kept while the candidate is in the round: erasure asks to record the leaving first, in Dutch', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: `/v1/candidates/${c.Ahmed!.id}/erasure`,
      headers: { ...withKey(coordinator), 'accept-language': 'nl' },
      payload: {},
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/^Deze kandidaat doet nog mee/);
    const row = await api.db
      .selectFrom('candidate')
      .selectAll()
      .where('id', '=', c.Ahmed!.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ first_name: 'Ahmed', anonymised_at: null });
  });

  it('is erased on request: who it was and its notes go, its way through the round stays, audited', async () => {
    const id = c['Zoë']!.id;
    const before = (await call('GET', `/v1/recruitment-rounds/${roundId}`)).json as { pipeline: unknown };
    const res = await call('POST', `/v1/candidates/${id}/erasure`, {});
    expect(res.status).toBe(200);
    const row = await api.db.selectFrom('candidate').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      first_name: 'Geanonimiseerd',
      last_name: '',
      email: null,
      date_of_birth: null,
      bsn_hash: null,
      status: 'left',
      left_reason: 'found_work',
      step: 'groepsintake',
    });
    expect(row.reference).not.toBe(c['Zoë']!.reference);
    expect(row.state.history).toEqual([{ step: 'voorlichting', outcome: 'attended', on: today }]);
    const events = await api.db.selectFrom('candidate_event').select('data').where('candidate_id', '=', id).execute();
    expect(JSON.stringify(events)).not.toMatch(/zorgen thuis|supermarkt/);
    expect(JSON.stringify(events)).toContain('found_work');
    const audit = await api.db
      .selectFrom('audit_event')
      .selectAll()
      .where('resource', '=', 'candidate')
      .where('resource_id', '=', id)
      .where('action', '=', 'erase')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.office_id).toBe(mine.officeId);
    // The funnel counts the same; erasing again changes nothing.
    expect(((await call('GET', `/v1/recruitment-rounds/${roundId}`)).json as { pipeline: unknown }).pipeline).toEqual(
      before.pipeline,
    );
    const again = await call('POST', `/v1/candidates/${id}/erasure`, {});
    expect(again.json).toEqual(res.json);
  });

  it('is erased from uploads waiting beside it and from mails that will not be sent any more', async () => {
    const added = await call('POST', `/v1/recruitment-rounds/${roundId}/candidates`, {
      candidates: [
        { firstName: 'Wessel', lastName: 'Gewist', dateOfBirth: '1988-08-08', email: 'wessel.gewist@example.nl' },
      ],
    });
    expect(added.status, JSON.stringify(added.json)).toBe(201);
    const wessel = (added.json as { candidates: { id: string; reference: string }[] }).candidates[0]!;
    // An upload whose row looks like Wessel (his data shown beside it), and one that does not name him.
    const upload = async (near: unknown[]) => {
      const id = randomUUID();
      await insertCandidateUpload(api.db, {
        id,
        office_id: mine.officeId,
        round_id: roundId,
        created_by: 'test',
        request_id: `upload${letters()}`,
        entries: [{ line: 2, firstName: 'Wesel', lastName: 'Gewist' }],
        near: near as never,
      });
      return id;
    };
    const holding = await upload([
      {
        index: 0,
        other: {
          kind: 'round',
          reference: wessel.reference,
          firstName: 'Wessel',
          lastName: 'Gewist',
          dateOfBirth: '1988-08-08',
          email: 'wessel.gewist@example.nl',
        },
      },
    ]);
    const unrelated = await upload([]);
    // Mails about Wessel in every status: the text goes from all but one waiting to be sent or being sent now.
    const statuses = ['sent', 'failed', 'uncertain', 'superseded', 'queued', 'sending'] as const;
    const mails: Record<string, string> = {};
    for (const status of statuses) {
      const id = randomUUID();
      mails[status] = id;
      await api.db
        .insertInto('outbox')
        .values({
          id,
          key: `wessel-${status}-${letters()}`,
          recipient: 'coordinator@example.nl',
          recipient_name: 'Coördinator',
          organisation_id: mine.officeId,
          kind: 'candidate-reminders',
          day: today,
          subject: 'Kandidaten',
          text: 'Wessel Gewist is te laat',
          html: '<p>Wessel Gewist is te laat</p>',
          status,
        })
        .execute();
      await api.db
        .insertInto('outbox_candidate_item')
        .values({ outbox_id: id, candidate_id: wessel.id, kind: 'overdue', subject: 'voorlichting' })
        .execute();
    }
    expect((await call('POST', `/v1/candidates/${wessel.id}/leave`, { reason: 'moved', on: today })).status).toBe(200);
    expect((await call('POST', `/v1/candidates/${wessel.id}/erasure`, {})).status).toBe(200);

    const uploads = await api.db
      .selectFrom('candidate_upload')
      .select('id')
      .where('id', 'in', [holding, unrelated])
      .execute();
    expect(uploads).toEqual([{ id: unrelated }]);
    const left = await api.db
      .selectFrom('outbox')
      .select(['id', 'status', 'text', 'html'])
      .where('id', 'in', Object.values(mails))
      .execute();
    const text = Object.fromEntries(left.map((m) => [m.status, m.text + m.html]));
    expect(text).toEqual({
      sent: '',
      failed: '',
      uncertain: '',
      superseded: '',
      queued: 'Wessel Gewist is te laat<p>Wessel Gewist is te laat</p>',
      sending: 'Wessel Gewist is te laat<p>Wessel Gewist is te laat</p>',
    });
  });

  it('is anonymised by retention once the candidate left longer ago than the retention period', async () => {
    // Sanne left seven months ago; Ahmed leaves today.
    await api.db
      .updateTable('candidate')
      .set({ left_on: sql<string>`(current_date - interval '7 months')::date` })
      .where('id', '=', c.Sanne!.id)
      .execute();
    expect((await call('POST', `/v1/candidates/${c.Ahmed!.id}/leave`, { reason: 'health', on: today })).status).toBe(
      200,
    );
    const r = await createActivities({ db: api.db }).anonymiseExpired({
      today,
      months: 24,
      batch: 100,
      candidateMonths: 6,
    });
    expect(r.candidates).toBe(1);
    const rows = await api.db
      .selectFrom('candidate')
      .select(['id', 'first_name', 'anonymised_at'])
      .where('round_id', '=', roundId)
      .execute();
    const byId = new Map(rows.map((x) => [x.id, x]));
    expect(byId.get(c.Sanne!.id)!.first_name).toBe('Geanonimiseerd');
    expect(byId.get(c.Ahmed!.id)).toMatchObject({ first_name: 'Ahmed', anonymised_at: null });
    const audit = await api.db
      .selectFrom('audit_event')
      .select(['actor', 'action'])
      .where('resource_id', '=', c.Sanne!.id)
      .where('action', '=', 'anonymise')
      .execute();
    expect(audit).toEqual([{ actor: 'retention', action: 'anonymise' }]);
  });
});
