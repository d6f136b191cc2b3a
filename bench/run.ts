// `npm run bench`: every benchmark, each reported as a ratio against a baseline measured in the same run,
// from alternating samples of both sides (bench/stats.ts: warm-up thrown away, median and spread).
// `npm run bench -- --quick`: smaller sizes, 3 samples a side, and without the 10,000-trajectory scale run
// and the outbox run (each 10 minutes or more): for routine checks, under 5 minutes; its output says so.
// Uses the real Temporal dev server and a throwaway PostgreSQL database (DATABASE_URL's server, else
// 127.0.0.1:5432). Prints a Markdown table to paste into bench/README.md: every row with its date and the
// machine's load (1, 5 and 15 minute averages, as `uptime` prints them) when it started and ended.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../activities';
import { connectPostgres } from '../db/connection';
import { devServerExecutable } from '../infra/temporal-binaries';
import { workflowsPath } from '../infra/workflows-path';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { TASK_QUEUE } from '../workflows/ids';
import { createThrowawayDatabase } from '../tests/helpers/postgres';
import { benchCohortLaunch } from './cohort-launch';
import { benchTrajectoryHistory } from './trajectory-history';
import { benchOutcomes } from './outcomes';
import { benchDigestProvince, benchDigestScaleOut, digestProvinceRows, digestScaleOutRows } from './digest-province';
import { benchOutbox, outboxRows } from './outbox';
import { benchRegistrations } from './registrations';
import { benchScale, scaleRows } from './scale';
import { benchScaleOut, scaleOutRows } from './scale-out';
import { machineLoad, QUICK, benchRuns, spread, type Spread } from './stats';
import { ensureSearchAttributes } from '../infra/temporal';
import { newPayloadKey, payloadDataConverter } from '../infra/payload-codec';
import { testServerExecutable } from '../infra/temporal-binaries';

const started = new Date();
const command = [
  ...Object.entries(process.env)
    .filter(([k]) => k.startsWith('BENCH_'))
    .map(([k, v]) => `${k}=${v}`),
  'npm run bench',
  ...(process.argv.slice(2).length ? ['--', ...process.argv.slice(2)] : []),
].join(' ');
const skip = (name: string, inQuick = false) =>
  Boolean(process.env[`BENCH_SKIP_${name}`]) || (QUICK && inQuick && !process.env[`BENCH_ONLY_${name}`]);

Runtime.install({ logger: new DefaultLogger('WARN') });
// Payloads encrypted as in production (the cost is part of what is measured), under a key for this run only.
const dataConverter = payloadDataConverter({ PAYLOAD_KEYS: newPayloadKey() });
const database = await createThrowawayDatabase();
const db = connectPostgres(database.url, 10);
const env = await TestWorkflowEnvironment.createLocal({
  server: { executable: devServerExecutable(process.env), searchAttributes: SEARCH_ATTRIBUTES },
  client: { dataConverter },
});
const worker = await Worker.create({
  connection: env.nativeConnection,
  taskQueue: TASK_QUEUE,
  workflowsPath,
  activities: createActivities({ db, temporal: env.client }),
  dataConverter,
});
const running = worker.run();

const rows: string[][] = [];
const notes: string[] = [];
/** Runs one benchmark and adds its rows, each stamped with the date and the load before and after it. */
async function section<T>(name: string, work: () => Promise<T>, toRows: (r: T) => string[][]): Promise<T> {
  const load = machineLoad();
  const at = new Date();
  const t0 = performance.now();
  console.error(`[bench] ${name}: started ${new Date().toISOString()}, load ${load}`);
  const r = await work();
  const when =
    `\`${command}\`, ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC, ` +
    `for ${((performance.now() - t0) / 1000).toFixed(0)} s; load ${load} → ${machineLoad()}`;
  for (const row of toRows(r)) rows.push([...row, when]);
  console.error(`[bench] ${name}: done in ${((performance.now() - t0) / 1000).toFixed(0)} s, load ${machineLoad()}`);
  return r;
}
const ms = (s: Spread) => spread(s, 'ms');
const x = (s: Spread) => spread(s, '×');

