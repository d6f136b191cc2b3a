// A legal hold: a record (a trajectory or a candidate) kept from anonymisation, by retention or on request, while a
// legal obligation needs it (the praktijkleren subsidy's and ESF+'s retention of evidence, a dispute), with its
// reason and end date. From the day after the end date (or once lifted) the normal retention applies again.
import { Type } from 'typebox';
import { dutchDay } from './dutch';

/** What a hold keeps: a trajectory or a candidate. */
export const HOLD_SUBJECTS = ['trajectory', 'candidate'] as const;
export type HoldSubject = (typeof HOLD_SUBJECTS)[number];
export const HoldSubject = Type.Union([Type.Literal('trajectory'), Type.Literal('candidate')]);

export interface HoldFacts {
  reason: string;
  until: string;
  liftedOn: string | null;
}

/** Whether the hold keeps the record on `today`: not lifted, and its end date not passed. */
export const holdActive = (h: HoldFacts, today: string) => h.liftedOn === null && h.until >= today;

/** The hold in force on `today` (the one lasting longest, when several are), or undefined. */
export function holdInForce<H extends HoldFacts>(holds: readonly H[], today: string): H | undefined {
  return holds.filter((h) => holdActive(h, today)).sort((a, b) => (a.until < b.until ? 1 : -1))[0];
}

/** Why an erasure request is refused while the hold lasts, naming its reason and end date. */
export function erasureRefusal(h: HoldFacts, what: HoldSubject): { en: string; nl: string } {
  const nl = what === 'trajectory' ? 'Dit traject' : 'Deze kandidaat';
  const en = what === 'trajectory' ? 'This trajectory' : 'This candidate';
  return {
    en: `${en} is under a legal hold until ${h.until} (${h.reason}); it cannot be erased before then`,
    nl:
      `${nl} valt onder een bewaarplicht (legal hold) tot en met ${dutchDay(h.until)}: ${h.reason}. ` +
      'De gegevens kunnen tot dan niet worden gewist.',
  };
}

/** A hold must end after today: a hold that ended already keeps nothing. */
export function holdEndProblem(until: string, today: string): { field: string; en: string; nl: string } | undefined {
  return until > today
    ? undefined
    : { field: 'until', en: `must lie after today (${today})`, nl: `moet na vandaag (${dutchDay(today)}) liggen` };
}
