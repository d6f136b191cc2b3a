// The trajectory's state machine as plain, serialisable data with transition functions. The workflow holds
// one of these and applies partner actions to it; unit tests drive it without Temporal. Every function is
// pure: "today" is always passed in.
import {
  addDays,
  isoWeekday,
  planTrajectory,
  weekOf,
  type CalendarInput,
  type Plan,
  type PlannedDay,
} from './calendar';
import type { Change } from './changes';
import { DAY_OFF_NL } from './dutch';
import type { DropoutReason, Outcome } from './outcomes';
import type { Extension, Pause, SickLeave } from './plan-changes';
import { DEFAULT_SICK_LEAVE, type SickLeaveRules } from './programme';
import type { Closure } from './recording';
import { refusal, refusalInEnglish, type Refusal } from './refusals';
import { RISK_RULES, type RiskSignal } from './risks';
import {
  DAY_STATUS_OF_DAY_OFF,
  isOpen as isOpenStatus,
  type AbsenceReason,
  type CheckpointStatus,
  type DayOff,
  type DayStatus,
  type TrajectoryStatus,
} from './statuses';

export type { Extension, Pause, SickLeave };

export interface Attendance {
  date: string;
  kind: PlannedDay['kind'];
  present: boolean;
  reason?: AbsenceReason;
  correctionReason?: string;
  recordedOn: string;
}
export interface CheckpointReview {
  key: string;
  status: CheckpointStatus;
  note: string;
  trainerConfirmed: boolean;
  recordedOn: string;
}

export interface TrajectoryData {
  calendar: CalendarInput;
  status: TrajectoryStatus;
  /** Current attendance per date, plus every earlier version (corrections keep the history). */
  attendance: Record<string, Attendance>;
  corrections: Attendance[];
  checkpoints: Record<string, CheckpointReview>;
  pauses: Pause[];
  sickLeaves: SickLeave[];
  extensions: Extension[];
  employers: { employerId: string; from: string }[];
  dropout?: { reason: DropoutReason; text: string; date: string; week: number };
  bbl: { contractStartDate?: string; enrolmentConfirmed?: boolean; jobWithoutBbl?: boolean };
  outcome?: Outcome;
  attendanceThreshold: number;
  bblDecisionFromWeek: number;
  sickLeaveRules: SickLeaveRules;
}

/** A refused transition: the field it is about, and why (a fact, worded by domain/refusals.ts). */
export class Rejection extends Error {
  constructor(
    readonly field: string,
    readonly refusal: Refusal,
  ) {
    super(`${field}: ${refusalInEnglish(refusal)}`);
  }
  /** The refusal in English: the API's problem detail. */
  get problem(): string {
    return refusalInEnglish(this.refusal);
  }
}

export function initialState(
  calendar: CalendarInput,
  employerId: string,
  opts: { attendanceThreshold: number; bblDecisionFromWeek: number; sickLeave?: Partial<SickLeaveRules> },
): TrajectoryData {
  return {
    calendar,
    status: 'planned',
    attendance: {},
    corrections: [],
    checkpoints: {},
    pauses: [],
    sickLeaves: [],
    extensions: [],
    employers: [{ employerId, from: calendar.startDate }],
    bbl: {},
    // Picked, not spread: the workflow passes the whole template, whose `checkpoints` list would otherwise
    // replace the reviews above (and a checkpoint keyed 'pop' would look recorded by Array.prototype.pop).
    attendanceThreshold: opts.attendanceThreshold,
    bblDecisionFromWeek: opts.bblDecisionFromWeek,
    sickLeaveRules: { ...DEFAULT_SICK_LEAVE, ...opts.sickLeave },
  };
}

/** The review of a checkpoint, if recorded; own keys only, so a key like 'constructor' is never "recorded". */
export const reviewOf = (s: TrajectoryData, key: string): CheckpointReview | undefined =>
  Object.hasOwn(s.checkpoints, key) ? s.checkpoints[key] : undefined;

/** Working days (Mon-Fri) from `from` up to and including `to`. */
function workingDaysBetween(from: string, to: string): number {
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) if (isoWeekday(d) <= 5) n++;
  return n;
}

/** Working days of the interruptions that have ended (`to` is the first day back); an open one does not count yet. */
const endedWorkingDays = (spans: { from: string; to?: string }[]) =>
  spans.reduce((n, p) => n + (p.to ? workingDaysBetween(p.from, addDays(p.to, -1)) : 0), 0);
const within = (spans: { from: string; to?: string }[], date: string) =>
  spans.find((p) => p.from <= date && (!p.to || date < p.to));

