// A trajectory as partners read it: the core's statuses, outcomes and risk signals (domain/), with the words the
// API adds (a risk signal's reason in English).
import { Type, type Static } from 'typebox';
import { PlannedDay } from '../../domain/calendar';
import { EventType } from '../../domain/changes';
import { Outcome } from '../../domain/outcomes';
import { Extension, Pause, SickLeave } from '../../domain/plan-changes';
import { DayKind } from '../../domain/primitives';
import { RiskSignal as RiskFacts } from '../../domain/risks';
import { AbsenceReason, DayOff, DayStatus, TrajectoryStatus } from '../../domain/statuses';
import { Email, Id, IsoDate } from './common';

export { DayOff, EventType, Extension, Outcome, Pause, PlannedDay, SickLeave, TrajectoryStatus };

/** A risk signal: its facts, and why it is raised in (English) words. */
export const RiskSignal = Type.Evaluate(
  Type.Intersect([
    RiskFacts,
    Type.Object({ reason: Type.String({ description: 'Why the signal is raised, in words' }) }),
  ]),
);
export type RiskSignal = Static<typeof RiskSignal>;

const DueCheckpoint = Type.Object({ key: Type.String(), name: Type.String(), weekEnd: IsoDate });

export const LiveState = Type.Object({
  status: TrajectoryStatus,
  today: IsoDate,
  week: Type.Integer({ description: '0 before the start, then 1..weeks' }),
  weeks: Type.Integer({ description: "The programme's weeks, plus extensions and paused time" }),
  startDate: IsoDate,
  endDate: IsoDate,
  programme: Type.Object({ id: Id, version: Type.Integer() }),
  employerId: Type.String({ description: 'The employer today' }),
  nextDays: Type.Array(PlannedDay),
  open: Type.Object({
    attendance: Type.Array(Type.Object({ date: IsoDate, kind: DayKind }), {
      description: 'Planned days before today not yet recorded',
    }),
    checkpoints: Type.Array(DueCheckpoint, { description: 'Checkpoints due this week' }),
    overdueCheckpoints: Type.Array(DueCheckpoint),
    bbl: Type.Array(Type.Union([Type.Literal('employer_contract'), Type.Literal('school_enrolment')]), {
      description: 'BBL confirmations still missing once the decision window is open',
    }),
  }),
  risks: Type.Array(RiskSignal),
  pauses: Type.Array(Pause),
  sickLeaves: Type.Array(SickLeave, { description: 'Ziekmeldingen' }),
  extensions: Type.Array(Extension),
  outcome: Type.Optional(Outcome),
});

export const TrajectoryEvent = Type.Object({
  seq: Type.Integer(),
  type: EventType,
  date: IsoDate,
  data: Type.Record(Type.String(), Type.Unknown()),
});

export const Trajectory = Type.Object({
  id: Id,
  cohortId: Id,
  reference: Type.String(),
  name: Type.String(),
  email: Email,
  employerId: Id,
  jobcoach: Type.Union([Type.Object({ id: Id, name: Type.String(), email: Email }), Type.Null()]),
  benefitPayerId: Type.Union([Id, Type.Null()]),
  workflowId: Type.String(),
  status: Type.Intersect([TrajectoryStatus], { description: 'As last recorded in the database' }),
  live: LiveState,
  events: Type.Array(TrajectoryEvent, {
    description: 'Every recording and change so far, in order (for a later employer: from its placement on)',
  }),
});
export type Trajectory = Static<typeof Trajectory>;

export const ScheduleDay = Type.Object({
  date: IsoDate,
  week: Type.Integer(),
  kind: DayKind,
  status: DayStatus,
  off: Type.Optional(DayOff),
  reason: Type.Optional(
    Type.String({ description: 'The absence reason, or the name of the day off (as `off` says what it is)' }),
  ),
  correctionReason: Type.Optional(Type.String()),
});

export const Schedule = Type.Object({
  trajectoryId: Id,
  status: TrajectoryStatus,
  endDate: IsoDate,
  weeks: Type.Array(Type.Object({ week: Type.Integer(), days: Type.Array(ScheduleDay) })),
});
export type Schedule = Static<typeof Schedule>;

