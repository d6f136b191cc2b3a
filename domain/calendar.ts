// The programme calendar: pure functions from (template, start date, weekdays, holidays, closures) to the
// dated plan. No I/O and no clock, so the workflow and the API compute the same plan from the same input.
// Dates are 'YYYY-MM-DD' strings in Europe/Amsterdam; day arithmetic runs on UTC noon-free date maths,
// so summer-time changes cannot shift a day.

import { Type, type Static } from 'typebox';
import type { CheckpointTemplate } from './programme';
import { DayKind, IsoDate, WEEKDAYS, type Weekday } from './primitives';
import type { Closure } from './recording';
import { DayOff } from './statuses';

export { WEEKDAYS, type DayKind, type Weekday };
export type { Closure, CheckpointTemplate };

export const TIME_ZONE = 'Europe/Amsterdam';
export interface Holiday {
  date: string;
  name: string;
}

export interface CalendarInput {
  weeks: number;
  checkpoints: CheckpointTemplate[];
  startDate: string;
  placementWeekdays: Weekday[];
  schoolWeekday: Weekday;
  holidays: Holiday[];
  closures: Closure[];
}

/** A day of the plan. Not planned (no attendance expected, no reminder): `off` says why, `reason` names it. */
export const PlannedDay = Type.Object({
  date: IsoDate,
  week: Type.Integer(),
  kind: DayKind,
  planned: Type.Boolean(),
  off: Type.Optional(DayOff),
  reason: Type.Optional(
    Type.String({
      description:
        "The day off's name, to show: the holiday or closure (as the ROC named it), or pauze, ziekgemeld, " +
        'uitgestroomd; `off` is what it is',
    }),
  ),
});
export type PlannedDay = Static<typeof PlannedDay>;

export interface PlannedCheckpoint extends CheckpointTemplate {
  weekStart: string;
  weekEnd: string;
}

export interface Plan {
  startDate: string;
  endDate: string;
  days: PlannedDay[];
  checkpoints: PlannedCheckpoint[];
}

const DAY_MS = 86_400_000;

function toUtcMs(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!);
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** The same day of the month `months` later; the month's last day when it is shorter (31 Aug + 6 = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = Date.UTC(y!, m! - 1 + months, 1);
  const last = new Date(
    Date.UTC(new Date(target).getUTCFullYear(), new Date(target).getUTCMonth() + 1, 0),
  ).getUTCDate();
  return fromUtcMs(target + (Math.min(d!, last) - 1) * DAY_MS);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: string): number {
  const d = new Date(toUtcMs(date)).getUTCDay();
  return d === 0 ? 7 : d;
}

export function isValidDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && fromUtcMs(toUtcMs(date)) === date;
}

export function isMonday(date: string): boolean {
  return isoWeekday(date) === 1;
}

/** The week of the trajectory a date falls in (1-based); 0 before the start. */
export function weekOf(startDate: string, date: string): number {
  const d = daysBetween(startDate, date);
  return d < 0 ? 0 : Math.floor(d / 7) + 1;
}

export function planTrajectory(input: CalendarInput): Plan {
  const holidays = new Map(input.holidays.map((h) => [h.date, h.name]));
  const closureOn = (date: string) => input.closures.find((c) => c.from <= date && date <= c.to);
  const days: PlannedDay[] = [];
  for (let week = 1; week <= input.weeks; week++) {
    const monday = addDays(input.startDate, (week - 1) * 7);
    WEEKDAYS.forEach((weekday, i) => {
      const date = addDays(monday, i);
      const kind: DayKind | undefined =
        weekday === input.schoolWeekday
          ? 'school'
          : input.placementWeekdays.includes(weekday)
            ? 'placement'
            : undefined;
      if (!kind) return;
      const holiday = holidays.get(date);
      const closure = kind === 'school' ? closureOn(date) : undefined;
      if (holiday !== undefined) days.push({ date, week, kind, planned: false, off: 'holiday', reason: holiday });
      else if (closure) days.push({ date, week, kind, planned: false, off: 'closure', reason: closure.name });
      else days.push({ date, week, kind, planned: true });
    });
  }
  const checkpoints = input.checkpoints
    .filter((c) => c.week <= input.weeks)
    .map((c) => ({
      ...c,
      weekStart: addDays(input.startDate, (c.week - 1) * 7),
      weekEnd: addDays(input.startDate, (c.week - 1) * 7 + 4),
    }));
  return {
    startDate: input.startDate,
    endDate: addDays(input.startDate, (input.weeks - 1) * 7 + 4),
    days,
    checkpoints,
  };
}

// --- wall-clock conversions (Europe/Amsterdam) ----------------------------------------------------
// Intl is available and deterministic inside the workflow sandbox: same instant in, same answer out.

const partsFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function localParts(ms: number) {
  const p = Object.fromEntries(partsFormat.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

/** The Amsterdam calendar date of an instant. */
export function localDate(ms: number): string {
  return localParts(ms).date;
}

/** The instant at which a local Amsterdam wall-clock time occurs on a date (e.g. 00:00 or 10:00). */
export function localInstant(date: string, hour = 0, minute = 0): number {
  const guess = toUtcMs(date) + (hour * 60 + minute) * 60_000;
  // Amsterdam is UTC+1 or UTC+2: correct the guess by the offset observed at it, twice to settle at DST edges.
  let ms = guess;
  for (let i = 0; i < 2; i++) {
    const p = localParts(ms);
    const seenAsUtc = toUtcMs(p.date) + ((p.hour * 60 + p.minute) * 60 + p.second) * 1000;
    ms += guess - seenAsUtc;
  }
  return ms;
}

/** Monday to Friday and not a public holiday. */
export function isWorkingDay(date: string, holidays: ReadonlySet<string>): boolean {
  return isoWeekday(date) <= 5 && !holidays.has(date);
}

/** The week's first working day: Monday, or Tuesday after Tweede Paasdag or Tweede Pinksterdag. */
export function isWeekStart(date: string, holidays: ReadonlySet<string>): boolean {
  let d = addDays(date, 1 - isoWeekday(date));
  while (!isWorkingDay(d, holidays) && isoWeekday(d) < 5) d = addDays(d, 1);
  return d === date;
}

/** The first working day on or after `date`. */
export function firstWorkingDay(date: string, holidays: ReadonlySet<string>): string {
  let d = date;
  while (!isWorkingDay(d, holidays)) d = addDays(d, 1);
  return d;
}

/** The first working day after `date`. */
export function nextWorkingDay(date: string, holidays: ReadonlySet<string>): string {
  let d = addDays(date, 1);
  while (!isWorkingDay(d, holidays)) d = addDays(d, 1);
  return d;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: string, to: string, holidays: ReadonlySet<string>): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, holidays)) n++;
  return n;
}

/**
 * When mail may go out: not on Sundays or public holidays, and only between 07:00 and 20:00 in Amsterdam.
 * Returns `now` when that is allowed, else 07:00 on the next day that is.
 */
export function nextMailMoment(now: number, holidays: ReadonlySet<string>): number {
  const today = localDate(now);
  const allowed = (d: string) => isoWeekday(d) !== 7 && !holidays.has(d);
  if (allowed(today) && now >= localInstant(today, 7) && now < localInstant(today, 20)) return now;
  let d = now < localInstant(today, 7) ? today : addDays(today, 1);
  while (!allowed(d)) d = addDays(d, 1);
  return localInstant(d, 7);
}
