// Evidence for funders over HTTP (issue 21, part 4): the employer's praktijkleren subsidy file, an ESF+ project's
// participant list and staff hours, and the BSN report matched through the keyed hash.
import { Type, type Static } from 'typebox';
import { Id, IsoDate, Text } from './common';

const Format = Type.Optional(
  Type.Union([Type.Literal('json'), Type.Literal('xlsx'), Type.Literal('csv-nl')], {
    description: 'json (default), xlsx, or CSV for Dutch Excel (semicolons, a byte-order mark)',
    examples: ['xlsx'],
  }),
);

export const SubsidyEvidenceQuery = Type.Object(
  {
    schoolYear: Type.String({
      pattern: '^[0-9]{4}-[0-9]{4}$',
      description: 'The school year, 1 August to 31 July: `2025-2026`',
      examples: ['2026-2027'],
    }),
    format: Format,
  },
  { additionalProperties: false },
);
export type SubsidyEvidenceQuery = Static<typeof SubsidyEvidenceQuery>;

export const SupervisedWeek = Type.Object({
  monday: IsoDate,
  daysPresent: Type.Integer({ description: 'Placement days the employer recorded the student present that week' }),
});

export const SubsidyPok = Type.Object(
  {
    status: Type.Union([Type.Literal('geldig'), Type.Literal('niet rond'), Type.Literal('geen')], {
      description:
        'geldig: signed by the participant, the employer and the ROC, and no new bpv-blad missing; ' +
        'niet rond: drawn up, but a signature or a bpv-blad is missing; geen: no POK recorded',
    }),
    signedOn: Type.Optional(IsoDate),
    bpvBladNeeded: Type.Boolean({
      description: 'The employer changed after it signed and the ROC has not recorded a new bpv-blad yet',
    }),
  },
  {
    description:
      'The praktijkovereenkomst (POK) as recorded in Toeleiding, judged today; signedOn: the last of the three ' +
      'signatures, once signed by all',
  },
);

export const SubsidyStudent = Type.Object({
  trajectoryId: Type.String(),
  reference: Type.String(),
  name: Type.String(),
  bblContractStart: Type.Union([Type.Null(), IsoDate], {
    description: 'The BBL contract start the employer confirmed; null: no BBL contract recorded (yet)',
  }),
  weeksRecorded: Type.Integer({ description: 'Weeks with at least one placement day recorded present' }),
  weeksCounted: Type.Integer({ description: 'The weeks that count: at most 40 a school year' }),
  weeks: Type.Array(SupervisedWeek),
  pok: SubsidyPok,
});

export const SubsidyEvidence = Type.Object({
  employerId: Type.String(),
  employerName: Type.String(),
  schoolYear: Type.String(),
  from: IsoDate,
  to: IsoDate,
  applicationDeadline: IsoDate,
  maxWeeks: Type.Integer(),
  keepUntil: Type.Integer({ description: 'The year until which the employer keeps this file (5 years)' }),
  students: Type.Array(SubsidyStudent),
});
export type SubsidyEvidence = Static<typeof SubsidyEvidence>;

export const EsfEvidenceQuery = Type.Object(
  {
    format: Format,
    part: Type.Optional(
      Type.Union([Type.Literal('participants'), Type.Literal('hours')], {
        description: 'For `format=csv-nl`: which list (a CSV holds one); participants by default',
        examples: ['hours'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type EsfEvidenceQuery = Static<typeof EsfEvidenceQuery>;

export const EsfParticipant = Type.Object({
  reference: Type.String({ description: "The participant's pseudonymous reference" }),
  intakeDate: IsoDate,
  exitDate: Type.Union([Type.Null(), IsoDate], { description: 'null: still under way' }),
  placementDays: Type.Integer({ description: 'Placement days recorded present' }),
  schoolDays: Type.Integer({ description: 'School days recorded present' }),
  checkpoints: Type.Integer({ description: 'Checkpoint conversations recorded' }),
  result: Type.String({ description: 'The outcome in the words of the funders figures' }),
});

export const EsfStaffHours = Type.Object({
  organisationId: Type.String(),
  organisationName: Type.String(),
  month: Type.String(),
  hours: Type.Number(),
  note: Type.Union([Type.Null(), Type.String()]),
});

export const EsfEvidence = Type.Object({
  covenantId: Type.String(),
  covenantName: Type.String(),
  participants: Type.Array(EsfParticipant),
  hours: Type.Array(EsfStaffHours, { description: 'Staff hours as recorded per organisation and month' }),
  totalHours: Type.Number(),
});
export type EsfEvidence = Static<typeof EsfEvidence>;

export const StaffHoursBody = Type.Object(
  {
    organisationId: Id,
    month: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' }),
    hours: Type.Number({ minimum: 0, maximum: 10000, multipleOf: 0.25, description: 'Hours, in quarters' }),
    note: Type.Optional(Text(500)),
  },
  { additionalProperties: false, examples: [{ organisationId: 'roc-west', month: '2026-09', hours: 42.5 }] },
);
export type StaffHoursBody = Static<typeof StaffHoursBody>;

export const BsnReportQuery = Type.Object(
  {
    payerId: Type.Optional(
      Type.Intersect([Id], {
        description: "The coordinator's (or admin's) choice of benefit payer; a gemeente's own key needs none",
        examples: ['gemeente-breda'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type BsnReportQuery = Static<typeof BsnReportQuery>;

export const BsnReportBody = Type.Object(
  {
    bsn: Type.Array(Type.String({ maxLength: 40 }), {
      minItems: 1,
      maxItems: 100000,
      description: "The gemeente's own BSN list; also accepted as text/csv, one BSN a line (a header line is skipped)",
    }),

    payerId: Type.Optional(
      Type.Intersect([Id], {
        description: "The coordinator's (or admin's) choice of benefit payer (or `payerId` in the query for a CSV)",
      }),
    ),
  },
  { additionalProperties: false, examples: [{ bsn: ['111222333', '123456782'] }] },
);
export type BsnReportBody = Static<typeof BsnReportBody>;

export const BsnMatch = Type.Object({
  bsn: Type.String({ description: 'The BSN as sent' }),
  reference: Type.String(),
  intakeDate: IsoDate,
  exitDate: Type.Union([Type.Null(), IsoDate]),
  result: Type.String(),
});

export const BsnRowProblem = Type.Object({
  row: Type.Integer({ description: 'Its position in the list (in a CSV: its line)' }),
  field: Type.String(),
  message: Type.String(),
  nl: Type.String(),
});

export const BsnReport = Type.Object({
  received: Type.Integer(),
  matched: Type.Array(BsnMatch),
  unmatched: Type.Integer({ description: 'Valid BSNs of no participant of yours (not listed)' }),
  invalid: Type.Array(BsnRowProblem, { description: 'Rows that are no BSN (the elfproef), never echoed' }),
});
export type BsnReport = Static<typeof BsnReport>;
