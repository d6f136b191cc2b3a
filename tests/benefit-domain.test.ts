// The benefit instruments' rules as data (domain/benefit.ts): which instrument a payer uses, the rule set a region
// gets, the last day an instrument covers with and without the payer's extension decisions, the ceiling, and the
// check's explanation naming the dates in English and Dutch.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../domain/calendar';
import {
  checkPlannedEnd,
  defaultInstrument,
  extensionProblem,
  isProblem,
  maximumEnd,
  ruleOf,
  ruleSetFor,
  type BenefitInstrument,
  type InstrumentRule,
} from '../domain/benefit';

const rule = (instrument: BenefitInstrument['instrument'], ruleSet: string): InstrumentRule => {
  const r = ruleOf({ instrument, ruleSet });
  if (isProblem(r)) throw new Error(r.en);
  return r;
};
const uwv = (extensions: BenefitInstrument['extensions'] = []): BenefitInstrument => ({
  instrument: 'uwv_proefplaatsing',
  ruleSet: 'uwv',
  startDate: '2027-03-01',
  decisionDate: '2027-02-20',
  extensions,
});

describe('the rule sets', () => {
  it("give the UWV its proefplaatsing everywhere, and a gemeente its region's set or the standard one", () => {
    expect(defaultInstrument('uwv')).toBe('uwv_proefplaatsing');
    expect(defaultInstrument('gemeente')).toBe('werkervaringsplaats');
    expect(ruleSetFor('uwv', 'West-Brabant').id).toBe('uwv');
    expect(ruleSetFor('gemeente', 'West-Brabant').id).toBe('west-brabant');
    expect(ruleSetFor('gemeente', ' west  brabant ').id).toBe('west-brabant');
    expect(ruleSetFor('gemeente', 'Zeeland').id).toBe('participatiewet');
    expect(rule('werkervaringsplaats', 'west-brabant')).toMatchObject({ maximumMonths: 3, ceilingMonths: 6 });
    expect(rule('werkervaringsplaats', 'west-brabant').legalBasis).toMatch(/Participatiewet/);
    expect(rule('uwv_proefplaatsing', 'uwv')).toMatchObject({ maximumMonths: 2, ceilingMonths: 6, payerKind: 'uwv' });
  });

  it('refuses an instrument a rule set does not hold, in both languages', () => {
    const r = ruleOf({ instrument: 'werkervaringsplaats', ruleSet: 'uwv' });
    expect(isProblem(r) && r.field).toBe('instrument');
    expect(isProblem(r) && r.nl).toMatch(/hoort niet bij de regels UWV/);
  });
});

describe('the maximum', () => {
  const r = rule('uwv_proefplaatsing', 'uwv');

  it('is two months from the start for a UWV proefplaatsing, moved by decisions up to six', () => {
    expect(maximumEnd(uwv(), r)).toBe('2027-04-30');
    expect(maximumEnd(uwv([{ until: '2027-06-15', decidedOn: '2027-04-20' }]), r)).toBe('2027-06-15');
    // The latest decision counts, whatever order they came in; never past the ceiling.
    const two = [
      { until: '2027-07-31', decidedOn: '2027-06-01' },
      { until: '2027-05-31', decidedOn: '2027-04-20' },
    ];
    expect(maximumEnd(uwv(two), r)).toBe('2027-07-31');
    expect(maximumEnd(uwv([{ until: '2027-12-31', decidedOn: '2027-06-01' }]), r)).toBe('2027-08-31');
  });

  it('takes the last day of a shorter month (start 31 December, 2 months: 27 February)', () => {
    expect(maximumEnd({ ...uwv(), startDate: '2026-12-31' }, r)).toBe('2027-02-27');
  });

  it('refuses an extension decision past the ceiling or before the first period ends', () => {
    expect(extensionProblem(uwv(), r, { until: '2027-09-01', decidedOn: '2027-04-01' })?.field).toBe('until');
    expect(extensionProblem(uwv(), r, { until: '2027-04-01', decidedOn: '2027-03-15' })?.field).toBe('until');
    expect(extensionProblem(uwv(), r, { until: '2027-08-31', decidedOn: '2027-04-01' })).toBeNull();
  });

  it('is past exactly when the planned end lies after the last day covered (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -60, max: 200 }), (days) => {
        const end = addDays('2027-03-01', days);
        const check = checkPlannedEnd(uwv(), r, end);
        expect(check.pastMaximum).toBe(end > '2027-04-30');
        expect(check.explanation === null).toBe(!check.pastMaximum);
      }),
    );
  });

  it('explains a planned end past it with the instrument, the regulation and the dates, in English and Dutch', () => {
    const check = checkPlannedEnd(uwv(), r, '2027-05-14');
    expect(check).toMatchObject({ maximumEnd: '2027-04-30', ceiling: '2027-08-31', pastMaximum: true });
    expect(check.explanation!.en).toBe(
      'the trajectory would end on 2027-05-14, past the maximum of the uwv_proefplaatsing (UWV proefplaatsing ' +
        '(WW, WIA, Wajong): 2 maanden, verlengbaar tot 6 maanden) that started on 2027-03-01 ' +
        'and covers up to 2027-04-30; the payer can record an extension decision up to 2027-08-31',
    );
    expect(
      check.explanation!.nl.startsWith(
        'het traject zou eindigen op 14 mei 2027, na het einde van de proefplaatsing UWV die begon op 1 maart 2027 ' +
          'en loopt tot en met 30 april 2027',
      ),
    ).toBe(true);
    expect(check.explanation!.nl).toMatch(/verlenging vastleggen tot uiterlijk 31 augustus 2027$/);
    const full = checkPlannedEnd(uwv([{ until: '2027-08-31', decidedOn: '2027-06-01' }]), r, '2027-09-03');
    expect(full.explanation!.nl).toMatch(/verder verlengen kan niet$/);
  });
});
