// What partners record on a trajectory. These schemas validate the API bodies, document them in OpenAPI and
// give the workflow its message types, so the three cannot drift apart.
import { Type, type Static } from 'typebox';
import { DROPOUT_REASONS } from '../../workflows/state';
import { Id, IsoDate, Text } from './common';

export const AbsenceReason = Type.Union([
  Type.Literal('sick'),
  Type.Literal('leave'),
  Type.Literal('unexcused'),
  Type.Literal('other'),
]);
export const DayKind = Type.Union([Type.Literal('placement'), Type.Literal('school')]);

export const AttendanceEntry = Type.Object(
  {
    date: IsoDate,
    kind: DayKind,
    present: Type.Boolean(),
    reason: Type.Optional(Type.Intersect([AbsenceReason], { description: 'Required for an absence' })),
    correctionReason: Type.Optional(
      Type.Intersect([Text(500)], {
        description: 'Required when the day was recorded before: the earlier recording stays in the history',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AttendanceEntry = Static<typeof AttendanceEntry>;

export const AttendanceRecording = Type.Object(
  {
    entries: Type.Array(AttendanceEntry, {
      minItems: 1,
      maxItems: 10,
      description: 'At most two weeks of days; all are accepted or none',
    }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        entries: [
          { date: '2027-01-04', kind: 'placement', present: true },
          { date: '2027-01-05', kind: 'placement', present: false, reason: 'sick' },
          {
            date: '2027-01-06',
            kind: 'placement',
            present: true,
            correctionReason: 'Eerder per ongeluk als afwezig geregistreerd',
          },
        ],
      },
    ],
  },
);
export type AttendanceRecording = Static<typeof AttendanceRecording>;

/** "All present except ...": a whole week for every participant the organisation has that week. */
export const WeekAttendance = Type.Object(
  {
    weekStart: Type.Intersect([IsoDate], { description: 'The Monday of the week' }),
    absences: Type.Array(
      Type.Object({ trajectoryId: Id, date: IsoDate, reason: AbsenceReason }, { additionalProperties: false }),
      { maxItems: 5000, default: [] },
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        weekStart: '2027-01-04',
        absences: [{ trajectoryId: '5f0c2a9e-3b1d-4c7a-9e8f-2d6b1a0c4e11', date: '2027-01-05', reason: 'sick' }],
      },
    ],
  },
);
export type WeekAttendance = Static<typeof WeekAttendance>;

export const CheckpointStatus = Type.Union([
  Type.Literal('on_track'),
  Type.Literal('concerns'),
  Type.Literal('at_risk'),
]);
export const CheckpointRecording = Type.Object(
  {
    key: Type.String({
      minLength: 1,
      maxLength: 50,
      pattern: '^[a-z0-9-]+$',
      description: "A checkpoint key of the programme template, e.g. 'intake'",
    }),
    status: CheckpointStatus,
    note: Text(1000),
    trainerConfirmed: Type.Boolean({ description: 'The workplace trainer confirmed the review' }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        key: 'intake',
        status: 'on_track',
        note: 'Goed begonnen; werkt zelfstandig aan de broodlijn',
        trainerConfirmed: true,
      },
    ],
  },
);
export type CheckpointRecording = Static<typeof CheckpointRecording>;

export const DropoutReason = Type.Enum(DROPOUT_REASONS, { description: 'Why the participant left; explain in `text`' });

export const Change = Type.Union(
  [
    Type.Object(
      { type: Type.Literal('pause'), from: IsoDate, reason: Text(500) },
      { additionalProperties: false, title: 'Pause' },
    ),
    Type.Object({ type: Type.Literal('resume'), date: IsoDate }, { additionalProperties: false, title: 'Resume' }),
    Type.Object(
      { type: Type.Literal('extension'), weeks: Type.Integer({ minimum: 1, maximum: 20 }), reason: Text(500) },
      { additionalProperties: false, title: 'Extension' },
    ),
    Type.Object(
      { type: Type.Literal('employer_change'), employerId: Id, from: IsoDate },
      { additionalProperties: false, title: 'EmployerChange' },
    ),
    Type.Object(
      { type: Type.Literal('dropout'), reason: DropoutReason, text: Text(1000) },
      { additionalProperties: false, title: 'Dropout' },
    ),
    Type.Object(
      { type: Type.Literal('dropout_revert'), reason: Text(500) },
      { additionalProperties: false, title: 'DropoutRevert' },
    ),
  ],
  {
    examples: [
      { type: 'pause', from: '2027-02-01', reason: 'Ziek thuis' },
      { type: 'resume', date: '2027-02-15' },
      { type: 'extension', weeks: 4, reason: 'Achterstand na ziekte' },
      { type: 'employer_change', employerId: 'po-west.garage-zuid', from: '2027-03-01' },
      { type: 'dropout', reason: 'moved', text: 'Verhuisd naar Groningen' },
      { type: 'dropout_revert', reason: 'Toch gebleven' },
    ],
  },
);
export type Change = Static<typeof Change>;

export const BblConfirmation = Type.Union(
  [
    Type.Object(
      { by: Type.Literal('employer'), contractStartDate: IsoDate },
      { additionalProperties: false, title: 'EmployerContract' },
    ),
    Type.Object(
      { by: Type.Literal('employer'), jobWithoutBbl: Type.Literal(true) },
      { additionalProperties: false, title: 'JobWithoutBbl' },
    ),
    Type.Object({ by: Type.Literal('school') }, { additionalProperties: false, title: 'SchoolEnrolment' }),
  ],
  {
    examples: [
      { by: 'employer', contractStartDate: '2027-06-01' },
      { by: 'employer', jobWithoutBbl: true },
      { by: 'school' },
    ],
  },
);
export type BblConfirmation = Static<typeof BblConfirmation>;

export const Closure = Type.Object(
  { from: IsoDate, to: IsoDate, name: Text(100) },
  { additionalProperties: false, examples: [{ from: '2027-02-15', to: '2027-02-19', name: 'Voorjaarsvakantie' }] },
);
export type Closure = Static<typeof Closure>;
