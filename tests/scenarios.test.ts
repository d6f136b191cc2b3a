// The worked example of `npm run simulate` (a West-Brabant cohort in spring 2027) run end to end: real
// workflows, activities and API on the time-skipping server. Each participant plays one of the complete
// trajectories whose histories are kept under tests/histories and replayed in CI.
// RECORD_HISTORIES=1 npx vitest run tests/scenarios.test.ts refreshes them, for a deliberate change only.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { dutchHolidays } from '../activities/holidays';
import { parseScenario, shiftScenario, simulate, type Report } from '../infra/simulation';
import { addDays, daysBetween, isoWeekday, localDate, WEEKDAYS } from '../domain/calendar';

const example = parseScenario(
  JSON.parse(
    readFileSync(path.join(import.meta.dirname, '..', 'infra', 'scenarios', 'west-brabant-2027.json'), 'utf8'),
  ),
);
// The simulated clock starts today; once spring 2027 is past, the cohort moves on by whole years of weeks.
const weeks =
  daysBetween(example.startDate, localDate(Date.now())) < 0
    ? 0
    : Math.ceil((daysBetween(example.startDate, localDate(Date.now())) + 7) / 364) * 52;
const scenario = shiftScenario(example, weeks);
const d = (date: string) => addDays(date, weeks * 7);

const HISTORIES: Record<string, string> = {
  'WB-001': 'trajectory-on-time-bbl-doorstroom',
  'WB-002': 'trajectory-dropout-after-revert',
  'WB-003': 'trajectory-pause-and-employer-change',
  'WB-004': 'trajectory-extension-no-doorstroom',
  'WB-005': 'trajectory-job-without-bbl',
};

let report: Report;
const of = (label: string) => report.participants.find((p) => p.label === label)!;
const days = (ref: string) => of(ref).plan.weeks.flatMap((w) => w.days);

beforeAll(async () => {
  report = await simulate(scenario, {
    workflowBundlePath: inject('workflowBundlePath'),
    onHistory: (ref, history) => {
      if (process.env.RECORD_HISTORIES && HISTORIES[ref])
        writeFileSync(
          path.join(import.meta.dirname, 'histories', `${HISTORIES[ref]}.json`),
          historyToJSON(history as never),
        );
    },
  });
}, 480_000);

