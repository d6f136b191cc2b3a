// The trajectory's state machine as plain, serialisable data with transition functions. The workflow holds
// one of these and applies partner actions to it; unit tests drive it without Temporal. Every function is
// pure: "today" is always passed in.
import {
  addDays,
  isoWeekday,
  planTrajectory,
  weekOf,
  type CalendarInput,
  type Closure,
  type Plan,
  type PlannedDay,
} from './calendar';

export type TrajectoryStatus = 'planned' | 'active' | 'paused' | 'dropped_out' | 'awaiting_bbl' | 'ended';
export type AbsenceReason = 'sick' | 'leave' | 'unexcused' | 'other';
export type CheckpointStatus = 'on_track' | 'concerns' | 'at_risk';
export const DROPOUT_REASONS = [
  'health',
  'motivation',
  'personal_circumstances',
  'found_other_work',
  'not_suitable',
  'moved',
  'other',
] as const;
export type DropoutReason = (typeof DROPOUT_REASONS)[number];
export type Outcome =
  | { kind: 'bbl_doorstroom'; bblStartDate: string }
  | { kind: 'job_without_bbl' }
  | { kind: 'dropout'; reason: DropoutReason; week: number; date: string }
  | { kind: 'no_doorstroom'; reason: string };

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
export interface Pause {
  from: string;
  to?: string;
  reason: string;
}

export interface TrajectoryData {
  calendar: CalendarInput;
  status: TrajectoryStatus;
  /** Current attendance per date, plus every earlier version (corrections keep the history). */
  attendance: Record<string, Attendance>;
  corrections: Attendance[];
  checkpoints: Record<string, CheckpointReview>;
  pauses: Pause[];
  extensions: { weeks: number; reason: string }[];
  employers: { employerId: string; from: string }[];
  dropout?: { reason: DropoutReason; text: string; date: string; week: number };
  bbl: { contractStartDate?: string; enrolmentConfirmed?: boolean; jobWithoutBbl?: boolean };
  outcome?: Outcome;
  attendanceThreshold: number;
  bblDecisionFromWeek: number;
}

export class Rejection extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

