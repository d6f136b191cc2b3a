// Why the trajectory refuses a recording or a change: each refusal a fact with its figures (which date, which
// status), never a sentence; the words are rendered from it, in English for the API's problem details (as they
// always read) and in Dutch for the pages. The workflow sends the fact along with its English message, so
// nothing is parsed back from text.
import { dutchDay, STATUS_NL } from './dutch';
import type { DayKind } from './primitives';
import type { ContactRole, OrganisationKind } from './roles';
import { statusInWords, type TrajectoryStatus } from './statuses';

type Words = { en: string; nl: string };
type Say<P> = (p: P) => Words;
const status = (s: TrajectoryStatus) => ({ en: statusInWords(s), nl: STATUS_NL[s] });

const REFUSALS = {
  not_started: (() => ({
    en: 'the trajectory has not started yet',
    nl: 'Het traject is nog niet begonnen.',
  })) as Say<object>,
  not_open: ((p) => ({
    en: `the trajectory is ${status(p.status).en}`,
    nl: `Het traject is ${status(p.status).nl}; dit kan nu niet worden vastgelegd.`,
  })) as Say<{ status: TrajectoryStatus }>,
  in_future: ((p) => ({
    en: `${p.date} is in the future`,
    nl: `${dutchDay(p.date)} moet nog komen.`,
  })) as Say<{ date: string }>,
  not_a_day: ((p) => ({
    en: `${p.date} is not a ${p.kind} day of this trajectory`,
    nl: `${dutchDay(p.date)} is geen ${p.kind === 'school' ? 'ROC-dag' : 'stagedag'} van dit traject.`,
  })) as Say<{ date: string; kind: DayKind }>,
  not_planned: ((p) => ({
    en: `${p.date} is not planned (${p.reason})`,
    nl: `Op ${dutchDay(p.date)} wordt de deelnemer niet verwacht (${p.reason}).`,
  })) as Say<{ date: string; reason: string }>,
  reason_only_for_absence: (() => ({
    en: 'a reason is only for an absence',
    nl: 'Een reden hoort alleen bij afwezigheid.',
  })) as Say<object>,
  absence_needs_reason: (() => ({
    en: 'an absence needs a reason (sick, leave, unexcused, other)',
    nl: 'Geef de reden van de afwezigheid (ziek, verlof, ongeoorloofd, anders).',
  })) as Say<object>,
  correction_needs_reason: ((p) => ({
    en: `${p.date} was recorded before; a correction needs a reason`,
    nl: `${dutchDay(p.date)} is al vastgelegd; een correctie heeft een reden nodig.`,
  })) as Say<{ date: string }>,
  twice: ((p) => ({ en: `${p.date} appears twice`, nl: `${dutchDay(p.date)} staat er twee keer in.` })) as Say<{
    date: string;
  }>,
  no_checkpoint: ((p) => ({
    en: `no checkpoint ${p.key} in this programme`,
    nl: 'Dit programma heeft dit gesprek niet.',
  })) as Say<{ key: string }>,
  checkpoint_not_yet: ((p) => ({
    en: `checkpoint ${p.key} is planned from ${p.from}`,
    nl: `Dit gesprek kan worden vastgelegd vanaf ${dutchDay(p.from)}.`,
  })) as Say<{ key: string; from: string }>,
  pause_not_active: ((p) => ({
    en: `only an active trajectory can be paused (it is ${status(p.status).en})`,
    nl: `Alleen een lopend traject kan worden gepauzeerd; dit traject is ${status(p.status).nl}.`,
  })) as Say<{ status: TrajectoryStatus }>,
  pause_too_early: (() => ({
    en: 'must not be before the start or an earlier pause',
    nl: 'De pauze kan niet ingaan vóór de start van het traject of vóór het einde van een eerdere pauze.',
  })) as Say<object>,
  pause_too_far: (() => ({
    en: 'may be at most 31 days ahead',
    nl: 'Een pauze kan hoogstens 31 dagen vooruit worden vastgelegd.',
  })) as Say<object>,
  pause_while_sick: (() => ({
    en: 'the participant is on sick leave; record the recovery first',
    nl: 'De deelnemer is ziekgemeld; meld eerst het herstel.',
  })) as Say<object>,
  not_paused: (() => ({ en: 'the trajectory is not paused', nl: 'Het traject is niet gepauzeerd.' })) as Say<object>,
  resume_too_early: ((p) => ({
    en: `must be after the pause began (${p.from})`,
    nl: `De eerste dag terug moet na het begin van de pauze liggen (${dutchDay(p.from)}).`,
  })) as Say<{ from: string }>,
  sick_not_active: ((p) => ({
    en: `sick leave is recorded on an active trajectory (it is ${status(p.status).en})`,
    nl: `Een ziekmelding kan alleen bij een lopend traject; dit traject is ${status(p.status).nl}.`,
  })) as Say<{ status: TrajectoryStatus }>,
  sick_already: ((p) => ({
    en: `the participant is on sick leave since ${p.from}`,
    nl: `De deelnemer is al ziekgemeld sinds ${dutchDay(p.from)}.`,
  })) as Say<{ from: string }>,
  sick_too_early: ((p) => ({
    en: `must not be before ${p.after} (the start, or an earlier interruption's end)`,
    nl:
      `De eerste ziektedag kan niet vóór ${dutchDay(p.after)} liggen (de start, of het einde van een eerdere ` +
      'pauze of ziekmelding).',
  })) as Say<{ after: string }>,
  sick_ahead: (() => ({
    en: 'a sick leave is recorded from today or a day before, not ahead',
    nl: 'Een ziekmelding gaat in op vandaag of een eerdere dag, niet op een dag die nog moet komen.',
  })) as Say<object>,
  sick_too_far_back: (() => ({
    en: 'may be at most 31 days back',
    nl: 'De eerste ziektedag kan hoogstens 31 dagen terug liggen.',
  })) as Say<object>,
  not_sick: (() => ({
    en: 'the participant is not on sick leave',
    nl: 'De deelnemer is niet ziekgemeld.',
  })) as Say<object>,
  recovery_too_early: ((p) => ({
    en: `must be after the sick leave began (${p.from})`,
    nl: `De eerste dag terug moet na de eerste ziektedag liggen (${dutchDay(p.from)}).`,
  })) as Say<{ from: string }>,
  already_employer: (() => ({ en: 'is already the employer', nl: 'Dit is al de werkgever.' })) as Say<object>,
  employer_too_early: (() => ({
    en: 'must not be before the current placement began',
    nl: 'De nieuwe plaatsing kan niet ingaan vóór het begin van de huidige.',
  })) as Say<object>,
  no_dropout: (() => ({
    en: 'the trajectory has no dropout to revert',
    nl: 'Er is geen uitstroom om terug te draaien.',
  })) as Say<object>,
  revert_too_late: ((p) => ({
    en: `a dropout can be reverted within ${p.days} days`,
    nl: `Een uitstroom kan binnen ${p.days} dagen worden teruggedraaid.`,
  })) as Say<{ days: number }>,
  bbl_not_yet: ((p) => ({
    en: `the BBL decision opens in week ${p.week}`,
    nl: `Het BBL-besluit kan worden bevestigd vanaf week ${p.week}.`,
  })) as Say<{ week: number }>,
  // Not the trajectory's: which organisation a contact of a role belongs to (api/services/partners.ts).
  contact_role_kind: ((p) => ({
    en: `a ${p.kind} has no ${p.role} (that is for ${p.allowed.join(' or ')})`,
    nl:
      `Een ${CONTACT_ROLE_NL[p.role]} hoort bij ${p.allowed.map((k) => ORGANISATION_KIND_NL[k]).join(' of ')}, ` +
      `niet bij ${ORGANISATION_KIND_NL[p.kind]}.`,
  })) as Say<{ kind: OrganisationKind; role: ContactRole; allowed: OrganisationKind[] }>,
};

