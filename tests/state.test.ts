// The trajectory state machine, driven without Temporal.
import { describe, expect, it } from 'vitest';
import { dutchHolidays } from '../activities/holidays';
import {
  applyChange,
  applyClosures,
  closeBblDecision,
  confirmBbl,
  currentPlan,
  dropout,
  initialState,
  openItems,
  pause,
  reachEnd,
  recordAttendance,
  recordCheckpoint,
  resume,
  revertDropout,
  riskSignals,
  schedule,
  type TrajectoryData,
} from '../domain/state';
import { addDays } from '../domain/calendar';
import { riskInDutch, riskInEnglish, riskKey } from '../domain/risks';

const start = '2027-04-05';
const fresh = (): TrajectoryData => ({
  ...initialState(
    {
      weeks: 20,
      startDate: start,
      placementWeekdays: ['monday', 'tuesday', 'wednesday'],
      schoolWeekday: 'thursday',
      holidays: dutchHolidays(start, '2028-12-31'),
      closures: [],
      checkpoints: [
        { key: 'intake', name: 'Intake', week: 1 },
        { key: 'pop', name: 'POP', week: 3 },
        { key: 'midterm', name: 'Tussenevaluatie', week: 10 },
        { key: 'pre-bbl', name: 'Voorbereiding BBL', week: 18 },
      ],
    },
    'zorg-breda',
    { attendanceThreshold: 0.8, bblDecisionFromWeek: 16 },
  ),
  status: 'active',
});

describe('recording attendance', () => {
  it('accepts a planned day in the past and refuses a future, unplanned or wrong-kind day', () => {
    const s = recordAttendance(fresh(), '2027-04-06', { date: '2027-04-05', kind: 'placement', present: true });
    expect(s.attendance['2027-04-05']).toMatchObject({ present: true });
    expect(() =>
      recordAttendance(fresh(), '2027-04-06', { date: '2027-04-07', kind: 'placement', present: true }),
    ).toThrow(/in the future/);
    expect(() =>
      recordAttendance(fresh(), '2027-05-01', { date: '2027-04-27', kind: 'placement', present: true }),
    ).toThrow(/not planned \(Koningsdag\)/);
    expect(() =>
      recordAttendance(fresh(), '2027-04-10', { date: '2027-04-08', kind: 'placement', present: true }),
    ).toThrow(/not a placement day/);
  });

  it('treats a second recording as a correction that needs a reason and keeps the earlier one', () => {
    const once = recordAttendance(fresh(), '2027-04-06', {
      date: '2027-04-05',
      kind: 'placement',
      present: false,
      reason: 'unexcused',
    });
    expect(() =>
      recordAttendance(once, '2027-04-06', { date: '2027-04-05', kind: 'placement', present: true }),
    ).toThrow(/correction needs a reason/);
    const twice = recordAttendance(once, '2027-04-07', {
      date: '2027-04-05',
      kind: 'placement',
      present: true,
      correctionReason: 'verkeerd ingevoerd',
    });
    expect(twice.attendance['2027-04-05']).toMatchObject({ present: true, correctionReason: 'verkeerd ingevoerd' });
    expect(twice.corrections).toEqual([once.attendance['2027-04-05']]);
  });

  it('requires a reason for an absence', () => {
    expect(() =>
      recordAttendance(fresh(), '2027-04-06', { date: '2027-04-05', kind: 'placement', present: false }),
    ).toThrow(/needs a reason/);
  });
});

