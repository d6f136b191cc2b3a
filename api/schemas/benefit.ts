// Keeping the benefit: a participant's instrument, the payer's extension decisions and BBL adjustment, the check a
// change goes through (also as a preview), and a gemeente's monthly provisions. Rules: domain/benefit.ts.
import { Type, type Static } from 'typebox';
import { Change } from '../../domain/changes';
import { AdjustmentOutcome, ExtensionDecision, Instrument } from '../../domain/benefit';
import { Id, IsoDate, Page } from './common';

export { Instrument, ExtensionDecision };

export const BenefitAtLaunch = Type.Object(
  {
    instrument: Type.Optional(
      Type.Intersect([Instrument], {
        description: "Defaults from the payer's kind: a UWV proefplaatsing, or a gemeente's werkervaringsplaats",
      }),
    ),
    startDate: Type.Optional(Type.Intersect([IsoDate], { description: "Defaults to the cohort's start" })),
    decisionDate: Type.Optional(
      Type.Intersect([IsoDate], { description: "The payer's decision (beschikking); defaults to the start" }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "The benefit payer's instrument under which the participant keeps the benefit; the rule set follows the " +
      "payer (UWV) or the covenant's region (gemeente). Left out: none recorded yet, settable later.",
    examples: [{ instrument: 'werkervaringsplaats', decisionDate: '2026-12-15' }],
  },
);
export type BenefitAtLaunch = Static<typeof BenefitAtLaunch>;

export const BenefitBody = Type.Object(
  {
    instrument: Type.Optional(Instrument),
    startDate: IsoDate,
    decisionDate: IsoDate,
  },
  {
    additionalProperties: false,
    description: "Sets (or corrects) the participant's instrument; recorded extension decisions stay",
    examples: [{ instrument: 'uwv_proefplaatsing', startDate: '2027-01-04', decisionDate: '2026-12-20' }],
  },
);
export type BenefitBody = Static<typeof BenefitBody>;

export const ExtensionBody = Type.Intersect([ExtensionDecision], {
  examples: [{ until: '2027-05-31', decidedOn: '2027-02-20', reference: 'UWV-2027-0142' }],
});

export const AdjustmentBody = Type.Object(
  {
    outcome: AdjustmentOutcome,
    date: Type.Intersect([IsoDate], { description: 'The date the adjustment took effect' }),
  },
  { additionalProperties: false, examples: [{ outcome: 'ended', date: '2027-09-01' }] },
);
export type AdjustmentBody = Static<typeof AdjustmentBody>;

const Explanation = Type.Object({ en: Type.String(), nl: Type.String() }, { additionalProperties: false });

export const BenefitCheckView = Type.Object(
  {
    instrument: Instrument,
    plannedEnd: IsoDate,
    maximumEnd: Type.Intersect([IsoDate], { description: 'The last day covered, extension decisions included' }),
    ceiling: Type.Intersect([IsoDate], { description: 'The furthest an extension decision can reach' }),
    pastMaximum: Type.Boolean(),
    explanation: Type.Union([Explanation, Type.Null()]),
  },
  { additionalProperties: false },
);

export const BenefitView = Type.Object(
  {
    trajectoryId: Id,
    payerId: Id,
    instrument: Instrument,
    instrumentName: Type.String(),
    legalBasis: Type.String(),
    ruleSet: Type.String(),
    startDate: IsoDate,
    decisionDate: IsoDate,
    extensions: Type.Array(ExtensionDecision),
    adjustment: Type.Union([
      Type.Object({ outcome: AdjustmentOutcome, date: IsoDate }, { additionalProperties: false }),
      Type.Null(),
    ]),
    check: BenefitCheckView,
  },
  { additionalProperties: false },
);
export type BenefitView = Static<typeof BenefitView>;

export const ChangePreviewBody = Type.Intersect([Change], {
  description: 'The change as it would be sent to /changes; nothing is recorded',
  examples: [{ type: 'extension', weeks: 4, reason: 'Achterstand na ziekte' }],
});

export const ChangePreview = Type.Object(
  {
    accepted: Type.Boolean({ description: 'Whether /changes would take it now' }),
    endBefore: Type.Union([IsoDate, Type.Null()]),
    endAfter: Type.Union([IsoDate, Type.Null()]),
    errors: Type.Array(
      Type.Object(
        { field: Type.String(), message: Type.String(), nl: Type.String({ description: 'The same in Dutch' }) },
        { additionalProperties: false },
      ),
      {
        description: 'Why /changes would refuse it, as its 422 would name it',
      },
    ),
    benefit: Type.Union([BenefitCheckView, Type.Null()], { description: 'Null when no instrument is recorded' }),
  },
  { additionalProperties: false },
);
export type ChangePreview = Static<typeof ChangePreview>;

export const ProvisionsQuery = Type.Object(
  {
    month: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM', examples: ['2027-03'] }),
    format: Type.Optional(
      Type.Enum(['json', 'csv'], {
        default: 'json',
        description: 'csv: the whole month, for Dutch Excel',
        examples: ['csv'],
      }),
    ),
    ...Page.properties,
  },
  { additionalProperties: false },
);

export const Provision = Type.Object(
  {
    reference: Type.String({ description: "The programme office's pseudonymous reference" }),
    instrument: Instrument,
    legalBasis: Type.String(),
    startDate: IsoDate,
    endDate: Type.Intersect([IsoDate], {
      description: 'The planned end, or the maximum when that comes first: the last day of the provision',
    }),
    decisionDate: IsoDate,
  },
  { additionalProperties: false },
);

export const Provisions = Type.Object(
  {
    payerId: Id,
    month: Type.String(),
    items: Type.Array(Provision, { description: 'The provisions that ran on a day of the month, by reference' }),
    limit: Type.Integer(),
    offset: Type.Integer(),
    total: Type.Integer(),
  },
  { additionalProperties: false },
);
export type Provisions = Static<typeof Provisions>;
