// Attendance registrations over HTTP at a sustained load (autocannon, a fixed number of connections), against
// the same registrations sent as bare Temporal updates to the same workflows' twins, with the same number in
// flight, on the same dev server in the same run: p50, p99 and throughput of each, and the ratio. Every
// request records a different day, so none is a replay.
import { randomBytes, randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { buildApp } from '../api/app';
import type { Db } from '../db/connection';
import { localDate, addDays } from '../workflows/calendar';
import { TASK_QUEUE, trajectoryWorkflowId } from '../workflows/ids';
import { recordAttendanceUpdate, scheduleQuery } from '../workflows/trajectory';
import { cohortRequest, thisMonday } from '../tests/helpers/fixtures';
import { ADMIN_TOKEN, injectCall } from '../tests/helpers/app';
import { seedPartners } from '../tests/helpers/partners';

const percentile = (ms: number[], p: number) => [...ms].sort((a, b) => a - b)[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))]!;

export async function benchRegistrations(env: TestWorkflowEnvironment, db: Db, participants = 50, connections = 8) {
  const app = await buildApp({ config: { TEMPORAL_TASK_QUEUE: TASK_QUEUE, LOG_LEVEL: 'warn', ADMIN_TOKEN, BSN_HMAC_KEY: randomBytes(32).toString('base64url'), RATE_LIMIT_PER_MINUTE: 1_000_000 }, db, temporal: env.client, mailer: { kind: 'dev-mailbox' } });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const call = injectCall(app);
  const partners = await seedPartners(call);
  // Two cohorts that started four weeks ago: one recorded over HTTP, its twin with bare updates.
  const launch = async () => {
    const res = await call('POST', '/v1/cohorts', cohortRequest({ ...partners, size: participants, startDate: addDays(thisMonday(), -28) }));
    const ids = (res.json.trajectories as { id: string }[]).map((t) => t.id);
    for (let i = 0; i < 300; i++) {
      const started = await db.selectFrom('trajectory').select('id').where('cohort_id', '=', res.json.id).where('status', '=', 'active').execute();
      if (started.length === ids.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return ids;
  };
  const today = localDate(Date.now());
  const daysOf = async (ids: string[]) => (await Promise.all(ids.map(async (id) => {
    const s = await env.client.workflow.getHandle(trajectoryWorkflowId(id)).query(scheduleQuery);
    return s.weeks.flatMap((w) => w.days).filter((d) => d.status === 'planned' && d.date < today).map((d) => ({ id, date: d.date, kind: d.kind }));
  }))).flat();
  const [httpDays, bareDays] = [await daysOf(await launch()), await daysOf(await launch())];

  // Baseline: the same kind of update, straight to the workflow, `connections` at a time.
  const bareMs: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    for (let d = bareDays[next++]; d; d = bareDays[next++]) {
      const s = performance.now();
      await env.client.workflow.getHandle(trajectoryWorkflowId(d.id)).executeUpdate(recordAttendanceUpdate, { args: [{ entries: [{ date: d.date, kind: d.kind, present: true }] }] });
      bareMs.push(performance.now() - s);
    }
  }));
  const bareWall = performance.now() - t0;

  // Over HTTP: authentication, access check, Idempotency-Key, the update, the audit row.
  let i = 0;
  const result = await autocannon({
    url, connections, amount: httpDays.length,
    requests: [{
      method: 'POST',
      setupRequest: (req) => {
        const d = httpDays[i++ % httpDays.length]!;
        return { ...req, path: `/v1/trajectories/${d.id}/attendance`, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: JSON.stringify({ entries: [{ date: d.date, kind: d.kind, present: true }] }) };
      },
    }],
  });
  await app.close();
  const ok = result['2xx'];
  return {
    requests: httpDays.length, connections, ok, non2xx: result.non2xx,
    http: { p50: result.latency.p50, p99: result.latency.p99, perSecond: ok / (result.duration || 1) },
    bare: { p50: percentile(bareMs, 50), p99: percentile(bareMs, 99), perSecond: bareMs.length / (bareWall / 1000) },
  };
}
