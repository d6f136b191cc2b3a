// The coordinator's steering view: who needs attention and why, which partner lags behind, how the
// checkpoints and the cohorts are going. docs/outcomes.md defines each figure.
import { Type, type Static } from 'typebox';
import { TrajectoryStatus } from '../../domain/statuses';
import { Id, IsoDate, Page } from './common';
import { FigureQuery } from './outcome';
import { RiskSignal } from './trajectory';

const { format: _format, ...filters } = FigureQuery.properties;
export const SteeringQuery = Type.Object(
  {
    ...filters,
    asOf: Type.Optional(
      Type.Intersect([IsoDate], {
        description: 'The day to look from (default: today, Europe/Amsterdam)',
        examples: ['2027-03-01'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type SteeringQuery = Static<typeof SteeringQuery>;

export const SteeringRiskQuery = Type.Object(
  { ...Page.properties, ...SteeringQuery.properties },
  { additionalProperties: false },
);
export type SteeringRiskQuery = Static<typeof SteeringRiskQuery>;

export const AtRisk = Type.Object({
  trajectoryId: Id,
  reference: Type.String(),
  cohortId: Id,
  status: TrajectoryStatus,
  week: Type.Integer(),
  risks: Type.Array(RiskSignal),
});
export type AtRisk = Static<typeof AtRisk>;

export const SteeringRisks = Type.Object({
  asOf: IsoDate,
  limit: Type.Integer(),
  offset: Type.Integer(),
  total: Type.Integer(),
  items: Type.Array(AtRisk),
});
export type SteeringRisks = Static<typeof SteeringRisks>;

export const Steering = Type.Object({
  asOf: IsoDate,
  risks: Type.Object({
    participants: Type.Integer({
      description: 'Participants with at least one risk signal (the list: GET /v1/steering/risks)',
    }),
    byKind: Type.Record(Type.String(), Type.Integer()),
  }),
  partners: Type.Array(
    Type.Object({
      organisationId: Id,
      name: Type.String(),
      overdueDays: Type.Integer({
        description:
          'Planned days before asOf that nobody recorded (placement days: the employer of that day; school ' +
          'days: the ROC)',
      }),
      overdueCheckpoints: Type.Integer({
        description: "Checkpoints not recorded by the end of their week (the jobcoach's organisation)",
      }),
      participants: Type.Integer({ description: 'Participants with something overdue at this organisation' }),
      oldest: Type.Union([IsoDate, Type.Null()], { description: 'The oldest overdue day or checkpoint week end' }),
    }),
    { description: 'Partners with something overdue, most first' },
  ),
  checkpoints: Type.Array(
    Type.Object({
      key: Type.String(),
      name: Type.String(),
      week: Type.Integer(),
      planned: Type.Integer(),
      due: Type.Integer({ description: 'Its week is over, or it was recorded already' }),
      onTime: Type.Integer(),
      late: Type.Integer(),
      overdue: Type.Integer({ description: 'Due, not recorded, trajectory still running' }),
      missed: Type.Integer({ description: 'Due, not recorded, trajectory finished' }),
      completion: Type.Union([Type.Number(), Type.Null()], {
        description: '(onTime + late) / due; null before any is due',
      }),
    }),
  ),
  cohorts: Type.Array(
    Type.Object({
      cohortId: Id,
      weeks: Type.Array(
        Type.Object({
          week: Type.Integer(),
          from: IsoDate,
          participants: Type.Integer(),
          plannedDays: Type.Integer(),
          dueDays: Type.Integer(),
          recordedDays: Type.Integer(),
          attendedDays: Type.Integer(),
          attendanceRate: Type.Union([Type.Number(), Type.Null()]),
          dropouts: Type.Integer(),
        }),
      ),
    }),
    { description: 'Each cohort week by week' },
  ),
});
export type Steering = Static<typeof Steering>;
