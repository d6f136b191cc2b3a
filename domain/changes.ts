// Changes to a running trajectory, each once: its body (the schema the API validates and the workflow receives),
// the event it becomes in the trajectory's history, and who may make it. Adding a change means adding it here;
// the compiler then asks for its transition (state.ts), its event's personal data (personal-data.ts) and
// nothing else.
import { Type, type Static } from 'typebox';
import { DropoutReason } from './outcomes';
import { Id, IsoDate, Text } from './primitives';
import { ReadinessOverride } from './readiness';

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
      {
        type: Type.Literal('employer_change'),
        employerId: Id,
        from: IsoDate,
        // Taken off by the API before the workflow sees the change (api/services/trajectories.ts recordOn).
        readinessOverride: Type.Optional(ReadinessOverride),
      },
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
    Type.Object(
      {
        type: Type.Literal('sick_leave'),
        from: Type.Intersect([IsoDate], { description: 'The first day of sickness (ziekmelding)' }),
        reason: Type.Optional(
          Type.Intersect([Text(500)], {
            description:
              'Health data (AVG): seen only by the coordinator and the jobcoach, never by an employer, in a mail ' +
              'or in a figure; erased on anonymisation',
          }),
        ),
      },
      {
        additionalProperties: false,
        title: 'SickLeave',
        description:
          "Placement days from `from` on are not planned until recovery; school days go on unless the programme's " +
          '`sickLeave.schoolDays` says `pause`; once recovered, the end date moves by the working days of the sick ' +
          'leave unless `sickLeave.extendsEnd` is false',
      },
    ),
    Type.Object(
      {
        type: Type.Literal('recovery'),
        date: Type.Intersect([IsoDate], { description: 'The first day back (hersteldmelding)' }),
      },
      { additionalProperties: false, title: 'Recovery' },
    ),
  ],
  {
    examples: [
      { type: 'pause', from: '2027-02-01', reason: 'Zorg voor een familielid' },
      { type: 'resume', date: '2027-02-15' },
      { type: 'extension', weeks: 4, reason: 'Achterstand na ziekte' },
      { type: 'employer_change', employerId: 'po-west.garage-zuid', from: '2027-03-01' },
      { type: 'dropout', reason: 'moved', text: 'Verhuisd naar Groningen' },
      { type: 'dropout_revert', reason: 'Toch gebleven' },
      { type: 'sick_leave', from: '2027-03-08', reason: 'Griep' },
      { type: 'recovery', date: '2027-03-15' },
    ],
  },
);
export type Change = Static<typeof Change>;
export type ChangeType = Change['type'];

/** The event each change becomes in the trajectory's history. */
export const CHANGE_EVENTS = {
  pause: 'paused',
  resume: 'resumed',
  extension: 'extended',
  employer_change: 'employer_changed',
  dropout: 'dropped_out',
  dropout_revert: 'dropout_reverted',
  sick_leave: 'sick_leave_started',
  recovery: 'recovered',
} as const satisfies Record<ChangeType, string>;

/**
 * Who may make each change besides the coordinator (and the admin): the jobcoach, who guides the participant,
 * records the interruptions; the rest changes the agreement and is the programme office's.
 */
export const JOBCOACH_CHANGES: readonly ChangeType[] = ['pause', 'resume', 'sick_leave', 'recovery'];

/** Every event a trajectory's history can hold: the workflow's own, and the changes'. */
export const EVENT_TYPES = [
  'started',
  'attendance_recorded',
  'attendance_corrected',
  'checkpoint_recorded',
  'bbl_confirmed',
  'closures_applied',
  'awaiting_bbl',
  'ended',
  ...Object.values(CHANGE_EVENTS),
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const EventType = Type.Enum(EVENT_TYPES);