/** A contact's role in a sentence ("een analist van een financier"). */
const CONTACT_ROLE_NL: Record<ContactRole, string> = {
  coordinator: 'coördinator',
  jobcoach: 'jobcoach',
  workplace_trainer: 'praktijkopleider',
  roc_coordinator: 'BPV-coördinator',
  funder_analyst: 'analist van een financier',
};

/** A kind of organisation in a sentence, with its article. */
const ORGANISATION_KIND_NL: Record<OrganisationKind, string> = {
  programme_office: 'een programmabureau',
  employer: 'een werkgever',
  school: 'een ROC',
  gemeente: 'een gemeente',
  uwv: 'het UWV',
};

type Table = typeof REFUSALS;
export type RefusalCode = keyof Table;
/** A refusal: its code and the figures its words need. */
export type Refusal = { [K in RefusalCode]: { code: K; params: Parameters<Table[K]>[0] } }[RefusalCode];

/** A refusal, typed by its code: `refusal('in_future', { date })`. */
export const refusal = <K extends RefusalCode>(code: K, params: Parameters<Table[K]>[0]) =>
  ({ code, params }) as Refusal;

const words = (r: Refusal): Words => (REFUSALS[r.code] as Say<unknown>)(r.params);
export const refusalInEnglish = (r: Refusal): string => words(r).en;
export const refusalInDutch = (r: Refusal): string => words(r).nl;

/** Whether a value that came over the wire (a workflow failure's details) is a refusal this version knows. */
export const isRefusal = (v: unknown): v is Refusal =>
  typeof v === 'object' && v !== null && typeof (v as Refusal).code === 'string' && (v as Refusal).code in REFUSALS;
