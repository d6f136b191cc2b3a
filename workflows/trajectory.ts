// One participant's toeleidingstraject. It waits for the start date, takes partners' recordings as updates
// (validated before they enter history), keeps the end date and the BBL decision on durable timers, and
// writes every change to PostgreSQL through one idempotent projection activity.
// Contract first: input, state and message definitions; then the workflow.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { CHANGE_EVENTS, type Change, type EventType } from '../domain/changes';
import type { Outcome } from '../domain/outcomes';
import type { ProgrammeTemplate } from '../domain/programme';
import type { AttendanceRecording, BblConfirmation, CheckpointRecording } from '../domain/recording';
import { refusal, refusalInEnglish } from '../domain/refusals';
import type { RiskSignal } from '../domain/risks';
import { isFinal, type TrajectoryStatus } from '../domain/statuses';
import {
  addDays,
  localDate,
  localInstant,
  weekOf,
  type Closure,
  type Holiday,
  type PlannedCheckpoint,
  type PlannedDay,
  type Weekday,
} from '../domain/calendar';
import { endAfterChange, endAfterChangeQuery } from './benefit';
import { DEFAULT_FOLLOW_UP } from './follow-up';
import { legacyTrajectory } from './legacy';
import { TrajectoryStatusKey } from './search-attributes';
import {
  applyChange,
  applyClosures,
  BBL_DECISION_DAYS_AFTER_END,
  closeBblDecision,
  confirmBbl,
  currentEmployer,
  currentPlan,
  DROPOUT_GRACE_DAYS,
  initialState,
  openItems,
  reachEnd,
  recordAttendance,
  recordCheckpoint,
  Rejection,
  riskSignals,
  schedule,
  start,
  type Attendance,
  type CheckpointReview,
  type Extension,
  type OpenItems,
  type Pause,
  type ScheduleDay,
  type SickLeave,
  type TrajectoryData,
} from '../domain/state';

export interface TrajectoryInput {
  trajectoryId: string;
  cohortId: string;
  programme: { id: string; version: number; template: ProgrammeTemplate };
  region: string;
  startDate: string;
  /** The first placement; later changes arrive as updates. */
  employerId: string;
  placementWeekdays: Weekday[];
  schoolWeekday: Weekday;
  /** Public holidays over the trajectory's span, looked up outside the workflow (date-holidays). */
  holidays: Holiday[];
  /** The ROC's closure periods known at launch; later ones arrive by the closures signal. */
  closures: Closure[];
}

export type { TrajectoryStatus };

export interface TrajectoryState {
  status: TrajectoryStatus;
  today: string;
  /** 0 before the start, then 1..weeks. */
  week: number;
  /** The programme's weeks plus extensions and paused time. */
  weeks: number;
  startDate: string;
  endDate: string;
  programme: { id: string; version: number };
  employerId: string;
  nextDays: PlannedDay[];
  open: OpenItems;
  risks: RiskSignal[];
  pauses: Pause[];
  /** Ziekmeldingen; a reason is health data, blanked by the API for whoever may not read it. */
  sickLeaves: SickLeave[];
  extensions: Extension[];
  outcome?: Outcome;
}

export interface Schedule {
  status: TrajectoryStatus;
  endDate: string;
  weeks: { week: number; days: ScheduleDay[] }[];
}

export interface TrajectoryResult {
  status: TrajectoryStatus;
  endDate: string;
  outcome?: Outcome;
}

export type { EventType };

/** `seq` is generated here, in the workflow, so a retried or replayed projection writes the same row. */
export interface TrajectoryEvent {
  seq: number;
  type: EventType;
  date: string;
  data: Record<string, unknown>;
}

/** What an accepted update answers: where the trajectory stands after it. */
export interface Recorded {
  seq: number;
  status: TrajectoryStatus;
  endDate: string;
}

/**
 * Live state as of a date. The caller passes today: inside a query the workflow clock stands at its last activation.
 */
