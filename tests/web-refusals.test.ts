// Every refusal the workflow gives for a change a jobcoach makes (pause, resume, sick leave, recovery) and for a
// checkpoint has its own Dutch sentence (domain/refusals.ts), with the dates of the refusal in it: produced here by
// the state machine itself (domain/state.ts), as the fact the workflow sends along with its failure.
import { describe, expect, it } from 'vitest';
import { applyChange, initialState, recordCheckpoint, Rejection, type TrajectoryData } from '../domain/state';
import type { Change } from '../domain/changes';
import { dutchDay } from '../domain/dutch';
import { refusalInDutch, type Refusal } from '../domain/refusals';
import { GENERAL_REFUSAL, refusalOf } from '../web/refusals';

const start = '2027-04-05';
const fresh = (status: TrajectoryData['status'] = 'active'): TrajectoryData => ({
  ...initialState(
    {
      weeks: 20,
      startDate: start,
      placementWeekdays: ['monday', 'tuesday', 'wednesday'],
      schoolWeekday: 'thursday',
      holidays: [],
      closures: [],
      checkpoints: [{ key: 'pop', name: 'POP', week: 3 }],
    },
    'zorg-breda',
    { attendanceThreshold: 0.8, bblDecisionFromWeek: 16 },
  ),
  status,
});

/** The refusal, as the workflow sends it along with its failure (the Rejection's fact). */
function refusal(run: () => unknown): Refusal {
  try {
    run();
  } catch (e) {
    if (e instanceof Rejection) return e.refusal;
    throw e;
  }
  throw new Error('not refused');
}

const change = (s: TrajectoryData, today: string, c: Change) => refusal(() => applyChange(s, today, c));
const sick = applyChange(fresh(), '2027-04-21', { type: 'sick_leave', from: '2027-04-19' });
const paused = applyChange(fresh(), '2027-04-21', { type: 'pause', from: '2027-04-21', reason: 'zorg' });

describe('the Dutch words for a refusal', () => {
  it.each([
    [
      'pause, not active',
      change(fresh('ended'), '2027-04-21', { type: 'pause', from: '2027-04-21', reason: 'x' }),
      /afgerond/,
    ],
    [
      'pause, before the start',
      change(fresh(), '2027-04-21', { type: 'pause', from: '2027-04-01', reason: 'x' }),
      /vóór de start/,
    ],
    [
      'pause, too far ahead',
      change(fresh(), '2027-04-21', { type: 'pause', from: '2027-06-01', reason: 'x' }),
      /31 dagen vooruit/,
    ],
    [
      'pause, while sick',
      change(sick, '2027-04-21', { type: 'pause', from: '2027-04-21', reason: 'x' }),
      /meld eerst het herstel/,
    ],
    ['resume, not paused', change(fresh(), '2027-04-21', { type: 'resume', date: '2027-04-22' }), /niet gepauzeerd/],
    ['resume, too early', change(paused, '2027-04-21', { type: 'resume', date: '2027-04-20' }), /21 april 2027/],
    ['sick leave, not active', change(paused, '2027-04-21', { type: 'sick_leave', from: '2027-04-21' }), /gepauzeerd/],
    [
      'sick leave, already',
      change(sick, '2027-04-21', { type: 'sick_leave', from: '2027-04-21' }),
      /sinds 19 april 2027/,
    ],
    [
      'sick leave, before the start',
      change(fresh(), '2027-04-21', { type: 'sick_leave', from: '2027-04-01' }),
      /5 april 2027/,
    ],
    ['sick leave, ahead', change(fresh(), '2027-04-21', { type: 'sick_leave', from: '2027-04-22' }), /niet op een dag/],
    [
      'sick leave, too long ago',
      change(fresh(), '2027-06-21', { type: 'sick_leave', from: '2027-05-10' }),
      /31 dagen terug/,
    ],
    ['recovery, not sick', change(fresh(), '2027-04-21', { type: 'recovery', date: '2027-04-22' }), /niet ziekgemeld/],
    ['recovery, too early', change(sick, '2027-04-21', { type: 'recovery', date: '2027-04-19' }), /19 april 2027/],
    [
      'checkpoint, not in the programme',
      refusal(() =>
        recordCheckpoint(fresh(), '2027-04-21', {
          key: 'geen',
          status: 'on_track',
          note: 'x',
          trainerConfirmed: false,
        }),
      ),
      /heeft dit gesprek niet/,
    ],
    [
      'checkpoint, before its week',
      refusal(() =>
        recordCheckpoint(fresh(), '2027-04-06', { key: 'pop', status: 'on_track', note: 'x', trainerConfirmed: false }),
      ),
      /vanaf 19 april 2027/,
    ],
    [
      'checkpoint, finished',
      refusal(() =>
        recordCheckpoint(fresh('ended'), '2027-04-21', {
          key: 'pop',
          status: 'on_track',
          note: 'x',
          trainerConfirmed: false,
        }),
      ),
      /afgerond/,
    ],
  ])('%s', (_name, message, dutch) => {
    const text = refusalInDutch(message);
    expect(text).not.toBe(GENERAL_REFUSAL);
    expect(text).toMatch(dutch);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/); // dates in Dutch words
  });

  it('gives a general Dutch message for a refusal it does not know, and its own for a finished trajectory', () => {
    // A problem without the fact (an older worker during a rolling deployment): the general message, not a guess.
    expect(refusalOf({ status: 422, type: 'unprocessable', errors: [{ field: 'from', message: 'x' }] }).text).toBe(
      GENERAL_REFUSAL,
    );
    expect(refusalOf({ status: 409, type: 'conflict' }).text).toMatch(/afgerond/);
    expect(refusalOf({ status: 422, type: 'unprocessable', errors: [{ field: 'from', message: 'x' }] })).toEqual({
      field: 'from',
      text: GENERAL_REFUSAL,
    });
    expect(dutchDay('2027-04-05')).toBe('5 april 2027');
    expect(
      refusalOf({
        status: 422,
        type: 'unprocessable',
        errors: [{ field: 'from', message: 'x', refusal: { code: 'sick_ahead', params: {} } }],
      }),
    ).toEqual({ field: 'from', text: expect.stringMatching(/niet op een dag die nog moet komen/) });
  });
});