describe('the West-Brabant spring cohort', () => {
  it('plans around Koningsdag, Hemelvaart, Pinksteren and the ROC closures, naming each', () => {
    const span = dutchHolidays(scenario.startDate, addDays(scenario.startDate, 20 * 7));
    for (const p of scenario.participants) {
      const weekdays = [...p.placementWeekdays, scenario.schoolWeekday];
      for (const h of span.filter((h) => weekdays.includes(WEEKDAYS[isoWeekday(h.date) - 1]!))) {
        expect(
          days(p.reference).find((x) => x.date === h.date),
          `${p.reference} ${h.date}`,
        ).toMatchObject({ status: 'not_planned', reason: h.name });
      }
    }
    if (weeks === 0)
      expect(span.map((h) => h.name)).toEqual(
        expect.arrayContaining(['Koningsdag', 'Hemelvaartsdag', 'Pinksteren', 'Tweede pinksterdag']),
      );
    const summer = days('WB-001').filter(
      (x) => x.kind === 'school' && x.date >= d('2027-07-12') && x.date <= d('2027-08-20'),
    );
    expect(summer.length).toBe(6);
    expect(summer.every((x) => x.status === 'not_planned' && x.reason === 'Zomervakantie')).toBe(true);
  });

  it('WB-001 finishes on time with every day recorded and flows into BBL', () => {
    const p = of('WB-001');
    expect(p.endDate).toBe(d('2027-08-20'));
    expect(p.outcome).toEqual({ kind: 'bbl_doorstroom', bblStartDate: d('2027-09-01') });
    expect(days('WB-001').filter((x) => x.status === 'planned')).toEqual([]);
    expect(days('WB-001').find((x) => x.date === d('2027-05-18'))).toMatchObject({ status: 'absent', reason: 'sick' });
    // Workflow-generated seq numbers: contiguous, each event written once.
    expect(p.events.map((e) => e.seq)).toEqual(p.events.map((_, i) => i + 1));
    expect(p.events.at(-1)).toMatchObject({ type: 'ended', date: d('2027-08-21') });
  });

  it('WB-002 drops out in week 7 after a mistaken dropout was reverted; later days are not planned', () => {
    const p = of('WB-002');
    expect(p.outcome).toEqual({ kind: 'dropout', reason: 'motivation', week: 7, date: d('2027-05-19') });
    expect(p.events.filter((e) => e.type.startsWith('drop')).map((e) => [e.type, e.date])).toEqual([
      ['dropped_out', d('2027-05-10')],
      ['dropout_reverted', d('2027-05-12')],
      ['dropped_out', d('2027-05-19')],
    ]);
    expect(
      days('WB-002')
        .filter((x) => x.date > d('2027-05-19'))
        .every((x) => x.status === 'not_planned'),
    ).toBe(true);
  });

  it('WB-003 pauses two weeks, which moves the end two weeks, changes employer and flows into BBL', () => {
    const p = of('WB-003');
    expect(days('WB-003').filter((x) => x.status === 'paused')).toHaveLength(8);
    expect(p.endDate).toBe(d('2027-09-03'));
    expect(p.events.find((e) => e.type === 'employer_changed')?.data).toMatchObject({
      employerId: 'zorggroep-breda',
      from: d('2027-06-14'),
    });
    expect(p.outcome).toEqual({ kind: 'bbl_doorstroom', bblStartDate: d('2027-09-15') });
  });

  it('WB-004 is extended a week and, with no ROC enrolment two weeks after the end, does not flow into BBL', () => {
    const p = of('WB-004');
    expect(p.endDate).toBe(d('2027-08-27'));
    expect(p.outcome).toEqual({
      kind: 'no_doorstroom',
      reason: 'no BBL enrolment from the ROC two weeks after the planned end',
    });
    expect(p.events.slice(-2).map((e) => [e.type, e.date])).toEqual([
      ['awaiting_bbl', d('2027-08-28')],
      ['ended', d('2027-09-11')],
    ]);
  });

  it('WB-005 ends on time with a job without BBL', () => {
    expect(of('WB-005').outcome).toEqual({ kind: 'job_without_bbl' });
    expect(of('WB-005').endDate).toBe(d('2027-08-20'));
  });

  it('launches the candidates matched in the recruitment round under the reference the round gave them', () => {
    const round = report.recruitment!;
    for (const p of scenario.participants) {
      const candidate = round.candidates.find((c) => c.participant === p.reference)!;
      expect(candidate, p.reference).toMatchObject({ status: 'matched', step: 'match' });
      expect(candidate.reference).toMatch(/^K-[0-9A-F]{10}$/);
      expect(of(p.reference).reference).toBe(candidate.reference);
    }
    // WB-003's VOG came five days after its lead time: still matched, on the employer of its trial day.
    const anouk = round.candidates.find((c) => c.participant === 'WB-003')!;
    expect(anouk.history.map((h) => [h.step, h.on])).toContainEqual(['vog', d('2027-03-15')]);
  });

  it('lets the candidates who did not get through leave the round with the reason of their step', () => {
    const left = report.recruitment!.candidates.filter((c) => !c.participant);
    expect(left.map((c) => [c.status, c.step, c.leftReason])).toEqual([
      ['left', 'voorlichting', 'no_show'],
      ['left', 'meeloopdag', 'found_work'],
      ['left', 'vog', 'vog_refused'],
    ]);
  });

  it('refused no partner action', () => {
    expect(report.refused).toEqual([]);
  });

  it('sends each partner at most one digest a morning, never on a Sunday, a public holiday or at night', () => {
    expect(report.mails.length).toBeGreaterThan(10);
    const holidays = new Set(dutchHolidays(scenario.startDate, addDays(scenario.startDate, 400)).map((h) => h.date));
    const perMorning = new Set<string>();
    for (const m of report.mails) {
      const day = localDate(Date.parse(m.at));
      const hour = Number(
        new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', hourCycle: 'h23' }).format(
          new Date(m.at),
        ),
      );
      expect(isoWeekday(day), m.at).not.toBe(7);
      expect(holidays.has(day), m.at).toBe(false);
      expect(hour >= 7 && hour < 20, m.at).toBe(true);
      expect(perMorning.has(`${m.to}|${day}`), `${m.to} twice on ${day}`).toBe(false);
      perMorning.add(`${m.to}|${day}`);
    }
  });

  it('reminds the jobcoach of the checkpoints, and the employers and the ROC of the BBL decision', () => {
    const to = (address: string) => report.mails.filter((m) => m.to === address);
    expect(to('jobcoach@example.nl').some((m) => /Checkpoint/.test(m.text))).toBe(true);
    expect(to(`coordinator@${scenario.school.id}.example.nl`).some((m) => /BBL/.test(m.text))).toBe(true);
    // The employers' Monday overview says who is expected; the whole-week recording on Fridays keeps attendance
    // reminders away.
    const employer = scenario.employers[0]!.id;
    expect(to(`praktijkopleider@${employer}.example.nl`).some((m) => /Verwacht deze week/.test(m.text))).toBe(true);
  });
});
