import { Type, type Static } from 'typebox';
import { CohortStatus, TrajectoryStatus } from '../../domain/statuses';
import { Email, Id, IsoDate, Text, Weekday } from './common';
import { Bsn } from './outcome';
import { ReadinessOverride } from './readiness';
import { BenefitAtLaunch } from './benefit';

export const NewParticipant = Type.Object(
  {
    reference: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9._-]+$',
      description: "The programme office's pseudonymous reference for this participant",
    }),
    name: Text(),
    email: Email,
    employerId: Id,
    placementWeekdays: Type.Array(Weekday, { minItems: 0, maxItems: 4, uniqueItems: true }),
    jobcoachId: Type.Intersect([Id], {
      description:
        'The jobcoach: a contact (role jobcoach) of the programme office or of a covenant member that ' +
        'provides jobcoaching',
    }),
    benefitPayerId: Type.Intersect([Id], {
      description:
        "The gemeente or UWV that pays the participant's benefit: a funder in the covenant. It may see this " +
        "participant's outcome.",
    }),
    bsn: Type.Optional(
      Type.Intersect([Bsn], {
        description: 'Only to match the participant with the benefit payer; stored as a keyed hash, never in clear',
      }),
    ),
    benefit: Type.Optional(BenefitAtLaunch),
  },
  { additionalProperties: false },
);
export type NewParticipant = Static<typeof NewParticipant>;

export const NewCohort = Type.Object(
  {
    programmeId: Id,
    programmeVersion: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Defaults to the newest version' }),
    ),
    covenantId: Type.Intersect([Id], {
      description:
        'The covenant the cohort runs under: its region, and the partners the school, employers, jobcoaches ' +
        "and benefit payers must be among. The caller's programme office must coordinate it.",
    }),
    startDate: Type.Intersect([IsoDate], { description: 'The first day of week 1; must be a Monday' }),
    schoolId: Id,
    schoolWeekday: Weekday,
    participants: Type.Array(NewParticipant, { minItems: 1, maxItems: 5000 }),
    readinessOverride: Type.Optional(ReadinessOverride),
  },
  {
    additionalProperties: false,
    examples: [
      {
        programmeId: 'welslagen',
        programmeVersion: 1,
        covenantId: 'po-west.west-brabant',
        startDate: '2027-01-04',
        schoolId: 'po-west.roc-west',
        schoolWeekday: 'friday',
        participants: [
          {
            reference: 'WB-2027-001',
            name: 'Sanne de Vries',
            email: 'sanne@example.nl',
            employerId: 'po-west.bakkerij-de-hoek',
            placementWeekdays: ['monday', 'tuesday', 'wednesday'],
            jobcoachId: 'po-west.jan-jansen',
            benefitPayerId: 'gemeente-breda',
            bsn: '111222333',
          },
        ],
      },
    ],
  },
);
export type NewCohort = Static<typeof NewCohort>;

export const TrajectorySummary = Type.Object({
  id: Id,
  reference: Type.String(),
  workflowId: Type.String(),
  employerId: Id,
  status: TrajectoryStatus,
  endDate: IsoDate,
});
export type TrajectorySummary = Static<typeof TrajectorySummary>;

export const Cohort = Type.Object({
  id: Id,
  programmeId: Id,
  programmeVersion: Type.Integer(),
  covenantId: Type.Union([Id, Type.Null()]),
  region: Type.String(),
  startDate: IsoDate,
  schoolId: Id,
  status: CohortStatus,
  createdAt: Type.String({ format: 'date-time' }),
  trajectories: Type.Array(TrajectorySummary),
});
export type Cohort = Static<typeof Cohort>;

export const CohortListItem = Type.Omit(Cohort, ['trajectories']);
