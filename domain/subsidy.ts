// The employer's praktijkleren subsidy (Subsidieregeling praktijkleren, OCW/RVO): per school year (1 August to
// 31 July) the weeks of real supervision a student had at the leerbedrijf count, at most 40 a year, and the employer
// applies after the school year, historically by 16 September; it keeps the evidence 5 years. The application date
// is set by the regulation each year: a year whose date differs is a row of APPLICATION_DEADLINES.
import { addDays, firstWorkingDay, isoWeekday } from './calendar';
import type { DeadlineRule } from './deadlines';

/** At most this many weeks of a student count in a school year (the regulation's maximum). */
export const MAX_SUBSIDY_WEEKS = 40;
/** How long the employer keeps the file (the regulation's retention of the evidence). */
export const SUBSIDY_RETENTION_YEARS = 5;
/** Reminders this many days before the application deadline (each on its first working morning). */
export const SUBSIDY_REMINDER_DAYS_BEFORE = [28, 7] as const;

/** School year `2025-2026`: 1 August 2025 to 31 July 2026. */
export interface SchoolYear {
  label: string;
  from: string;
  to: string;
}

/**
 * The deadline per school year where the regulation set another date than 16 September after it (RVO publishes it
 * each year). Empty: every year takes the historical date.
 */
export const APPLICATION_DEADLINES: Readonly<Record<string, string>> = {};

export function schoolYear(label: string): SchoolYear | undefined {
  const m = /^(\d{4})-(\d{4})$/.exec(label);
  if (!m || Number(m[2]) !== Number(m[1]) + 1) return undefined;
  return { label, from: `${m[1]}-08-01`, to: `${m[2]}-07-31` };
}

/** The school year a date falls in. */
export function schoolYearOf(date: string): SchoolYear {
  const year = Number(date.slice(0, 4));
  const start = date.slice(5) >= '08-01' ? year : year - 1;
  return schoolYear(`${start}-${start + 1}`)!;
}

/** The last day to apply for a school year: its own date if the regulation set one, else 16 September after it. */
export function applicationDeadline(
  year: SchoolYear,
  deadlines: Readonly<Record<string, string>> = APPLICATION_DEADLINES,
): string {
  return deadlines[year.label] ?? `${year.to.slice(0, 4)}-09-16`;
}

/** Monday of the ISO week a date lies in. */
export const mondayOf = (date: string) => addDays(date, 1 - isoWeekday(date));

/**
 * The supervised weeks of one student at one employer in a school year: a week counts when the employer recorded
 * the student present on a placement day of it (its weekly confirmation); at most MAX_SUBSIDY_WEEKS count.
 * `days` are the student's placement days at this employer, as recorded.
 */
export function supervisedWeeks(
  days: readonly { date: string; present: boolean }[],
  year: SchoolYear,
): { weeks: { monday: string; daysPresent: number }[]; recorded: number; counted: number } {
  const perWeek = new Map<string, number>();
  for (const d of days)
    if (d.present && d.date >= year.from && d.date <= year.to) {
      const monday = mondayOf(d.date);
      perWeek.set(monday, (perWeek.get(monday) ?? 0) + 1);
    }
  const weeks = [...perWeek.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([monday, n]) => ({ monday, daysPresent: n }));
  return { weeks, recorded: weeks.length, counted: Math.min(weeks.length, MAX_SUBSIDY_WEEKS) };
}

/** The school year whose application deadline comes next from `date` (the one that ended, until its deadline). */
export function subsidyYearDue(
  date: string,
  deadlines: Readonly<Record<string, string>> = APPLICATION_DEADLINES,
): { schoolYear: SchoolYear; deadline: string } {
  const current = schoolYearOf(date);
  const ended = schoolYearOf(addDays(current.from, -1));
  const endedDeadline = applicationDeadline(ended, deadlines);
  if (date <= endedDeadline) return { schoolYear: ended, deadline: endedDeadline };
  return { schoolYear: current, deadline: applicationDeadline(current, deadlines) };
}

/** What a participant's subsidy reminders are computed from, on a day (subsidyYearDue of it). */
export interface SubsidyDeadlineFacts {
  schoolYear: SchoolYear;
  deadline: string;
  /** The participant's supervised weeks in that school year, per employer. */
  weeks: { employerId: string; weeks: number }[];
  /** Supervised weeks can still come: the trajectory runs, or has placement days after that school year. */
  more: boolean;
}

/**
 * The employers' reminders before the application deadline: on the first working morning from each
 * SUBSIDY_REMINDER_DAYS_BEFORE day before it, to each employer the participant had supervised weeks with in the
 * school year. The deadline's data carries every employer's weeks; each employer's mail shows its own.
 */
export function subsidyDeadline(f: SubsidyDeadlineFacts): DeadlineRule {
  if (f.weeks.length === 0) return f.more ? 'waiting' : 'done';
  const [first, ...again] = SUBSIDY_REMINDER_DAYS_BEFORE.map((d) => addDays(f.deadline, -d));
  return {
    kind: 'subsidy_deadline',
    from: first!,
    again,
    weekly: false,
    to: f.weeks.map((w) => ({ organisationId: w.employerId, role: 'workplace_trainer' as const })),
    data: {
      schoolYear: f.schoolYear.label,
      deadline: f.deadline,
      weeks: Object.fromEntries(f.weeks.map((w) => [w.employerId, w.weeks])),
    },
  };
}

/** A reminder due to employers: which school year, its deadline, and how many days before it the reminder falls. */
export interface SubsidyReminder {
  schoolYear: SchoolYear;
  deadline: string;
  daysBefore: number;
}

/**
 * Which subsidy reminder falls on `date`, if any: the days subsidyDeadline's timer is reached on (the first working
 * morning from each SUBSIDY_REMINDER_DAYS_BEFORE day before the deadline), told for one date.
 */
export function subsidyReminderDue(
  date: string,
  holidays: ReadonlySet<string>,
  deadlines: Readonly<Record<string, string>> = APPLICATION_DEADLINES,
): SubsidyReminder | undefined {
  const { schoolYear, deadline } = subsidyYearDue(date, deadlines);
  const daysBefore = SUBSIDY_REMINDER_DAYS_BEFORE.find(
    (d) => firstWorkingDay(addDays(deadline, -d), holidays) === date,
  );
  return daysBefore === undefined ? undefined : { schoolYear, deadline, daysBefore };
}
