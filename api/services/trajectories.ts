// Reading a trajectory (its record, live state from the workflow, events from the projection) and
// recording on it through workflow updates.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { findCohort } from '../../db/cohorts';
import { findContact, findCovenant } from '../../db/covenants';
import { findOwnedOrganisation } from '../../db/ownership';
import { findTrajectory, listTrajectoryEvents } from '../../db/trajectories';
import type { Trajectory as TrajectoryRow } from '../../db/schema';
import { localDate } from '../../domain/calendar';
import { isRefusal, refusalInDutch } from '../../domain/refusals';
import { eventDataFor, mayRead, RECORD_TEXT, recordFor } from '../../domain/personal-data';
import { riskInEnglish } from '../../domain/risks';
import type { Role } from '../../domain/roles';
import {
  changeUpdate,
  confirmBblUpdate,
  REJECTION,
  scheduleQuery,
  stateQuery,
  type Recorded,
} from '../../workflows/trajectory';
import { deadlinesChanged } from './deadlines';
import type { Change } from '../../domain/changes';
import { guardBenefit } from './benefit';
import type { Principal } from '../auth';
import { refusing, type Scope } from '../access';
import { organisationRight } from '../ownership';
import { conflict, notFound, unprocessable, says } from '../errors';
import { temporalCall, temporalUpdate, type TemporalDeps } from '../temporal-calls';
import { atRisk } from './steering';
import { guardEmployerChange, recordOverrides } from './readiness';
import type { ReadinessOverride } from '../../domain/readiness';
import type { CohortRisks, Schedule, Trajectory } from '../schemas/trajectory';
import { pageOf, type Page } from '../schemas/common';
import type { AppDeps } from '../deps';

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'now' | 'config'>;

/** Today in Amsterdam by the app's clock (a simulation runs the API on simulated time). */
export const today = (deps: Pick<AppDeps, 'now'>) => localDate(deps.now?.() ?? Date.now());

async function requireTrajectory(deps: Deps, id: string): Promise<TrajectoryRow> {
  const t = await findTrajectory(deps.db, id);
  if (!t) throw notFound(says(`Trajectory ${id}`, `Traject ${id}`));
  return t;
}

/** Who is looking: what typed text each role reads is the core's classification (domain/personal-data.ts). */
export interface Viewer {
  role: Principal['role'];
  scope: Scope;
}
/** Who reads a trajectory's typed text: nobody once the participant is anonymised (the workflow still holds it). */
const readerOf = (v: Viewer, t: TrajectoryRow): Role | null => (t.anonymised_at ? null : v.role);

/**
 * A later employer's part of the live state: what lies before its placement (open days, pauses, and the
 * risk signals, which weigh the whole trajectory) is not its business.
 */
function limitLive(live: Trajectory['live'], from: string | null): Trajectory['live'] {
  if (!from) return live;
  return {
    ...live,
    open: { ...live.open, attendance: live.open.attendance.filter((d) => d.date >= from) },
    risks: [],
    pauses: live.pauses.filter((p) => !p.to || p.to >= from),
  };
}

/**
 * The trajectory's record beside its live state, read from the running (or finished) workflow. A later
 * employer sees the events from its placement on.
 */
export async function getTrajectory(deps: Deps, id: string, viewer: Viewer): Promise<Trajectory> {
  const t = await requireTrajectory(deps, id);
  const [state, rows, jobcoach] = await Promise.all([
    temporalCall(deps, (c) => c.workflow.getHandle(t.workflow_id).query(stateQuery, today(deps))),
    listTrajectoryEvents(deps.db, id),
    t.jobcoach_id ? findContact(deps.db, t.jobcoach_id) : undefined,
  ]);
  const reader = readerOf(viewer, t);
  const from = viewer.scope.from;
  const live = limitLive(
    {
      ...state,
      risks: state.risks.map((r) => ({ ...r, reason: riskInEnglish(r) })),
      pauses: state.pauses.map((p) => recordFor(reader, 'pause', p)),
      extensions: state.extensions.map((x) => recordFor(reader, 'extension', x)),
      sickLeaves: state.sickLeaves.map((l) => recordFor(reader, 'sickLeave', l)),
    },
    from,
  );
  // An event belongs to the later employer's part when it happened, and what it is about (a recorded day), lies from
  // its placement on.
  const events = rows
    .filter((e) => !from || (e.occurred_on >= from && !(typeof e.data.date === 'string' && e.data.date < from)))
    .map((e) => ({ ...e, data: eventDataFor(reader, e.type, e.data) }));
  return {
    id: t.id,
    cohortId: t.cohort_id,
    reference: t.reference,
    name: t.name,
    email: t.email,
    employerId: state.employerId,
    jobcoach: jobcoach ? { id: jobcoach.id, name: jobcoach.name, email: jobcoach.email } : null,
    benefitPayerId: t.benefit_payer_id,
    workflowId: t.workflow_id,
    status: t.status,
    live,
    events: events.map((e) => ({ seq: e.seq, type: e.type, date: e.occurred_on, data: e.data })),
  };
}

export async function getSchedule(deps: Deps, id: string, viewer: Viewer): Promise<Schedule> {
  const t = await requireTrajectory(deps, id);
  const s = await temporalCall(deps, (c) => c.workflow.getHandle(t.workflow_id).query(scheduleQuery));
  const from = viewer.scope.from;
  const notes = mayRead(readerOf(viewer, t), RECORD_TEXT.attendance.correctionReason);
  const weeks = s.weeks
    .map((w) => ({
      ...w,
      days: w.days
        .filter((d) => !from || d.date >= from)
        .map(({ correctionReason, ...d }) =>
          notes && correctionReason !== undefined ? { ...d, correctionReason } : d,
        ),
    }))
    .filter((w) => w.days.length > 0);
  return { trajectoryId: id, ...s, weeks };
}

