// The funders' figures in Dutch words (docs/outcomes.md defines each figure): what the outcomes page, its
// downloads and the API's CSV for Dutch Excel call them. The counts themselves come from api/services/outcomes.ts.
import type { CheckpointStatus } from './statuses';
import type { DropoutReason, OutcomeKind } from './outcomes';

/** What a suppressed count reads as: 1 to 4 people, or the count hidden beside one so that it cannot be worked out. */
export const SUPPRESSED_NL = '< 5';

/** Where a participant stands: still under way (by status), or the outcome. */
export const STANDING_NL: Record<'planned' | 'active' | 'paused' | 'awaiting_bbl' | OutcomeKind, string> = {
  planned: 'Nog niet begonnen',
  active: 'Lopend',
  paused: 'Gepauzeerd',
  awaiting_bbl: 'Wacht op het BBL-besluit',
  bbl_doorstroom: 'Doorgestroomd naar BBL',
  job_without_bbl: 'Baan zonder BBL',
  no_doorstroom: 'Geen doorstroom',
  dropout: 'Uitgevallen',
};

export const DROPOUT_REASON_NL: Record<DropoutReason, string> = {
  health: 'Gezondheid',
  motivation: 'Motivatie',
  personal_circumstances: 'Persoonlijke omstandigheden',
  found_other_work: 'Ander werk gevonden',
  not_suitable: 'Past niet bij de deelnemer',
  moved: 'Verhuisd',
  other: 'Andere reden',
};

export const CHECKPOINT_STATUS_NL: Record<CheckpointStatus, string> = {
  on_track: 'Op koers',
  concerns: 'Zorgen',
  at_risk: 'In gevaar',
};

/** A follow-up answer: yes, no, the answer window closed without one, or still open. */
export const ANSWER_NL: Record<'yes' | 'no' | 'noAnswer' | 'open', string> = {
  yes: 'Ja',
  no: 'Nee',
  noAnswer: 'Geen antwoord',
  open: 'Nog open',
};

/** A word from one of the tables above, or the key itself when a newer version sent one this does not know. */
export const wordFor = (table: Record<string, string>, key: string) => table[key] ?? key;