export function initialState(
  calendar: CalendarInput,
  employerId: string,
  opts: { attendanceThreshold: number; bblDecisionFromWeek: number },
): TrajectoryData {
  return {
    calendar,
    status: 'planned',
    attendance: {},
    corrections: [],
    checkpoints: {},
    pauses: [],
    extensions: [],
    employers: [{ employerId, from: calendar.startDate }],
    bbl: {},
    // Picked, not spread: the workflow passes the whole template, whose `checkpoints` list would otherwise
    // replace the reviews above (and a checkpoint keyed 'pop' would look recorded by Array.prototype.pop).
    attendanceThreshold: opts.attendanceThreshold,
    bblDecisionFromWeek: opts.bblDecisionFromWeek,
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

/** The plan as it stands: extensions add weeks, and each paused working day pushes the end out by one working day. */
export function currentPlan(s: TrajectoryData): Plan {
  const weeks = s.calendar.weeks + s.extensions.reduce((n, e) => n + e.weeks, 0);
  // A pause counts once it has ended (`to` is the resume date); while it lasts, its days show as paused.
  const paused = s.pauses.reduce((n, p) => n + (p.to ? workingDaysBetween(p.from, addDays(p.to, -1)) : 0), 0);
  const extraWeeks = Math.ceil(paused / 5);
  const plan = planTrajectory({ ...s.calendar, weeks: weeks + extraWeeks });
  let endDate = addDays(s.calendar.startDate, (weeks - 1) * 7 + 4);
  for (let left = paused; left > 0;) {
    endDate = addDays(endDate, 1);
    if (isoWeekday(endDate) <= 5) left--;
  }
  const inPause = (date: string) => s.pauses.find((p) => p.from <= date && (!p.to || date < p.to));
  const days = plan.days
    .filter((d) => d.date <= endDate)
    .map((d) => (inPause(d.date) ? { ...d, planned: false, reason: 'pauze' } : d));
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

const isOpen = (s: TrajectoryData) => s.status === 'active' || s.status === 'paused' || s.status === 'awaiting_bbl';

export function recordAttendance(
  s: TrajectoryData,
  today: string,
  a: { date: string; kind: PlannedDay['kind']; present: boolean; reason?: AbsenceReason; correctionReason?: string },
): TrajectoryData {
  if (s.status === 'planned') throw new Rejection('date', 'the trajectory has not started yet');
  if (s.status === 'dropped_out' || s.status === 'ended')
    throw new Rejection('date', `the trajectory is ${s.status.replace('_', ' ')}`);
  if (a.date > today) throw new Rejection('date', `${a.date} is in the future`);
  const day = currentPlan(s).days.find((d) => d.date === a.date && d.kind === a.kind);
  if (!day) throw new Rejection('date', `${a.date} is not a ${a.kind} day of this trajectory`);
  if (!day.planned) throw new Rejection('date', `${a.date} is not planned (${day.reason})`);
  if (a.present && a.reason) throw new Rejection('reason', 'a reason is only for an absence');
  if (!a.present && !a.reason)
    throw new Rejection('reason', 'an absence needs a reason (sick, leave, unexcused, other)');
  const earlier = s.attendance[a.date];
  if (earlier && !a.correctionReason)
    throw new Rejection('correctionReason', `${a.date} was recorded before; a correction needs a reason`);
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
  if (!cp) throw new Rejection('key', `no checkpoint ${c.key} in this programme`);
  if (!isOpen(s)) throw new Rejection('key', `the trajectory is ${s.status.replace('_', ' ')}`);
  if (today < cp.weekStart) throw new Rejection('key', `checkpoint ${c.key} is planned from ${cp.weekStart}`);
  return { ...s, checkpoints: { ...s.checkpoints, [c.key]: { ...c, recordedOn: today } } };
}

export function pause(s: TrajectoryData, today: string, p: { from: string; reason: string }): TrajectoryData {
  if (s.status !== 'active')
    throw new Rejection('from', `only an active trajectory can be paused (it is ${s.status.replace('_', ' ')})`);
  if (p.from < (s.pauses.at(-1)?.to ?? s.calendar.startDate))
    throw new Rejection('from', 'must not be before the start or an earlier pause');
  if (p.from > addDays(today, 31)) throw new Rejection('from', 'may be at most 31 days ahead');
  return { ...s, status: 'paused', pauses: [...s.pauses, { from: p.from, reason: p.reason }] };
}

export function resume(s: TrajectoryData, _today: string, r: { date: string }): TrajectoryData {
  const open = s.pauses.at(-1);
  if (s.status !== 'paused' || !open || open.to) throw new Rejection('date', 'the trajectory is not paused');
  if (r.date <= open.from) throw new Rejection('date', `must be after the pause began (${open.from})`);
  return { ...s, status: 'active', pauses: [...s.pauses.slice(0, -1), { ...open, to: r.date }] };
}

export function extend(s: TrajectoryData, _today: string, e: { weeks: number; reason: string }): TrajectoryData {
  if (!isOpen(s)) throw new Rejection('weeks', `the trajectory is ${s.status.replace('_', ' ')}`);
  return { ...s, status: s.status === 'awaiting_bbl' ? 'active' : s.status, extensions: [...s.extensions, e] };
}

export function changeEmployer(
  s: TrajectoryData,
  today: string,
  c: { employerId: string; from: string },
): TrajectoryData {
  if (!isOpen(s) && s.status !== 'planned')
    throw new Rejection('employerId', `the trajectory is ${s.status.replace('_', ' ')}`);
  if (c.employerId === currentEmployer(s, today)) throw new Rejection('employerId', 'is already the employer');
  if (c.from < (s.employers.at(-1)?.from ?? s.calendar.startDate))
    throw new Rejection('from', 'must not be before the current placement began');
  return { ...s, employers: [...s.employers, c] };
}

export const currentEmployer = (s: TrajectoryData, date: string) =>
  [...s.employers].reverse().find((e) => e.from <= date)?.employerId ?? s.employers[0]!.employerId;

export function dropout(s: TrajectoryData, today: string, d: { reason: DropoutReason; text: string }): TrajectoryData {
  if (!isOpen(s)) throw new Rejection('reason', `the trajectory is ${s.status.replace('_', ' ')}`);
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
  if (s.status !== 'dropped_out' || !s.dropout)
    throw new Rejection('reason', 'the trajectory has no dropout to revert');
  if (today > addDays(s.dropout.date, DROPOUT_GRACE_DAYS))
    throw new Rejection('reason', `a dropout can be reverted within ${DROPOUT_GRACE_DAYS} days`);
  return { ...s, status: 'active', dropout: undefined, outcome: undefined };
}

export function confirmBbl(
  s: TrajectoryData,
  today: string,
  b: { by: 'employer'; contractStartDate: string } | { by: 'school' } | { by: 'employer'; jobWithoutBbl: true },
): TrajectoryData {
  if (!isOpen(s)) throw new Rejection('by', `the trajectory is ${s.status.replace('_', ' ')}`);
  if (weekOf(s.calendar.startDate, today) < s.bblDecisionFromWeek)
    throw new Rejection('by', `the BBL decision opens in week ${s.bblDecisionFromWeek}`);
  const bbl = { ...s.bbl };
  if (b.by === 'school') bbl.enrolmentConfirmed = true;
  else if ('jobWithoutBbl' in b) bbl.jobWithoutBbl = true;
  else bbl.contractStartDate = b.contractStartDate;
  return { ...s, bbl };
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

export interface RiskSignal {
  kind: 'unexcused_absences' | 'checkpoint_at_risk' | 'checkpoint_overdue' | 'low_attendance';
  reason: string;
}

export function overdueCheckpoints(s: TrajectoryData, today: string, plan = currentPlan(s)) {
  return plan.checkpoints.filter((c) => !reviewOf(s, c.key) && c.weekEnd < today);
}

/** The risk rules, shared with the coordinator's steering view (db/steering.ts), which applies them in SQL. */
export const RISK_RULES = { unexcusedWithinDays: 14, unexcusedAtLeast: 2, lowAttendanceFromRecordedDays: 5 } as const;

/** Each signal's reason in words; the workflow and the SQL steering view both build it here. */
export const riskReason = {
  unexcused_absences: (dates: string[]) => `${dates.length} unexcused absences within two weeks (${dates.join(', ')})`,
  checkpoint_at_risk: (key: string, recordedOn: string) => `checkpoint ${key} was recorded as at risk on ${recordedOn}`,
  checkpoint_overdue: (name: string, week: number, weekEnd: string) =>
    `checkpoint ${name} (week ${week}) was due by ${weekEnd} and is not recorded`,
  low_attendance: (attended: number, recorded: number, threshold: number) =>
    `attended ${attended} of ${recorded} recorded days (${Math.round((100 * attended) / recorded)}%), below the programme's ${Math.round(100 * threshold)}%`,
};

/** Rule-based and explained: each signal says in words why it is raised. */
export function riskSignals(s: TrajectoryData, today: string): RiskSignal[] {
  if (s.status === 'planned' || s.status === 'ended' || s.status === 'dropped_out') return [];
  const plan = currentPlan(s);
  const signals: RiskSignal[] = [];
  const unexcused = Object.values(s.attendance)
    .filter((a) => !a.present && a.reason === 'unexcused' && a.date > addDays(today, -RISK_RULES.unexcusedWithinDays))
    .map((a) => a.date)
    .sort();
  if (unexcused.length >= RISK_RULES.unexcusedAtLeast)
    signals.push({ kind: 'unexcused_absences', reason: riskReason.unexcused_absences(unexcused) });
  for (const c of Object.values(s.checkpoints)) {
    if (c.status === 'at_risk')
      signals.push({ kind: 'checkpoint_at_risk', reason: riskReason.checkpoint_at_risk(c.key, c.recordedOn) });
  }
  for (const c of overdueCheckpoints(s, today, plan))
    signals.push({ kind: 'checkpoint_overdue', reason: riskReason.checkpoint_overdue(c.name, c.week, c.weekEnd) });
  const due = plan.days.filter((d) => d.planned && d.date < today && s.attendance[d.date]);
  const attended = due.filter((d) => s.attendance[d.date]!.present).length;
  if (due.length >= RISK_RULES.lowAttendanceFromRecordedDays && attended / due.length < s.attendanceThreshold) {
    signals.push({
      kind: 'low_attendance',
      reason: riskReason.low_attendance(attended, due.length, s.attendanceThreshold),
    });
  }
  return signals;
}

export type DayStatus = 'planned' | 'attended' | 'absent' | 'not_planned' | 'paused';
export interface ScheduleDay {
  date: string;
  week: number;
  kind: PlannedDay['kind'];
  status: DayStatus;
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
        ? { date: d.date, week: d.week, kind: d.kind, status: 'not_planned', reason: 'uitgestroomd' }
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
                status: d.reason === 'pauze' ? 'paused' : 'not_planned',
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
