import { Type, type Static } from 'typebox';
import { Email, Id, IsoDate } from './common';

export const PlannedDay = Type.Object({
  date: IsoDate,
  week: Type.Integer(),
  kind: Type.Union([Type.Literal('placement'), Type.Literal('school')]),
  planned: Type.Boolean(),
  reason: Type.Optional(Type.String()),
});

export const LiveState = Type.Object({
  status: Type.String(),
  today: IsoDate,
  week: Type.Integer({ description: '0 before the start, then 1..weeks' }),
  weeks: Type.Integer(),
  startDate: IsoDate,
  endDate: IsoDate,
  programme: Type.Object({ id: Id, version: Type.Integer() }),
  nextDays: Type.Array(PlannedDay),
});

export const Trajectory = Type.Object({
  id: Id,
  cohortId: Id,
  reference: Type.String(),
  name: Type.String(),
  email: Email,
  employerId: Id,
  jobcoach: Type.Object({ name: Type.String(), email: Email }),
  workflowId: Type.String(),
  status: Type.String({ description: 'As last recorded in the database' }),
  live: LiveState,
});
export type Trajectory = Static<typeof Trajectory>;
