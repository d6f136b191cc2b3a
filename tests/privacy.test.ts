// Privacy: the BSN is nowhere in clear (database dump, logs, mail, Temporal histories), every read and
// change of personal data is in the audit log and the log cannot be altered, a participant's data can be
// exported and erased, and a BSN typed into a note is refused.
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { App } from '../api/app';
import { isBsn } from '../api/bsn';
import type { Db } from '../db/connection';
import { decodePayloadsIn } from '../infra/payload-codec';
import { addDays, localDate } from '../domain/calendar';
import { startTestApi, type TestApi } from './helpers/api';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { createKey, seedPartners, type Call, type Partners } from './helpers/partners';
import { testDataConverter } from './helpers/temporal';

// A valid BSN (it passes the elfproef) that nothing else in the test data could contain by chance.
const BSN = '736160231';

let env: TestWorkflowEnvironment;
let api: TestApi;
let db: Db;
let app: App;
let call: Call;
let partners: Partners;
let cohort: { id: string; trajectories: { id: string; workflowId: string; reference: string }[] };
const logLines: string[] = [];

beforeAll(async () => {
  expect(isBsn(BSN)).toBe(true);
  // Every log line the API writes, at the most talkative level, is kept to be searched.
  api = await startTestApi({
    deps: (base) => ({
      config: { ...base.config, LOG_LEVEL: 'trace' },
      logStream: new Writable({
        write(chunk, _enc, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    }),
  });
  ({ db, env, app, call } = api);
  partners = await seedPartners(call);
  const body = cohortRequest({ ...partners, size: 3, startDate: addDays(thisMonday(), -7) });
  body.participants[0]!.bsn = BSN;
  const launched = await call('POST', '/v1/cohorts', body);
  expect(launched.status, JSON.stringify(launched.json)).toBe(201);
  cohort = launched.json;
});

afterAll(async () => {
  await api?.close();
});

/** All text in a fetched history, payloads decrypted: what an operator exporting histories could read. */
async function historyText(workflowId: string): Promise<string> {
  const history = await decodePayloadsIn(
    await env.client.workflow.getHandle(workflowId).fetchHistory(),
    testDataConverter.payloadCodecs![0]!,
  );
  const parts: string[] = [];
  const walk = (n: unknown) => {
    if (n instanceof Uint8Array) parts.push(Buffer.from(n).toString('utf8'));
    else if (typeof n === 'string' || typeof n === 'number') parts.push(String(n));
    else if (n && typeof n === 'object') Object.values(n).forEach(walk);
  };
  walk(history);
  return parts.join('\n');
}

describe('the BSN', () => {
  it('is used to match the participant with the benefit payer, and only by it', async () => {
    const payer = await createKey(call, partners.benefitPayerIds[0]!, 'funder');
    const other = await createKey(call, partners.benefitPayerIds[1]!, 'funder');
    const found = await call('POST', '/v1/outcomes/participant-lookups', { bsn: BSN }, payer);
    expect(found.status).toBe(200);
    expect(found.json.items.map((i: { trajectoryId: string }) => i.trajectoryId)).toEqual([cohort.trajectories[0]!.id]);
    expect((await call('POST', '/v1/outcomes/participant-lookups', { bsn: BSN }, other)).json.items).toEqual([]);
  });

  it('is audited on every lookup that finds someone, a replayed one included', async () => {
    const id = cohort.trajectories[0]!.id;
    const count = async () =>
      (
        await db
          .selectFrom('audit_event')
          .select('id')
          .where('trajectory_id', '=', id)
          .where('route', '=', 'POST /v1/outcomes/participant-lookups')
          .execute()
      ).length;
    const before = await count();
    const headers = { authorization: 'Bearer test-admin-token-0123456789', 'idempotency-key': `lookup-${Date.now()}` };
    for (let i = 0; i < 2; i++)
      expect(
        (await app.inject({ method: 'POST', url: '/v1/outcomes/participant-lookups', headers, payload: { bsn: BSN } }))
          .statusCode,
      ).toBe(200);
    expect(await count()).toBe(before + 2);
  });

  it('is refused as a participant reference or in an e-mail address', async () => {
    const body = cohortRequest({ ...partners, size: 2 });
    body.participants[0]!.reference = BSN;
    body.participants[1]!.email = `${BSN}@example.nl`;
    const res = await call('POST', '/v1/cohorts', body);
    expect(res.status).toBe(422);
    expect(res.json.errors.map((e: { field: string }) => e.field)).toEqual([
      'participants[0].reference',
      'participants[1].email',
    ]);
  });

  it('is refused when it fails the elfproef, without repeating it', async () => {
    const body = cohortRequest({ ...partners, size: 1 });
    body.participants[0]!.bsn = '736160232';
    const res = await call('POST', '/v1/cohorts', body);
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([
      { field: 'participants[0].bsn', message: 'is not a valid BSN (it fails the elfproef)' },
    ]);
    expect(JSON.stringify(res.json)).not.toContain('736160232');
  });

  it('is refused in a free-text field, where it would be stored in clear', async () => {
    const res = await call('POST', `/v1/trajectories/${cohort.trajectories[1]!.id}/checkpoints`, {
      key: 'intake',
      status: 'concerns',
      note: `Deelnemer (BSN ${BSN.slice(0, 4)}.${BSN.slice(4, 6)}.${BSN.slice(6)}) mist de bus`,
      trainerConfirmed: true,
    });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ field: 'note', message: expect.stringContaining('BSN') }]);
  });

  it(
    'appears nowhere in clear: not in a database dump, ' + 'the logs, the mail sent, or the Temporal histories',
    async () => {
      // Work on the participant the way partners do, so there is something to find if it leaked.
      const id = cohort.trajectories[0]!.id;
      expect((await call('GET', `/v1/trajectories/${id}`)).status).toBe(200);
      expect(
        (
          await call('POST', `/v1/trajectories/${id}/checkpoints`, {
            key: 'intake',
            status: 'on_track',
            note: 'Goede start',
            trainerConfirmed: true,
          })
        ).status,
      ).toBe(200);
      expect((await call('GET', `/v1/trajectories/${id}/export`)).status).toBe(200);
      expect((await call('POST', '/v1/outcomes/participant-lookups', { bsn: BSN })).status).toBe(200);

      const dump = execFileSync('pg_dump', ['--data-only', '--no-owner', inject('databaseUrl')], {
        maxBuffer: 512 * 1024 * 1024,
      }).toString();
      expect(dump).toContain(id); // the dump is the real one
      expect(dump).not.toContain(BSN);
      // The stored hash is the keyed one: the plain SHA-256 of the BSN, which anyone could compute, is not in it.
      expect(dump).not.toContain((await import('node:crypto')).createHash('sha256').update(BSN).digest('hex'));

      expect(logLines.length).toBeGreaterThan(10);
      expect(logLines.join('')).not.toContain(BSN);

      const mail = await db.selectFrom('dev_mailbox').selectAll().execute();
      expect(JSON.stringify(mail)).not.toContain(BSN);

      for (const t of cohort.trajectories) {
        const text = await historyText(t.workflowId);
        expect(text).toContain(t.id); // decrypted, so the search can find what is there
        expect(text).not.toContain(BSN);
      }
    },
  );
});

