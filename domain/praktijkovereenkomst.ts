// The praktijkovereenkomst (POK, issue 21 part 2). A BBL place is valid only when the POK is signed by the student,
// the school (ROC) and the leerbedrijf, and the leerbedrijf is recognised by SBB for the qualification (Wet educatie
// en beroepsonderwijs, art. 7.2.8 and 7.2.10); the ROC draws it up. A change of leerbedrijf needs a new bpv-blad.
// The rules are here, once: who records which step, the deadline, what is due or late on a day, whether the
// employer's recognition holds on the day it signs, and whether the POK counts (doorstroom counts only with one).
import { addDays } from './calendar';
import type { DeadlineRecipient, DeadlineRule } from './deadlines';
import type { Outcome } from './outcomes';
import type { Role } from './roles';

/** The steps of a POK, in order: the ROC draws it up, then each party signs; a bpv-blad after an employer change. */
export const POK_STEPS = ['drawn_up', 'participant', 'employer', 'school', 'bpv_blad'] as const;
export type PokStep = (typeof POK_STEPS)[number];
/** The signatures that make it complete. */
export const POK_SIGNATURES = ['participant', 'employer', 'school'] as const satisfies readonly PokStep[];

export const POK_STEP_NL: Record<PokStep, string> = {
  drawn_up: 'opgesteld door het ROC',
  participant: 'getekend door de deelnemer',
  employer: 'getekend door de werkgever (leerbedrijf)',
  school: 'getekend door het ROC',
  bpv_blad: 'nieuw bpv-blad vastgelegd',
};

/**
 * Who records which step: the ROC draws the POK up and records its own signature, the participant's (it collects
 * it) and a new bpv-blad; the employer records its own signature; the office's coordinator (and the admin) any.
 */
export const POK_RECORDERS: Record<PokStep, readonly Role[]> = {
  drawn_up: ['school', 'coordinator', 'admin'],
  participant: ['school', 'coordinator', 'admin'],
  employer: ['employer', 'coordinator', 'admin'],
  school: ['school', 'coordinator', 'admin'],
  bpv_blad: ['school', 'coordinator', 'admin'],
};

/** The due item starts this many days before the deadline (the ROC's reminder to get the signatures in). */
export const POK_DUE_DAYS_BEFORE = 14;

/**
 * The POK's deadline: signed by all parties no later than the BBL contract's start. The BBL-student's learning
 * in practice starts with the contract, and without a signed POK it is not a valid BBL place.
 */
export const pokDeadline = (contractStart: string) => contractStart;

/** What is recorded of one POK (null: not yet). */
export interface PokRecord {
  drawnUpOn: string | null;
  participantOn: string | null;
  employerOn: string | null;
  /** The employer that signed, and the employer the last bpv-blad was for. */
  employerId: string | null;
  schoolOn: string | null;
  bpvBladOn: string | null;
  bpvBladEmployerId: string | null;
}

export const NO_POK: PokRecord = {
  drawnUpOn: null,
  participantOn: null,
  employerOn: null,
  employerId: null,
  schoolOn: null,
  bpvBladOn: null,
  bpvBladEmployerId: null,
};

export interface PokStanding {
  deadline: string;
  /** The signatures still missing (drawn_up first when it was not drawn up). */
  missing: PokStep[];
  /** Signed by all three parties. */
  signed: boolean;
  /** The employer changed after it signed, and the ROC has not recorded a bpv-blad for the new one. */
  bpvBladNeeded: boolean;
  /** Signed by all and no bpv-blad missing: a BBL place that counts. */
  valid: boolean;
  /** Not signed by all while the deadline is near (from POK_DUE_DAYS_BEFORE days before it). */
  due: boolean;
  /** Not signed by all and the deadline has passed. */
  late: boolean;
}

/**
 * Where a POK stands on `date`: `currentEmployer` is the employer the participant goes on with (the last placement).
 * A bpv-blad is needed when that employer is not the one the POK's employer part covers: the one that signed, or the
 * one the last bpv-blad was for.
 */
export function pokStanding(r: PokRecord, o: { contractStart: string; currentEmployer: string; date: string }) {
  const deadline = pokDeadline(o.contractStart);
  const missing: PokStep[] = [
    ...(r.drawnUpOn ? [] : (['drawn_up'] as const)),
    ...POK_SIGNATURES.filter((s) => !signedOn(r, s)),
  ];
  const signed = POK_SIGNATURES.every((s) => signedOn(r, s));
  const covered = r.bpvBladEmployerId ?? r.employerId;
  const bpvBladNeeded = r.employerOn !== null && covered !== null && covered !== o.currentEmployer;
  return {
    deadline,
    missing,
    signed,
    bpvBladNeeded,
    valid: signed && !bpvBladNeeded,
    due: !signed && o.date >= pokDueStart(deadline) && o.date <= deadline,
    late: !signed && o.date > deadline,
  } satisfies PokStanding;
}

const signedOn = (r: PokRecord, s: (typeof POK_SIGNATURES)[number]) =>
  s === 'participant' ? r.participantOn : s === 'employer' ? r.employerOn : r.schoolOn;

export interface PokRefusal {
  field: string;
  en: string;
  nl: string;
}

/**
 * Why a POK cannot be drawn up or signed for this trajectory: only for a participant entering BBL, i.e. whose
 * employer confirmed a BBL contract with its start date, and whose trajectory did not end otherwise.
 */
