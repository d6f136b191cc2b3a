// Reads of candidates through their round, on the real Temporal test server and PostgreSQL: the round's API answer,
// its page and its xlsx show every candidate's name (and notes), and the page of an upload waiting for its decisions
// shows an existing candidate's name, date of birth and e-mail beside a row. Each such read is in the candidate's own
// audit trail (so its AVG export says who read it), all candidates of one answer in one insert, and a candidate the
// answer does not show is not named.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCandidateUpload } from '../db/candidate-uploads';
import { createSession } from '../db/web-sessions';
import { SESSION_COOKIE, sessionCookieHash } from '../web/session';
import { startTestApi, type TestApi } from './helpers/api';
import { uniqueId } from './helpers/fixtures';
import { createKey, seedPartners, type Partners } from './helpers/partners';

let api: TestApi;
let mine: Partners;
let coordinator: string;
let cookie: string;
let contactId: string;
let roundId: string;
const c: Record<string, { id: string; reference: string }> = {};

const call = (method: string, url: string, body?: unknown) => api.call(method, url, body, coordinator);

/** A web page as the office's coordinator (signed in) gets it. */
const page = (url: string) =>
  api.app.inject({ method: 'GET', url, headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });

/** The candidate's reads in its own export, through `route`. */
async function readsOf(name: string, route: string) {
  const exported = await call('GET', `/v1/candidates/${c[name]!.id}/export`);
  expect(exported.status).toBe(200);
  return (exported.json.audit as { action: string; route: string; actor: string; request_id: string }[]).filter(
    (a) => a.action === 'read' && a.route === route,
  );
}

beforeAll(async () => {
  api = await startTestApi();
  mine = await seedPartners(api.call);
  coordinator = await createKey(api.call, mine.officeId, 'coordinator');
  const contact = await api.call('POST', `/v1/organisations/${mine.officeId}/contacts`, {
    role: 'coordinator',
    name: 'Coördinator Breda',
    email: `${uniqueId('coordinator')}@example.nl`,
  });
  expect(contact.status, JSON.stringify(contact.json)).toBe(201);
  contactId = contact.json.id as string;
  cookie = randomBytes(32).toString('base64url');
  await createSession(api.db, {
    id: sessionCookieHash(cookie),
    contactId,
    task: null,
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  roundId = (
    await call('POST', '/v1/recruitment-rounds', { programmeId: 'welslagen', region: 'West-Brabant', name: 'Gelezen' })
  ).json.id as string;
  const added = await call('POST', `/v1/recruitment-rounds/${roundId}/candidates`, {
    candidates: [
      { firstName: 'Fenna', lastName: 'Gelezen', dateOfBirth: '1991-04-05', email: 'fenna.gelezen@example.nl' },
      { firstName: 'Gijs', lastName: 'Bekeken', dateOfBirth: '1987-06-07', email: 'gijs.bekeken@example.nl' },
    ],
  });
  expect(added.status, JSON.stringify(added.json)).toBe(201);
  for (const x of added.json.candidates as { id: string; reference: string; firstName: string }[]) c[x.firstName] = x;
}, 120_000);
afterAll(async () => api?.close());

describe('reads of candidates through their round', () => {
  it("GET /v1/recruitment-rounds/{id} is in every candidate's export, one insert for all", async () => {
    const round = await call('GET', `/v1/recruitment-rounds/${roundId}`);
    expect(round.status).toBe(200);
    expect(JSON.stringify(round.json)).toContain('Gelezen');
    const fenna = await readsOf('Fenna', 'GET /v1/recruitment-rounds/:id');
    const gijs = await readsOf('Gijs', 'GET /v1/recruitment-rounds/:id');
    expect([fenna.length, gijs.length]).toEqual([1, 1]);
    expect(fenna[0]!.request_id).toBe(gijs[0]!.request_id);
    // The round's own row stays.
    const roundRows = await api.db
      .selectFrom('audit_event')
      .select(['resource', 'office_id'])
      .where('resource_id', '=', roundId)
      .where('action', '=', 'read')
      .execute();
    expect(roundRows).toEqual([{ resource: 'recruitment-round', office_id: mine.officeId }]);
    const candidateRows = await api.db
      .selectFrom('audit_event')
      .select(['office_id', 'trajectory_id'])
      .where('request_id', '=', fenna[0]!.request_id)
      .where('resource', '=', 'candidate')
      .execute();
    expect(candidateRows).toEqual([
      { office_id: mine.officeId, trajectory_id: null },
      { office_id: mine.officeId, trajectory_id: null },
    ]);
  });

  it("the round's page and its xlsx are in every candidate's export, named after the person who read it", async () => {
    const shown = await page(`/werving/${roundId}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Gelezen');
    const xlsx = await page(`/werving/${roundId}/kandidaten.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    for (const name of ['Fenna', 'Gijs']) {
      for (const route of ['GET /werving/:id', 'GET /werving/:id/kandidaten.xlsx']) {
        const reads = await readsOf(name, route);
        expect([name, route, reads.map((r) => r.actor)]).toEqual([name, route, [`contact:${contactId}`]]);
      }
    }
  });

  it("an upload's page names the existing candidate it shows beside a row, and no other", async () => {
    const uploadId = randomUUID();
    await insertCandidateUpload(api.db, {
      id: uploadId,
      office_id: mine.officeId,
      round_id: roundId,
      created_by: 'test',
      request_id: uniqueId('upload').replace(/[^a-z]/g, '') + 'abcdef',
      entries: [{ line: 2, firstName: 'Fena', lastName: 'Gelezen', dateOfBirth: '1991-04-05' }],
      near: [
        {
          index: 0,
          other: {
            kind: 'round',
            reference: c.Fenna!.reference,
            firstName: 'Fenna',
            lastName: 'Gelezen',
            dateOfBirth: '1991-04-05',
            email: 'fenna.gelezen@example.nl',
          },
        },
      ],
    });
    const shown = await page(`/werving/${roundId}/lijsten/${uploadId}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('fenna.gelezen@example.nl');
    const route = 'GET /werving/:id/lijsten/:upload';
    expect((await readsOf('Fenna', route)).map((r) => r.actor)).toEqual([`contact:${contactId}`]);
    expect(await readsOf('Gijs', route)).toEqual([]);
  });
});