describe('the audit log', () => {
  it("records who read and changed a participant's data, when and through which route", async () => {
    const id = cohort.trajectories[2]!.id;
    const employer = await createKey(call, partners.employerIds[0]!, 'employer');
    const keyId = (
      await db
        .selectFrom('api_key')
        .select('id')
        .where('organisation_id', '=', partners.employerIds[0]!)
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow()
    ).id;
    const read = await call('GET', `/v1/trajectories/${id}`, undefined, employer);
    expect(read.status).toBe(200);
    const day = localDate(Date.now());
    await call(
      'POST',
      `/v1/trajectories/${id}/attendance`,
      { entries: [{ date: addDays(day, 30), kind: 'placement', present: true }] },
      employer,
    ); // refused: not audited
    const coordinator = await createKey(call, partners.officeId, 'coordinator');
    const log = await call('GET', `/v1/audit-events?trajectoryId=${id}&actor=${keyId}`, undefined, coordinator);
    expect(log.status).toBe(200);
    expect(log.json.items).toEqual([
      expect.objectContaining({
        actor: keyId,
        organisationId: partners.employerIds[0],
        role: 'employer',
        action: 'read',
        resource: 'trajectory',
        trajectoryId: id,
        route: 'GET /v1/trajectories/:id',
        requestId: expect.any(String),
      }),
    ]);

    // A cohort read names every participant in it.
    await call('GET', `/v1/cohorts/${cohort.id}`, undefined, coordinator);
    const cohortReads = await db
      .selectFrom('audit_event')
      .select('trajectory_id')
      .where('route', '=', 'GET /v1/cohorts/:id')
      .where('request_id', 'is not', null)
      .where(
        'trajectory_id',
        'in',
        cohort.trajectories.map((t) => t.id),
      )
      .execute();
    expect(new Set(cohortReads.map((r) => r.trajectory_id))).toEqual(new Set(cohort.trajectories.map((t) => t.id)));
  });

  it('cannot be changed or deleted, not even by the database user the application runs as', async () => {
    await expect(sql`update audit_event set actor = 'someone else'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_event`.execute(db)).rejects.toThrow(/append-only/);
  });
});

