// The praktijkovereenkomst (issue 21, part 2). Per participant entering BBL (the employer confirmed a BBL contract
// with its start date) the ROC draws the POK up and records its own and the participant's signature, the employer
// records its own (refused when SBB has not recognised it for the programme's qualification on that day), and the
// office's coordinator may record any step; each request is audited by the route. An employer change after the
// employer signed needs a new bpv-blad, which the ROC records. Kept beside the workflow, like the praktijkverklaring:
// the signatures come in around the BBL start, when the trajectory's workflow may have finished.
import { findPokFacts, listBblPoks, pokRecordOf, recordPokStep, type PokRow } from '../../db/praktijkovereenkomst';
import { findReadiness } from '../../db/readiness';
import { localDate } from '../../domain/calendar';
import {
  pokStanding,
  pokStepRefusal,
  pokTrajectoryRefusal,
  recognitionRefusal,
  POK_STEP_NL,
  type PokStep,
} from '../../domain/praktijkovereenkomst';
import { CREBO_NAMES, creboOf } from '../../domain/readiness';
import type { Principal } from '../auth';
import type { AppDeps } from '../deps';
import { deadlinesChanged } from './deadlines';
import { conflict, notFound, says, unprocessable, type FieldProblem } from '../errors';
import { actingOffice } from '../ownership';
import { pageOf } from '../schemas/common';
import type { PokList, PokListQuery, PokStepRecording, PokView } from '../schemas/praktijkovereenkomst';

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'now' | 'config'>;
const today = (deps: Deps) => localDate(deps.now?.() ?? Date.now());

async function factsOf(deps: Deps, id: string): Promise<NonNullable<PokRow>> {
  const t = await findPokFacts(deps.db, id);
  if (!t) throw notFound(says(`trajectory ${id}`, `traject ${id}`));
  return t;
}

/** The POK as the API shows it, judged on `date`. */
export function pokViewOf(t: NonNullable<PokRow>, date: string): PokView {
  const r = pokRecordOf(t);
  const standing = t.contract_start
    ? pokStanding(r, { contractStart: t.contract_start, currentEmployer: t.current_employer_id, date })
    : undefined;
  const recorded = (on: string | null, by: string | null) => (on ? { on, recordedBy: by ?? '' } : null);
  return {
    trajectoryId: t.id,
    reference: t.reference,
    contractStart: t.contract_start,
    deadline: standing?.deadline ?? null,
    currentEmployerId: t.current_employer_id,
    drawnUp: recorded(t.drawn_up_on, t.drawn_up_by),
    participant: recorded(t.participant_on, t.participant_by),
    employer: t.employer_on
      ? { on: t.employer_on, recordedBy: t.employer_by ?? '', employerId: t.signed_employer_id }
      : null,
    school: recorded(t.school_on, t.school_by),
    bpvBlad: t.bpv_blad_on
      ? { on: t.bpv_blad_on, recordedBy: t.bpv_blad_by ?? '', employerId: t.bpv_blad_employer_id }
      : null,
    missing: standing?.missing ?? ['drawn_up', 'participant', 'employer', 'school'],
    signed: standing?.signed ?? false,
    bpvBladNeeded: standing?.bpvBladNeeded ?? false,
    valid: standing?.valid ?? false,
    due: standing?.due ?? false,
    late: standing?.late ?? false,
  };
}

export async function getPok(deps: Deps, trajectoryId: string): Promise<PokView> {
  return pokViewOf(await factsOf(deps, trajectoryId), today(deps));
}

/** The date a step already has, when it is one recorded once (the signatures and the drawing up). */
const recordedOn = (t: NonNullable<PokRow>, step: PokStep): string | null =>
  ({
    drawn_up: t.drawn_up_on,
    participant: t.participant_on,
    employer: t.employer_on,
    school: t.school_on,
    bpv_blad: null,
  })[step];

/**
 * Records a step of the POK. Who may record which step is the route's check (POK_RECORDERS); here the order, the
 * dates, and the employer's SBB recognition for the programme's qualification on the day it signs (or, for a new
 * bpv-blad, of the employer the participant went on with). A step recorded again with the same date changes nothing;
 * with another date it is a conflict (the first stays).
 */
