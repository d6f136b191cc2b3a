// What partners record on a trajectory: attendance, checkpoint reviews, the BBL confirmations, and an ROC's
// closure periods. These schemas validate the API's bodies, document them, and are the workflow's message
// types, so the three cannot drift apart.
import { Type, type Static } from 'typebox';
import { IsoDate, DayKind, Text } from './primitives';
import { AbsenceReason, CheckpointStatus } from './statuses';

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
    workProcesses: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 20 }), {
        maxItems: 20,
        uniqueItems: true,
        description:
          "Work processes of the programme's qualification the review refers to (codes such as B1-K1-W1); " +
          'kept with the checkpoint in its event',
      }),
    ),
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