describe('checkpoints and risk', () => {
  it('raises an explained signal for two unexcused absences within two weeks', () => {
    let s = recordAttendance(fresh(), '2027-04-13', {
      date: '2027-04-06',
      kind: 'placement',
      present: false,
      reason: 'unexcused',
    });
    expect(riskSignals(s, '2027-04-08').map((r) => r.kind)).not.toContain('unexcused_absences');
    s = recordAttendance(s, '2027-04-13', {
      date: '2027-04-12',
      kind: 'placement',
      present: false,
      reason: 'unexcused',
    });
    const signal = riskSignals(s, '2027-04-13').find((r) => r.kind === 'unexcused_absences');
    expect(signal && riskInEnglish(signal)).toBe('2 unexcused absences within two weeks (2027-04-06, 2027-04-12)');
  });

  it('marks a checkpoint not recorded in its week as overdue, and an at-risk review as a signal', () => {
    expect(riskSignals(fresh(), '2027-04-09').map((r) => r.kind)).toEqual([]);
    const [overdue] = riskSignals(fresh(), '2027-04-10');
    expect(overdue).toEqual({
      kind: 'checkpoint_overdue',
      key: 'intake',
      name: 'Intake',
      week: 1,
      weekEnd: '2027-04-09',
    });
    expect(riskInEnglish(overdue!)).toBe('checkpoint Intake (week 1) was due by 2027-04-09 and is not recorded');
    expect(riskInDutch(overdue!)).toBe('checkpoint Intake moest uiterlijk 9 april 2027 vastgelegd zijn en is dat niet');
    expect(riskKey(overdue!)).toBe('checkpoint_overdue:2027-04-09');
    const s = recordCheckpoint(fresh(), '2027-04-08', {
      key: 'intake',
      status: 'at_risk',
      note: 'weinig motivatie',
      trainerConfirmed: true,
    });
    expect(riskSignals(s, '2027-04-10').map((r) => r.kind)).toEqual(['checkpoint_at_risk']);
    expect(() =>
      recordCheckpoint(fresh(), '2027-04-08', { key: 'pop', status: 'on_track', note: '', trainerConfirmed: true }),
    ).toThrow(/planned from 2027-04-19/);
  });

  it('signals attendance below the threshold', () => {
    let s = fresh();
    for (const [date, present] of [
      ['2027-04-05', true],
      ['2027-04-06', false],
      ['2027-04-07', false],
      ['2027-04-12', true],
      ['2027-04-13', true],
    ] as const) {
      s = recordAttendance(s, '2027-04-14', { date, kind: 'placement', present, reason: present ? undefined : 'sick' });
    }
    expect(
      riskSignals(s, '2027-04-14')
        .filter((r) => r.kind === 'low_attendance')
        .map(riskInEnglish)[0],
    ).toBe("attended 3 of 5 recorded days (60%), below the programme's 80%");
  });
});

describe('changes', () => {
  it('a pause extends the end date by the paused working days and shows the days as paused', () => {
    const before = currentPlan(fresh()).endDate;
    let s = pause(fresh(), '2027-05-03', { from: '2027-05-03', reason: 'illness' });
    s = resume(s, '2027-05-10', { date: '2027-05-10' });
    expect(currentPlan(s).endDate).toBe(addDays(before, 7));
    const week5 = schedule(s).weeks.find((w) => w.week === 5)!;
    expect(week5.days.map((d) => d.status)).toEqual(['paused', 'paused', 'paused', 'paused']);
  });

  it('keeps an ROC closure a closure whatever its name: "pauze" is no pause, "ziekgemeld" no sick leave', () => {
    const s = applyClosures(fresh(), '2027-04-05', [
      { from: '2027-04-15', to: '2027-04-15', name: 'pauze' },
      { from: '2027-04-22', to: '2027-04-22', name: 'ziekgemeld' },
    ]);
    const days = schedule(pause(s, '2027-05-03', { from: '2027-05-03', reason: 'zorg' }))
      .weeks.flatMap((w) => w.days)
      .filter((d) => ['2027-04-15', '2027-04-22', '2027-04-27', '2027-05-03'].includes(d.date))
      .map(({ date, status, off, reason }) => ({ date, status, off, reason }));
    expect(days).toEqual([
      { date: '2027-04-15', status: 'not_planned', off: 'closure', reason: 'pauze' },
      { date: '2027-04-22', status: 'not_planned', off: 'closure', reason: 'ziekgemeld' },
      { date: '2027-04-27', status: 'not_planned', off: 'holiday', reason: 'Koningsdag' },
      { date: '2027-05-03', status: 'paused', off: 'paused', reason: 'pauze' },
    ]);
    // The plan the projection writes carries the same kind.
    const closure = currentPlan(s).days.find((d) => d.date === '2027-04-15');
    expect(closure).toMatchObject({ planned: false, off: 'closure' });
  });

  it('records a dropout with its week, revertible within the grace period', () => {
    const s = dropout(fresh(), '2027-05-20', { reason: 'motivation', text: 'komt niet meer' });
    expect(s.outcome).toEqual({ kind: 'dropout', reason: 'motivation', week: 7, date: '2027-05-20' });
    expect(revertDropout(s, '2027-06-01', { reason: 'vergissing' }).status).toBe('active');
    expect(() => revertDropout(s, '2027-06-10', { reason: 'te laat' })).toThrow(/within 14 days/);
  });
});

