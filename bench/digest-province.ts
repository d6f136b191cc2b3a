// The 10:00 digest at a province's size (issue 19, item 3: "the same at 50,000 with the number of worker processes
// it takes"): BENCH_PROVINCE_TRAJECTORIES (default 50,000) trajectories under BENCH_PROVINCE_OFFICES programme
// offices (default 10), in a region's shape of recipients (bench/outbox.ts's seedRegion: a workplace trainer per 3
// participants, a jobcoach per 25, two ROCs per office), every one in week 5 with last week unrecorded and its intake
// overdue: 6 reminders a trajectory, every recipient with something due (more than a real morning).
//
// The digest reads only the projection's rows (db/reminders.ts), never a workflow, so the trajectories are seeded
// as their workflows' projections write them, without starting 50,000 workflows (launching them takes this machine
// over an hour, and running workflows cost the worker only its bounded cache, measured by bench/scale.ts). The
// digest itself runs exactly as in production: digestWorkflow on the Temporal dev server, started as the Schedule
// starts it, composing and delivering each office's part in an activity of its own (workflows/digest.ts), on
// BENCH_PROVINCE_WORKERS worker processes (default 2), each with the 1 GiB V8 heap ceiling of infra/k8s and the
// provider's limits as configuration (BENCH_SMTP_CONNECTIONS, BENCH_SMTP_RATE), to the local smtp-server with its
// greeting delay.
//
// Both sides alternate (bench/stats.ts: a warm-up pair thrown away, then BENCH_RUNS pairs, default 5); today's
// outbox is emptied before each digest so every sample composes and sends the same mails:
// - measured: the digest workflow, from its start until the SMTP server accepted the last mail;
// - baseline: the same rendered mails (from a set-up digest) through the production mailer from the bench process,
//   as many in flight as the workers' pools together hold: the delivery alone, no Temporal, no composing, no outbox.
// Memory: each worker's VmRSS after every digest and VmHWM (peak) at the end, from /proc.
//
// BENCH_PROVINCE_SCALEOUT=1 (and `npm run bench`'s "digest scale-out" section) measures instead the same morning on 2
// worker processes against 1 (issue 19, item 5), the processes started afresh for each sample.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dutchHolidays } from '../activities/holidays';
import { DEFAULTS } from '../infra/config';
import { addDays, isWorkingDay, localDate } from '../domain/calendar';
import { OFFICES_AT_ONCE } from '../workflows/digest';
import { seedRegion } from './outbox';
import { clearOutboxDay, renderedMails, sendAlone } from './outbox-day';
import { memoryOf, runDigest, SMTP_LIMITS, startStack, WORKER_HEAP_MIB } from './scale';
import { alternate, benchRuns, machineLoad, spread } from './stats';

const log = (s: string) => console.error(`[bench] ${new Date().toISOString().slice(11, 19)} ${s}`);

/**
 * A province's stack with its projection rows seeded and one set-up digest run (not measured), whose rendered mails
 * the baselines send.
 */
async function provinceStack(trajectories: number, offices: number, workers: number) {
  const stack = await startStack({ workers, apis: 0 });
  try {
    // The workers' day (their clock reads 10:00 today outside the mail hours: bench/mail-hours.ts).
    const day = localDate(Date.now());
    const holidays = new Set(dutchHolidays(addDays(day, -60), addDays(day, 60)).map((h) => h.date));
    if (!isWorkingDay(day, holidays)) throw new Error(`${day} has no digest (Sunday or holiday): run on a working day`);
    const t0 = performance.now();
    const shape = { trajectories, offices, rocs: 2 * offices, perTrainer: 3, perJobcoach: 25 };
    const region = await seedRegion(stack.db, shape, day, holidays);
    const seedMs = performance.now() - t0;
    log(`province: seeded in ${(seedMs / 1000).toFixed(0)} s: ${JSON.stringify(region)}`);
    const idle = stack.workers.map((w) => memoryOf(w));
    const setup = await runDigest(stack);
    const rendered = await renderedMails(stack.db, day);
    log(
      `province: set-up digest ${setup.items} reminders in ${setup.sent} mails, ${(setup.lateMs / 1000).toFixed(1)} s`,
    );
    if (!setup.sent || setup.failed) throw new Error(`set-up digest: ${JSON.stringify(setup)}`);
    stack.smtp.received.length = 0;
    /** Empties today's outbox, runs the digest as the Schedule does, and checks it sent exactly the set-up's mails. */
    const digest = async () => {
      await clearOutboxDay(stack.db, day);
      const d = await runDigest(stack);
      // The workflow's day is Temporal's (the real clock): a run that crosses midnight in Amsterdam composes the
      // next day's morning, which the set-up's mails do not match.
      if (d.date !== day) throw new Error(`the run crossed midnight in Amsterdam: ${d.date}`);
      if (d.sent !== rendered.length || d.failed) throw new Error(`digest: ${JSON.stringify(d)}`);
      stack.smtp.received.length = 0;
      return d;
    };
    return { stack, region, seedMs, idle, setup, rendered, digest };
  } catch (e) {
    await stack.close();
    throw e;
  }
}

