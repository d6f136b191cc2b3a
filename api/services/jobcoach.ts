// The jobcoach's own view: the participants assigned to the jobcoach (by the rule of access.ts, trajectoryScope),
// each with where it stands now (the workflow's live state: week, open and overdue items, risk signals), and
// one checkpoint with its review so far, for the three-way checkpoint form.
import { WorkflowNotFoundError } from '@temporalio/client';
import { checkpointWithReview, trajectoriesOfJobcoach } from '../../db/jobcoach';
import { findTrajectory } from '../../db/trajectories';
import { mayRead, RECORD_TEXT } from '../../domain/personal-data';
import { isFinal, type CheckpointStatus, type TrajectoryStatus } from '../../domain/statuses';
import type { RiskSignal } from '../../domain/risks';
import { mapLimit } from '../../infra/map-limit';
import { stateQuery, type TrajectoryState } from '../../workflows/trajectory';
import { trajectoryScope } from '../access';
import type { Principal, Role } from '../auth';
import type { AppDeps } from '../deps';
import { notFound, says } from '../errors';
import { temporalCall } from '../temporal-calls';
import { today } from './trajectories';

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'now' | 'config'>;

/** Live state queries at once, for a jobcoach's list (25 participants is usual). */
const QUERIES_IN_FLIGHT = 8;

export interface JobcoachParticipant {
  trajectoryId: string;
  name: string;
  reference: string;
  status: TrajectoryStatus;
  /** Where it stands now; null once finished (its outcome is known, nothing is open). */
  live:
    | (Pick<TrajectoryState, 'week' | 'weeks' | 'endDate' | 'open' | 'sickLeaves' | 'pauses'> & {
        risks: RiskSignal[];
      })
    | null;
}

/**
 * The participants whose jobcoach the caller is (a jobcoach: its own contact), within the caller's programme
 * office, as trajectoryScope decides for each; anonymised ones are left out. Running ones first, the ones with
 * the most overdue items and signals at the top.
 */
export async function jobcoachParticipants(deps: Deps, principal: Principal): Promise<JobcoachParticipant[]> {
  if (!principal.contactId) return [];
  const on = today(deps);
  const rows = (await trajectoriesOfJobcoach(deps.db, principal.contactId)).filter(
    (t) =>
      t.anonymised_at === null &&
      trajectoryScope(
        principal,
        {
          id: t.id,
          cohortId: t.cohort_id,
          schoolId: t.school_id,
          programmeOfficeId: t.programme_office_id,
          jobcoachId: t.jobcoach_id,
          benefitPayerId: t.benefit_payer_id,
          placements: [],
        },
        on,
      ) !== undefined,
  );
  const out = await mapLimit(rows, QUERIES_IN_FLIGHT, async (t): Promise<JobcoachParticipant> => {
    const base = { trajectoryId: t.id, name: t.name, reference: t.reference, status: t.status };
    if (isFinal(t.status)) return { ...base, live: null };
    let s: TrajectoryState;
    try {
      s = await temporalCall(deps, (c) => c.workflow.getHandle(t.workflow_id).query(stateQuery, on));
    } catch (e) {
      // An interrupted launch has no workflow (yet): listed by its status, without live state, so one such
      // participant does not keep the jobcoach from the rest.
      if (e instanceof WorkflowNotFoundError) return { ...base, live: null };
      throw e;
    }
    return {
      ...base,
      status: s.status,
      live: {
        week: s.week,
        weeks: s.weeks,
        endDate: s.endDate,
        open: s.open,
        risks: s.risks,
        // Only dates: the list shows whether someone is paused or sick, never why.
        pauses: s.pauses.map(({ from, to }) => ({ from, to, reason: '' })),
        sickLeaves: s.sickLeaves.map(({ from, to }) => (to ? { from, to } : { from })),
      },
    };
  });
  const weight = (p: JobcoachParticipant) =>
    p.live
      ? 100 * p.live.open.overdueCheckpoints.length + 10 * p.live.risks.length + p.live.open.attendance.length
      : -1;
  return out.sort((a, b) => weight(b) - weight(a) || a.name.localeCompare(b.name, 'nl'));
}

export interface CheckpointForm {
  trajectoryId: string;
  name: string;
  reference: string;
  status: TrajectoryStatus;
  checkpoint: { key: string; name: string; week: number; weekStart: string; weekEnd: string };
  review: { status: CheckpointStatus; note: string; trainerConfirmed: boolean; recordedOn: string } | null;
}

/** One checkpoint of the trajectory's programme and its review so far (404 for a key the programme lacks). */
export async function checkpointForm(
  deps: Deps,
  role: Role,
  trajectoryId: string,
  key: string,
): Promise<CheckpointForm> {
  const [t, c] = await Promise.all([
    findTrajectory(deps.db, trajectoryId),
    checkpointWithReview(deps.db, trajectoryId, key),
  ]);
  if (!t || !c)
    throw notFound(
      says(`Checkpoint ${key} of trajectory ${trajectoryId}`, `Gesprek ${key} of trajectory ${trajectoryId}`),
    );
  return {
    trajectoryId: t.id,
    name: t.name,
    reference: t.reference,
    status: t.status,
    checkpoint: { key: c.key, name: c.name, week: c.week, weekStart: c.week_start, weekEnd: c.week_end },
    review: c.review
      ? {
          status: c.review.status,
          // A checkpoint note is read by those who guide the participant; nobody once it is anonymised.
          note: mayRead(t.anonymised_at ? null : role, RECORD_TEXT.checkpoint.note) ? c.review.note : '',
          trainerConfirmed: c.review.trainer_confirmed,
          recordedOn: c.review.recorded_on,
        }
      : null,
  };
}
