// Before the cohort: the draaiboek for recruiting and selecting participants (seed 004: what turned WelSlagen's
// dropout around), as data a region can change, and the path of one candidate through it as a pure state
// machine, so the durable process, the API and the pages all apply the same rules. A step has a deadline counted
// from the moment the candidate reached it; a candidate who leaves gets a reason from a fixed list.
import { Type, type Static } from 'typebox';
import { addDays } from './calendar';
import { Id, IsoDate, Text } from './primitives';

/** The kinds of step the draaiboek knows; each has its own outcomes. */
export const STEP_KINDS = ['voorlichting', 'groepsintake', 'meeloopdag', 'vog', 'selectie', 'match'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** What a step can come to, per kind: the first outcome of each list lets the candidate go on. */
export const STEP_OUTCOMES = {
  voorlichting: ['attended', 'absent'],
  groepsintake: ['passed', 'not_passed'],
  meeloopdag: ['positive', 'negative'],
  vog: ['received', 'refused'],
  selectie: ['selected', 'rejected'],
  match: ['matched', 'no_match'],
} as const satisfies Record<StepKind, readonly [string, string]>;
export type StepOutcome<K extends StepKind = StepKind> = (typeof STEP_OUTCOMES)[K][number];

export const STEP_NL: Record<StepKind, string> = {
  voorlichting: 'Voorlichting',
  groepsintake: 'Groepsintake',
  meeloopdag: 'Meeloopdag',
  vog: 'VOG',
  selectie: 'Selectiebesluit',
  match: 'Match met een werkplek',
};

/** Why a candidate leaves the round: a fixed list, so the funnel can count reasons. */
export const LEAVE_REASONS = {
  no_interest: 'Geen interesse meer',
  no_show: 'Niet verschenen',
  not_suitable: 'Niet geschikt bevonden',
  vog_refused: 'VOG geweigerd',
  found_work: 'Ander werk gevonden',
  health: 'Gezondheid',
  moved: 'Verhuisd',
  other: 'Anders',
} as const;
export type LeaveReason = keyof typeof LEAVE_REASONS;

/** The reason a step's stopping outcome implies: a candidate who did not come, or whose VOG was refused. */
const LEAVES_WITH: Record<StepKind, LeaveReason> = {
  voorlichting: 'no_show',
  groepsintake: 'not_suitable',
  meeloopdag: 'not_suitable',
  vog: 'vog_refused',
  selectie: 'not_suitable',
  match: 'other',
};

export const RecruitmentStep = Type.Object(
  {
    key: Id,
    kind: Type.Enum(STEP_KINDS),
    name: Text(),
    withinDays: Type.Integer({
      minimum: 1,
      maximum: 120,
      description: 'Days the step may take from the moment the candidate reaches it (for a VOG: its lead time)',
    }),
    remindDaysBefore: Type.Integer({
      minimum: 0,
      maximum: 30,
      description: 'The coordinator hears of the step this many days before its deadline (0: on the day)',
    }),
  },
  { additionalProperties: false },
);
export type RecruitmentStep = Static<typeof RecruitmentStep>;

export const Draaiboek = Type.Object(
  { steps: Type.Array(RecruitmentStep, { minItems: 1, maxItems: 20 }) },
  { additionalProperties: false },
);
export type Draaiboek = Static<typeof Draaiboek>;

/** WelSlagen's draaiboek (West-Brabant): information session to placement in about ten weeks. */
export const WELSLAGEN_DRAAIBOEK: Draaiboek = {
  steps: [
    {
      key: 'voorlichting',
      kind: 'voorlichting',
      name: 'Voorlichtingsbijeenkomst',
      withinDays: 21,
      remindDaysBefore: 3,
    },
    { key: 'groepsintake', kind: 'groepsintake', name: 'Groepsintake', withinDays: 14, remindDaysBefore: 3 },
    {
      key: 'meeloopdag',
      kind: 'meeloopdag',
      name: 'Meeloopdag bij een werkgever',
      withinDays: 14,
      remindDaysBefore: 3,
    },
    // The VOG is asked for once the trial day went well; Justis decides within four weeks, often sooner.
    { key: 'vog', kind: 'vog', name: 'VOG aangevraagd en ontvangen', withinDays: 28, remindDaysBefore: 7 },
    { key: 'selectie', kind: 'selectie', name: 'Selectiebesluit', withinDays: 7, remindDaysBefore: 2 },
    { key: 'match', kind: 'match', name: 'Match met een werkplek', withinDays: 7, remindDaysBefore: 2 },
  ],
};

export interface DraaiboekProblem {
  field: string;
  en: string;
  nl: string;
}

/** What the steps say together; empty when a candidate can go through them. */
export function checkDraaiboek(d: Draaiboek, at = 'draaiboek'): DraaiboekProblem[] {
  const problems: DraaiboekProblem[] = [];
  const seen = new Set<string>();
  d.steps.forEach((s, i) => {
    if (seen.has(s.key))
      problems.push({
        field: `${at}.steps[${i}].key`,
        en: `${s.key} appears twice`,
        nl: `De stap ${s.key} staat er twee keer in.`,
      });
    seen.add(s.key);
    if (s.remindDaysBefore >= s.withinDays)
      problems.push({
        field: `${at}.steps[${i}].remindDaysBefore`,
        en: `a reminder ${s.remindDaysBefore} days before a deadline of ${s.withinDays} days comes before the step`,
        nl: `Een herinnering ${s.remindDaysBefore} dagen voor een termijn van ${s.withinDays} dagen komt te vroeg.`,
      });
  });
  const last = d.steps.at(-1)!;
  if (last.kind !== 'match')
    problems.push({
      field: `${at}.steps[${d.steps.length - 1}].kind`,
      en: 'the last step must be the match with a placement: a candidate enters the cohort from there',
      nl: 'De laatste stap moet de match met een werkplek zijn: van daaruit gaat een kandidaat het cohort in.',
    });
  const selection = d.steps.findIndex((s) => s.kind === 'selectie');
  if (selection < 0)
    problems.push({
      field: `${at}.steps`,
      en: 'the draaiboek needs a selection decision',
      nl: 'Het draaiboek heeft een selectiebesluit nodig.',
    });
  d.steps.forEach((s, i) => {
    if (s.kind === 'match' && i !== d.steps.length - 1)
      problems.push({
        field: `${at}.steps[${i}].kind`,
        en: 'the match with a placement can only be the last step',
        nl: 'De match met een werkplek kan alleen de laatste stap zijn.',
      });
  });
  return problems;
}

// --- one candidate ---------------------------------------------------------------------------------------------

export const CANDIDATE_STATUSES = ['in_progress', 'left', 'matched'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];
export const CandidateStatus = Type.Union([Type.Literal('in_progress'), Type.Literal('left'), Type.Literal('matched')]);

/** A candidate's status in the pages' words. */
export const CANDIDATE_STATUS_NL: Record<CandidateStatus, string> = {
  in_progress: 'Bezig',
  matched: 'Gematcht',
  left: 'Gestopt',
};

export interface CandidateState {
  status: CandidateStatus;
  /** Index and key of the step the candidate is at (for a matched candidate: the last; for one who left: theirs). */
  step: number;
  stepKey: string;
  /** When the candidate reached the current step, and its deadline. */
  reachedOn: string;
  dueOn: string;
  /** Every outcome so far, in order. */
  history: { step: string; outcome: string; on: string; by?: string; note?: string }[];
  left?: { reason: LeaveReason; on: string; atStep: string };
  /** The employer the candidate went to on a trial day and was matched with. */
  employerId?: string;
  /** The employer the coordinator proposed for the trial day: it judges the meeloopdag step. */
  proposal?: Proposal;
}

/** The employer the office proposes for the candidate's trial day (meeloopdag), and the planned day if known. */
export interface Proposal {
  employerId: string;
  on: string;
  trialDayOn?: string;
  note?: string;
}

export const dueOf = (step: RecruitmentStep, reachedOn: string) => addDays(reachedOn, step.withinDays);

export function enterRound(d: Draaiboek, on: string): CandidateState {
  const first = d.steps[0]!;
  return { status: 'in_progress', step: 0, stepKey: first.key, reachedOn: on, dueOn: dueOf(first, on), history: [] };
}

export const StepResult = Type.Object(
  {
    step: Id,
    outcome: Type.String({ minLength: 1, maxLength: 40 }),
    on: IsoDate,
    employerId: Type.Optional(Id),
    note: Type.Optional(Text(1000)),
  },
  { additionalProperties: false },
);
export type StepResult = Static<typeof StepResult>;

/** Who recorded a step when it was not the office: the employer judging its own trial day. */
export type StepRecorder = 'employer';

export type CandidateRefusal =
  | { kind: 'not_in_progress'; status: CandidateStatus }
  | { kind: 'not_current_step'; step: string; current: string }
  | { kind: 'unknown_outcome'; outcome: string; allowed: readonly string[] }
  | { kind: 'needs_employer'; step: string }
  | { kind: 'before_reached'; on: string; reachedOn: string }
  | { kind: 'no_trial_day' }
  | { kind: 'trial_day_done'; step: string }
  | { kind: 'not_proposed_employer'; employerId: string; proposed: string }
  | { kind: 'trial_day_before_proposal'; trialDayOn: string; on: string };

export function candidateRefusalInWords(r: CandidateRefusal): { en: string; nl: string } {
  switch (r.kind) {
    case 'not_in_progress':
      return {
        en: `the candidate is ${r.status === 'left' ? 'no longer in the round' : 'already matched'}`,
        nl: r.status === 'left' ? 'De kandidaat doet niet meer mee.' : 'De kandidaat is al gematcht.',
      };
    case 'not_current_step':
      return {
        en: `the candidate is at step ${r.current}, not ${r.step}`,
        nl: `De kandidaat is bij de stap ${r.current}, niet bij ${r.step}.`,
      };
    case 'unknown_outcome':
      return {
        en: `outcome must be one of ${r.allowed.join(', ')}`,
        nl: `De uitkomst moet een van deze zijn: ${r.allowed.join(', ')}.`,
      };
    case 'needs_employer':
      return {
        en: `step ${r.step} needs the employer (employerId)`,
        nl: 'Geef de werkgever op bij deze stap.',
      };
    case 'before_reached':
      return {
        en: `${r.on} is before the candidate reached this step (${r.reachedOn})`,
        nl: 'Deze datum ligt voor het moment waarop de kandidaat bij deze stap kwam.',
      };
    case 'no_trial_day':
      return {
        en: 'this draaiboek has no trial day (meeloopdag) to propose an employer for',
        nl: 'Dit draaiboek heeft geen meeloopdag waarvoor u een werkgever kunt voorstellen.',
      };
    case 'trial_day_done':
      return {
        en: `the trial day (${r.step}) is already behind the candidate`,
        nl: 'De meeloopdag ligt al achter de kandidaat.',
      };
    case 'not_proposed_employer':
      return {
        en: `the trial day was proposed with ${r.proposed}, not ${r.employerId}: propose that employer first`,
        nl: 'De meeloopdag is bij een andere werkgever voorgesteld. Stel eerst deze werkgever voor.',
      };
    case 'trial_day_before_proposal':
      return {
        en: `the trial day ${r.trialDayOn} lies before the proposal (${r.on})`,
        nl: 'De meeloopdag ligt voor de dag van het voorstel.',
      };
  }
}

/** Outcomes of each step in the words the pages use; the API keeps the English codes. */
export const OUTCOME_NL: { [K in StepKind]: Record<(typeof STEP_OUTCOMES)[K][number], string> } = {
  voorlichting: { attended: 'aanwezig', absent: 'niet verschenen' },
  groepsintake: { passed: 'geslaagd', not_passed: 'niet geslaagd' },
  meeloopdag: { positive: 'positief', negative: 'negatief' },
  vog: { received: 'ontvangen', refused: 'geweigerd' },
  selectie: { selected: 'geselecteerd', rejected: 'afgewezen' },
  match: { matched: 'gematcht', no_match: 'geen match' },
};

/** An outcome in Dutch, whatever step it belongs to (the code itself when unknown). */
export const outcomeInDutch = (outcome: string): string => {
  for (const words of Object.values(OUTCOME_NL) as Record<string, string>[])
    if (outcome in words) return words[outcome]!;
  return outcome;
};

/** The index of the draaiboek's trial day, or -1 when it has none. */
export const trialDayIndex = (d: Draaiboek) => d.steps.findIndex((s) => s.kind === 'meeloopdag');

/**
 * The office proposes an employer for the trial day: while the candidate is in the round and has not passed the
 * meeloopdag. A new proposal replaces the last (another employer after a cancelled day). Which employers the office
 * may propose is the API's check (the office rule); this is the process's.
 */
export function proposeEmployer(
  d: Draaiboek,
  s: CandidateState,
  p: Proposal,
): { state: CandidateState } | { refusal: CandidateRefusal } {
  if (s.status !== 'in_progress') return { refusal: { kind: 'not_in_progress', status: s.status } };
  const trial = trialDayIndex(d);
  if (trial < 0) return { refusal: { kind: 'no_trial_day' } };
  if (s.step > trial) return { refusal: { kind: 'trial_day_done', step: d.steps[trial]!.key } };
  if (p.trialDayOn && p.trialDayOn < p.on)
    return { refusal: { kind: 'trial_day_before_proposal', trialDayOn: p.trialDayOn, on: p.on } };
  return { state: { ...s, proposal: { ...p } } };
}

/**
 * A step's outcome applied: the candidate goes on to the next step (its deadline counted from `on`), is matched
 * after the last, or leaves with the reason the outcome implies. A refusal leaves the state as it was.
 */
export function recordStep(
  d: Draaiboek,
  s: CandidateState,
  given: StepResult & { by?: StepRecorder },
): { state: CandidateState } | { refusal: CandidateRefusal } {
  let r = given;
  if (s.status !== 'in_progress') return { refusal: { kind: 'not_in_progress', status: s.status } };
  const step = d.steps[s.step]!;
  if (r.step !== step.key) return { refusal: { kind: 'not_current_step', step: r.step, current: step.key } };
  const allowed = STEP_OUTCOMES[step.kind];
  if (!(allowed as readonly string[]).includes(r.outcome))
    return { refusal: { kind: 'unknown_outcome', outcome: r.outcome, allowed } };
  // With a proposal, the trial day is at the proposed employer: its judgement, or the office's on its behalf.
  if (step.kind === 'meeloopdag' && s.proposal) {
    if (r.employerId && r.employerId !== s.proposal.employerId)
      return {
        refusal: { kind: 'not_proposed_employer', employerId: r.employerId, proposed: s.proposal.employerId },
      };
    r = { ...r, employerId: s.proposal.employerId };
  }
  if ((step.kind === 'meeloopdag' || (step.kind === 'match' && r.outcome === 'matched')) && !r.employerId)
    return { refusal: { kind: 'needs_employer', step: step.key } };
  if (r.on < s.reachedOn) return { refusal: { kind: 'before_reached', on: r.on, reachedOn: s.reachedOn } };
  const history = [
    ...s.history,
    { step: step.key, outcome: r.outcome, on: r.on, note: r.note, ...(r.by && { by: r.by }) },
  ];
  const employerId = r.employerId ?? s.employerId;
  if (r.outcome !== allowed[0])
    return {
      state: {
        ...s,
        status: 'left',
        history,
        employerId,
        left: { reason: LEAVES_WITH[step.kind], on: r.on, atStep: step.key },
      },
    };
  if (s.step === d.steps.length - 1) return { state: { ...s, status: 'matched', history, employerId } };
  const next = d.steps[s.step + 1]!;
  return {
    state: {
      ...s,
      step: s.step + 1,
      stepKey: next.key,
      reachedOn: r.on,
      dueOn: dueOf(next, r.on),
      history,
      employerId,
    },
  };
}

/** The candidate leaves at their current step, for a reason of the fixed list. */
export function leaveRound(
  d: Draaiboek,
  s: CandidateState,
  reason: LeaveReason,
  on: string,
): { state: CandidateState } | { refusal: CandidateRefusal } {
  if (s.status !== 'in_progress') return { refusal: { kind: 'not_in_progress', status: s.status } };
  return { state: { ...s, status: 'left', left: { reason, on, atStep: d.steps[s.step]!.key } } };
}

/** Where the candidate stands on `today`: the step's reminder is due, its deadline has passed, or neither. */
export function urgencyOf(d: Draaiboek, s: CandidateState, today: string): 'overdue' | 'remind' | 'on_time' | null {
  if (s.status !== 'in_progress') return null;
  if (today > s.dueOn) return 'overdue';
  return today >= addDays(s.dueOn, -d.steps[s.step]!.remindDaysBefore) ? 'remind' : 'on_time';
}

// --- one person, twice --------------------------------------------------------------------------------------

export interface CandidateIdentity {
  /** The keyed hash of the BSN where the list gave one (never the BSN itself). */
  bsnHash?: string | null;
  firstName: string;
  lastName: string;
  dateOfBirth?: string | null;
  email?: string | null;
}

/** Lower case, accents off, tussenvoegsels and punctuation as spaces: "Zoë van den Berg" ~ "zoe van den berg". */
export const normalName = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();

/** Edits (insert, delete, replace) that turn a into b, up to `limit + 1`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Whether two entries are one person: `same` on the BSN hash, or on name, date of birth and e-mail together;
 * `near` when they share a date of birth and a name that differs by a typo or two, or share an e-mail address (a
 * person decides); `different` otherwise. Two different BSN hashes are two people, whatever the names say.
 */
export function matchIdentity(a: CandidateIdentity, b: CandidateIdentity): 'same' | 'near' | 'different' {
  if (a.bsnHash && b.bsnHash) return a.bsnHash === b.bsnHash ? 'same' : 'different';
  const email = (x: CandidateIdentity) => x.email?.trim().toLowerCase() || undefined;
  const sameEmail = email(a) !== undefined && email(a) === email(b);
  const sameBirth = !!a.dateOfBirth && a.dateOfBirth === b.dateOfBirth;
  // Neither shared: two people, whatever the names say. Decided before the names are normalised, which is what
  // takes the time when a list of hundreds is held against a round of hundreds.
  if (!sameBirth && !sameEmail) return 'different';
  const nameA = normalName(`${a.firstName} ${a.lastName}`);
  const nameB = normalName(`${b.firstName} ${b.lastName}`);
  if (nameA === nameB && sameBirth && sameEmail) return 'same';
  if (sameBirth && editDistance(nameA, nameB, 2) <= 2) return 'near';
  if (sameEmail) return 'near';
  return 'different';
}
