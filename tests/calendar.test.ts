import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dutchHolidays } from '../activities/holidays';
import {
  addDays,
  isoWeekday,
  localDate,
  localInstant,
  planTrajectory,
  WEEKDAYS,
  type Weekday,
} from '../domain/calendar';

const welslagen = {
  weeks: 20,
  checkpoints: [
    { key: 'intake', name: 'Intake', week: 1 },
    { key: 'pop', name: 'POP', week: 3 },
    { key: 'midterm', name: 'Tussenevaluatie', week: 10 },
    { key: 'pre-bbl', name: 'Voorbereiding BBL', week: 18 },
  ],
};

describe('the programme calendar', () => {
  // A West-Brabant cohort starting Monday 5 April 2027 crosses Koningsdag (Tue 27 Apr), Hemelvaart
  // (Thu 6 May) and Tweede Pinksterdag (Mon 17 May).
  const plan = planTrajectory({
    ...welslagen,
    startDate: '2027-04-05',
    placementWeekdays: ['monday', 'tuesday', 'wednesday'],
    schoolWeekday: 'thursday',
    holidays: dutchHolidays('2027-04-05', '2027-12-31'),
    closures: [{ from: '2027-07-12', to: '2027-08-20', name: 'Zomervakantie regio zuid' }],
  });

  it('plans 3 placement days and 1 ROC day in each of 20 weeks, ending on the Friday of week 20', () => {
    expect(plan.days).toHaveLength(80);
    expect(plan.days.filter((d) => d.kind === 'school')).toHaveLength(20);
    expect(plan.endDate).toBe('2027-08-20');
    expect(isoWeekday(plan.endDate)).toBe(5);
  });

  it('marks public holidays as not planned, with their name, and keeps the 20 weeks', () => {
    const notPlanned = plan.days.filter((d) => !d.planned && d.kind === 'placement').map((d) => [d.date, d.reason]);
    expect(notPlanned).toEqual([
      ['2027-04-27', 'Koningsdag'],
      ['2027-05-17', 'Tweede pinksterdag'],
    ]);
    expect(plan.days.find((d) => d.date === '2027-05-06')).toMatchObject({
      kind: 'school',
      planned: false,
      reason: 'Hemelvaartsdag',
    });
  });

  it('applies an ROC closure to school days only', () => {
    const inSummer = plan.days.filter((d) => d.date >= '2027-07-12' && d.date <= '2027-08-20');
    expect(
      inSummer.filter((d) => d.kind === 'school').every((d) => !d.planned && d.reason === 'Zomervakantie regio zuid'),
    ).toBe(true);
    expect(inSummer.filter((d) => d.kind === 'placement').every((d) => d.planned)).toBe(true);
  });

  it('dates checkpoints in their week', () => {
    expect(plan.checkpoints.map((c) => [c.key, c.weekStart, c.weekEnd])).toEqual([
      ['intake', '2027-04-05', '2027-04-09'],
      ['pop', '2027-04-19', '2027-04-23'],
      ['midterm', '2027-06-07', '2027-06-11'],
      ['pre-bbl', '2027-08-02', '2027-08-06'],
    ]);
  });

  it('has Bevrijdingsdag as a day off only in lustrum years', () => {
    expect(dutchHolidays('2027-05-01', '2027-05-31').map((h) => h.name)).not.toContain('Bevrijdingsdag');
    expect(dutchHolidays('2030-05-01', '2030-05-31').map((h) => h.name)).toContain('Bevrijdingsdag');
  });

  it('places local midnight correctly on both sides of the summer-time changes', () => {
    expect(new Date(localInstant('2027-03-27')).toISOString()).toBe('2027-03-26T23:00:00.000Z');
    expect(new Date(localInstant('2027-03-29')).toISOString()).toBe('2027-03-28T22:00:00.000Z');
    expect(new Date(localInstant('2027-11-01', 10)).toISOString()).toBe('2027-11-01T09:00:00.000Z');
    expect(localDate(Date.parse('2027-10-30T22:30:00Z'))).toBe('2027-10-31');
  });

  it('holds for any Monday start and any choice of weekdays (property)', () => {
    const mondays = fc.integer({ min: 0, max: 52 * 30 }).map((w) => addDays('2025-01-06', w * 7));
    fc.assert(
      fc.property(
        mondays,
        fc.subarray([...WEEKDAYS], { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 1, max: 40 }),
        (start, four, weeks) => {
          const [school, ...placement] = four as [Weekday, ...Weekday[]];
          const holidays = dutchHolidays(start, addDays(start, weeks * 7));
          const p = planTrajectory({
            weeks,
            checkpoints: [],
            startDate: start,
            placementWeekdays: placement,
            schoolWeekday: school,
            holidays,
            closures: [],
          });
          expect(p.days).toHaveLength(weeks * 4);
          const holidayDates = new Set(holidays.map((h) => h.date));
          for (const d of p.days) {
            expect(d.planned).toBe(!holidayDates.has(d.date));
            expect(isoWeekday(d.date)).toBeLessThanOrEqual(5);
            expect(d.date >= start && d.date <= p.endDate).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
