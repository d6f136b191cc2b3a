// What partners record on a trajectory, for HTTP: the recordings and changes are the core's (domain/), which the
// workflow receives as they are; the whole-week recording is the API's own shape, fanned out over trajectories.
import { Type, type Static } from 'typebox';
import { Id, IsoDate } from '../../domain/primitives';
import { AbsenceReason } from '../../domain/statuses';

export { Change } from '../../domain/changes';
export { DropoutReason } from '../../domain/outcomes';
export {
  AttendanceEntry,
  AttendanceRecording,
  BblConfirmation,
  CheckpointRecording,
  Closure,
} from '../../domain/recording';
export { AbsenceReason, CheckpointStatus } from '../../domain/statuses';
export { DayKind } from '../../domain/primitives';

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
