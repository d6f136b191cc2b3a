// A task is one piece of work a mail asks of a person, named so a task link can carry it and a page can say
// which task it is. Every task named here has a page (`taskPath`); a digest item that is no task links to the page
// it concerns or to sign-in (activities/mail-texts.ts), never to the API.
export const taskOf = {
  /** An employer's or ROC's attendance of one week (its Monday). */
  week: (organisationId: string, weekStart: string) => `week:${organisationId}:${weekStart}`,
  /** The jobcoach's checkpoint review of a trajectory. */
  checkpoint: (trajectoryId: string, key: string) => `checkpoint:${trajectoryId}:${key}`,
  /** An employer's BBL contract or an ROC's BBL enrolment for a trajectory. */
  bbl: (trajectoryId: string, organisationId: string) => `bbl:${trajectoryId}:${organisationId}`,
  /** An employer's or ROC's answer to a follow-up question (3, 6 or 12 months after doorstroom). */
  followUp: (trajectoryId: string, months: number) => `follow-up:${trajectoryId}:${months}`,
  /** An ROC's (or, once late, the coordinator's) praktijkovereenkomst steps for a trajectory. */
  pok: (trajectoryId: string, organisationId: string) => `pok:${trajectoryId}:${organisationId}`,
  /** An employer's praktijkleren subsidy file of one school year (`2025-2026`), to apply with. */
  subsidy: (employerId: string, schoolYear: string) => `subsidy:${employerId}:${schoolYear}`,
  /** A benefit payer's (gemeente's or UWV's) work on a participant's instrument: an extension, the BBL adjustment. */
  benefit: (trajectoryId: string, payerId: string) => `benefit:${trajectoryId}:${payerId}`,
};

const PAGES: Record<string, ((parts: string[]) => string) | undefined> = {
  week: ([org, monday]) => `/organisaties/${encodeURIComponent(org!)}/weken/${encodeURIComponent(monday!)}`,
  checkpoint: ([trajectory, key]) =>
    `/trajecten/${encodeURIComponent(trajectory!)}/checkpoints/${encodeURIComponent(key!)}`,
  bbl: ([trajectory]) => `/trajecten/${encodeURIComponent(trajectory!)}/bbl`,
  'follow-up': ([trajectory, months]) =>
    `/trajecten/${encodeURIComponent(trajectory!)}/nazorg/${encodeURIComponent(months!)}`,
  pok: ([trajectory]) => `/trajecten/${encodeURIComponent(trajectory!)}/praktijkovereenkomst`,
  subsidy: ([employer, year]) =>
    `/organisaties/${encodeURIComponent(employer!)}/subsidie?schooljaar=${encodeURIComponent(year!)}`,
  benefit: ([trajectory]) => `/trajecten/${encodeURIComponent(trajectory!)}/uitkering`,
};

/** The page that does a task; undefined for a task without a page (yet). */
export function taskPath(task: string): string | undefined {
  const [kind, ...rest] = task.split(':');
  const page = PAGES[kind ?? ''];
  return page && rest.length === 2 && rest.every(Boolean) ? page(rest) : undefined;
}
