// Benchmarks and drills send the morning digest, which deliverMail holds back outside the mail hours (07:00-20:00 in
// Amsterdam, nextMailMoment): run in the evening, the digest would wait until 07:00 and the run would hang. The
// worker processes they start therefore load bench/worker-clock.mjs, which moves only their JavaScript wall clock
// (Temporal and PostgreSQL keep the real one) to 10:00 of today when the run falls outside 07:00-17:00.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { localDate, localInstant } from '../domain/calendar';

const clock = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker-clock.mjs')).href;

/** How far the workers' clock is moved: 0 from 07:00 to 17:00 in Amsterdam; else to 10:00 of today. */
export function workerClockShift(now = Date.now()): number {
  const today = localDate(now);
  if (now >= localInstant(today, 7) && now < localInstant(today, 17)) return 0;
  return localInstant(today, 10) - now;
}

/** The environment a worker process gets to run on the moved clock (`nodeOptions`: the process's other options). */
export function workerClockEnv(shift: number, nodeOptions = ''): Record<string, string> {
  return {
    NODE_OPTIONS: `${nodeOptions} --import=${clock}`.trim(),
    BENCH_WORKER_CLOCK_SHIFT_MS: String(shift),
  };
}
