// The draaiboek's rules as the durable process, the API and the pages will apply them: a candidate goes step by
// step, each with its deadline; a stopping outcome ends the candidacy with the reason it implies; nothing is
// recorded out of order; an impossible draaiboek is refused; two entries of one person are found.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../domain/calendar';
import {
  candidateRefusalInWords,
  checkDraaiboek,
  enterRound,
  leaveRound,
  matchIdentity,
  recordStep,
  STEP_OUTCOMES,
  urgencyOf,
  WELSLAGEN_DRAAIBOEK as D,
  type CandidateState,
} from '../domain/recruitment';

const apply = (s: CandidateState, step: string, outcome: string, on: string, employerId?: string) => {
  const r = recordStep(D, s, { step, outcome, on, employerId });
  if ('refusal' in r) throw new Error(candidateRefusalInWords(r.refusal).en);
  return r.state;
};

describe('the draaiboek', () => {
  it("WelSlagen's is a possible one", () => expect(checkDraaiboek(D)).toEqual([]));

  it('refuses one without a selection, with the match not last, a key twice or a reminder before its step', () => {
    const problems = checkDraaiboek({
      steps: [
        { key: 'a', kind: 'match', name: 'Match', withinDays: 7, remindDaysBefore: 1 },
        { key: 'a', kind: 'voorlichting', name: 'Voorlichting', withinDays: 7, remindDaysBefore: 7 },
      ],
    });
    expect(problems.map((p) => p.field).sort()).toEqual([
      'draaiboek.steps',
      'draaiboek.steps[0].kind',
      'draaiboek.steps[1].key',
      'draaiboek.steps[1].kind',
      'draaiboek.steps[1].remindDaysBefore',
    ]);
    expect(problems.every((p) => p.nl.length > 0 && p.en.length > 0)).toBe(true);
  });
});