export function pokTrajectoryRefusal(t: { outcome: Outcome | null; contractStart: string | null }) {
  if (t.outcome && t.outcome.kind !== 'bbl_doorstroom')
    return {
      field: 'trajectory',
      en: 'the trajectory ended without BBL: there is no praktijkovereenkomst to record',
      nl: 'het traject is zonder BBL geëindigd: er is geen praktijkovereenkomst vast te leggen',
    } satisfies PokRefusal;
  if (!t.contractStart)
    return {
      field: 'trajectory',
      en: 'the employer has not confirmed a BBL contract with its start date yet',
      nl: 'de werkgever heeft nog geen BBL-arbeidsovereenkomst met startdatum bevestigd',
    } satisfies PokRefusal;
  return undefined;
}

/** Why this step cannot be recorded now (the order of the steps), or undefined. */
export function pokStepRefusal(r: PokRecord, step: PokStep, on: string, o: { bpvBladNeeded: boolean }) {
  if (step !== 'drawn_up' && !r.drawnUpOn)
    return {
      field: 'step',
      en: 'the ROC draws the praktijkovereenkomst up first',
      nl: 'het ROC stelt de praktijkovereenkomst eerst op',
    } satisfies PokRefusal;
  if (step !== 'drawn_up' && r.drawnUpOn && on < r.drawnUpOn)
    return {
      field: 'on',
      en: `lies before the praktijkovereenkomst was drawn up (${r.drawnUpOn})`,
      nl: `ligt vóór het opstellen van de praktijkovereenkomst (${r.drawnUpOn})`,
    } satisfies PokRefusal;
  if (step === 'bpv_blad' && !o.bpvBladNeeded)
    return {
      field: 'step',
      en: 'no new bpv-blad is needed: the employer has not changed since it signed',
      nl: 'er is geen nieuw bpv-blad nodig: de werkgever is niet gewisseld sinds hij tekende',
    } satisfies PokRefusal;
  return undefined;
}

/**
 * Whether the employer is recognised by SBB as leerbedrijf for the qualification on the day it signs: a recorded
 * recognition (employer readiness, domain/readiness.ts) from that day or before. Refused otherwise, without an
 * override: a POK with an employer that is not recognised is no valid BBL place, whatever the reason; when SBB did
 * recognise it, the fix is to record that recognition in the readiness.
 */
export function recognitionRefusal(
  recognition: { recognisedOn: string } | null,
  o: { on: string; crebo: string; creboName: string },
) {
  if (!recognition)
    return {
      field: 'step',
      en:
        `the employer is not recorded as recognised by SBB for ${o.creboName} (crebo ${o.crebo}); ` +
        "record the recognition in the employer's readiness first",
      nl:
        `de werkgever is niet als erkend leerbedrijf vastgelegd voor ${o.creboName} (crebo ${o.crebo}); ` +
        'leg eerst de erkenning van SBB vast bij de randvoorwaarden van de werkgever',
    } satisfies PokRefusal;
  if (recognition.recognisedOn > o.on)
    return {
      field: 'on',
      en: `the employer was recognised by SBB for crebo ${o.crebo} only from ${recognition.recognisedOn}`,
      nl: `de werkgever is pas vanaf ${recognition.recognisedOn} erkend leerbedrijf voor crebo ${o.crebo}`,
    } satisfies PokRefusal;
  return undefined;
}

/** The first day the POK is due: POK_DUE_DAYS_BEFORE days before its deadline. */
export function pokDueStart(deadline: string): string {
  return addDays(deadline, -POK_DUE_DAYS_BEFORE);
}

/** What a POK's deadlines are computed from (issue 21 part 5: the deadlines workflow's timers). */
export interface PokDeadlineFacts {
  record: PokRecord;
  contractStart: string;
  currentEmployer: string;
  /** The ROC that draws the POK up and gets the signatures in. */
  schoolId: string;
  /** The programme office whose coordinators get the escalation; null when the cohort has none. */
  officeId: string | null;
}

/** What the mail says of a POK deadline: the day and the Dutch names of the steps still missing. */
function pokData(f: PokDeadlineFacts) {
  const s = pokStanding(f.record, { ...f, date: f.contractStart });
  return { s, data: { deadline: s.deadline, missing: s.missing.map((m) => POK_STEP_NL[m]) } };
}

/** The ROC's item from POK_DUE_DAYS_BEFORE days before the deadline, weekly up to it, until signed by all. */
export function pokDueDeadline(f: PokDeadlineFacts): DeadlineRule {
  const { s, data } = pokData(f);
  if (s.signed) return 'done';
  const to = [{ organisationId: f.schoolId, role: 'roc_coordinator' as const }];
  return { kind: 'pok_due', from: pokDueStart(s.deadline), weekly: true, until: s.deadline, to, data };
}

/** The escalation once the contract started without all signatures: the ROC and the office's coordinators, weekly. */
export function pokLateDeadline(f: PokDeadlineFacts): DeadlineRule {
  const { s, data } = pokData(f);
  if (s.signed) return 'done';
  const to: DeadlineRecipient[] = [{ organisationId: f.schoolId, role: 'roc_coordinator' }];
  if (f.officeId) to.push({ organisationId: f.officeId, role: 'coordinator' });
  return { kind: 'pok_late', from: addDays(s.deadline, 1), weekly: true, to, data };
}
