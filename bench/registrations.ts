// Attendance registrations as partners send them, over HTTP, against the same registrations sent as bare
// Temporal updates, at 8, 32 and 96 connections.
//
// As partners send them: each connection is one partner's office working through its own trajectories,
// one request at a time, and no two connections share a trajectory (so no workflow gets two updates at
// once, unlike the old benchmark, whose request order sent 8 concurrent updates to one workflow). Each
// request records one week of one trajectory as the partner confirms it: the employer its three placement
// days in one call (with the employer's own API key), the ROC its school day (with the ROC's key), week by
// week. Every request records days not recorded before, so none is a replay.
//
// The baseline sends the same recordings as `executeUpdate` straight to the workflows, with the same number
// in flight, spread the same way, over trajectories launched the same way. A sample of either side draws
// fresh trajectories from one shuffled pool; samples alternate (bench/stats.ts). Each sample's figures:
// p50 and p99 latency and throughput (answered requests per second of wall time). Every answer that is not
// 2xx is counted (the API retries an update the server aborts, within its deadline, and answers 503 if
// that fails); a bare update that throws is counted too.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { benchApp } from './app';
import { alternate, benchRuns, percentile, QUICK } from './stats';
import type { Db } from '../db/connection';
import { localDate, addDays } from '../domain/calendar';
import { trajectoryWorkflowId } from '../workflows/ids';
import { recordAttendanceUpdate, scheduleQuery } from '../workflows/trajectory';
import { cohortRequest, thisMonday } from '../tests/helpers/fixtures';
import { injectCall } from '../tests/helpers/app';
import { createKey, seedPartners } from '../tests/helpers/partners';
import { untilStarted } from '../tests/helpers/seed';

interface Recording {
  trajectoryId: string;
  token: string;
  entries: { date: string; kind: 'placement' | 'school'; present: boolean }[];
}

/** One POST over a connection of its own (keep-alive agent with one socket): status and milliseconds. */
/** One POST over a keep-alive agent, with a fresh Idempotency-Key: its status and how long it took. */
export function post(
  agent: http.Agent,
  base: URL,
  path: string,
  token: string,
  body: string,
): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path,
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': randomUUID(),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const figures = (ms: number[], wallMs: number) => ({
  p50: percentile(ms, 50),
  p99: percentile(ms, 99),
  perSecond: ms.length / (wallMs / 1000),
});

export async function benchRegistrations(env: TestWorkflowEnvironment, db: Db, levels = [8, 32, 96]) {
  const runs = benchRuns();
  const warmup = 1;
  // Weeks recorded per trajectory (two requests each: the employer's and the ROC's), and trajectories per
  // connection in a sample: at least 256 requests a sample at full size.
  const weeks = QUICK ? 1 : 4;
  const perConnection = (c: number) => (QUICK ? 1 : Math.max(1, Math.ceil(256 / (c * weeks * 2))));
  const needed = levels.reduce((n, c) => n + c * perConnection(c) * 2 * (runs + warmup), 0);

  const app = await benchApp(db, env.client);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const base = new URL(address);
  try {
    const call = injectCall(app);
    const partners = await seedPartners(call);
    const keys = new Map<string, string>();
    for (const id of partners.employerIds) keys.set(id, await createKey(call, id, 'employer'));
    const schoolKey = await createKey(call, partners.schoolId, 'school');

    // The trajectories: cohorts of 100 that started `weeks` weeks ago, launched through the API.
    const t0 = performance.now();
    const trajectories: { id: string; employerId: string }[] = [];
    for (let left = needed; left > 0; left -= 100) {
      const res = await call(
        'POST',
        '/v1/cohorts',
        cohortRequest({ ...partners, size: Math.min(100, left), startDate: addDays(thisMonday(), -7 * weeks) }),
      );
      if (res.status !== 201) throw new Error(`launch failed: ${res.status} ${JSON.stringify(res.json)}`);
      await untilStarted(db, res.json.id);
      trajectories.push(...(res.json.trajectories as { id: string; employerId: string }[]));
    }
    const launchMs = performance.now() - t0;

    // Each trajectory's recordings, week by week: the employer's placement days, then the ROC's day.
    const today = localDate(Date.now());
    const work = new Map<string, Recording[]>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let t = trajectories[next++]; t; t = trajectories[next++]) {
          const s = await env.client.workflow.getHandle(trajectoryWorkflowId(t.id)).query(scheduleQuery);
          const recordings: Recording[] = [];
          for (const w of s.weeks) {
            const days = w.days.filter((d) => d.status === 'planned' && d.date < today);
            const placement = days
              .filter((d) => d.kind === 'placement')
              .map((d) => ({ date: d.date, kind: d.kind, present: true }));
            const school = days
              .filter((d) => d.kind === 'school')
              .map((d) => ({ date: d.date, kind: d.kind, present: true }));
            if (placement.length)
              recordings.push({ trajectoryId: t.id, token: keys.get(t.employerId)!, entries: placement });
            if (school.length) recordings.push({ trajectoryId: t.id, token: schoolKey, entries: school });
          }
          work.set(t.id, recordings.slice(0, weeks * 2));
        }
      }),
    );
    // One pool for both sides, shuffled, so neither gets the cohorts launched first.
    const pool = trajectories.map((t) => t.id).sort(() => Math.random() - 0.5);
    const take = (c: number) =>
      Array.from({ length: c }, () => pool.splice(0, perConnection(c)).flatMap((id) => work.get(id)!));

    const results = [];
    for (const c of levels) {
      const non2xx: Record<string, number> = {};
      let bareErrors = 0;
      let requests = 0;
      const overHttp = async () => {
        const lanes = take(c);
        const ms: number[] = [];
        const t = performance.now();
        await Promise.all(
          lanes.map(async (lane) => {
            const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
            for (const r of lane) {
              const res = await post(
                agent,
                base,
                `/v1/trajectories/${r.trajectoryId}/attendance`,
                r.token,
                JSON.stringify({ entries: r.entries }),
              );
              if (res.status < 200 || res.status >= 300) non2xx[res.status] = (non2xx[res.status] ?? 0) + 1;
              ms.push(res.ms);
            }
            agent.destroy();
          }),
        );
        requests += ms.length;
        return figures(ms, performance.now() - t);
      };
      const bare = async () => {
        const lanes = take(c);
        const ms: number[] = [];
        const t = performance.now();
        await Promise.all(
          lanes.map(async (lane) => {
            for (const r of lane) {
              const s = performance.now();
              try {
                await env.client.workflow
                  .getHandle(trajectoryWorkflowId(r.trajectoryId))
                  .executeUpdate(recordAttendanceUpdate, { args: [{ entries: r.entries }] });
              } catch {
                bareErrors++;
              }
              ms.push(performance.now() - s);
            }
          }),
        );
        return figures(ms, performance.now() - t);
      };
      const r = await alternate({
        runs,
        warmup,
        baseline: bare,
        measured: overHttp,
        log: `registrations ${c} connections`,
      });
      results.push({
        connections: c,
        requestsPerSample: c * perConnection(c) * weeks * 2,
        httpRequests: requests,
        non2xx,
        bareErrors,
        ...r,
      });
    }
    return { trajectories: trajectories.length, launchMs, weeks, results };
  } finally {
    await app.close();
  }
}