describe("the participant's rights", () => {
  it('exports everything held about the participant, and records the export', async () => {
    const id = cohort.trajectories[0]!.id;
    const res = await call('GET', `/v1/trajectories/${id}/export`);
    expect(res.status).toBe(200);
    expect(res.json.trajectory).toMatchObject({ id, name: 'Deelnemer 1', bsn: expect.stringContaining('keyed hash') });
    expect(res.json.trajectory).not.toHaveProperty('bsn_hash');
    expect(res.json.events.map((e: { type: string }) => e.type)).toContain('started');
    expect(res.json.audit.some((a: { action: string }) => a.action === 'read')).toBe(true);
    const exports = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('trajectory_id', '=', id)
      .where('action', '=', 'export')
      .execute();
    expect(exports.length).toBeGreaterThan(0);
  });

  it('erases a finished trajectory: who it was goes, the figures stay', async () => {
    const t = cohort.trajectories[1]!;
    expect((await call('POST', `/v1/trajectories/${t.id}/erasure`, {})).status).toBe(409); // still running
    expect(
      (
        await call('POST', `/v1/trajectories/${t.id}/checkpoints`, {
          key: 'intake',
          status: 'at_risk',
          note: 'Veel verzuim door mantelzorg',
          trainerConfirmed: true,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('POST', `/v1/trajectories/${t.id}/changes`, {
          type: 'dropout',
          reason: 'personal_circumstances',
          text: 'Zorgt voor haar moeder',
        })
      ).status,
    ).toBe(200);
    // The grace period for reverting a dropout passes (time skips while we wait for the result).
    await env.client.workflow.getHandle(t.workflowId).result();
    const before = await db
      .selectFrom('trajectory')
      .select(['status', 'outcome', 'end_date'])
      .where('id', '=', t.id)
      .executeTakeFirstOrThrow();

    const erased = await call('POST', `/v1/trajectories/${t.id}/erasure`, {});
    expect(erased.status, JSON.stringify(erased.json)).toBe(200);
    const row = await db.selectFrom('trajectory').selectAll().where('id', '=', t.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      name: 'Geanonimiseerd',
      bsn_hash: null,
      status: before.status,
      outcome: before.outcome,
      end_date: before.end_date,
    });
    expect(row.reference).not.toBe(t.reference);
    expect(row.email).not.toContain('deelnemer');
    const note = await db
      .selectFrom('checkpoint_review')
      .select(['note', 'status'])
      .where('trajectory_id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(note).toEqual({ note: '', status: 'at_risk' });
    const events = JSON.stringify(
      await db.selectFrom('trajectory_event').select('data').where('trajectory_id', '=', t.id).execute(),
    );
    expect(events).not.toContain('mantelzorg');
    expect(events).not.toContain('moeder');
    expect(events).toContain('personal_circumstances');
    expect(
      (
        await db
          .selectFrom('audit_event')
          .select('action')
          .where('trajectory_id', '=', t.id)
          .where('action', '=', 'erase')
          .execute()
      ).length,
    ).toBe(1);
  });
});
