// A round's dates before it starts, from the information session to the earliest cohort start: the draaiboek run
// forward on the calendar by the rules the candidate's process keeps (a step's deadline is counted in days from the
// outcome of the step before, dueOf in domain/recruitment.ts), with every step done at the latest. A deadline on a
// Saturday, Sunday or public holiday means the step must be done on the working day before it, and the next step
// counts from there. The cohort starts on a Monday after the match; a Monday that is a public holiday (Tweede
// Paasdag, Tweede Pinksterdag) is no first day, so the Monday after it. Pure: the holidays come in as data.
import { addDays, daysBetween, isoWeekday, isWorkingDay, type Holiday } from './calendar';
import { dueOf, STEP_NL, type Draaiboek } from './recruitment';

export interface PreviewStep {
  step: string;
  name: string;
  /** The step counts from here: for the first, the earliest day a candidate can enter and still be on time. */
  from: string;
  /** The deadline as the process counts it (from + withinDays). */
  deadline: string;
  /** The last working day on or before the deadline: the step done at the latest. */
  latest: string;
  /** Public holidays on weekdays from `from` to `deadline`, which are no working days. */
  holidays: Holiday[];
}

export interface RoundPreview {
  informationSession: string;
  steps: PreviewStep[];
  /** The Monday after the match at the latest that is a working day. */
  cohortStart: string;
  /** Calendar days from the information session to the cohort start. */
  days: number;
}

export type PreviewRefusal = { kind: 'not_working_day'; date: string; holiday?: string };

export function previewRefusalInWords(r: PreviewRefusal): { en: string; nl: string } {
  return r.holiday
    ? { en: `${r.date} is a public holiday (${r.holiday})`, nl: `${r.date} is een feestdag (${r.holiday}).` }
    : { en: `${r.date} falls in a weekend`, nl: `${r.date} valt in een weekend.` };
}

const lastWorkingDayUpTo = (date: string, off: ReadonlySet<string>) => {
  let d = date;
  while (!isWorkingDay(d, off)) d = addDays(d, -1);
  return d;
};

/**
 * The dates of a round whose information session (the first step's outcome) is on `informationSession`, with the
 * public holidays of the period (activities/holidays.ts dutchHolidays). The session itself must be a working day.
 */
export function previewRound(
  d: Draaiboek,
  informationSession: string,
  holidays: readonly Holiday[],
): { preview: RoundPreview } | { refusal: PreviewRefusal } {
  const off = new Set(holidays.map((h) => h.date));
  if (!isWorkingDay(informationSession, off))
    return {
      refusal: {
        kind: 'not_working_day',
        date: informationSession,
        holiday: holidays.find((h) => h.date === informationSession)?.name,
      },
    };
  const within = (from: string, to: string) =>
    holidays.filter((h) => h.date >= from && h.date <= to && isoWeekday(h.date) <= 5);
  const steps: PreviewStep[] = [];
  d.steps.forEach((s, i) => {
    const name = s.name || STEP_NL[s.kind];
    if (i === 0) {
      // The first step ends at the session: a candidate who enters before `from` is past its deadline by then.
      const from = addDays(informationSession, -s.withinDays);
      steps.push({ step: s.key, name, from, deadline: informationSession, latest: informationSession, holidays: [] });
      return;
    }
    const from = steps[i - 1]!.latest;
    const deadline = dueOf(s, from);
    steps.push({
      step: s.key,
      name,
      from,
      deadline,
      latest: lastWorkingDayUpTo(deadline, off),
      holidays: within(from, deadline),
    });
  });
  let start = addDays(steps.at(-1)!.latest, 1);
  while (isoWeekday(start) !== 1 || off.has(start)) start = addDays(start, 1);
  return {
    preview: {
      informationSession,
      steps,
      cohortStart: start,
      days: daysBetween(informationSession, start),
    },
  };
}
