import { Type, type Static } from 'typebox';
import { Id, Text } from './common';

export const CheckpointTemplate = Type.Object({
  key: Id,
  name: Text(),
  week: Type.Integer({ minimum: 1, maximum: 104 }),
});

/** Which reminders a programme sends, and when; every rule left out takes its default (in brackets). */
export const ReminderRules = Type.Object(
  {
    attendanceAfterWorkingDays: Type.Integer({
      minimum: 1,
      maximum: 10,
      description: 'Unrecorded attendance is reminded at 10:00 this many working days after the day (1)',
    }),
    checkpointDueWithinWorkingDays: Type.Integer({
      minimum: 0,
      maximum: 10,
      description: 'The jobcoach hears of a checkpoint due within this many working days (3)',
    }),
    weekOverview: Type.Boolean({
      description: "Employers get Monday's overview of who is expected on which days (true)",
    }),
    bblDecisionWeekly: Type.Boolean({
      description: 'Employer and ROC are asked weekly for their BBL confirmation from the decision week on (true)',
    }),
    escalateAfterReminders: Type.Integer({
      minimum: 1,
      maximum: 10,
      description: 'The coordinator hears of a reminder sent this many times and still not acted on (2)',
    }),
    riskSignals: Type.Boolean({ description: 'The coordinator hears of every new risk signal (true)' }),
    followUpWeekly: Type.Boolean({
      description:
        'After doorstroom, employer and ROC are asked on the first working morning of each follow-up and weekly while it is open (true)',
    }),
  },
  { additionalProperties: false },
);
export type ReminderRules = Static<typeof ReminderRules>;

/** Asking the employer (and the ROC) after doorstroom whether the participant is still employed (and enrolled). */
export const FollowUpRules = Type.Object(
  {
    months: Type.Array(Type.Integer({ minimum: 1, maximum: 36 }), {
      minItems: 1,
      maxItems: 6,
      uniqueItems: true,
      description: 'Months after the BBL start (or the end, for a job without BBL) at which to ask ([3, 6, 12])',
    }),
    answerWithinDays: Type.Integer({
      minimum: 5,
      maximum: 90,
      description: 'Days to answer; a question still open after them counts as "no answer" (28)',
    }),
  },
  { additionalProperties: false },
);
export type FollowUpRules = Static<typeof FollowUpRules>;

/** A programme is data: the engine runs any template of this shape. */
export const ProgrammeTemplate = Type.Object({
  weeks: Type.Integer({ minimum: 1, maximum: 104 }),
  placementDaysPerWeek: Type.Integer({ minimum: 0, maximum: 4 }),
  schoolDaysPerWeek: Type.Integer({ minimum: 0, maximum: 1 }),
  checkpoints: Type.Array(CheckpointTemplate, { maxItems: 50 }),
  attendanceThreshold: Type.Number({
    minimum: 0,
    maximum: 1,
    description: 'Share of planned days attended below which a risk signal is raised',
  }),
  bblDecisionFromWeek: Type.Integer({ minimum: 1, maximum: 104 }),
  intendedOutcome: Type.Union([
    Type.Literal('bbl_doorstroom'),
    Type.Literal('praktijkverklaring'),
    Type.Literal('job'),
  ]),
  reminders: Type.Optional(Type.Partial(ReminderRules)),
  followUp: Type.Optional(Type.Partial(FollowUpRules)),
});
export type ProgrammeTemplate = Static<typeof ProgrammeTemplate>;

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
