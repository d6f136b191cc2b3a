// The drill's checks, kept apart from the drill so their logic can be tested without running it
// (tests/drill-checks.test.ts). Every check is an explicit pass/fail with the figures it was judged on;
// `summarize` prints them and gives the exit code: 1 when any check failed, when no check ran at all, or
// when a sabotage was asked for and the check it is meant to break did not fail.

export interface CheckResult {
  id: string;
  pass: boolean;
  detail: string;
}

/** Every check the drill makes, with what it asserts. The ids are what a failure and DRILL_SABOTAGE name. */
export const CHECKS = {
  'no-crash': 'the drill process itself had no unhandled error (one is reported, and the stack cleaned up)',
  setup: "the stack started: the drill's own PostgreSQL, Temporal dev server, SMTP server, API and worker",
  'worker.completed': 'drill 1 ran to its end within its deadline',
  'worker.kills': 'the worker was SIGKILLed the asked number of times, and a new worker polled after each kill',
  'worker.never-500':
    'no answer in drill 1 was a 5xx other than 503, nor a dropped connection (a dying worker is no reason for a 500)',
  'worker.kills-during-writes':
    'the kills fell while requests were being answered (at least half of them between the first and the last write)',
  'worker.recorded': 'every trajectory had days recorded (at least one each), every request answered 2xx in the end',
  'worker.lost-rows': 'every recorded day is a row in attendance',
  'worker.extra-rows': 'nothing doubled: no attendance row that was not recorded, no day recorded twice in the events',
  'worker.in-workflows': "every recorded day is in its trajectory workflow's schedule",
  'worker.event-numbering': 'every trajectory has events, numbered 1..n without gaps or doubles',
  'worker.outcomes': 'every trajectory reached the outcome it was brought to (BBL doorstroom, job, dropout)',
  'worker.digests': 'every digest run started during the kills finished',
  'worker.mails-delivered':
    'mail went out (at least one), every mail marked sent was received, none left queued, sending or uncertain',
  'worker.duplicate-mails': 'no mail received twice (same Message-ID, or two mails to one recipient)',
  'postgres.completed': 'drill 2 ran to its end within its deadline',
  'postgres.down':
    "the drill's own PostgreSQL instance refused connections during the outage, and accepted them again after",
  'postgres.requests-during-outage': 'requests were made while PostgreSQL was down',
  'postgres.503': 'the API answered 503 at least once while PostgreSQL was down (writes or /health)',
  'postgres.never-500': 'no answer in drill 2 was a 5xx other than 503, nor a dropped connection',
  'postgres.recovered':
    'the API was healthy again within 60 s of PostgreSQL starting, by itself: the same API and worker ' +
    'processes as before the outage',
  'postgres.recorded': 'every trajectory had days recorded, every request answered 2xx in the end',
  'postgres.lost-rows': 'every recorded day is a row in attendance',
  'postgres.extra-rows':
    'nothing doubled: no attendance row that was not recorded, no day recorded twice in the events',
  'postgres.in-workflows': "every recorded day is in its trajectory workflow's schedule",
  'postgres.event-numbering': 'every trajectory has events, numbered 1..n',
  'temporal.completed': 'drill 3 ran to its end within its deadline',
  'temporal.down': 'the Temporal server refused connections during the stop, and accepted them again after',
  'temporal.requests-during-outage': 'requests were in flight while Temporal was down',
  'temporal.reconnected':
    'requests were answered 2xx after the restart, every write in the end, by the same API and worker ' +
    'processes as before (nothing restarted them)',
  'temporal.never-500': 'no answer in drill 3 was a 5xx other than 503, nor a dropped connection',
  'temporal.recorded': 'every trajectory had days recorded, every request answered 2xx in the end',
  'temporal.lost-rows': 'every recorded day is a row in attendance',
  'temporal.extra-rows':
    'nothing doubled: no attendance row that was not recorded, no day recorded twice in the events',
  'temporal.in-workflows': "every recorded day is in its trajectory workflow's schedule",
  'temporal.event-numbering': 'every trajectory has events, numbered 1..n',
} as const;
export type CheckId = keyof typeof CHECKS;

/** DRILL_SABOTAGE=<name>: breaks one thing on purpose; the checks listed must then fail. */
export const SABOTAGES = {
  'no-kills': { breaks: ['worker.kills', 'worker.kills-during-writes'], does: 'drill 1 never kills the worker' },
  'delete-row': { breaks: ['worker.lost-rows'], does: 'drill 1 deletes one recorded attendance row before the audit' },
  'record-twice': {
    breaks: ['worker.extra-rows'],
    does: 'drill 1 records one day a second time under a new key, as a retry the Idempotency-Key did not catch would',
  },
  'skip-decision': { breaks: ['worker.outcomes'], does: 'drill 1 does not decide the last trajectory' },
  'duplicate-mail': {
    breaks: ['worker.duplicate-mails'],
    does: 'drill 1 delivers one received mail a second time (same Message-ID) through SMTP',
  },
  'no-postgres-stop': { breaks: ['postgres.down', 'postgres.503'], does: 'drill 2 does not stop PostgreSQL' },
  'restart-api': {
    breaks: ['postgres.recovered'],
    does: 'drill 2 replaces the API process after PostgreSQL is back, instead of letting it recover',
  },
  'no-temporal-stop': { breaks: ['temporal.down'], does: 'drill 3 does not stop the Temporal server' },
  'restart-worker': {
    breaks: ['temporal.reconnected'],
    does: 'drill 3 replaces the worker after the Temporal restart, instead of letting it reconnect',
  },
} as const satisfies Record<string, { breaks: readonly CheckId[]; does: string }>;
export type Sabotage = keyof typeof SABOTAGES;

