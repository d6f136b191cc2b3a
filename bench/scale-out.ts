// Scale-out (issue 19, item 5): 2 worker and 2 API processes against one Temporal dev server and one
// PostgreSQL database, against 1 + 1, on the same server, database and trajectories, set-ups alternating
// (bench/stats.ts: warm-up pair thrown away, then BENCH_RUNS pairs, default 3, first side swapping).
//
// Each sample starts its set-up's processes afresh (so both begin with an empty workflow cache) and measures:
// (a) the morning digest over BENCH_SCALEOUT_TRAJECTORIES (default 2,000) running trajectories at mixed weeks
//     (bench/scale.ts's launch), started as the Schedule starts it, until the SMTP server accepted the last
//     mail; today's outbox is emptied before each sample so every sample composes and sends the same digest;
// (b) attendance registrations over HTTP as partners send them (bench/registrations.ts's shape): 32
//     connections, each a partner working through its own trajectories one request (one week) at a time,
//     weeks never recorded before; with 2 APIs half the connections go to each. p50, p99 and throughput.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { localDate } from '../domain/calendar';
import { clearOutboxDay } from './outbox-day';
import { post } from './registrations';
import { alternate, benchRuns, machineLoad, percentile, spread } from './stats';
import {
  historyOf,
  httpCall,
  launchCohorts,
  runDigest,
  seedRegions,
  startStack,
  untilActive,
  type Launched,
  type Stack,
} from './scale';

const log = (s: string) => console.error(`[bench] ${new Date().toISOString().slice(11, 19)} ${s}`);

export async function benchScaleOut(
  total = Number(process.env.BENCH_SCALEOUT_TRAJECTORIES ?? 2_000),
  connections = 32,
  perConnection = 12,
) {
  const stack: Stack = await startStack({ workers: 1, apis: 1 });
  try {
    const call = httpCall(() => stack.apis[0]!.url, stack.token);
    const regions = await seedRegions(call, 2);
    const t0 = performance.now();
    const launched = await launchCohorts(call, regions, total, 0, 4, stack.db);
    await untilActive(stack.db, launched.length);
    log(`scale-out: ${launched.length} launched in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    // Registrations: trajectories drawn from one shuffled pool, each lane its own, attendance weeks only.
    const pool: Launched[] = [...launched].sort(() => Math.random() - 0.5);
    const lanesFor = async () => {
      const lanes: { path: string; body: unknown; key?: string }[][] = [];
      for (let c = 0; c < connections; c++) {
        const lane: { path: string; body: unknown; key?: string }[] = [];
        while (lane.length < perConnection) {
          const t = pool.shift();
          if (!t) throw new Error('scale-out: out of trajectories to record on');
          lane.push(...(await historyOf(call, t)).filter((r) => r.path.endsWith('/attendance')));
        }
        lanes.push(lane.slice(0, perConnection));
      }
      return lanes;
    };
    const non2xx: Record<string, number> = {};
    const side = (workers: number, apis: number) => async () => {
      await stack.processes(workers, apis);
      // (a) The digest, composed and sent afresh.
      await clearOutboxDay(stack.db, localDate(Date.now()));
      const digest = await runDigest(stack);
      // (b) Registrations, half the connections to each API.
      const lanes = await lanesFor();
      const bases = stack.apis.map((a) => new URL(a.url));
      const ms: number[] = [];
      const t = performance.now();
      await Promise.all(
        lanes.map(async (lane, i) => {
          const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
          for (const r of lane) {
            const res = await post(
              agent,
              bases[i % bases.length]!,
              r.path,
              r.key ?? stack.token,
              JSON.stringify(r.body),
            );
            if (res.status < 200 || res.status >= 300) non2xx[res.status] = (non2xx[res.status] ?? 0) + 1;
            ms.push(res.ms);
          }
          agent.destroy();
        }),
      );
      const wall = performance.now() - t;
      return {
        digestMs: digest.lateMs,
        mails: digest.sent,
        items: digest.items,
        p50: percentile(ms, 50),
        p99: percentile(ms, 99),
        perSecond: ms.length / (wall / 1000),
      };
    };
    const r = await alternate({
      runs: benchRuns(3, 3),
      warmup: 1,
      baseline: side(1, 1),
      measured: side(2, 2),
      log: 'scale-out',
    });
    return { total: launched.length, regions: regions.length, connections, perConnection, non2xx, ...r };
  } finally {
    await stack.close();
  }
}

export function scaleOutRows(r: Awaited<ReturnType<typeof benchScaleOut>>): string[][] {
  const n = r.samples.baseline[0]!;
  return [
    [
      `scale-out (a): the 10:00 digest over ${r.total.toLocaleString('en')} running trajectories at mixed ` +
        `weeks (${n.items.toLocaleString('en')} reminders in ${n.mails} mails), until the SMTP server accepted ` +
        `the last mail; processes started afresh each sample`,
      `1 worker + 1 API: ${spread(r.baseline.digestMs, 'ms')}`,
      `2 workers + 2 APIs: ${spread(r.measured.digestMs, 'ms')}`,
      spread(r.ratio.digestMs, '×'),
    ],
    [
      `scale-out (b): attendance registrations over HTTP, ${r.connections} connections ` +
        `(${r.connections * r.perConnection} requests a sample, one week each, weeks never recorded before); ` +
        `with 2 APIs half the connections to each; not 2xx: ${JSON.stringify(r.non2xx)}`,
      `1 worker + 1 API: p50 ${spread(r.baseline.p50, 'ms')}; ` +
        `p99 ${spread(r.baseline.p99, 'ms')}; ${spread(r.baseline.perSecond, '/s', 0)}`,
      `2 workers + 2 APIs: p50 ${spread(r.measured.p50, 'ms')}; ` +
        `p99 ${spread(r.measured.p99, 'ms')}; ${spread(r.measured.perSecond, '/s', 0)}`,
      `p50 ${spread(r.ratio.p50, '×')}; throughput ${spread(r.ratio.perSecond, '×')}`,
    ],
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const load = machineLoad();
  const at = new Date().toISOString();
  const r = await benchScaleOut();
  console.log(JSON.stringify({ ...r, at, load: `${load} → ${machineLoad()}` }, null, 2));
  console.log(
    scaleOutRows(r)
      .map((row) => `| ${row.join(' | ')} |`)
      .join('\n'),
  );
}
