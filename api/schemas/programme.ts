import { Type, type Static } from 'typebox';
import { ProgrammeTemplate } from '../../domain/programme';
import { Id, Text } from './common';

export {
  CheckpointTemplate,
  FollowUpRules,
  ProgrammeTemplate,
  ReminderRules,
  WorkProcess,
} from '../../domain/programme';

export const Programme = Type.Object({
  id: Id,
  version: Type.Integer(),
  name: Type.String(),
  template: ProgrammeTemplate,
  officeId: Type.Union([Id, Type.Null()], {
    description:
      'The programme office that owns the template; null: shared by the admin (WelSlagen), read-only to offices',
  }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Programme = Static<typeof Programme>;

export const NewProgrammeVersion = Type.Object(
  {
    id: Type.Intersect([Id], {
      description: 'The programme; an office\'s own begin with its id and a dot ("po-west.welslagen")',
    }),
    name: Text(),
    template: Type.Optional(ProgrammeTemplate),
    basedOn: Type.Optional(
      Type.Object(
        { id: Id, version: Type.Optional(Type.Integer({ minimum: 1 })) },
        {
          additionalProperties: false,
          description:
            "Start from this template's text (a shared one, or the office's own); `template`, when given, replaces it",
        },
      ),
    ),
    officeId: Type.Optional(
      Type.Intersect([Id], {
        description: 'Admin only, for a new programme: the office that owns it. Left out: shared with every office',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      { id: 'po-west.welslagen-kort', name: 'WelSlagen kort', basedOn: { id: 'welslagen', version: 1 } },
      {
        id: 'po-west.zorg',
        name: 'Zorg en welzijn',
        template: {
          weeks: 20,
          placementDaysPerWeek: 3,
          schoolDaysPerWeek: 1,
          checkpoints: [
            { key: 'intake', name: 'Intake', week: 1 },
            { key: 'midway', name: 'Tussenevaluatie', week: 10 },
          ],
          attendanceThreshold: 0.8,
          bblDecisionFromWeek: 16,
          intendedOutcome: 'bbl_doorstroom',
          reminders: { attendanceAfterWorkingDays: 2 },
          followUp: { months: [3, 6, 12] },
        },
      },
    ],
  },
);
export type NewProgrammeVersion = Static<typeof NewProgrammeVersion>;