export function parseSabotage(value: string | undefined): Sabotage | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(value in SABOTAGES))
    throw new Error(`DRILL_SABOTAGE=${value} is not one of: ${Object.keys(SABOTAGES).join(', ')}`);
  return value as Sabotage;
}

export const DRILLS = ['worker', 'postgres', 'temporal'] as const;
export type Drill = (typeof DRILLS)[number];

export function parseOnly(value: string | undefined): Drill[] {
  if (value === undefined || value === '') return [...DRILLS];
  const wanted = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const w of wanted)
    if (!(DRILLS as readonly string[]).includes(w))
      throw new Error(`DRILL_ONLY: ${w} is not one of: ${DRILLS.join(', ')}`);
  return DRILLS.filter((d) => wanted.includes(d));
}

/** Collects check results; a check recorded twice counts once per record (both must pass). */
export class Checks {
  readonly results: CheckResult[] = [];

  that(id: CheckId, pass: boolean, detail: string): boolean {
    this.results.push({ id, pass, detail });
    return pass;
  }

  /** `actual === expected`; both numbers, printed in the detail. */
  equal(id: CheckId, actual: number, expected: number, what: string): boolean {
    return this.that(id, actual === expected, `${what}: ${actual}, expected ${expected}`);
  }

  /** A count of things gone wrong that must be 0, out of a `total` that must not be 0 (0 of 0 proves nothing). */
  none(id: CheckId, bad: number, total: number, what: string): boolean {
    if (total <= 0) return this.that(id, false, `${what}: nothing was judged (total ${total})`);
    return this.that(id, bad === 0, `${what}: ${bad} of ${total}`);
  }

  /** `actual >= min`, with `min` at least 1. */
  atLeast(id: CheckId, actual: number, min: number, what: string): boolean {
    return this.that(id, actual >= Math.max(1, min), `${what}: ${actual}, at least ${Math.max(1, min)} required`);
  }

  /** The drill (or a part of it) threw or ran past its deadline. */
  failed(id: CheckId, error: unknown): void {
    this.that(id, false, (error instanceof Error ? error.message : String(error)).split('\n').slice(0, 3).join(' / '));
  }
}

export interface Span {
  start: number;
  end: number;
  status: string;
}

/** Spans (request attempts) that overlap the window [from, to]. */
export const overlapping = (spans: readonly Span[], from: number, to: number): Span[] =>
  spans.filter((s) => s.start <= to && s.end >= from);

/** Counts by status. */
export const countBy = (spans: readonly { status: string }[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const s of spans) out[s.status] = (out[s.status] ?? 0) + 1;
  return out;
};

/** Statuses that are not an answer the drills accept from a degraded API: a 5xx other than 503, or no answer at all. */
export const badServerAnswers = (status: Record<string, number>): number =>
  Object.entries(status)
    .filter(([k]) => k === 'network' || (Number(k) >= 500 && k !== '503'))
    .reduce((a, [, v]) => a + v, 0);

/** Duplicates among received mails: the same Message-ID twice, or two mails to one recipient. */
export function duplicateMails(mails: readonly { messageId?: string; to?: string }[]): number {
  const ids = mails.map((m) => m.messageId ?? '');
  const to = mails.map((m) => m.to ?? '');
  return Math.max(ids.length - new Set(ids).size, to.length - new Set(to).size);
}

export interface Summary {
  text: string;
  failed: CheckResult[];
  exitCode: 0 | 1;
}

export function summarize(results: readonly CheckResult[], sabotage?: Sabotage): Summary {
  const lines = ['| check | result | detail |', '| --- | --- | --- |'];
  for (const r of results)
    lines.push(`| ${r.id} | ${r.pass ? 'pass' : '**FAIL**'} | ${r.detail.replaceAll('|', '\\|')} |`);
  const failed = results.filter((r) => !r.pass);
  const out = [lines.join('\n'), ''];
  let exitCode: 0 | 1 = failed.length > 0 ? 1 : 0;
  if (results.length === 0) {
    out.push('FAILED: no check ran.');
    exitCode = 1;
  } else if (failed.length > 0) {
    out.push(`FAILED: ${failed.length} of ${results.length} checks:`);
    for (const f of failed) out.push(`  - ${f.id} (${CHECKS[f.id as CheckId] ?? 'unknown check'}): ${f.detail}`);
  } else {
    out.push(`All ${results.length} checks passed.`);
  }
  if (sabotage) {
    const failedIds = new Set(failed.map((f) => f.id));
    const missed = SABOTAGES[sabotage].breaks.filter((id) => !failedIds.has(id));
    // A drill that did not finish proves nothing about its checks: the sabotage may not even have been done.
    const unfinished = [...new Set(SABOTAGES[sabotage].breaks.map((id) => `${id.split('.')[0]}.completed`))].filter(
      (id) => failedIds.has(id),
    );
    out.push(
      unfinished.length > 0
        ? `Sabotage ${sabotage} (${SABOTAGES[sabotage].does}): inconclusive, ${unfinished.join(', ')} failed ` +
            `(the drill did not finish).`
        : missed.length === 0
          ? `Sabotage ${sabotage} (${SABOTAGES[sabotage].does}): ${SABOTAGES[sabotage].breaks.join(', ')} ` +
            `failed, as they must.`
          : `Sabotage ${sabotage} (${SABOTAGES[sabotage].does}): NOT caught by ${missed.join(', ')}; that ` +
            `check is vacuous.`,
    );
    // A sabotaged run never passes: it either fails the checks it broke, or exposes a check that cannot fail.
    exitCode = 1;
  }
  return { text: out.join('\n'), failed, exitCode };
}
