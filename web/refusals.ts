// The workflow's refusals (domain/state.ts) in Dutch, for the pages where a jobcoach records a change or a
// checkpoint: the workflow says why in English with the dates and statuses in it; each known sentence is matched
// and said again in Dutch with the same figures. A sentence not in this table gets a general Dutch message.
import type { TrajectoryStatus } from '../domain/statuses';

/** A trajectory status in Dutch, as a refusal says it ("het traject is gepauzeerd"). */
export const STATUS_NL: Record<TrajectoryStatus, string> = {
  planned: 'nog niet begonnen',
  active: 'lopend',
  paused: 'gepauzeerd',
  dropped_out: 'uitgestroomd',
  awaiting_bbl: 'wacht op het BBL-besluit',
  ended: 'afgerond',
};

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

/** 2026-11-30 as "30 november 2026". */
export function dutchDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return y && m && d ? `${d} ${MONTHS[m - 1]} ${y}` : date;
}

/** The statuses in the workflow's words (statusInWords: "dropped out"), back to the status. */
const statusNl = (words: string) => {
  const status = words.replace(' ', '_') as TrajectoryStatus;
  return STATUS_NL[status] ?? words;
};

const REFUSALS: [RegExp, (...m: string[]) => string][] = [
  // pause
  [
    /^only an active trajectory can be paused \(it is (.+)\)$/,
    (s) => `Alleen een lopend traject kan worden gepauzeerd; dit traject is ${statusNl(s!)}.`,
  ],
  [
    /^must not be before the start or an earlier pause$/,
    () => 'De pauze kan niet ingaan vóór de start van het traject of vóór het einde van een eerdere pauze.',
  ],
  [/^may be at most 31 days ahead$/, () => 'Een pauze kan hoogstens 31 dagen vooruit worden vastgelegd.'],
  [
    /^the participant is on sick leave; record the recovery first$/,
    () => 'De deelnemer is ziekgemeld; meld eerst het herstel.',
  ],
  // resume
  [/^the trajectory is not paused$/, () => 'Het traject is niet gepauzeerd.'],
  [
    /^must be after the pause began \((\d{4}-\d{2}-\d{2})\)$/,
    (d) => `De eerste dag terug moet na het begin van de pauze liggen (${dutchDate(d!)}).`,
  ],
  // sick leave
  [
    /^sick leave is recorded on an active trajectory \(it is (.+)\)$/,
    (s) => `Een ziekmelding kan alleen bij een lopend traject; dit traject is ${statusNl(s!)}.`,
  ],
  [
    /^the participant is on sick leave since (\d{4}-\d{2}-\d{2})$/,
    (d) => `De deelnemer is al ziekgemeld sinds ${dutchDate(d!)}.`,
  ],
  [
    /^must not be before (\d{4}-\d{2}-\d{2}) \(the start, or an earlier interruption's end\)$/,
    (d) =>
      `De eerste ziektedag kan niet vóór ${dutchDate(d!)} liggen (de start, of het einde van een eerdere pauze ` +
      'of ziekmelding).',
  ],
  [
    /^a sick leave is recorded from today or a day before, not ahead$/,
    () => 'Een ziekmelding gaat in op vandaag of een eerdere dag, niet op een dag die nog moet komen.',
  ],
  [/^may be at most 31 days back$/, () => 'De eerste ziektedag kan hoogstens 31 dagen terug liggen.'],
  // recovery
  [/^the participant is not on sick leave$/, () => 'De deelnemer is niet ziekgemeld.'],
  [
    /^must be after the sick leave began \((\d{4}-\d{2}-\d{2})\)$/,
    (d) => `De eerste dag terug moet na de eerste ziektedag liggen (${dutchDate(d!)}).`,
  ],
  // checkpoint
  [/^no checkpoint (.+) in this programme$/, () => 'Dit programma heeft dit gesprek niet.'],
  [/^the trajectory is (.+)$/, (s) => `Het traject is ${statusNl(s!)}; er kan niets meer worden vastgelegd.`],
  [
    /^checkpoint (.+) is planned from (\d{4}-\d{2}-\d{2})$/,
    (_k, d) => `Dit gesprek kan worden vastgelegd vanaf ${dutchDate(d!)}.`,
  ],
];

/** What is said when the workflow refuses for a reason this table does not know. */
export const GENERAL_REFUSAL = 'Dit kon niet worden vastgelegd. Controleer wat u invulde en probeer het opnieuw.';

/** A refusal's message in Dutch. */
export function refusalInDutch(message: string): string {
  for (const [pattern, say] of REFUSALS) {
    const m = pattern.exec(message);
    if (m) return say(...m.slice(1));
  }
  return GENERAL_REFUSAL;
}

/**
 * What a refused recording says on the page: the field the workflow named (or none: the form as a whole) and the
 * reason in Dutch. A finished trajectory (409) and a form sent again with other values (its key reused) have
 * their own words.
 */
export function refusalOf(e: { status: number; type: string; errors?: { field: string; message: string }[] }): {
  field?: string;
  text: string;
} {
  if (e.status === 409) return { text: 'Dit traject is afgerond; er kan niets meer worden vastgelegd.' };
  if (e.type === 'idempotency-key-reused')
    return { text: 'Dit formulier is al eens verstuurd. Laad de pagina opnieuw en vul het nog eens in.' };
  const problem = e.errors?.[0];
  return problem ? { field: problem.field, text: refusalInDutch(problem.message) } : { text: GENERAL_REFUSAL };
}