export async function recordPok(
  deps: Deps,
  p: Principal,
  trajectoryId: string,
  body: PokStepRecording,
): Promise<PokView> {
  const t = await factsOf(deps, trajectoryId);
  const date = today(deps);
  const refusal = pokTrajectoryRefusal({ outcome: t.outcome, contractStart: t.contract_start });
  const problems: FieldProblem[] = [];
  if (refusal) problems.push({ field: refusal.field, message: refusal.en, nl: refusal.nl });
  if (t.anonymised_at)
    problems.push({
      field: 'trajectory',
      message: 'the participant is anonymised',
      nl: 'de deelnemer is geanonimiseerd',
    });
  if (body.on > date) problems.push({ field: 'on', message: 'lies in the future', nl: 'ligt in de toekomst' });
  if (problems.length > 0) throw unprocessable(problems);

  const before = recordedOn(t, body.step);
  if (before === body.on) return pokViewOf(t, date);
  if (before !== null)
    throw conflict(
      says(
        `the praktijkovereenkomst was ${body.step.replace('_', ' ')} before, on ${before}`,
        `de praktijkovereenkomst is al eerder ${POK_STEP_NL[body.step]}, op ${before}`,
      ),
    );
  const standing = pokStanding(pokRecordOf(t), {
    contractStart: t.contract_start!,
    currentEmployer: t.current_employer_id,
    date,
  });
  const order = pokStepRefusal(pokRecordOf(t), body.step, body.on, standing);
  if (order) throw unprocessable([{ field: order.field, message: order.en, nl: order.nl }]);

  // The employer that signs is the caller itself (an employer key reaches only the participant's current placement),
  // else the employer the participant goes on with; a bpv-blad is for that employer.
  const employerId =
    body.step === 'employer' && p.role === 'employer'
      ? p.organisationId!
      : body.step === 'employer' || body.step === 'bpv_blad'
        ? t.current_employer_id
        : undefined;
  if (employerId) {
    const crebo = creboOf(t.template as { crebo?: string });
    const readiness = t.programme_office_id
      ? await findReadiness(deps.db, { officeId: t.programme_office_id, employerId, crebo })
      : undefined;
    const recognised =
      readiness?.recognition_number && readiness.recognised_on ? { recognisedOn: readiness.recognised_on } : null;
    const notRecognised = recognitionRefusal(recognised, {
      on: body.on,
      crebo,
      creboName: CREBO_NAMES[crebo] ?? `crebo ${crebo}`,
    });
    if (notRecognised)
      throw unprocessable([{ field: notRecognised.field, message: notRecognised.en, nl: notRecognised.nl }]);
  }
  const done = await recordPokStep(deps.db, { trajectoryId, step: body.step, on: body.on, by: p.actor, employerId });
  // A signature or the drawing up moves or ends the POK's deadlines: their timers compute again.
  if (done) await deadlinesChanged(deps, trajectoryId);
  const after = await factsOf(deps, trajectoryId);
  if (!done && recordedOn(after, body.step) !== body.on)
    throw conflict(
      says(
        `the praktijkovereenkomst was ${body.step.replace('_', ' ')} before, on ${recordedOn(after, body.step)}`,
        `de praktijkovereenkomst is al eerder ${POK_STEP_NL[body.step]}, op ${recordedOn(after, body.step)}`,
      ),
    );
  return pokViewOf(after, date);
}

/**
 * The POKs of the participants entering BBL that the caller looks after: the office's (coordinator), the ROC's own
 * students (school), or all (admin); `open` leaves out the valid ones. Late ones first, then by deadline.
 */
export async function listPoks(deps: Deps, p: Principal, q: PokListQuery): Promise<PokList> {
  const rows = await listBblPoks(deps.db, {
    officeId: actingOffice(p),
    schoolId: p.role === 'school' ? p.organisationId! : undefined,
  });
  const date = today(deps);
  const all = rows
    .map((r) => pokViewOf(r, date))
    .filter((v) => q.status === 'all' || !v.valid)
    .sort(
      (a, b) =>
        Number(b.late) - Number(a.late) ||
        (a.deadline ?? '').localeCompare(b.deadline ?? '') ||
        a.trajectoryId.localeCompare(b.trajectoryId),
    );
  return pageOf(all, q);
}
