import { Type, type Static } from 'typebox';
import { Id, Text } from './common';

export const CheckpointTemplate = Type.Object({
  key: Id,
  name: Text(),
  week: Type.Integer({ minimum: 1, maximum: 104 }),
});

/** A programme is data: the engine runs any template of this shape. */
export const ProgrammeTemplate = Type.Object({
  weeks: Type.Integer({ minimum: 1, maximum: 104 }),
  placementDaysPerWeek: Type.Integer({ minimum: 0, maximum: 4 }),
  schoolDaysPerWeek: Type.Integer({ minimum: 0, maximum: 1 }),
  checkpoints: Type.Array(CheckpointTemplate, { maxItems: 50 }),
  attendanceThreshold: Type.Number({ minimum: 0, maximum: 1, description: 'Share of planned days attended below which a risk signal is raised' }),
  bblDecisionFromWeek: Type.Integer({ minimum: 1, maximum: 104 }),
  intendedOutcome: Type.Union([Type.Literal('bbl_doorstroom'), Type.Literal('praktijkverklaring'), Type.Literal('job')]),
});
export type ProgrammeTemplate = Static<typeof ProgrammeTemplate>;

export const Programme = Type.Object({
  id: Id,
  version: Type.Integer(),
  name: Type.String(),
  template: ProgrammeTemplate,
  createdAt: Type.String({ format: 'date-time' }),
});
export type Programme = Static<typeof Programme>;

export const NewProgrammeVersion = Type.Object(
  { id: Id, name: Text(), template: ProgrammeTemplate },
  { additionalProperties: false },
);
export type NewProgrammeVersion = Static<typeof NewProgrammeVersion>;