/**
 * The plan as it stands: extensions add weeks, and each paused working day pushes the end out by one working day,
 * as does each working day of a sick leave when the programme says so. Days in a pause are not planned; in a
 * sick leave the placement days are not (and the school days, when the programme pauses them too).
 */
export function currentPlan(s: TrajectoryData): Plan {
  const weeks = s.calendar.weeks + s.extensions.reduce((n, e) => n + e.weeks, 0);
  const rules = s.sickLeaveRules;
  const pushed = endedWorkingDays(s.pauses) + (rules.extendsEnd ? endedWorkingDays(s.sickLeaves) : 0);
  const extraWeeks = Math.ceil(pushed / 5);
  const plan = planTrajectory({ ...s.calendar, weeks: weeks + extraWeeks });
  let endDate = addDays(s.calendar.startDate, (weeks - 1) * 7 + 4);
  for (let left = pushed; left > 0;) {
    endDate = addDays(endDate, 1);
    if (isoWeekday(endDate) <= 5) left--;
  }
  // A pause covers every day of it, a holiday included; a sick leave only the days that were planned (a holiday
  // keeps its name).
  const offFor = (d: PlannedDay): 'paused' | 'sick_leave' | undefined =>
    within(s.pauses, d.date)
      ? 'paused'
      : d.planned && (d.kind === 'placement' || rules.schoolDays === 'pause') && within(s.sickLeaves, d.date)
        ? 'sick_leave'
        : undefined;
  const days = plan.days
    .filter((d) => d.date <= endDate)
    .map((d): PlannedDay => {
      const off = offFor(d);
      return off ? { ...d, planned: false, off, reason: DAY_OFF_NL[off] } : d;
    });
  return { ...plan, days, endDate };
}

/** The start date has come: the trajectory is under way. */
export function start(s: TrajectoryData): TrajectoryData {
  return s.status === 'planned' ? { ...s, status: 'active' } : s;
}

/**
 * An ROC publishes its closure periods. They apply from today on: days already behind the trajectory keep
 * the closures they had, so nothing recorded in the past changes meaning.
 */
export function applyClosures(s: TrajectoryData, today: string, closures: Closure[]): TrajectoryData {
  const yesterday = addDays(today, -1);
  const past = s.calendar.closures
    .filter((c) => c.from <= yesterday)
    .map((c) => ({ ...c, to: c.to < yesterday ? c.to : yesterday }));
  const ahead = closures.filter((c) => c.to >= today).map((c) => ({ ...c, from: c.from > today ? c.from : today }));
  return { ...s, calendar: { ...s.calendar, closures: [...past, ...ahead] } };
}

const isOpen = (s: TrajectoryData) => isOpenStatus(s.status);

export function recordAttendance(
  s: TrajectoryData,
  today: string,
  a: { date: string; kind: PlannedDay['kind']; present: boolean; reason?: AbsenceReason; correctionReason?: string },
): TrajectoryData {
  if (s.status === 'planned') throw new Rejection('date', refusal('not_started', {}));
  if (s.status === 'dropped_out' || s.status === 'ended')
    throw new Rejection('date', refusal('not_open', { status: s.status }));
  if (a.date > today) throw new Rejection('date', refusal('in_future', { date: a.date }));
  const day = currentPlan(s).days.find((d) => d.date === a.date && d.kind === a.kind);
  if (!day) throw new Rejection('date', refusal('not_a_day', { date: a.date, kind: a.kind }));
  if (!day.planned) throw new Rejection('date', refusal('not_planned', { date: a.date, reason: day.reason ?? '' }));
  if (a.present && a.reason) throw new Rejection('reason', refusal('reason_only_for_absence', {}));
  if (!a.present && !a.reason) throw new Rejection('reason', refusal('absence_needs_reason', {}));
  const earlier = s.attendance[a.date];
  if (earlier && !a.correctionReason)
    throw new Rejection('correctionReason', refusal('correction_needs_reason', { date: a.date }));
  const record: Attendance = {
    date: a.date,
    kind: a.kind,
    present: a.present,
    reason: a.reason,
    correctionReason: earlier ? a.correctionReason : undefined,
    recordedOn: today,
  };
  return {
    ...s,
    attendance: { ...s.attendance, [a.date]: record },
    corrections: earlier ? [...s.corrections, earlier] : s.corrections,
  };
}

