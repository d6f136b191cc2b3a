// Trajectories whose own workflow closed before deadlines were timers never started a deadlines workflow; the
// worker starts theirs once at start (infra/deadlines-backfill.ts), and only theirs: not a running trajectory's
// (its workflow starts it under the patch), not one anonymised or long ended, and never a second time.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../domain/calendar';
import { BACKFILL_DAYS, startMissingDeadlines } from '../infra/deadlines-backfill';
import { deadlinesWorkflowId, TASK_QUEUE } from '../workflows/ids';
import { startTestApi, type TestApi } from './helpers/api';
import { injectCall, withKey } from './helpers/app';
import { cohortRequest, thisMonday } from './helpers/fixtures';
import { seedPartners } from './helpers/partners';
import { untilStarted } from './helpers/seed';

let api: TestApi;
let running: string[];
const today = localDate(Date.now());

/** A finished trajectory as a release before the deadlines left it: a row, no workflow of either kind. */
async function finishedBefore(copyOf: string, id: string, o: { endDate: string; anonymised?: boolean }) {
  const patch = {
    id,
    reference: `K-${id}`,
    workflow_id: `trajectory-${id}`,
    status: 'ended',
    end_date: o.endDate,
    bsn_hash: null,
    anonymised_at: o.anonymised ? new Date().toISOString() : null,
  };
  await sql`insert into trajectory
    select (jsonb_populate_record(null::trajectory, to_jsonb(t) || ${JSON.stringify(patch)}::jsonb)).*
    from trajectory t where t.id = ${copyOf}`.execute(api.db);
}

const deadlinesOf = (id: string) => api.env.client.workflow.getHandle(deadlinesWorkflowId(id)).describe();

beforeAll(async () => {
  // startMissingDeadlines looks at every finished trajectory: only this file's.
  api = await startTestApi({ ownDatabase: true });
  const partners = await seedPartners(injectCall(api.app), 'Nalevering');
  const res = await api.app.inject({
    method: 'POST',
    url: '/v1/cohorts',
    headers: withKey(),
    payload: cohortRequest({ ...partners, size: 2, startDate: addDays(thisMonday(), -7) }),
  });
  expect(res.statusCode, res.body).toBe(201);
  running = (res.json().trajectories as { id: string }[]).map((t) => t.id);
  await untilStarted(api.db, res.json().id);
  await finishedBefore(running[0]!, 'eindevorigjaar', { endDate: addDays(today, -60) });
  await finishedBefore(running[0]!, 'langgeleden', { endDate: addDays(today, -BACKFILL_DAYS - 1) });
  await finishedBefore(running[0]!, 'geanonimiseerd', { endDate: addDays(today, -30), anonymised: true });
}, 180_000);
afterAll(async () => api?.close());

describe('the deadlines of trajectories finished before the timers', () => {
  it('are started once for a recently finished trajectory, and for nothing else', async () => {
    await expect(deadlinesOf('eindevorigjaar')).rejects.toThrow();
    expect(await startMissingDeadlines(api.db, api.env.client, TASK_QUEUE)).toEqual({ started: 1, failed: 0 });
    // It has no facts left (no instrument, no BBL contract, no supervised weeks): it ends at once, as it should.
    await api.env.client.workflow.getHandle(deadlinesWorkflowId('eindevorigjaar')).result();
    expect((await deadlinesOf('eindevorigjaar')).status.name).toBe('COMPLETED');
    await expect(deadlinesOf('langgeleden')).rejects.toThrow();
    await expect(deadlinesOf('geanonimiseerd')).rejects.toThrow();
  });

  it('start nothing again: not the one that ended, not the running trajectories', async () => {
    const before = await Promise.all(running.map(async (id) => (await deadlinesOf(id)).runId));
    expect(await startMissingDeadlines(api.db, api.env.client, TASK_QUEUE)).toEqual({ started: 0, failed: 0 });
    expect((await deadlinesOf('eindevorigjaar')).status.name).toBe('COMPLETED');
    expect(await Promise.all(running.map(async (id) => (await deadlinesOf(id)).runId))).toEqual(before);
  });
});
