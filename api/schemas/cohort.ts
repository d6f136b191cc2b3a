import { Type, type Static } from 'typebox';
import { Email, Id, IsoDate, Text, Weekday } from './common';

export const NewParticipant = Type.Object(
  {
    reference: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$', description: "The programme office's pseudonymous reference for this participant" }),
    name: Text(),
    email: Email,
    employerId: Id,
    placementWeekdays: Type.Array(Weekday, { minItems: 0, maxItems: 4, uniqueItems: true }),
    jobcoach: Type.Object({ name: Text(), email: Email }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type NewParticipant = Static<typeof NewParticipant>;

export const NewCohort = Type.Object(
  {
    programmeId: Id,
    programmeVersion: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Defaults to the newest version' })),
    region: Text(100),
    startDate: Type.Intersect([IsoDate], { description: 'The first day of week 1; must be a Monday' }),
    schoolId: Id,
    schoolWeekday: Weekday,
    participants: Type.Array(NewParticipant, { minItems: 1, maxItems: 5000 }),
  },
  { additionalProperties: false },
);
export type NewCohort = Static<typeof NewCohort>;

export const TrajectorySummary = Type.Object({
  id: Id,
  reference: Type.String(),
  workflowId: Type.String(),
  employerId: Id,
  status: Type.String(),
  endDate: IsoDate,
});
export type TrajectorySummary = Static<typeof TrajectorySummary>;

export const Cohort = Type.Object({
  id: Id,
  programmeId: Id,
  programmeVersion: Type.Integer(),
  region: Type.String(),
  startDate: IsoDate,
  schoolId: Id,
  status: Type.Union([Type.Literal('launching'), Type.Literal('launched')]),
  createdAt: Type.String({ format: 'date-time' }),
  trajectories: Type.Array(TrajectorySummary),
});
export type Cohort = Static<typeof Cohort>;

export const CohortListItem = Type.Omit(Cohort, ['trajectories']);