export function recordCheckpoint(
  s: TrajectoryData,
  today: string,
  c: { key: string; status: CheckpointStatus; note: string; trainerConfirmed: boolean },
): TrajectoryData {
  const cp = currentPlan(s).checkpoints.find((x) => x.key === c.key);
  if (!cp) throw new Rejection('key', refusal('no_checkpoint', { key: c.key }));
  if (!isOpen(s)) throw new Rejection('key', refusal('not_open', { status: s.status }));
  if (today < cp.weekStart)
    throw new Rejection('key', refusal('checkpoint_not_yet', { key: c.key, from: cp.weekStart }));
  return { ...s, checkpoints: { ...s.checkpoints, [c.key]: { ...c, recordedOn: today } } };
}

export function pause(s: TrajectoryData, today: string, p: { from: string; reason: string }): TrajectoryData {
  if (s.status !== 'active') throw new Rejection('from', refusal('pause_not_active', { status: s.status }));
  if (p.from < (s.pauses.at(-1)?.to ?? s.calendar.startDate))
    throw new Rejection('from', refusal('pause_too_early', {}));
  if (p.from > addDays(today, 31)) throw new Rejection('from', refusal('pause_too_far', {}));
  if (openSickLeave(s)) throw new Rejection('type', refusal('pause_while_sick', {}));
  return { ...s, status: 'paused', pauses: [...s.pauses, { from: p.from, reason: p.reason }] };
}

export function resume(s: TrajectoryData, _today: string, r: { date: string }): TrajectoryData {
  const open = s.pauses.at(-1);
  if (s.status !== 'paused' || !open || open.to) throw new Rejection('date', refusal('not_paused', {}));
  if (r.date <= open.from) throw new Rejection('date', refusal('resume_too_early', { from: open.from }));
  return { ...s, status: 'active', pauses: [...s.pauses.slice(0, -1), { ...open, to: r.date }] };
}

const openSickLeave = (s: TrajectoryData) => s.sickLeaves.find((l) => !l.to);

/** A ziekmelding from a date (today or earlier, at most 31 days back): the placement days stop until recovery. */
export function startSickLeave(s: TrajectoryData, today: string, l: { from: string; reason?: string }): TrajectoryData {
  if (s.status !== 'active') throw new Rejection('type', refusal('sick_not_active', { status: s.status }));
  if (openSickLeave(s)) throw new Rejection('type', refusal('sick_already', { from: openSickLeave(s)!.from }));
  const after = [s.calendar.startDate, s.sickLeaves.at(-1)?.to, s.pauses.at(-1)?.to].filter(Boolean).sort().at(-1)!;
  if (l.from < after) throw new Rejection('from', refusal('sick_too_early', { after }));
  if (l.from > today) throw new Rejection('from', refusal('sick_ahead', {}));
  if (l.from < addDays(today, -31)) throw new Rejection('from', refusal('sick_too_far_back', {}));
  const leave: SickLeave = l.reason === undefined ? { from: l.from } : { from: l.from, reason: l.reason };
  return { ...s, sickLeaves: [...s.sickLeaves, leave] };
}

/** The recovery: `date` is the first day back; the end date moves by the sick working days if the programme says so. */
export function recover(s: TrajectoryData, today: string, r: { date: string }): TrajectoryData {
  const open = openSickLeave(s);
  if (!open || !isOpen(s)) throw new Rejection('type', refusal('not_sick', {}));
  if (r.date <= open.from) throw new Rejection('date', refusal('recovery_too_early', { from: open.from }));
  const next = { ...s, sickLeaves: [...s.sickLeaves.slice(0, -1), { ...open, to: r.date }] };
  // Past the end while sick, and the end now moves beyond today: the trajectory is under way again.
  return s.status === 'awaiting_bbl' && currentPlan(next).endDate >= today ? { ...next, status: 'active' } : next;
}

export function extend(s: TrajectoryData, _today: string, e: { weeks: number; reason: string }): TrajectoryData {
  if (!isOpen(s)) throw new Rejection('weeks', refusal('not_open', { status: s.status }));
  return { ...s, status: s.status === 'awaiting_bbl' ? 'active' : s.status, extensions: [...s.extensions, e] };
}

export function changeEmployer(
  s: TrajectoryData,
  today: string,
  c: { employerId: string; from: string },
): TrajectoryData {
  if (!isOpen(s) && s.status !== 'planned')
    throw new Rejection('employerId', refusal('not_open', { status: s.status }));
  if (c.employerId === currentEmployer(s, today)) throw new Rejection('employerId', refusal('already_employer', {}));
  if (c.from < (s.employers.at(-1)?.from ?? s.calendar.startDate))
    throw new Rejection('from', refusal('employer_too_early', {}));
  return { ...s, employers: [...s.employers, c] };
}

export const currentEmployer = (s: TrajectoryData, date: string) =>
  [...s.employers].reverse().find((e) => e.from <= date)?.employerId ?? s.employers[0]!.employerId;

