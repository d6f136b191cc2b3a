// The one way every benchmark compares two sides: alternating samples of both (the side that goes first
// swaps every pair, so neither always runs on a warmer or a calmer machine), warm-up samples thrown away,
// and each figure reported as a median with its spread (min–max and interquartile range), the ratio taken
// per pair and then summarised the same way.
//
// To adopt it: write each side as a function that does one sample's work and returns the sample's figures
// (`{ ms: 123 }`, or several: `{ p50: 10, p95: 14 }`), doing any setup and waiting (for workflows to
// finish, for a queue to drain) outside its own clock but inside the function, so the next sample starts
// on a quiet machine. Then `const r = await alternate({ runs: benchRuns(), baseline, measured })` and print
// `spread(r.measured.ms)` and `spread(r.ratio.ms, '×')`.
import { loadavg } from 'node:os';

/** `npm run bench -- --quick`: smaller sizes and fewer runs, for routine checks (under 5 minutes). */
export const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';

/** Samples per side: at least 5, 3 in quick mode (which says so in its output). Override with BENCH_RUNS. */
export const benchRuns = (full = 5, quick = 3) => Number(process.env.BENCH_RUNS ?? (QUICK ? quick : full));

/** A size: the full one, or the quick one with --quick; an environment variable overrides both. */
export const benchSize = (envName: string, full: number, quick: number) =>
  Number(process.env[envName] ?? (QUICK ? quick : full));

export interface Spread {
  n: number;
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
}

/** The value below which `p` percent of `xs` lie (nearest rank). */
export const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/** Median (interpolated for an even count), min, max and quartiles (linear interpolation) of the samples. */
export function summarise(xs: number[]): Spread {
  if (xs.length === 0) return { n: 0, median: NaN, min: NaN, max: NaN, q1: NaN, q3: NaN };
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => {
    const i = p * (s.length - 1);
    const lo = Math.floor(i);
    return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (i - lo);
  };
  return { n: s.length, median: q(0.5), min: s[0]!, max: s[s.length - 1]!, q1: q(0.25), q3: q(0.75) };
}

const fmt = (v: number, digits: number) =>
  Math.abs(v) >= 100 && digits > 0 ? v.toFixed(0) : Math.abs(v) < 10 && digits === 0 ? v.toFixed(1) : v.toFixed(digits);

/** "median 123 ms (min–max 110–140, IQR 118–129, n=5)". */
export function spread(s: Spread, unit = 'ms', digits = unit === 'ms' ? 0 : 2): string {
  const u = unit === '' ? '' : unit === '×' ? '×' : ` ${unit}`;
  return (
    `${fmt(s.median, digits)}${u} (min–max ${fmt(s.min, digits)}–${fmt(s.max, digits)}, ` +
    `IQR ${fmt(s.q1, digits)}–${fmt(s.q3, digits)}, n=${s.n})`
  );
}

export type Sample = Record<string, number>;
export type Side<S extends Sample> = (run: number) => Promise<S>;

export interface Alternated<S extends Sample> {
  baseline: Record<keyof S, Spread>;
  measured: Record<keyof S, Spread>;
  /** measured ÷ baseline of each pair, summarised. */
  ratio: Record<keyof S, Spread>;
  samples: { baseline: S[]; measured: S[] };
}

/**
 * Runs `warmup` pairs (thrown away), then `runs` pairs of one baseline and one measured sample, the first
 * side alternating (B M, M B, B M, ...). Each side's function must leave the machine as it found it (its
 * work finished) before it returns. `between` runs after every sample (e.g. to wait for background work).
 */
export async function alternate<S extends Sample>(o: {
  runs: number;
  warmup?: number;
  baseline: Side<S>;
  measured: Side<S>;
  between?: () => Promise<void>;
  log?: string;
}): Promise<Alternated<S>> {
  const samples = { baseline: [] as S[], measured: [] as S[] };
  const warmup = o.warmup ?? 1;
  for (let i = 0; i < warmup + o.runs; i++) {
    const order: ('baseline' | 'measured')[] = i % 2 === 0 ? ['baseline', 'measured'] : ['measured', 'baseline'];
    for (const side of order) {
      const s = await o[side](i);
      if (i >= warmup) samples[side].push(s);
      if (o.log)
        console.error(
          `[bench] ${o.log} ${i < warmup ? 'warm-up' : `run ${i - warmup + 1}/${o.runs}`} ${side}: ${Object.entries(s)
            .map(([k, v]) => `${k}=${v.toFixed(1)}`)
            .join(' ')}`,
        );
      await o.between?.();
    }
  }
  const keys = Object.keys(samples.baseline[0] ?? {}) as (keyof S)[];
  const by = (xs: S[]) =>
    Object.fromEntries(keys.map((k) => [k, summarise(xs.map((x) => x[k]!))])) as Record<keyof S, Spread>;
  const ratios = samples.measured.map(
    (m, i) => Object.fromEntries(keys.map((k) => [k, m[k]! / samples.baseline[i]![k]!])) as S,
  );
  return { baseline: by(samples.baseline), measured: by(samples.measured), ratio: by(ratios), samples };
}

/** Times one call in milliseconds. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

/** The machine's load averages (what `uptime` prints: 1, 5 and 15 minutes), for the README's rows. */
export const machineLoad = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