try {
  const runs = benchRuns();
  if (!skip('LAUNCH')) {
    await section(
      'cohort launch',
      () => benchCohortLaunch(env, db),
      (l) => [
        [
          `cohort launch, ${l.size} participants (same workflow and input both sides, 50 starts in flight; ` +
            `each sample waits until every workflow's first task is done)`,
          `${l.size} bare workflow starts: ${ms(l.baseline.ms)}`,
          `POST /v1/cohorts over HTTP: ${ms(l.measured.ms)}`,
          x(l.ratio.ms),
        ],
      ],
    );
  }
  if (!skip('TRAJECTORY')) {
    const skipping = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: testServerExecutable(process.env) },
      client: { dataConverter },
    });
    try {
      await ensureSearchAttributes(skipping.connection, 'default');
      const w = await Worker.create({
        connection: skipping.nativeConnection,
        taskQueue: TASK_QUEUE,
        workflowsPath,
        activities: createActivities({ db, temporal: skipping.client }),
        dataConverter,
      });
      await section(
        'trajectory history',
        () => w.runUntil(benchTrajectoryHistory(skipping, db)),
        (h) =>
          [['weekly', h.weekly] as const, ['daily', h.daily] as const].map(([pattern, r]) => [
            `20-week trajectory, every day recorded ${pattern} (${r.measured.updates.median} updates, time-skipping)`,
            `nothing recorded: ${r.baseline.events.median} events, ${ms(r.baseline.ms)}`,
            `${r.measured.events.median} events ` +
              `(min–max ${r.measured.events.min}–${r.measured.events.max}), ${ms(r.measured.ms)}`,
            `events ${(r.measured.events.median / r.baseline.events.median).toFixed(1)}; time ${x(r.ratio.ms)}`,
          ]),
      );
    } finally {
      await skipping.teardown();
    }
  }
  if (!skip('OUTCOMES')) {
    await section(
      'outcome query',
      () => benchOutcomes(db, env.client),
      (o) => [
        [
          `funders' outcome query, ${o.n.toLocaleString('en')} ` +
            'trajectories' +
            (o.attendanceRows
              ? `, ${(o.n * 60).toLocaleString('en')} attendance rows`
              : ' (per-trajectory attendance counts only, no attendance rows)') +
            `, ${(o.n * 2).toLocaleString('en')} ` +
            `checkpoint reviews, ${(3 * Math.ceil(o.n / 3)).toLocaleString('en')} follow-ups (seeded ` +
            `in ${(o.seedMs / 1000).toFixed(0)} s); ${o.requests} requests a sample, one after another`,
          `the same statement(s) (outcomeCounts) on the same pool, run the same way, no HTTP: ` +
            `p50 ${ms(o.baseline.p50)}; p95 ${ms(o.baseline.p95)}; all samples: ` +
            `p50 ${o.pooled.baseline.p50.toFixed(1)} ms, p95 ${o.pooled.baseline.p95.toFixed(1)} ms`,
          `GET /v1/outcomes over HTTP with a funder's API key (authentication, scope, suppression, JSON): ` +
            `p50 ${ms(o.measured.p50)}; p95 ${ms(o.measured.p95)}; all samples: ` +
            `p50 ${o.pooled.measured.p50.toFixed(1)} ms, p95 ${o.pooled.measured.p95.toFixed(1)} ms`,
          `p50 ${x(o.ratio.p50)}; p95 ${x(o.ratio.p95)}`,
        ],
      ],
    );
  }
  // Other engineers' benchmarks (bench/scale.ts, bench/outbox.ts): not in quick mode.
  if (!skip('SCALE', true)) {
    // Its own dev server, database, and API and worker processes (bench/scale.ts), not this process's worker.
    await section('scale', () => benchScale(Number(process.env.BENCH_SCALE_TRAJECTORIES ?? 10_000)), scaleRows);
  }
  // 2 workers + 2 APIs against 1 + 1 (bench/scale-out.ts), its own dev server and database: not in quick mode.
  if (!skip('SCALEOUT', true)) {
    await section('scale-out', () => benchScaleOut(), scaleOutRows);
  }
  if (!skip('REGISTRATIONS')) {
    await section(
      'registrations',
      () => benchRegistrations(env, db),
      (r) => {
        const http = (c: (typeof r.results)[number]) => c.measured.perSecond.median;
        const ceiling = r.results.reduce((best, c) => (http(c) > http(best) ? c : best));
        const peak = 10_000;
        notes.push(
          `Registrations: ${r.trajectories} trajectories launched through the API for them ` +
            `in ${(r.launchMs / 1000).toFixed(0)} s; each request records one week of one trajectory (the ` +
            `employer's 3 placement days with its key, or the ROC's school day with its key), each connection ` +
            `its own trajectories. ` +
            `Throughput ceiling over HTTP on this machine: ${http(ceiling).toFixed(0)} registrations/s ` +
            `(median, at ${ceiling.connections} connections; bare ` +
            `updates ${ceiling.baseline.perSecond.median.toFixed(0)}/s there). ` +
            `A region of ${peak.toLocaleString('en')} trajectories with every employer confirming its week ` +
            `on Monday morning sends ${peak.toLocaleString('en')} requests (and the ROCs ` +
            `another ${peak.toLocaleString('en')} for their day, on their own day): ` +
            `spread over 08:00-10:00 that is ${(peak / 7200).toFixed(1)}/s, all in one quarter of an ` +
            `hour ${(peak / 900).toFixed(1)}/s; at the ceiling the whole Monday batch ` +
            `takes ${(peak / http(ceiling) / 60).toFixed(1)} minutes.`,
        );
        return r.results.map((c) => [
          `attendance registrations over HTTP, ${c.connections} connections, ${c.requestsPerSample} ` +
            `requests a sample spread over ${c.connections} partners' own trajectories; ${c.httpRequests} ` +
            `sent, not 2xx: ${Object.keys(c.non2xx).length ? JSON.stringify(c.non2xx) : 'none'}; bare ` +
            `updates failed: ${c.bareErrors}`,
          `the same recordings as bare updates, ${c.connections} in flight: p50 ${ms(c.baseline.p50)}; ` +
            `p99 ${ms(c.baseline.p99)}; ${spread(c.baseline.perSecond, '/s', 0)}`,
          `POST /v1/trajectories/{id}/attendance: p50 ${ms(c.measured.p50)}; ` +
            `p99 ${ms(c.measured.p99)}; ${spread(c.measured.perSecond, '/s', 0)}`,
          `p50 ${x(c.ratio.p50)}; p99 ${x(c.ratio.p99)}; throughput ${x(c.ratio.perSecond)}`,
        ]);
      },
    );
  }
  if (!skip('OUTBOX', true)) {
    // Its own database and SMTP server (bench/outbox.ts): the production compose and delivery, no workflow.
    await section('outbox', () => benchOutbox(), outboxRows);
  }
  if (!skip('PROVINCE', true)) {
    // The digest at 50,000 (bench/digest-province.ts): its own dev server, database and worker processes.
    await section('province', () => benchDigestProvince(), digestProvinceRows);
  }
  if (!skip('PROVINCE_SCALEOUT', true)) {
    // The same morning on 2 worker processes against 1 (bench/digest-province.ts): the digest's scale-out.
    await section('digest scale-out', () => benchDigestScaleOut(), digestScaleOutRows);
  }
  console.log(
    '\n' +
      (QUICK
        ? '**QUICK MODE** (smaller sizes, 3 samples a side, no scale or outbox run): ' +
          "for routine checks, not for the README's figures.\n\n"
        : '') +
      `Command: \`${command}\`; started ${started.toISOString()}, ended ${new Date().toISOString()}; ` +
      `Node ${process.version}; ${runs} samples a side after 1 warm-up, alternating; ` +
      `spreads are min–max and interquartile range over the samples, ratios per pair of samples.\n`,
  );
  const table = [
    [
      'benchmark',
      'baseline',
      'measured',
      'ratio (measured ÷ baseline), median (spread)',
      'command, start, duration; load (1, 5, 15 min) at start → end',
    ],
    ['---', '---', '---', '---', '---'],
    ...rows,
  ];
  console.log(table.map((r) => `| ${r.join(' | ')} |`).join('\n'));
  for (const n of notes) console.log(`\n${n}`);
} finally {
  worker.shutdown();
  await running;
  await env.teardown();
  await db.destroy();
  await database.drop();
}
