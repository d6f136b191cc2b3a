// The cohort preview (npm run simulate) shows the benefit instrument's check as the API makes it: a participant on a
// West-Brabant werkervaringsplaats (3 months, illustrative) whose 20 weeks already run past it; an extension of the
// trajectory is refused and listed among the refused actions with the dates, until the gemeente's extension decision
// is in, after which the same extension is taken and moves the end.
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { addDays, addMonths, isoWeekday, localDate } from '../domain/calendar';
import { parseScenario, simulate, type Report } from '../infra/simulation';

// A Monday at least a week ahead: the simulated clock starts now and only runs forward.
const today = localDate(Date.now());
const start = addDays(today, 8 - isoWeekday(today) + 7);
const extension = { type: 'extension', weeks: 2, reason: 'Achterstand na ziekte' };
let report: Report;

beforeAll(async () => {
  const scenario = parseScenario({
    region: 'West-Brabant',
    startDate: start,
    school: { id: 'roc-west-brabant', name: 'ROC West-Brabant' },
    schoolWeekday: 'thursday',
    employers: [{ id: 'zorggroep-breda', name: 'Zorggroep Breda' }],
    participants: [
      {
        reference: 'WB-101',
        employerId: 'zorggroep-breda',
        placementWeekdays: ['monday', 'tuesday', 'wednesday'],
        benefit: { instrument: 'werkervaringsplaats' },
      },
    ],
    weeklyAttendance: false,
    actions: [
      { on: addDays(start, 23), participant: 'WB-101', change: extension },
      {
        on: addDays(start, 28),
        participant: 'WB-101',
        benefitExtension: { until: addDays(addMonths(start, 6), -1), decidedOn: addDays(start, 28) },
      },
      { on: addDays(start, 30), participant: 'WB-101', change: extension },
    ],
  });
  report = await simulate(scenario, { workflowBundlePath: inject('workflowBundlePath') });
}, 240_000);

describe('a simulated cohort with a benefit instrument', () => {
  it("lists the extension past the maximum as refused, and takes it after the gemeente's decision", () => {
    const maximum = addDays(addMonths(start, 3), -1);
    expect(report.refused).toEqual([
      expect.objectContaining({
        on: addDays(start, 23),
        request: expect.stringMatching(/^POST \/v1\/trajectories\/.+\/changes$/),
        status: 422,
        detail: expect.stringContaining(`covers up to ${maximum}`),
      }),
    ]);
    const p = report.participants[0]!;
    expect(p.events.filter((e) => e.type === 'extended')).toHaveLength(1);
    // 20 weeks and the two of the extension that was taken: the Friday of week 22.
    expect(p.plan.endDate).toBe(addDays(start, 21 * 7 + 4));
  });
});
