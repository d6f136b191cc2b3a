// The morning digest composed from the projection (activities/reminders.ts `dueItems`: set-based SQL over the
// rows the steering view reads) against the composition it replaced (tests/helpers/digest-by-query.ts, kept
// verbatim: every workflow asked with a Temporal query). A realistic cohort on the real workflows (time-
// skipping server), with recordings made through the API under the partners' own keys: unrecorded days,
// checkpoints due and overdue and at risk, absences (unexcused, low attendance), a pause, an employer change,
// a dropout, the BBL decision open for one party or both, a job without BBL, a follow-up after doorstroom,
// and a cohort not started yet. For several mornings, a week's first working day among them, both must give
// exactly the same due items, in the same order.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dutchHolidays } from '../activities/holidays';
import { dueItems, isWeekStart } from '../activities/reminders';
import type { Db } from '../db/connection';
import { addDays, addMonths, isoWeekday, isWorkingDay, localDate, nextWorkingDay } from '../domain/calendar';
import { startTestApi, type TestApi } from './helpers/api';
import { dueItemsByQuery } from './helpers/digest-by-query';
import { cohortRequest, shortTemplate, thisMonday, uniqueId } from './helpers/fixtures';
import { createKey, seedPartners, type Call, type Partners } from './helpers/partners';
import type { Json } from './helpers/json';

let api: TestApi;
let db: Db;
let env: TestWorkflowEnvironment;
let call: Call;
let partners: Partners;
const holidays = new Set(dutchHolidays('2025-01-01', '2030-12-31').map((h) => h.date));
const M = thisMonday();
let today: string;
type T = { id: string; reference: string; employerId: string };

const ok = async (what: string, res: Promise<{ status: number; json: unknown }>) => {
  const r = await res;
  expect(r.status, `${what}: ${JSON.stringify(r.json)}`).toBeLessThan(300);
  return r.json as Json;
};
/** Waits until every trajectory of a cohort has left `planned` (its start is projected). */
async function until(what: string, done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`waited 30 s for ${what}`);
}
const untilUnderWay = (cohortId: string) =>
  until(`cohort ${cohortId} to start`, async () =>
    (await db.selectFrom('trajectory').select('status').where('cohort_id', '=', cohortId).execute()).every(
      (t) => t.status !== 'planned',
    ),
  );

beforeAll(async () => {
  // The digest reads every running trajectory, so this file has a database of its own.
  api = await startTestApi({
    ownDatabase: true,
    deps: (base) => ({ config: { ...base.config, LOG_LEVEL: process.env.DEBUG_API ? 'error' : 'silent' } }),
  });
  ({ db, env, call } = api);
  today = localDate(await env.currentTimeMs());
  partners = await seedPartners(call, 'Vergelijking');
  const [e0, e1] = partners.employerIds as [string, string];
  for (const [org, role, email] of [
    [e0, 'workplace_trainer', 'petra@zorg.example.nl'],
    [e1, 'workplace_trainer', 'wim@thuiszorg.example.nl'],
    [partners.schoolId, 'roc_coordinator', 'rob@roc.example.nl'],
    [partners.officeId, 'coordinator', 'carla@bureau.example.nl'],
  ] as const) {
    await ok('contact', call('POST', `/v1/organisations/${org}/contacts`, { role, name: email.split('@')[0], email }));
  }
  // The partners' own keys: each records what it records in production.
  const employerKey = { [e0]: await createKey(call, e0, 'employer'), [e1]: await createKey(call, e1, 'employer') };
  const schoolKey = await createKey(call, partners.schoolId, 'school');
  const jobcoachKey = await createKey(call, partners.officeId, 'jobcoach', partners.jobcoachId);
  const coordinatorKey = await createKey(call, partners.officeId, 'coordinator');

  /** Records the planned days of [from, to] (placement Mon-Wed, school Thursday) as `present(date)` says. */
  const record = async (
    t: T,
    from: string,
    to: string,
    present: (date: string) => true | 'sick' | 'unexcused',
    employerId = t.employerId,
  ) => {
    const days: { date: string; kind: 'placement' | 'school' }[] = [];
    for (let d = from; d <= to && d < today; d = addDays(d, 1)) {
      const w = isoWeekday(d);
      if (w <= 4 && !holidays.has(d)) days.push({ date: d, kind: w === 4 ? 'school' : 'placement' });
    }
    for (const kind of ['placement', 'school'] as const) {
      const entries = days
        .filter((d) => d.kind === kind)
        .map((d) => {
          const p = present(d.date);
          return p === true ? { ...d, present: true } : { ...d, present: false, reason: p };
        });
      for (let i = 0; i < entries.length; i += 10) {
        await ok(
          `attendance ${t.reference}`,
          call(
            'POST',
            `/v1/trajectories/${t.id}/attendance`,
            { entries: entries.slice(i, i + 10) },
            kind === 'school' ? schoolKey : employerKey[employerId],
          ),
        );
      }
    }
  };
  const checkpoint = (t: T, key: string, status = 'on_track') =>
    ok(
      `checkpoint ${key}`,
      call(
        'POST',
        `/v1/trajectories/${t.id}/checkpoints`,
        { key, status, note: 'Gesprek gevoerd.', trainerConfirmed: true },
        jobcoachKey,
      ),
    );
  const bbl = (t: T, body: object) =>
    ok(
      'bbl',
      call(
        'POST',
        `/v1/trajectories/${t.id}/bbl`,
        body,
        'by' in body && body.by === 'school' ? schoolKey : employerKey[t.employerId],
      ),
    );
  const change = (t: T, body: object) =>
    ok('change', call('POST', `/v1/trajectories/${t.id}/changes`, body, coordinatorKey));
  const launch = async (size: number, startDate: string, programmeId?: string) => {
    const launched = await ok(
      'launch',
      call('POST', '/v1/cohorts', {
        ...cohortRequest({ ...partners, size, startDate }),
        ...(programmeId && { programmeId }),
      }),
    );
    return launched as { id: string; trajectories: T[] };
  };

  // A: week 17 of 20, the BBL decision open since week 16.
  const a = await launch(4, addDays(M, -16 * 7));
  await untilUnderWay(a.id);
  const [a1, a2, a3] = a.trajectories as [T, T, T, T];
  await record(a1, addDays(M, -14), addDays(M, -1), () => true);
  for (const key of ['intake', 'pop', 'midterm']) await checkpoint(a1, key);
  await bbl(a1, { by: 'employer', contractStartDate: addDays(M, 28) });
  await record(a2, addDays(M, -7), addDays(M, -1), (d) => (d === addDays(M, -6) ? 'unexcused' : true));
  await checkpoint(a2, 'midterm', 'at_risk');
  await checkpoint(a2, 'intake', 'concerns');
  await bbl(a2, { by: 'school' });
  await checkpoint(a3, 'intake');
  await bbl(a3, { by: 'employer', jobWithoutBbl: true });

  // B: week 3, the POP checkpoint's week.
  const b = await launch(6, addDays(M, -14));
  await untilUnderWay(b.id);
  const [b1, b2, b3, b4, , b6] = b.trajectories as [T, T, T, T, T, T];
  await checkpoint(b1, 'intake');
  await record(b1, addDays(M, -14), addDays(M, -5), () => true);
  // Two unexcused absences within two weeks, and half the recorded days attended (below 80%).
  await record(b2, addDays(M, -14), addDays(M, -1), (d) =>
    d === addDays(M, -14) || d === addDays(M, -13)
      ? 'sick'
      : d === addDays(M, -7) || d === addDays(M, -6)
        ? 'unexcused'
        : true,
  );
  await record(b3, addDays(M, -14), addDays(M, -8), () => true);
  await change(b3, { type: 'pause', from: today, reason: 'Tijdelijk niet beschikbaar' });
  await change(b4, { type: 'employer_change', employerId: b4.employerId === e0 ? e1 : e0, from: M });
  await change(b6, { type: 'dropout', reason: 'motivation', text: 'Gestopt.' });

  // C: a two-week programme two weeks behind it, waiting for the BBL decision; one flowed into BBL three months ago.
  const programmeId = uniqueId('kort');
  await ok(
    'programme',
    call('POST', '/v1/programmes', { id: programmeId, name: 'Kort traject', template: shortTemplate() }),
  );
  const c = await launch(3, addDays(M, -14), programmeId);
  await untilUnderWay(c.id);
  const [c1, c2] = c.trajectories as [T, T, T];
  await bbl(c1, { by: 'employer', contractStartDate: addMonths(addDays(today, -3), -3) });
  await bbl(c1, { by: 'school' });
  await bbl(c2, { by: 'employer', contractStartDate: addDays(M, 7) });
  await until(
    'the follow-up to open',
    async () =>
      (
        await db
          .selectFrom('follow_up')
          .select('status')
          .where('trajectory_id', '=', c1.id)
          .where('status', '=', 'open')
          .execute()
      ).length === 1,
  );

  // D: starts in four weeks.
  await launch(2, addDays(M, 28));
}, 180_000);