export async function benchDigestProvince(
  trajectories = Number(process.env.BENCH_PROVINCE_TRAJECTORIES ?? 50_000),
  offices = Number(process.env.BENCH_PROVINCE_OFFICES ?? 10),
  workers = Number(process.env.BENCH_PROVINCE_WORKERS ?? 2),
) {
  const p = await provinceStack(trajectories, offices, workers);
  const { stack, rendered } = p;
  try {
    const digests: Awaited<ReturnType<typeof runDigest>>[] = [];
    const rssAfter: number[][] = [];
    const t0 = performance.now();
    const r = await alternate({
      runs: benchRuns(),
      warmup: 1,
      baseline: async (run) => {
        const t = Date.now();
        // The workers' pools together: each worker's mailer holds its own connections and rate.
        const limits = { connections: SMTP_LIMITS.connections * workers, rate: SMTP_LIMITS.rate * workers };
        await sendAlone(stack.db, stack.smtp.port, rendered, limits, run);
        const ms = stack.lastAccepted() - t;
        if (stack.smtp.received.length !== rendered.length) throw new Error('baseline: mails missing');
        stack.smtp.received.length = 0;
        return { ms };
      },
      measured: async () => {
        const d = await p.digest();
        digests.push(d);
        rssAfter.push(stack.workers.map((w) => memoryOf(w).rss));
        return { ms: d.lateMs };
      },
      log: 'province digest',
    });
    const end = stack.workers.map((w) => memoryOf(w));
    return {
      ...r,
      trajectories,
      offices,
      workers,
      region: p.region,
      seedMs: p.seedMs,
      setup: p.setup,
      idle: p.idle,
      end,
      rssAfter,
      digests: digests.slice(-r.measured.ms.n),
      clockShift: stack.clockShift,
      totalMs: performance.now() - t0,
    };
  } finally {
    await stack.close();
  }
}

/**
 * Scale-out of the digest (issue 19, item 5): the same province's morning on 2 worker processes against 1, on the
 * same dev server, database and seeded rows, alternating (each sample starts its processes afresh, outside the
 * clock). Each worker has the provider's limits of its own (SMTP_MAX_CONNECTIONS, SMTP_RATE_PER_SECOND).
 */
export async function benchDigestScaleOut(
  trajectories = Number(process.env.BENCH_PROVINCE_TRAJECTORIES ?? 50_000),
  offices = Number(process.env.BENCH_PROVINCE_OFFICES ?? 10),
) {
  const p = await provinceStack(trajectories, offices, 2);
  const { stack } = p;
  try {
    const peaks: Record<string, number[]> = { 1: [], 2: [] };
    const side = (workers: 1 | 2) => async () => {
      await stack.processes(workers, 0);
      const d = await p.digest();
      peaks[workers]!.push(...stack.workers.map((w) => memoryOf(w).peak));
      return { ms: d.lateMs };
    };
    const t0 = performance.now();
    const r = await alternate({
      runs: benchRuns(),
      warmup: 1,
      baseline: side(1),
      measured: side(2),
      log: 'digest scale-out',
    });
    return {
      ...r,
      trajectories,
      offices,
      mails: p.setup.sent,
      items: p.setup.items,
      peaks,
      clockShift: stack.clockShift,
      totalMs: performance.now() - t0,
    };
  } finally {
    await stack.close();
  }
}