describe('the BBL decision', () => {
  it('is open from week 16, and doorstroom happens when employer and ROC have both confirmed', () => {
    expect(() => confirmBbl(fresh(), '2027-07-01', { by: 'school' })).toThrow(/opens in week 16/);
    let s = confirmBbl(fresh(), '2027-07-19', { by: 'employer', contractStartDate: '2027-09-01' });
    expect(reachEnd(s).status).toBe('awaiting_bbl');
    s = confirmBbl(s, '2027-07-20', { by: 'school' });
    expect(reachEnd(s).outcome).toEqual({ kind: 'bbl_doorstroom', bblStartDate: '2027-09-01' });
  });

  it('ends as no doorstroom, with the reason, when a confirmation is missing two weeks after the end', () => {
    const s = confirmBbl(fresh(), '2027-07-19', { by: 'employer', contractStartDate: '2027-09-01' });
    expect(closeBblDecision(reachEnd(s)).outcome).toEqual({
      kind: 'no_doorstroom',
      reason: 'no BBL enrolment from the ROC two weeks after the planned end',
    });
  });
});

describe('checkpoint keys', () => {
  it(
    'treats every checkpoint of the template as unrecorded until reviewed, whatever its key (regression: ' +
      "'pop' looked recorded)",
    () => {
      // As the workflow calls it: the whole template as the options.
      const checkpoints = [
        { key: 'intake', name: 'Intake', week: 1 },
        { key: 'pop', name: 'POP', week: 3 },
        { key: 'constructor', name: 'Constructie', week: 3 },
      ];
      const template = { weeks: 20, checkpoints, attendanceThreshold: 0.8, bblDecisionFromWeek: 16 };
      const s: TrajectoryData = {
        ...initialState(
          {
            ...template,
            startDate: start,
            placementWeekdays: ['monday'],
            schoolWeekday: 'thursday',
            holidays: [],
            closures: [],
          },
          'zorg-breda',
          template,
        ),
        status: 'active',
      };
      expect(s.checkpoints).toEqual({});
      const overdue = riskSignals(s, addDays(start, 28))
        .filter((r) => r.kind === 'checkpoint_overdue')
        .map(riskInEnglish);
      expect(overdue).toHaveLength(3);
      expect(overdue.join()).toMatch(/POP.*Constructie|Constructie.*POP/);
    },
  );
});

