// A deadline as the rules compute it from a subject's facts, and the days it is reached on: the first working day
// from its date, and for a task tracked "until confirmed" each week's first working day after that. The timers
// that wait for these days live in workflows/deadlines.ts; the kinds (which facts, which rule) in
// activities/deadlines.ts.
import { addDays, firstWorkingDay, isWeekStart } from './calendar';
import type { ContactRole } from './roles';

/** A subject's deadlines are computed again at least this often without a signal, while a kind has facts. */
export const RECHECK_DAYS = 7;

export interface DeadlineRecipient {
  organisationId: string;
  role: ContactRole;
}

export interface Deadline {
  kind: string;
  /** The day it falls due; it is reached on the first working day from it. */
  from: string;
  /** Reached again on each week's first working day after, until the facts say it is done (or `until`). */
  weekly: boolean;
  /** The last day a weekly deadline is reached again (the POK's due item stops at the deadline, late takes over). */
  until?: string;
  /** Later days it is reached once more (on the first working day from each): the subsidy's second reminder. */
  again?: string[];
  /** Whose contacts the morning mail tells: organisations' contacts in a role (the escalation adds the office). */
  to: DeadlineRecipient[];
  /** What the mail says of it (dates, names of instruments); never personal data. */
  data: Record<string, unknown>;
}

/**
 * What one kind's rule says of a subject now: a deadline; `waiting`, nothing due yet but facts to come may bring one
 * (an instrument set later, a BBL contract still to be confirmed); or `done`, nothing of this kind can come anymore.
 */
export type DeadlineRule = Deadline | 'waiting' | 'done';

export const isDeadline = (r: DeadlineRule): r is Deadline => typeof r === 'object';

/** Whether the deadline is reached on `day`. */
export function reachedOn(d: Deadline, day: string, holidays: ReadonlySet<string>): boolean {
  const first = firstWorkingDay(d.from, holidays);
  if (day === first || (d.again ?? []).some((a) => firstWorkingDay(a, holidays) === day)) return true;
  return d.weekly && day > first && (d.until === undefined || day <= d.until) && isWeekStart(day, holidays);
}

/**
 * The next day the deadline is reached after `after` (the last day a timer fired for this subject): a day already
 * past when the timer could not fire on it (a new workflow, a worker that was down) is reached at once, but only
 * the latest of them and only within the last week, so an outage does not bring a stack of stale reminders.
 */
export function nextReached(
  d: Deadline,
  after: string,
  today: string,
  holidays: ReadonlySet<string>,
): string | undefined {
  const first = firstWorkingDay(d.from, holidays);
  if (first > after) return first;
  if (!d.weekly) return (d.again ?? []).map((a) => firstWorkingDay(a, holidays)).find((a) => a > after);
  const missedFrom = [addDays(after, 1), addDays(today, -6)].reduce((a, b) => (a > b ? a : b));
  for (let day = today; day >= missedFrom; day = addDays(day, -1)) if (reachedOn(d, day, holidays)) return day;
  for (let day = addDays(today > after ? today : after, 1), i = 0; i < 14; day = addDays(day, 1), i++)
    if (reachedOn(d, day, holidays)) return day;
  return undefined;
}
