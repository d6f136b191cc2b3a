// Attendance registrations over HTTP at a sustained load (autocannon, a fixed number of connections), against
// the same registrations sent as bare Temporal updates to the same workflows' twins, with the same number in
// flight, on the same dev server in the same run: p50, p99 and throughput of each, and the ratio. Every
// request records a different day, so none is a replay.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { benchApp, percentile } from './app';
import type { Db } from '../db/connection';
import { localDate, addDays } from '../workflows/calendar';
import { trajectoryWorkflowId } from '../workflows/ids';
import { recordAttendanceUpdate, scheduleQuery } from '../workflows/trajectory';
import { cohortRequest, thisMonday } from '../tests/helpers/fixtures';
import { ADMIN_TOKEN, injectCall } from '../tests/helpers/app';
import { seedPartners } from '../tests/helpers/partners';
import { untilStarted } from '../tests/helpers/seed';

export async function benchRegistrations(env: TestWorkflowEnvironment, db: Db, participants = 50, connections = 8) {
  const app = await benchApp(db, env.client);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const call = injectCall(app);
  const partners = await seedPartners(call);
  // Two cohorts that started four weeks ago: one recorded over HTTP, its twin with bare updates.
  const launch = async () => {
    const res = await call('POST', '/v1/cohorts', cohortRequest({ ...partners, size: participants, startDate: addDays(thisMonday(), -28) }));
    await untilStarted(db, res.json.id);
    return (res.json.trajectories as { id: string }[]).map((t) => t.id);
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
