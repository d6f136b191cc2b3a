// The fault drill's judging logic (bench/drill-checks.ts), without running the drill itself (`npm run drill`
// takes minutes): a failed check gives exit code 1 and is named with its figures, 0 of 0 is not a pass, and
// every sabotage names checks that exist.
import { describe, expect, it } from 'vitest';
import {
  badServerAnswers,
  CHECKS,
  Checks,
  countBy,
  duplicateMails,
  overlapping,
  parseOnly,
  parseSabotage,
  SABOTAGES,
  summarize,
} from '../bench/drill-checks';

describe('drill checks', () => {
  it('exits 0 only when every check passed', () => {
    const c = new Checks();
    c.none('worker.lost-rows', 0, 160, 'recorded days missing from attendance');
    c.equal('worker.kills', 20, 20, 'kills');
    const s = summarize(c.results);
    expect(s.exitCode).toBe(0);
    expect(s.failed).toEqual([]);
    expect(s.text).toContain('All 2 checks passed.');
    expect(s.text).toMatch(/\| worker\.lost-rows \| pass \| recorded days missing from attendance: 0 of 160 \|/);
  });

  it('a failing check gives exit code 1 and is named with its figures', () => {
    const c = new Checks();
    c.none('worker.lost-rows', 0, 160, 'recorded days missing');
    c.none('worker.duplicate-mails', 1, 4, 'mails received twice');
    c.atLeast('postgres.503', 0, 1, '503 answers during the outage');
    const s = summarize(c.results);
    expect(s.exitCode).toBe(1);
    expect(s.failed.map((f) => f.id)).toEqual(['worker.duplicate-mails', 'postgres.503']);
    expect(s.text).toContain('FAILED: 2 of 3 checks:');
    expect(s.text).toContain('- worker.duplicate-mails (no mail received twice');
    expect(s.text).toContain('mails received twice: 1 of 4');
    expect(s.text).toContain('- postgres.503 (');
    expect(s.text).toMatch(
      /\| postgres\.503 \| \*\*FAIL\*\* \| 503 answers during the outage: 0, at least 1 required \|/,
    );
  });

  it('is not vacuous: 0 of 0, no checks at all, a minimum of 0 all fail', () => {
    const c = new Checks();
    expect(c.none('worker.lost-rows', 0, 0, 'recorded days missing')).toBe(false);
    expect(c.atLeast('postgres.requests-during-outage', 0, 0, 'requests')).toBe(false);
    expect(summarize(c.results).exitCode).toBe(1);
    const empty = summarize([]);
    expect(empty.exitCode).toBe(1);
    expect(empty.text).toContain('no check ran');
  });

  it('a drill that threw is a failed check carrying the first lines of the error', () => {
    const c = new Checks();
    c.failed('temporal.completed', new Error('deadline of 480 s passed\nat x\nat y\nat z'));
    const s = summarize(c.results);
    expect(s.exitCode).toBe(1);
    expect(s.failed[0]).toMatchObject({
      id: 'temporal.completed',
      pass: false,
      detail: 'deadline of 480 s passed / at x / at y',
    });
  });

  it('a sabotaged run always exits 1 and says whether the sabotage was caught', () => {
    const caught = new Checks();
    caught.that('temporal.down', false, 'connections refused right after the stop: false');
    expect(summarize(caught.results, 'no-temporal-stop')).toMatchObject({ exitCode: 1 });
    expect(summarize(caught.results, 'no-temporal-stop').text).toContain('temporal.down failed, as they must');
    const missed = new Checks();
    missed.that('temporal.down', true, 'refused');
    const s = summarize(missed.results, 'no-temporal-stop');
    expect(s.exitCode).toBe(1);
    expect(s.text).toContain('NOT caught by temporal.down');
    const unfinished = new Checks();
    unfinished.that('temporal.down', false, 'refused: false');
    unfinished.failed('temporal.completed', new Error('deadline of 480 s passed'));
    expect(summarize(unfinished.results, 'no-temporal-stop').text).toContain('inconclusive, temporal.completed failed');
  });

  it('every sabotage breaks checks that exist; unknown sabotages and drills are refused', () => {
    for (const [name, s] of Object.entries(SABOTAGES)) {
      expect(s.breaks.length, name).toBeGreaterThan(0);
      for (const id of s.breaks) expect(Object.keys(CHECKS), name).toContain(id);
    }
    expect(parseSabotage(undefined)).toBeUndefined();
    expect(parseSabotage('delete-row')).toBe('delete-row');
    expect(() => parseSabotage('delete-rows')).toThrow(/not one of/);
    expect(parseOnly(undefined)).toEqual(['worker', 'postgres', 'temporal']);
    expect(parseOnly('temporal,worker')).toEqual(['worker', 'temporal']);
    expect(() => parseOnly('postgress')).toThrow(/not one of/);
  });

  it('judges answers, windows and mails', () => {
    expect(badServerAnswers({ 200: 40, 503: 12 })).toBe(0);
    expect(badServerAnswers({ 200: 40, 500: 1, 503: 2, network: 2 })).toBe(3);
    expect(badServerAnswers({ 409: 1, 429: 3 })).toBe(0);
    const spans = [
      { start: 0, end: 10, status: '200' },
      { start: 5, end: 25, status: '503' },
      { start: 30, end: 40, status: '200' },
    ];
    expect(overlapping(spans, 12, 28).map((s) => s.status)).toEqual(['503']);
    expect(overlapping(spans, 10, 30)).toHaveLength(3);
    expect(countBy(spans)).toEqual({ 200: 2, 503: 1 });
    expect(
      duplicateMails([
        { messageId: 'a', to: 'x' },
        { messageId: 'b', to: 'y' },
      ]),
    ).toBe(0);
    expect(
      duplicateMails([
        { messageId: 'a', to: 'x' },
        { messageId: 'a', to: 'x' },
      ]),
    ).toBe(1);
    expect(
      duplicateMails([
        { messageId: 'a', to: 'x' },
        { messageId: 'b', to: 'x' },
      ]),
    ).toBe(1);
  });
});