export const stateQuery = defineQuery<TrajectoryState, [asOf?: string]>('state');
export const scheduleQuery = defineQuery<Schedule>('schedule');
/**
 * The plan as the projection writes it, with the seq it stands at: to fill in runs that began before plans were
 * projected.
 */
export const planQuery = defineQuery<{ seq: number; days: PlannedDay[]; checkpoints: PlannedCheckpoint[] }>('plan');
export const recordAttendanceUpdate = defineUpdate<Recorded, [AttendanceRecording]>('recordAttendance');
export const recordCheckpointUpdate = defineUpdate<Recorded, [CheckpointRecording]>('recordCheckpoint');
export const changeUpdate = defineUpdate<Recorded, [Change]>('change');
export const confirmBblUpdate = defineUpdate<Recorded, [BblConfirmation]>('confirmBbl');
/** The ROC's complete, current list of closure periods; only dates from today on are affected. */
export const closuresSignal = defineSignal<[Closure[]]>('closures');

/** A refused recording: the API turns it into a 422 naming `field`. */
export const REJECTION = 'Rejection';

// A local activity: the projection is one short transaction, and as a local activity it costs one marker
// event instead of an activity's three plus a workflow task, which halves the history of a trajectory
// recorded day by day (bench/README.md). Retries run on the worker until the write succeeds.
const { projectTrajectory } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** Starting the follow-up or the deadlines workflow is one client call; retried until it is done. */
const { startFollowUp, startDeadlines } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

const today = () => localDate(Date.now());

/** Runs a transition; a Rejection becomes a failure the caller sees, not a failed workflow task. */
function guard<T>(transition: () => T, field = (f: string) => f): T {
  try {
    return transition();
  } catch (e) {
    if (e instanceof Rejection)
      throw ApplicationFailure.create({
        type: REJECTION,
        message: e.problem,
        // The field, and the refusal as a fact: a page words it in Dutch without parsing the message.
        details: [field(e.field), e.refusal],
        nonRetryable: true,
      });
    throw e;
  }
}

function applyAttendance(s: TrajectoryData, on: string, { entries }: AttendanceRecording): TrajectoryData {
  return entries.reduce((next, entry, i) => {
    const at = (f: string) => `entries[${i}].${f}`;
    const twice = refusal('twice', { date: entry.date });
    if (entries.findIndex((e) => e.date === entry.date) !== i)
      throw ApplicationFailure.create({
        type: REJECTION,
        message: refusalInEnglish(twice),
        details: [at('date'), twice],
        nonRetryable: true,
      });
    return guard(() => recordAttendance(next, on, entry), at);
  }, s);
}

export const RECORDING_PATCH = 'recording';
/**
 * From this version on: the plan (days and checkpoints) is projected whenever it changes, doorstroom starts
 * the follow-up, and projections run one after another. Decided once, at the start of a run, so no
 * patch marker is ever written while two things happen at once (which would not replay: tests/concurrent-
 * commits.test.ts). Runs that began before it keep the earlier behaviour to their end.
 */
export const STEERING_PATCH = 'steering-and-follow-up';

/**
 * From this version on the trajectory's deadlines run on durable timers in a workflow of their own
 * (workflows/deadlines.ts), which this one starts once. Asked where the workflow wakes rather than once at the start,
 * so that a run begun before it starts its deadlines workflow at its next activation: replaying its history up to
 * there, `patched()` is false; from the first new workflow task on it is true and leaves its marker.
 */
export const DEADLINES_PATCH = 'deadline-timers';

