// Dates and statuses in Dutch words, for everything a person reads: mails, pages, refusals. Written by hand
// rather than with Intl: the date is already a calendar date in Europe/Amsterdam, and a Node built with small
// ICU would quietly fall back to English.
import type { EventType } from './changes';
import type { AbsenceReason, DayOff, DayStatus, TrajectoryStatus } from './statuses';

const WEEKDAYS = ['zondag', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag'];
const MONTHS = [
  'januari',
  'februari',
  'maart',
  'april',
  'mei',
  'juni',
  'juli',
  'augustus',
  'september',
  'oktober',
  'november',
  'december',
];

const SHORT_MONTHS = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];

/** 'YYYY-MM-DD' as its parts; a RangeError for anything that is not a calendar date (a bug upstream). */
export function isoDateParts(isoDate: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [NaN, NaN, NaN];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (!match || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(isoDate)}`);
  }
  return { year, month, day };
}

const weekdayOf = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day)).getUTCDay();

/** "dinsdag 14 april" (with the year when it differs from `currentYear`). */
export function dutchDate(isoDate: string, currentYear?: number): string {
  const { year, month, day } = isoDateParts(isoDate);
  const text = `${WEEKDAYS[weekdayOf(year, month, day)]} ${day} ${MONTHS[month - 1]}`;
  return currentYear === undefined || currentYear === year ? text : `${text} ${year}`;
}

/** "14 april 2027": a date in a sentence. */
export function dutchDay(isoDate: string): string {
  const { year, month, day } = isoDateParts(isoDate);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** "dinsdag 14 apr": a column heading. */
export function dutchShortDate(isoDate: string): string {
  const { year, month, day } = isoDateParts(isoDate);
  return `${WEEKDAYS[weekdayOf(year, month, day)]} ${day} ${SHORT_MONTHS[month - 1]}`;
}

/** A trajectory status in Dutch, as a sentence says it ("het traject is gepauzeerd"). */
export const STATUS_NL: Record<TrajectoryStatus, string> = {
  planned: 'nog niet begonnen',
  active: 'lopend',
  paused: 'gepauzeerd',
  dropped_out: 'uitgestroomd',
  awaiting_bbl: 'wacht op het BBL-besluit',
  ended: 'afgerond',
};

/** A day of the schedule in one word; a day off adds its name ("vrij (Koningsdag)"). */
export const DAY_STATUS_NL: Record<DayStatus, string> = {
  planned: 'gepland',
  attended: 'aanwezig',
  absent: 'afwezig',
  not_planned: 'vrij',
  paused: 'pauze',
  sick_leave: 'ziekgemeld',
};

/**
 * The name a day off carries when it has none of its own (a holiday and a closure have theirs). Shown only: the kind
 * of day off is PlannedDay.off, so a closure that happens to be called "pauze" stays a closure.
 */
export const DAY_OFF_NL = {
  paused: 'pauze',
  sick_leave: 'ziekgemeld',
  dropped_out: 'uitgestroomd',
} as const satisfies Partial<Record<DayOff, string>>;

export const ABSENCE_NL: Record<AbsenceReason, string> = {
  sick: 'ziek',
  leave: 'verlof',
  unexcused: 'ongeoorloofd',
  other: 'andere reden',
};

/** An event of a trajectory's history, as its page lists it; a new event type does not compile without one. */
export const EVENT_NL: Record<EventType, string> = {
  started: 'Gestart',
  attendance_recorded: 'Aanwezigheid geregistreerd',
  attendance_corrected: 'Aanwezigheid gecorrigeerd',
  checkpoint_recorded: 'Gesprek vastgelegd',
  bbl_confirmed: 'BBL-besluit bevestigd',
  closures_applied: 'Sluitingen van het ROC verwerkt',
  awaiting_bbl: 'Wacht op het BBL-besluit',
  ended: 'Afgerond',
  paused: 'Gepauzeerd',
  resumed: 'Hervat',
  extended: 'Verlengd',
  employer_changed: 'Andere werkgever',
  dropped_out: 'Uitgestroomd',
  dropout_reverted: 'Uitstroom teruggedraaid',
  sick_leave_started: 'Ziekgemeld',
  recovered: 'Hersteld gemeld',
};