export function dropout(s: TrajectoryData, today: string, d: { reason: DropoutReason; text: string }): TrajectoryData {
  if (!isOpen(s)) throw new Rejection('reason', refusal('not_open', { status: s.status }));
  const week = Math.max(1, weekOf(s.calendar.startDate, today));
  return {
    ...s,
    status: 'dropped_out',
    dropout: { ...d, date: today, week },
    outcome: { kind: 'dropout', reason: d.reason, week, date: today },
  };
}

export const DROPOUT_GRACE_DAYS = 14;

export function revertDropout(s: TrajectoryData, today: string, _r: { reason: string }): TrajectoryData {
  if (s.status !== 'dropped_out' || !s.dropout) throw new Rejection('reason', refusal('no_dropout', {}));
  if (today > addDays(s.dropout.date, DROPOUT_GRACE_DAYS))
    throw new Rejection('reason', refusal('revert_too_late', { days: DROPOUT_GRACE_DAYS }));
  return { ...s, status: 'active', dropout: undefined, outcome: undefined };
}

export function confirmBbl(
  s: TrajectoryData,
  today: string,
  b: { by: 'employer'; contractStartDate: string } | { by: 'school' } | { by: 'employer'; jobWithoutBbl: true },
): TrajectoryData {
  if (!isOpen(s)) throw new Rejection('by', refusal('not_open', { status: s.status }));
  if (weekOf(s.calendar.startDate, today) < s.bblDecisionFromWeek)
    throw new Rejection('by', refusal('bbl_not_yet', { week: s.bblDecisionFromWeek }));
  const bbl = { ...s.bbl };
  if (b.by === 'school') bbl.enrolmentConfirmed = true;
  else if ('jobWithoutBbl' in b) bbl.jobWithoutBbl = true;
  else bbl.contractStartDate = b.contractStartDate;
  return { ...s, bbl };
}

/** A change by its type: the one place a change type meets its transition. */
export function applyChange(s: TrajectoryData, today: string, c: Change): TrajectoryData {
  switch (c.type) {
    case 'pause':
      return pause(s, today, c);
    case 'resume':
      return resume(s, today, c);
    case 'extension':
      return extend(s, today, c);
    case 'employer_change':
      return changeEmployer(s, today, c);
    case 'dropout':
      return dropout(s, today, c);
    case 'dropout_revert':
      return revertDropout(s, today, c);
    case 'sick_leave':
      return startSickLeave(s, today, c);
    case 'recovery':
      return recover(s, today, c);
  }
}

/** At the planned end: BBL doorstroom when both confirmations are in, otherwise wait for them. */
export function reachEnd(s: TrajectoryData): TrajectoryData {
  if (s.status === 'dropped_out' || s.status === 'ended') return s;
  if (s.bbl.contractStartDate && s.bbl.enrolmentConfirmed)
    return { ...s, status: 'ended', outcome: { kind: 'bbl_doorstroom', bblStartDate: s.bbl.contractStartDate } };
  if (s.bbl.jobWithoutBbl) return { ...s, status: 'ended', outcome: { kind: 'job_without_bbl' } };
  return { ...s, status: 'awaiting_bbl' };
}

/** Two weeks after the planned end: whatever is still missing makes it "no doorstroom". */
export function closeBblDecision(s: TrajectoryData): TrajectoryData {
  const done = reachEnd(s);
  if (done.status !== 'awaiting_bbl') return done;
  const missing = [
    !s.bbl.contractStartDate && 'no BBL contract from the employer',
    !s.bbl.enrolmentConfirmed && 'no BBL enrolment from the ROC',
  ]
    .filter(Boolean)
    .join(' and ');
  return {
    ...s,
    status: 'ended',
    outcome: { kind: 'no_doorstroom', reason: `${missing} two weeks after the planned end` },
  };
}

export const BBL_DECISION_DAYS_AFTER_END = 14;

// --- seeing it ---------------------------------------------------------------------------------------

export function overdueCheckpoints(s: TrajectoryData, today: string, plan = currentPlan(s)) {
  return plan.checkpoints.filter((c) => !reviewOf(s, c.key) && c.weekEnd < today);
}