describe('sick leave', () => {
  const withRules = (sickLeave: Parameters<typeof initialState>[2]['sickLeave']): TrajectoryData => ({
    ...initialState(fresh().calendar, 'zorg-breda', { attendanceThreshold: 0.8, bblDecisionFromWeek: 16, sickLeave }),
    status: 'active',
  });
  const statuses = (s: TrajectoryData, from: string, to: string) =>
    schedule(s)
      .weeks.flatMap((w) => w.days)
      .filter((d) => d.date >= from && d.date <= to)
      .map((d) => `${d.date} ${d.kind} ${d.status}`);

  it('stops the placement days while the school day goes on, and moves the end by the sick working days', () => {
    const end = currentPlan(fresh()).endDate;
    // Sick from Monday 19 April (week 3), reported on the Wednesday.
    const sick = applyChange(fresh(), '2027-04-21', { type: 'sick_leave', from: '2027-04-19', reason: 'griep' });
    expect(statuses(sick, '2027-04-19', '2027-04-22')).toEqual([
      '2027-04-19 placement sick_leave',
      '2027-04-20 placement sick_leave',
      '2027-04-21 placement sick_leave',
      '2027-04-22 school planned',
    ]);
    expect(currentPlan(sick).endDate).toBe(end); // not known yet while it lasts
    // Back on Monday 3 May: ten working days, so the end moves two weeks (Koningsdag included: a working day).
    const back = applyChange(sick, '2027-05-03', { type: 'recovery', date: '2027-05-03' });
    expect(currentPlan(back).endDate).toBe(addDays(end, 14));
    expect(statuses(back, '2027-05-03', '2027-05-03')).toEqual(['2027-05-03 placement planned']);
    expect(back.status).toBe('active');
  });

  it('follows the programme: school days paused too, or the end date kept', () => {
    const sick = (s: TrajectoryData) => applyChange(s, '2027-04-21', { type: 'sick_leave', from: '2027-04-19' });
    const schoolToo = sick(withRules({ schoolDays: 'pause' }));
    expect(statuses(schoolToo, '2027-04-22', '2027-04-22')).toEqual(['2027-04-22 school sick_leave']);
    const kept = applyChange(sick(withRules({ extendsEnd: false })), '2027-04-26', {
      type: 'recovery',
      date: '2027-04-26',
    });
    expect(currentPlan(kept).endDate).toBe(currentPlan(fresh()).endDate);
  });

  it('refuses what cannot be: a date ahead or long past, a second one, a pause on top, a recovery without it', () => {
    expect(() => applyChange(fresh(), '2027-04-21', { type: 'sick_leave', from: '2027-04-22' })).toThrow(/not ahead/);
    expect(() => applyChange(fresh(), '2027-06-21', { type: 'sick_leave', from: '2027-05-10' })).toThrow(/31 days/);
    expect(() => applyChange(fresh(), '2027-04-21', { type: 'recovery', date: '2027-04-22' })).toThrow(
      /not on sick leave/,
    );
    const sick = applyChange(fresh(), '2027-04-21', { type: 'sick_leave', from: '2027-04-19' });
    expect(() => applyChange(sick, '2027-04-21', { type: 'sick_leave', from: '2027-04-21' })).toThrow(
      /since 2027-04-19/,
    );
    expect(() => pause(sick, '2027-04-21', { from: '2027-04-21', reason: 'x' })).toThrow(/record the recovery first/);
    expect(() => applyChange(sick, '2027-04-21', { type: 'recovery', date: '2027-04-19' })).toThrow(/after the sick/);
    // A paused trajectory is not reported sick: it expects no days anyway.
    const paused = pause(fresh(), '2027-04-21', { from: '2027-04-21', reason: 'x' });
    expect(() => applyChange(paused, '2027-04-21', { type: 'sick_leave', from: '2027-04-21' })).toThrow(/active/);
  });

  it('expects no placement day of it: no reminder, nothing counted against attendance', () => {
    let s = applyChange(fresh(), '2027-04-07', { type: 'sick_leave', from: '2027-04-05' });
    s = applyChange(s, '2027-04-19', { type: 'recovery', date: '2027-04-19' });
    // Only the two ROC days of the sick weeks are still to be recorded.
    expect(openItems(s, '2027-04-19').attendance).toEqual([
      { date: '2027-04-08', kind: 'school' },
      { date: '2027-04-15', kind: 'school' },
    ]);
    expect(riskSignals(s, '2027-04-19').map((r) => r.kind)).toEqual(['checkpoint_overdue']);
  });
});