afterAll(async () => {
  await api?.close();
});

/** The week's first working day on or after `date`'s next week. */
function nextWeekStart(date: string): string {
  let d = addDays(date, 8 - isoWeekday(date));
  while (!isWorkingDay(d, holidays) && isoWeekday(d) < 5) d = addDays(d, 1);
  return d;
}

describe('the digest composed from the projection', () => {
  it('gives exactly the items the workflows gave, morning by morning, a week overview among them', async () => {
    const first = isWorkingDay(today, holidays) ? today : nextWorkingDay(today, holidays);
    const monday = nextWeekStart(today);
    const mornings = [
      ...new Set([
        first,
        nextWorkingDay(first, holidays),
        monday,
        nextWorkingDay(nextWorkingDay(monday, holidays), holidays),
        nextWeekStart(monday),
      ]),
    ].sort();
    expect(mornings.filter((d) => isWeekStart(d, holidays)).length).toBeGreaterThanOrEqual(2);
    const kinds = new Set<string>();
    for (const date of mornings) {
      const before = await dueItemsByQuery({ db, temporal: env.client }, date, holidays);
      const all = await dueItems(db, date, holidays);
      // The praktijkovereenkomst's items (issue 21) were never the trajectory workflows' to give: the deadlines
      // workflow's timers (pok_due, pok_late) and its own table (bpv_blad, activities/pok-reminders.ts); tested in
      // tests/praktijkovereenkomst.test.ts.
      const after = { ...all, due: all.due.filter((d) => !['pok_due', 'pok_late', 'bpv_blad'].includes(d.item.kind)) };
      expect(after.trajectories).toEqual(before.trajectories);
      expect(after.due, date).toEqual(before.due);
      for (const d of after.due)
        kinds.add(d.item.kind === 'risk_raised' ? `risk:${d.subject.split(':')[0]}` : d.item.kind);
    }
    // The cohort exercises every kind of reminder the composition makes, and every risk signal.
    expect([...kinds].sort()).toEqual([
      'attendance_placement',
      'attendance_school',
      'bbl_decision',
      'checkpoint_due',
      'checkpoint_overdue',
      'follow_up',
      'risk:checkpoint_at_risk',
      'risk:checkpoint_overdue',
      'risk:low_attendance',
      'risk:unexcused_absences',
      'week_overview',
    ]);
  }, 120_000);
});