export const Recorded = Type.Object({
  seq: Type.Integer({ description: 'The sequence number of the (last) event this recording added' }),
  status: TrajectoryStatus,
  endDate: IsoDate,
});

/** A day of a whole-week recording that was not recorded, and why. */
export const RefusedDay = Type.Object({
  date: IsoDate,
  field: Type.String({
    description:
      "The part of the request it concerns: 'absences[i].date' for a listed absence, 'weekStart' for a day " +
      'that was to be recorded as present',
  }),
  message: Type.String({
    description:
      "Why, in words: the trajectory's own refusal (e.g. the day became not planned through a pause made meanwhile)",
  }),
  retryable: Type.Boolean({
    description:
      'true when the trajectory did not answer (Temporal unreachable or too slow), so the day may not be ' +
      'recorded: sending the week again with a new Idempotency-Key records it if it is missing; false when ' +
      'the trajectory refused the day',
  }),
});

export const WeekAttendanceResult = Type.Object(
  {
    organisationId: Id,
    weekStart: IsoDate,
    kind: DayKind,
    complete: Type.Boolean({
      description:
        'true when every open day of the week was recorded (or already was); false when some days were ' +
        'refused, each listed under its trajectory. Nothing at all recorded and something refused answers ' +
        '422 instead',
    }),
    trajectories: Type.Array(
      Type.Object({
        trajectoryId: Id,
        reference: Type.String(),
        present: Type.Array(IsoDate, { description: 'Recorded as present by this request' }),
        absent: Type.Array(Type.Object({ date: IsoDate, reason: AbsenceReason }), {
          description: 'Recorded as absent by this request',
        }),
        alreadyRecorded: Type.Array(IsoDate, {
          description:
            'Recorded before (by an earlier request, or by someone else meanwhile); left as they were; ' +
            'correct them per trajectory, with a reason',
        }),
        refused: Type.Array(RefusedDay, { description: 'Not recorded: each day with the reason' }),
      }),
    ),
  },
  {
    description:
      'Several trajectories cannot be recorded at once, atomically: when one refuses a day at the moment of ' +
      'recording (a change made meanwhile), the others are still recorded and this answer names, per ' +
      'trajectory and day, what was recorded, what already was and what was refused',
  },
);
export type WeekAttendanceResult = Static<typeof WeekAttendanceResult>;

export const CohortRisks = Type.Object({
  cohortId: Id,
  asOf: IsoDate,
  limit: Type.Integer(),
  offset: Type.Integer(),
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      trajectoryId: Id,
      reference: Type.String(),
      status: Type.String(),
      week: Type.Integer(),
      risks: Type.Array(RiskSignal),
    }),
  ),
});
export type CohortRisks = Static<typeof CohortRisks>;

export const ClosureView = Type.Object({
  id: Id,
  schoolId: Id,
  from: IsoDate,
  to: IsoDate,
  name: Type.String(),
  trajectoriesNotified: Type.Optional(Type.Integer({ description: 'Running trajectories the closure was sent to' })),
});

const Row = Type.Record(Type.String(), Type.Unknown());
export const PersonalDataExport = Type.Object({
  exportedAt: Type.String({ format: 'date-time' }),
  trajectory: Row,
  events: Type.Array(Row),
  attendance: Type.Array(Row),
  checkpoints: Type.Array(Row),
  placements: Type.Array(Row),
  followUps: Type.Array(Row, { description: 'Answers to the follow-up after doorstroom' }),
  workProcesses: Type.Array(Row, { description: 'The work processes the praktijkopleider saw shown, with the note' }),
  praktijkverklaring: Type.Union([Row, Type.Null()], { description: "The ROC's praktijkverklaring, once confirmed" }),
  praktijkovereenkomst: Type.Union([Row, Type.Null()], {
    description: 'The praktijkovereenkomst: when drawn up and signed, and who recorded it',
  }),
  audit: Type.Array(Row, { description: 'Who read or changed this personal data, and when' }),
});
export type PersonalDataExport = Static<typeof PersonalDataExport>;

/** An erasure takes no options: its body is empty. */
export const ErasureRequest = Type.Object({}, { additionalProperties: false, examples: [{}] });

export const Erasure = Type.Object({ trajectoryId: Id, anonymisedAt: Type.String({ format: 'date-time' }) });
export type Erasure = Static<typeof Erasure>;
