// Where a trajectory, a day, a checkpoint, a cohort, a follow-up question and a reminder mail stand: each set of
// statuses once (the API's schemas and the database's row types import them), with the named groups the rest of
// the system asks about ("is anything still expected?", "has it finished?"), so no list is written out twice.
import { Type } from 'typebox';

export const TRAJECTORY_STATUSES = ['planned', 'active', 'paused', 'dropped_out', 'awaiting_bbl', 'ended'] as const;
export type TrajectoryStatus = (typeof TRAJECTORY_STATUSES)[number];
export const TrajectoryStatus = Type.Enum(TRAJECTORY_STATUSES, {
  description: 'planned, active, paused, awaiting_bbl (past the end, waiting for the BBL decision), dropped_out, ended',
});

/** Days, checkpoints and the BBL decision are still expected: reminders go out, risks are weighed. */
export const OPEN_STATUSES = ['active', 'paused', 'awaiting_bbl'] as const satisfies readonly TrajectoryStatus[];
/** The workflow still runs its course (before the start included). */
export const RUNNING_STATUSES = ['planned', ...OPEN_STATUSES] as const satisfies readonly TrajectoryStatus[];
/** Finished: the outcome is known (a dropout may still be reverted within its grace period). */
export const FINAL_STATUSES = ['dropped_out', 'ended'] as const satisfies readonly TrajectoryStatus[];

const among = (set: readonly TrajectoryStatus[]) => (s: string) => (set as readonly string[]).includes(s);
export const isOpen = among(OPEN_STATUSES);
export const isRunning = among(RUNNING_STATUSES);
export const isFinal = among(FINAL_STATUSES);

/** The status in words, for a refusal: "the trajectory is dropped out". */
export const statusInWords = (s: TrajectoryStatus) => s.replace('_', ' ');

export const ABSENCE_REASONS = ['sick', 'leave', 'unexcused', 'other'] as const;
export type AbsenceReason = (typeof ABSENCE_REASONS)[number];
export const AbsenceReason = Type.Enum(ABSENCE_REASONS);

export const CHECKPOINT_STATUSES = ['on_track', 'concerns', 'at_risk'] as const;
export type CheckpointStatus = (typeof CHECKPOINT_STATUSES)[number];
export const CheckpointStatus = Type.Enum(CHECKPOINT_STATUSES);

/** A day of the schedule: still to come or to record, recorded either way, or not expected (and why). */
export const DAY_STATUSES = ['planned', 'attended', 'absent', 'not_planned', 'paused', 'sick_leave'] as const;
export type DayStatus = (typeof DAY_STATUSES)[number];
export const DayStatus = Type.Enum(DAY_STATUSES);
/** Recorded either way. */
export const RECORDED_DAY_STATUSES = ['attended', 'absent'] as const satisfies readonly DayStatus[];
/** Days a participant is expected: still planned, or recorded. Holidays, closures, pauses and sick leave are not. */
export const EXPECTED_DAY_STATUSES = ['planned', ...RECORDED_DAY_STATUSES] as const satisfies readonly DayStatus[];

/**
 * Why a day of the plan is not planned: a public holiday, an ROC closure, a pause, a sick leave, or the days after a
 * dropout. Set where the plan is made (domain/calendar.ts, domain/state.ts) and read from here on: a day's name
 * (`reason`, e.g. the closure "pauze") is only shown, never read back.
 */
export const DAY_OFF_KINDS = ['holiday', 'closure', 'paused', 'sick_leave', 'dropped_out'] as const;
export type DayOff = (typeof DAY_OFF_KINDS)[number];
export const DayOff = Type.Enum(DAY_OFF_KINDS, {
  description:
    'Why the day is not planned: a public holiday, an ROC closure, a pause, a sick leave, or after a dropout',
});

/** The schedule's status of a day off: a pause and a sick leave are their own; the rest are simply not planned. */
export const DAY_STATUS_OF_DAY_OFF = {
  holiday: 'not_planned',
  closure: 'not_planned',
  paused: 'paused',
  sick_leave: 'sick_leave',
  dropped_out: 'not_planned',
} as const satisfies Record<DayOff, DayStatus>;

/** A cohort is launching while its trajectories' workflows are being started, launched once every one runs. */
export const COHORT_STATUSES = ['launching', 'launched'] as const;
export type CohortStatus = (typeof COHORT_STATUSES)[number];
export const CohortStatus = Type.Union([Type.Literal('launching'), Type.Literal('launched')]);

/** A follow-up question (3, 6, 12 months after the BBL start): open for answers, or closed on its closing day. */
export const FOLLOW_UP_STATUSES = ['open', 'closed'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
export const FollowUpStatus = Type.Enum(FOLLOW_UP_STATUSES);

/** A reminder mail in the outbox. */
export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed', 'uncertain', 'superseded'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export const OutboxStatus = Type.Enum(OUTBOX_STATUSES, {
  description:
    'queued: waiting (mail hours, or the mail server is down); sending: being handed to the mail server; ' +
    'sent; failed: the receiving server refused the address, not retried; uncertain: the worker sending it ' +
    'stopped before it could record whether the server took it; it is never sent again, so check with the ' +
    'recipient; superseded: not sent because a newer digest for the same recipient replaced it',
});
