// A programme is data: the engine runs any template of this shape. The schema checks each field; `checkTemplate`
// checks what fields say together (a checkpoint after the last week or twice, a decision week after the end), so
// an impossible programme is refused when it is published, not found out mid-cohort.
import { Type, type Static } from 'typebox';
import { Id, Text } from './primitives';
import { Crebo } from './readiness';

export const CheckpointTemplate = Type.Object({
  key: Id,
  name: Text(),
  week: Type.Integer({ minimum: 1, maximum: 104 }),
});
export type CheckpointTemplate = Static<typeof CheckpointTemplate>;

/**
 * A work process (werkproces) of the qualification the programme leads to, as its kwalificatiedossier names it:
 * what a praktijkverklaring can state the participant showed. The code's form is checked by `checkTemplate`.
 */
export const WorkProcess = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 20, description: "The dossier's code, e.g. B1-K1-W1" }),
    name: Text(),
  },
  { additionalProperties: false },
);
export type WorkProcess = Static<typeof WorkProcess>;

/** A work process code: B (basisdeel) or P (profieldeel), kerntaak K, werkproces W, as in B1-K1-W1 or P2-K1-W3. */
export const WORK_PROCESS_CODE = /^[BP][1-9]\d?-K[1-9]\d?-W[1-9]\d?$/;

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
        'After doorstroom, employer and ROC are asked on the first working morning of each follow-up ' +
        'and weekly while it is open (true)',
    }),
    recognitionRecheckDaysBefore: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 120,
        description:
          "The coordinator hears this many days before a cohort's BBL decision of each employer whose SBB " +
          'recognition was last checked before the cohort started or over a year ago (28)',
      }),
    ),
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

/** What a sick leave (ziekmelding) does to the plan; every rule left out takes its default (in brackets). */
export const SickLeaveRules = Type.Object(
  {
    schoolDays: Type.Union([Type.Literal('continue'), Type.Literal('pause')], {
      description: 'School days during a sick leave: the participant keeps going to the ROC, or not (continue)',
    }),
    extendsEnd: Type.Boolean({
      description:
        'After recovery the end date moves by the working days of the sick leave, as after a pause (true); ' +
        'false: the end date stays',
    }),
  },
  { additionalProperties: false },
);
export type SickLeaveRules = Static<typeof SickLeaveRules>;
export const DEFAULT_SICK_LEAVE: SickLeaveRules = { schoolDays: 'continue', extendsEnd: true };

export const ProgrammeTemplate = Type.Object({
  weeks: Type.Integer({ minimum: 1, maximum: 104 }),
  placementDaysPerWeek: Type.Integer({
    minimum: 0,
    maximum: 4,
    description: 'Each participant names this many placement weekdays at the launch',
  }),
  schoolDaysPerWeek: Type.Integer({
    minimum: 1,
    maximum: 1,
    description: 'One ROC day a week (the cohort names its weekday)',
  }),
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
  sickLeave: Type.Optional(Type.Partial(SickLeaveRules)),
  crebo: Type.Optional(
    Type.Intersect([Crebo], {
      description: 'The BBL qualification the programme leads to; employers need SBB recognition for it (25491)',
    }),
  ),
  workProcesses: Type.Optional(
    Type.Array(WorkProcess, {
      maxItems: 60,
      description:
        'The work processes of the qualification the programme leads to (kwalificatiedossier): the ones a ' +
        'praktijkverklaring can name',
    }),
  ),
});
export type ProgrammeTemplate = Static<typeof ProgrammeTemplate>;

export interface TemplateProblem {
  field: string;
  /** In English, as the API has always said it. */
  message: string;
  /** The same in Dutch (Accept-Language: nl). */
  nl: string;
}

/** What the template's fields say together; empty when the programme can run. Fields are named from `at`. */
export function checkTemplate(t: ProgrammeTemplate, at = 'template'): TemplateProblem[] {
  // That the days fit in the week needs no check here: the schema caps them at 4 + 1, the five working days (a
  // launch refuses a placement weekday that is the ROC day, api/services/cohorts.ts).
  const problems: TemplateProblem[] = [];
  const seen = new Set<string>();
  t.checkpoints.forEach((c, i) => {
    if (c.week > t.weeks)
      problems.push({
        field: `${at}.checkpoints[${i}].week`,
        message: `week ${c.week} is after the programme's last week (${t.weeks})`,
        nl: `week ${c.week} ligt na de laatste week van het programma (${t.weeks})`,
      });
    if (seen.has(c.key))
      problems.push({
        field: `${at}.checkpoints[${i}].key`,
        message: `${c.key} appears twice`,
        nl: `${c.key} komt twee keer voor`,
      });
    seen.add(c.key);
  });
  const codes = new Set<string>();
  (t.workProcesses ?? []).forEach((w, i) => {
    if (!WORK_PROCESS_CODE.test(w.code))
      problems.push({
        field: `${at}.workProcesses[${i}].code`,
        message: `${w.code} is not a work process code such as B1-K1-W1`,
        nl: `${w.code} is geen werkprocescode zoals B1-K1-W1`,
      });
    if (codes.has(w.code))
      problems.push({
        field: `${at}.workProcesses[${i}].code`,
        message: `${w.code} appears twice`,
        nl: `${w.code} komt twee keer voor`,
      });
    codes.add(w.code);
  });
  if (t.bblDecisionFromWeek > t.weeks)
    problems.push({
      field: `${at}.bblDecisionFromWeek`,
      message:
        `the BBL decision would open in week ${t.bblDecisionFromWeek}, ` +
        `after the programme's last week (${t.weeks})`,
      nl:
        `het BBL-besluit zou in week ${t.bblDecisionFromWeek} opengaan, ` +
        `na de laatste week van het programma (${t.weeks})`,
    });
  return problems;
}