describe('one candidate through the draaiboek', () => {
  it('goes step by step to a match with an employer, each deadline counted from reaching the step', () => {
    let s = enterRound(D, '2027-01-04');
    expect(s.dueOn).toBe('2027-01-25');
    s = apply(s, 'voorlichting', 'attended', '2027-01-12');
    expect([s.step, s.reachedOn, s.dueOn]).toEqual([1, '2027-01-12', '2027-01-26']);
    s = apply(s, 'groepsintake', 'passed', '2027-01-19');
    s = apply(s, 'meeloopdag', 'positive', '2027-01-28', 'zorg-west');
    s = apply(s, 'vog', 'received', '2027-02-15');
    s = apply(s, 'selectie', 'selected', '2027-02-17');
    expect(s.status).toBe('in_progress');
    s = apply(s, 'match', 'matched', '2027-02-19', 'zorg-west');
    expect(s.status).toBe('matched');
    expect(s.employerId).toBe('zorg-west');
    expect(s.history.map((h) => h.outcome)).toEqual([
      'attended',
      'passed',
      'positive',
      'received',
      'selected',
      'matched',
    ]);
  });

  it('leaves with the reason the stopping outcome implies, and then records nothing more', () => {
    let s = apply(enterRound(D, '2027-01-04'), 'voorlichting', 'attended', '2027-01-12');
    s = apply(s, 'groepsintake', 'passed', '2027-01-19');
    s = apply(s, 'meeloopdag', 'positive', '2027-01-28', 'zorg-west');
    s = apply(s, 'vog', 'refused', '2027-02-20');
    expect(s.status).toBe('left');
    expect(s.left).toEqual({ reason: 'vog_refused', on: '2027-02-20', atStep: 'vog' });
    const again = recordStep(D, s, { step: 'selectie', outcome: 'selected', on: '2027-02-21' });
    expect('refusal' in again && again.refusal).toEqual({ kind: 'not_in_progress', status: 'left' });
    expect('refusal' in leaveRound(D, s, 'moved', '2027-02-22')).toBe(true);
  });

  it('refuses another step, an unknown outcome, a trial day without employer, a date before the step', () => {
    const s = enterRound(D, '2027-01-04');
    const refusal = (r: ReturnType<typeof recordStep>) => ('refusal' in r ? r.refusal.kind : 'recorded');
    expect(refusal(recordStep(D, s, { step: 'groepsintake', outcome: 'passed', on: '2027-01-05' }))).toBe(
      'not_current_step',
    );
    expect(refusal(recordStep(D, s, { step: 'voorlichting', outcome: 'passed', on: '2027-01-05' }))).toBe(
      'unknown_outcome',
    );
    expect(refusal(recordStep(D, s, { step: 'voorlichting', outcome: 'attended', on: '2027-01-03' }))).toBe(
      'before_reached',
    );
    let t = apply(s, 'voorlichting', 'attended', '2027-01-05');
    t = apply(t, 'groepsintake', 'passed', '2027-01-06');
    expect(refusal(recordStep(D, t, { step: 'meeloopdag', outcome: 'positive', on: '2027-01-07' }))).toBe(
      'needs_employer',
    );
  });

  it('any path ends matched only through every first outcome, and a refusal never changes the state', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(7), fc.nat(1), fc.nat(20)), { maxLength: 12 }), (moves) => {
        let s = enterRound(D, '2027-01-04');
        for (const [stepIndex, outcomeIndex, days] of moves) {
          const step = D.steps[Math.min(stepIndex, D.steps.length - 1)]!;
          const before = structuredClone(s);
          const r = recordStep(D, s, {
            step: step.key,
            outcome: STEP_OUTCOMES[step.kind][outcomeIndex]!,
            on: addDays(s.reachedOn, days),
            employerId: 'zorg-west',
          });
          if ('refusal' in r) expect(s).toEqual(before);
          else s = r.state;
        }
        if (s.status === 'matched')
          expect(s.history.map((h) => h.outcome)).toEqual(D.steps.map((st) => STEP_OUTCOMES[st.kind][0]));
        if (s.status === 'left') expect(s.left?.reason).toBeDefined();
      }),
    );
  });

  it('is reminded before its deadline and overdue after it', () => {
    const s = enterRound(D, '2027-01-04'); // voorlichting due 2027-01-25, reminded 3 days before
    expect(urgencyOf(D, s, '2027-01-21')).toBe('on_time');
    expect(urgencyOf(D, s, '2027-01-22')).toBe('remind');
    expect(urgencyOf(D, s, '2027-01-25')).toBe('remind');
    expect(urgencyOf(D, s, '2027-01-26')).toBe('overdue');
  });
});

describe('one person, twice', () => {
  const zoe = { firstName: 'Zoë', lastName: 'van den Berg', dateOfBirth: '1994-03-02', email: 'zoe@example.nl' };
  it('is the same person on the BSN hash, and two people on two different hashes whatever the names', () => {
    expect(matchIdentity({ ...zoe, bsnHash: 'h1' }, { firstName: 'Z', lastName: 'B', bsnHash: 'h1' })).toBe('same');
    expect(matchIdentity({ ...zoe, bsnHash: 'h1' }, { ...zoe, bsnHash: 'h2' })).toBe('different');
  });
  it('is the same on name, birth date and e-mail together, accents and case aside', () => {
    expect(matchIdentity(zoe, { ...zoe, firstName: 'zoe', lastName: 'Van den Berg', email: 'ZOE@example.nl' })).toBe(
      'same',
    );
  });
  it('is a near match for a typo with the same birth date, or for a shared e-mail: a person decides', () => {
    expect(matchIdentity(zoe, { ...zoe, lastName: 'van der Berg', email: 'z.berg@example.nl' })).toBe('near');
    expect(matchIdentity(zoe, { ...zoe, firstName: 'Anna', dateOfBirth: '1990-01-01' })).toBe('near');
    expect(matchIdentity(zoe, { ...zoe, firstName: 'Anna', email: null })).toBe('different');
    expect(matchIdentity(zoe, { firstName: 'Zoë', lastName: 'van den Berg', dateOfBirth: '1995-03-02' })).toBe(
      'different',
    );
  });
});