/** A refusal by the workflow's validator becomes a 422 naming the field; a finished trajectory a 409. */
export function updateProblem(e: unknown): unknown {
  if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure && e.cause.type === REJECTION) {
    // [field, the refusal as a fact (the trajectory's), the Dutch words (the follow-up's)]
    const [field, fact, dutch] = e.cause.details ?? [];
    const nl = isRefusal(fact) ? refusalInDutch(fact) : typeof dutch === 'string' ? dutch : e.cause.message;
    return unprocessable([
      { field: String(field ?? 'body'), message: e.cause.message, nl, ...(isRefusal(fact) && { refusal: fact }) },
    ]);
  }
  const err = e as { name?: string; code?: number; message?: string };
  if (
    err?.name === 'WorkflowNotFoundError' ||
    /already completed|workflow execution already/i.test(err?.message ?? '')
  ) {
    return conflict(
      says(
        'This trajectory has finished (or its launch is incomplete); it takes no more recordings',
        'Dit traject is afgelopen (of de start is niet afgerond); het neemt geen registraties meer aan',
      ),
    );
  }
  return e;
}

/** Sends one recording as a workflow update. `updateId` makes a repeat (after a lost response) a no-op. */
export async function recordOn<Arg>(
  deps: Deps,
  id: string,
  update: UpdateDefinition<Recorded, [Arg]>,
  arg: Arg,
  updateId: string,
  /** Who records it: named in the audit log when an employer change overrides the readiness guard. */
  by?: Principal,
): Promise<Recorded> {
  const t = await requireTrajectory(deps, id);
  const change = arg as { type?: string; employerId?: string; readinessOverride?: ReadinessOverride };
  const { readinessOverride, ...toWorkflow } = change;
  if (change.type === 'employer_change') await requireCovenantEmployer(deps, t.cohort_id, change.employerId!);
  // Only a change (not a recording) can carry the participant past the benefit instrument's maximum.
  if ((update as { name: string }).name === changeUpdate.name) await guardBenefit(deps, t, toWorkflow as Change);
  // A change moves the planned end or the status, a BBL confirmation brings the contract start: both move deadlines.
  const moves = [changeUpdate.name, confirmBblUpdate.name].includes((update as { name: string }).name);
  if (change.type !== 'employer_change') {
    const recorded = await sendUpdate(deps, t.workflow_id, update, arg, updateId);
    if (moves) await deadlinesChanged(deps, t.id);
    return recorded;
  }
  const guard = await guardEmployerChange(
    deps.db,
    { cohortId: t.cohort_id, reference: t.reference },
    change.employerId!,
    readinessOverride,
  );
  // The override is the API's business, never the workflow's: its history holds the change as it always did.
  const recorded = await sendUpdate(deps, t.workflow_id, update, toWorkflow as Arg, updateId);
  await deadlinesChanged(deps, t.id);
  if (guard?.overridden.length && by)
    await recordOverrides(
      deps.db,
      by,
      { ...guard, reason: readinessOverride!.reason, route: 'POST /v1/trajectories/{id}/changes' },
      guard.overridden.map((o) => ({ trajectoryId: t.id, employerId: o.placement.employerId, missing: o.missing })),
    );
  return recorded;
}

export async function sendUpdate<Arg>(
  deps: TemporalDeps,
  workflowId: string,
  update: UpdateDefinition<Recorded, [Arg]>,
  arg: Arg,
  updateId: string,
): Promise<Recorded> {
  try {
    return await temporalUpdate(deps, workflowId, update, arg, updateId);
  } catch (e) {
    throw updateProblem(e);
  }
}

/** A new employer must be an employer partner in the cohort's covenant that the covenant's office may use. */
async function requireCovenantEmployer(deps: Deps, cohortId: string, employerId: string): Promise<void> {
  const cohort = await findCohort(deps.db, cohortId);
  const covenant = cohort?.covenant_id ? await findCovenant(deps.db, cohort.covenant_id) : undefined;
  const org = await findOwnedOrganisation(deps.db, employerId);
  const usable = org && (!covenant || organisationRight(covenant.programme_office_id, org) !== undefined);
  const ok = covenant
    ? usable && covenant.members.some((m) => m.organisation_id === employerId && m.role === 'employer')
    : org?.kind === 'employer';
  if (!ok) {
    const problem = unprocessable([
      {
        field: 'employerId',
        message: `no employer ${employerId}${covenant ? ` in covenant ${covenant.id}` : ''}`,
        nl: `geen werkgever ${employerId}${covenant ? ` in convenant ${covenant.id}` : ''}`,
      },
    ]);
    throw refusing(problem, org && !usable ? [{ resource: 'organisation', id: employerId }] : []);
  }
}

/** Everyone in the cohort with at least one risk signal, most signals first: from SQL, like the steering view. */
export async function cohortRisks(deps: Deps, cohortId: string, page: Page): Promise<CohortRisks> {
  if (!(await findCohort(deps.db, cohortId))) throw notFound(says(`Cohort ${cohortId}`, `Cohort ${cohortId}`));
  const asOf = today(deps);
  const items = (await atRisk(deps, { cohortId }, asOf)).map(({ cohortId: _, ...i }) => i);
  return { cohortId, asOf, ...pageOf(items, page) };
}