export async function trajectoryWorkflow(input: TrajectoryInput): Promise<TrajectoryResult> {
  // Runs started before recording existed replay on the frozen first version.
  if (!patched(RECORDING_PATCH)) return legacyTrajectory(input);
  const current = patched(STEERING_PATCH);

  const { template } = input.programme;
  let s = initialState({ ...template, ...input }, input.employerId, template);
  let seq = 0;
  /** Bumped on every change, so the main loop re-plans when the end date or the status moves. */
  let version = 0;
  /** What the plan depends on, as last projected: the plan is sent again only when it changes. */
  let projectedPlan = '';
  /**
   * The projections so far, chained: a commit's projection starts when the one before it is done. Two at
   * once (an update's, and the main loop's when that update ends the trajectory) finish in an order that
   * depends on the database, and what the workflow does next would follow that order, which a replay
   * cannot reproduce.
   */
  let projecting: Promise<unknown> = Promise.resolve();

  async function commit(
    next: TrajectoryData,
    events: Omit<TrajectoryEvent, 'seq' | 'date'>[],
    rows: { attendance?: Attendance[]; checkpoints?: CheckpointReview[] } = {},
  ): Promise<Recorded> {
    const on = today();
    if (next.status !== s.status) upsertSearchAttributes([{ key: TrajectoryStatusKey, value: next.status }]);
    s = next;
    version++;
    const stamped = events.map((e) => ({ ...e, seq: ++seq, date: on }));
    const at = seq;
    const plan = currentPlan(s);
    const { endDate } = plan;
    const planKey = JSON.stringify([s.calendar.closures, s.extensions, s.pauses, s.sickLeaves]);
    const sendPlan = current && planKey !== projectedPlan;
    if (sendPlan) projectedPlan = planKey;
    const projection = {
      trajectoryId: input.trajectoryId,
      events: stamped,
      snapshot: { seq: at, status: s.status, endDate, outcome: s.outcome ?? null, employers: s.employers },
      attendance: rows.attendance?.map((a) => ({ ...a, seq: at })) ?? [],
      checkpoints: rows.checkpoints?.map((c) => ({ ...c, seq: at })) ?? [],
      ...(sendPlan && { plan: { seq: at, days: plan.days, checkpoints: plan.checkpoints } }),
    };
    if (current) {
      // The state changed above, at once; only the writing waits its turn.
      projecting = projecting.catch(() => undefined).then(() => projectTrajectory(projection));
      await projecting;
    } else {
      await projectTrajectory(projection);
    }
    return { seq: at, status: s.status, endDate };
  }

  setHandler(stateQuery, (asOf) => {
    const on = asOf ?? today();
    const plan = currentPlan(s);
    return {
      status: s.status,
      today: on,
      week: Math.min(weekOf(plan.startDate, on), weekOf(plan.startDate, plan.endDate)),
      weeks: weekOf(plan.startDate, plan.endDate),
      startDate: plan.startDate,
      endDate: plan.endDate,
      programme: { id: input.programme.id, version: input.programme.version },
      employerId: currentEmployer(s, on),
      nextDays: isFinal(s.status) ? [] : plan.days.filter((d) => d.date >= on).slice(0, 5),
      open: openItems(s, on, plan),
      risks: riskSignals(s, on),
      pauses: s.pauses,
      sickLeaves: s.sickLeaves,
      extensions: s.extensions,
      outcome: s.outcome,
    };
  });
  setHandler(scheduleQuery, () => ({ status: s.status, ...schedule(s) }));
  // Issue 21 (benefit instruments): a proposed change's planned end, for the API's check; read-only, no patch needed.
  setHandler(endAfterChangeQuery, (change, on) => endAfterChange(s, on, change));
  setHandler(planQuery, () => {
    const { days, checkpoints } = currentPlan(s);
    return { seq, days, checkpoints };
  });

  setHandler(
    recordAttendanceUpdate,
    async (recording) => {
      const next = applyAttendance(s, today(), recording);
      const events = recording.entries.map((e) => ({
        type: (s.attendance[e.date] ? 'attendance_corrected' : 'attendance_recorded') as EventType,
        data: { ...e },
      }));
      return commit(next, events, { attendance: recording.entries.map((e) => next.attendance[e.date]!) });
    },
    { validator: (recording) => void applyAttendance(s, today(), recording) },
  );

  setHandler(
    recordCheckpointUpdate,
    async (review) => {
      const next = guard(() => recordCheckpoint(s, today(), review));
      return commit(next, [{ type: 'checkpoint_recorded', data: { ...review } }], {
        checkpoints: [next.checkpoints[review.key]!],
      });
    },
    { validator: (review) => void guard(() => recordCheckpoint(s, today(), review)) },
  );

  setHandler(
    changeUpdate,
    async (change) => {
      const next = guard(() => applyChange(s, today(), change));
      const data = change.type === 'dropout' ? { ...change, week: next.dropout!.week } : { ...change };
      return commit(next, [{ type: CHANGE_EVENTS[change.type], data }]);
    },
    { validator: (change) => void guard(() => applyChange(s, today(), change)) },
  );

  setHandler(
    confirmBblUpdate,
    async (confirmation) => {
      const next = guard(() => confirmBbl(s, today(), confirmation));
      return commit(next, [{ type: 'bbl_confirmed', data: { ...confirmation } }]);
    },
    { validator: (confirmation) => void guard(() => confirmBbl(s, today(), confirmation)) },
  );

  setHandler(closuresSignal, async (closures) => {
    if (isFinal(s.status)) return;
    await commit(applyClosures(s, today(), closures), [{ type: 'closures_applied', data: { closures } }]);
  });

  /** Waits until `instant` or until something changes; true when the time came with nothing changed. */
  async function waitUntil(instant: number): Promise<boolean> {
    const seen = version;
    const wait = instant - Date.now();
    if (wait <= 0) return true;
    return !(await condition(() => version !== seen, wait));
  }

  /**
   * Starting the deadlines workflow, once. Not waited for where it begins: the trajectory starts (and is `active` to
   * a query) at once; only its completion waits for it, so the start is never abandoned.
   */
  let startingDeadlines: Promise<void> | undefined;
  function startDeadlinesOnce(): void {
    if (startingDeadlines || !patched(DEADLINES_PATCH)) return;
    startingDeadlines = startDeadlines({ trajectoryId: input.trajectoryId });
  }

  for (;;) {
    startDeadlinesOnce();
    if (await waitUntil(localInstant(s.calendar.startDate))) break;
  }
  await commit(start(s), [{ type: 'started', data: { employerId: input.employerId } }]);

  for (;;) {
    startDeadlinesOnce();
    const { endDate } = currentPlan(s);
    if (s.status === 'active') {
      if (await waitUntil(localInstant(addDays(endDate, 1)))) {
        const next = reachEnd(s);
        await commit(next, [
          { type: next.status === 'ended' ? 'ended' : 'awaiting_bbl', data: { endDate, outcome: next.outcome } },
        ]);
      }
    } else if (s.status === 'paused') {
      const seen = version;
      await condition(() => version !== seen);
    } else if (s.status === 'awaiting_bbl') {
      // Ends as soon as both confirmations are in; two weeks after the end, whatever is missing decides it.
      const timedOut = await waitUntil(localInstant(addDays(endDate, BBL_DECISION_DAYS_AFTER_END + 1)));
      const next = timedOut ? closeBblDecision(s) : s.status === 'awaiting_bbl' ? reachEnd(s) : s;
      if (next.status === 'ended') await commit(next, [{ type: 'ended', data: { endDate, outcome: next.outcome } }]);
    } else if (s.status === 'dropped_out') {
      // A mistaken dropout can be reverted within the grace period; after it, the outcome is final.
      if (await waitUntil(localInstant(addDays(s.dropout!.date, DROPOUT_GRACE_DAYS + 1)))) break;
    } else {
      break;
    }
  }

  const outcome = s.outcome;
  if (current && (outcome?.kind === 'bbl_doorstroom' || outcome?.kind === 'job_without_bbl')) {
    // Its own workflow, running on when this one completes: the trajectory is over, the follow-up is not.
    const endDate = currentPlan(s).endDate;
    await startFollowUp({
      trajectoryId: input.trajectoryId,
      outcome: outcome.kind,
      from: outcome.kind === 'bbl_doorstroom' ? outcome.bblStartDate : endDate,
      employerId: currentEmployer(s, endDate),
      rules: { ...DEFAULT_FOLLOW_UP, ...template.followUp },
    });
  }

  await startingDeadlines;
  await condition(allHandlersFinished);
  return { status: s.status, endDate: currentPlan(s).endDate, outcome: s.outcome };
}