/** Rule-based and explained: each signal carries the facts it is raised on (rendered in words by domain/risks.ts). */
export function riskSignals(s: TrajectoryData, today: string): RiskSignal[] {
  if (!isOpen(s)) return [];
  const plan = currentPlan(s);
  const signals: RiskSignal[] = [];
  const unexcused = Object.values(s.attendance)
    .filter((a) => !a.present && a.reason === 'unexcused' && a.date > addDays(today, -RISK_RULES.unexcusedWithinDays))
    .map((a) => a.date)
    .sort();
  if (unexcused.length >= RISK_RULES.unexcusedAtLeast) signals.push({ kind: 'unexcused_absences', dates: unexcused });
  for (const c of Object.values(s.checkpoints)) {
    if (c.status === 'at_risk') signals.push({ kind: 'checkpoint_at_risk', key: c.key, recordedOn: c.recordedOn });
  }
  for (const c of overdueCheckpoints(s, today, plan))
    signals.push({ kind: 'checkpoint_overdue', key: c.key, name: c.name, week: c.week, weekEnd: c.weekEnd });
  const due = plan.days.filter((d) => d.planned && d.date < today && s.attendance[d.date]);
  const attended = due.filter((d) => s.attendance[d.date]!.present).length;
  if (due.length >= RISK_RULES.lowAttendanceFromRecordedDays && attended / due.length < s.attendanceThreshold) {
    signals.push({ kind: 'low_attendance', attended, recorded: due.length, threshold: s.attendanceThreshold });
  }
  return signals;
}

export interface ScheduleDay {
  date: string;
  week: number;
  kind: PlannedDay['kind'];
  status: DayStatus;
  /** Why a day is not expected, when it is not (its status says less: a holiday and a closure are both not_planned). */
  off?: DayOff;
  reason?: string;
  correctionReason?: string;
}

export function schedule(s: TrajectoryData): { weeks: { week: number; days: ScheduleDay[] }[]; endDate: string } {
  const plan = currentPlan(s);
  const byWeek = new Map<number, ScheduleDay[]>();
  for (const d of plan.days) {
    const a = s.attendance[d.date];
    const day: ScheduleDay =
      s.dropout && d.date > s.dropout.date && !a
        ? {
            date: d.date,
            week: d.week,
            kind: d.kind,
            status: DAY_STATUS_OF_DAY_OFF.dropped_out,
            off: 'dropped_out',
            reason: DAY_OFF_NL.dropped_out,
          }
        : a
          ? {
              date: d.date,
              week: d.week,
              kind: d.kind,
              status: a.present ? 'attended' : 'absent',
              reason: a.reason,
              correctionReason: a.correctionReason,
            }
          : d.planned
            ? { date: d.date, week: d.week, kind: d.kind, status: 'planned' }
            : {
                date: d.date,
                week: d.week,
                kind: d.kind,
                // The plan sets `off` on every day it does not plan; the type only cannot say so.
                status: d.off ? DAY_STATUS_OF_DAY_OFF[d.off] : 'not_planned',
                ...(d.off && { off: d.off }),
                reason: d.reason,
              };
    byWeek.set(d.week, [...(byWeek.get(d.week) ?? []), day]);
  }
  return { weeks: [...byWeek].map(([week, days]) => ({ week, days })), endDate: plan.endDate };
}

export interface OpenItems {
  /** Planned days before today that nobody recorded yet. */
  attendance: { date: string; kind: PlannedDay['kind'] }[];
  /** Checkpoints whose week is now. */
  checkpoints: { key: string; name: string; weekEnd: string }[];
  overdueCheckpoints: { key: string; name: string; weekEnd: string }[];
  /** BBL confirmations still missing once the decision window is open. */
  bbl: ('employer_contract' | 'school_enrolment')[];
}

export function openItems(s: TrajectoryData, today: string, plan = currentPlan(s)): OpenItems {
  if (!isOpen(s)) return { attendance: [], checkpoints: [], overdueCheckpoints: [], bbl: [] };
  const pick = ({ key, name, weekEnd }: { key: string; name: string; weekEnd: string }) => ({ key, name, weekEnd });
  const bblOpen = weekOf(s.calendar.startDate, today) >= s.bblDecisionFromWeek && !s.bbl.jobWithoutBbl;
  return {
    attendance: plan.days
      .filter((d) => d.planned && d.date < today && !s.attendance[d.date])
      .map((d) => ({ date: d.date, kind: d.kind })),
    checkpoints: plan.checkpoints
      .filter((c) => !reviewOf(s, c.key) && c.weekStart <= today && today <= c.weekEnd)
      .map(pick),
    overdueCheckpoints: overdueCheckpoints(s, today, plan).map(pick),
    bbl: bblOpen
      ? [
          ...(s.bbl.contractStartDate ? [] : ['employer_contract' as const]),
          ...(s.bbl.enrolmentConfirmed ? [] : ['school_enrolment' as const]),
        ]
      : [],
  };
}