export function digestScaleOutRows(p: Awaited<ReturnType<typeof benchDigestScaleOut>>): string[][] {
  return [
    [
      `scale-out (c): the 10:00 digest of bench/digest-province.ts (${p.trajectories.toLocaleString('en')} ` +
        `trajectories under ${p.offices} offices seeded as their projections, ${p.items.toLocaleString('en')} ` +
        `reminders in ${p.mails.toLocaleString('en')} mails), until the SMTP server accepted the last mail; each ` +
        `worker SMTP_MAX_CONNECTIONS=${SMTP_LIMITS.connections}, SMTP_RATE_PER_SECOND=${SMTP_LIMITS.rate}, ` +
        `DIGEST_PARTS_PER_WORKER=${DEFAULTS.DIGEST_PARTS_PER_WORKER}; the worker processes started afresh each sample`,
      `1 worker: ${spread(p.baseline.ms)}; peak ${Math.max(...p.peaks[1]!)} MiB`,
      `2 workers: ${spread(p.measured.ms)}; peaks up to ${Math.max(...p.peaks[2]!)} MiB`,
      spread(p.ratio.ms, '×'),
    ],
  ];
}

export function digestProvinceRows(p: Awaited<ReturnType<typeof benchDigestProvince>>): string[][] {
  const within = p.digests.filter((d) => d.lateMs <= 60_000).length;
  const g = p.region;
  return [
    [
      `the 10:00 digest at a province's size: ${p.trajectories.toLocaleString('en')} trajectories under ` +
        `${p.offices} programme offices, seeded as their projections (no workflows: the digest reads only the ` +
        `projection), in a region's shape (${g.trainers.toLocaleString('en')} workplace trainers with 3 ` +
        `participants each, ${g.jobcoaches.toLocaleString('en')} jobcoaches with 25, ${g.rocs} ROC coordinators, ` +
        `${g.coordinators} coordinators), every one with last week unrecorded and its intake overdue ` +
        `(${g.perTrajectory} reminders a trajectory); digestWorkflow as the Schedule starts it, each office's ` +
        `part an activity of its own, ${OFFICES_AT_ONCE} at once, on ${p.workers} worker processes (each the 1 GiB ` +
        `heap ceiling of infra/k8s, SMTP_MAX_CONNECTIONS=${SMTP_LIMITS.connections}, ` +
        `SMTP_RATE_PER_SECOND=${SMTP_LIMITS.rate})` +
        (p.clockShift
          ? `; outside the mail hours, so the workers' wall clock was moved ${(p.clockShift / 3_600_000).toFixed(1)} ` +
            `h, to 10:00 (bench/mail-hours.ts)`
          : ''),
      `the same ${p.setup.sent.toLocaleString('en')} rendered mails through the production mailer from the bench ` +
        `process with the workers' pools together (${SMTP_LIMITS.connections * p.workers} connections, ` +
        `${SMTP_LIMITS.rate * p.workers} mails/s), no Temporal, no composing, no outbox: ${spread(p.baseline.ms)}`,
      `digest: ${p.setup.items.toLocaleString('en')} reminders in ${p.setup.sent.toLocaleString('en')} mails ` +
        `(failed 0); last mail accepted **${spread(p.measured.ms)} after the start** (target 60 s: ${within} of ` +
        `${p.digests.length} within). Worker processes (MiB): ${p.idle.map((w) => w.rss).join(' + ')} idle; after ` +
        `each digest ${p.rssAfter.map((a) => a.join(' + ')).join('; ')}; ` +
        `**peak ${p.end.map((w) => w.peak).join(' + ')} MiB** (VmHWM over the set-up and all ` +
        `${2 * (p.digests.length + 1)} samples; target < 1,536 MiB a process, heap ceiling ${WORKER_HEAP_MIB} MiB)`,
      spread(p.ratio.ms, '×'),
    ],
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const load = machineLoad();
  const at = new Date().toISOString();
  // BENCH_PROVINCE_SCALEOUT=1: 2 worker processes against 1 instead of the digest against its mails alone.
  const scaleOut = process.env.BENCH_PROVINCE_SCALEOUT === '1';
  const r = scaleOut ? await benchDigestScaleOut() : await benchDigestProvince();
  console.log(JSON.stringify({ ...r, at, load: `${load} → ${machineLoad()}` }, null, 2));
  const rows = scaleOut
    ? digestScaleOutRows(r as Awaited<ReturnType<typeof benchDigestScaleOut>>)
    : digestProvinceRows(r as Awaited<ReturnType<typeof benchDigestProvince>>);
  console.log(rows.map((row) => `| ${row.join(' | ')} |`).join('\n'));
}
