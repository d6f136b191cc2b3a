// The recruitment funnel (a round's, for its office), the funders' recruitment figures (small cells suppressed), and
// the preview of a round's dates.
import { Type, type Static } from 'typebox';
import { Draaiboek, LEAVE_REASONS } from '../../domain/recruitment';
import { EXAMPLE_ID, Id, IsoDate, withExample } from './common';

const Count = Type.Integer({ minimum: 0 });
const Shown = Type.Union([Count, Type.Null()], { description: 'null: 1 to 4 people, or would give such a count away' });
const DaysFigure = Type.Union([Type.Number(), Type.Null()]);

const download = Type.Enum(['json', 'csv-nl', 'xlsx'], {
  description:
    'csv-nl: one row per step for Dutch Excel (semicolons, UTF-8 with a byte-order mark, CRLF, a decimal comma, ' +
    'Dutch headers); xlsx: the same rows as an Excel workbook; both as a download',
  examples: ['csv-nl'],
});

export const FunnelQuery = Type.Object({ format: Type.Optional(download) });
export type FunnelQuery = Static<typeof FunnelQuery>;

export const FunnelDurations = Type.Object(
  {
    n: Type.Integer({ minimum: 0, description: 'Outcomes recorded at the step' }),
    median: DaysFigure,
    q1: Type.Union([Type.Number(), Type.Null()], { description: 'First quartile (PERCENTILE.INC)' }),
    q3: Type.Union([Type.Number(), Type.Null()], { description: 'Third quartile (PERCENTILE.INC)' }),
    min: DaysFigure,
    max: DaysFigure,
  },
  { description: 'Calendar days from reaching the step to its outcome; null without outcomes' },
);

export const FunnelStepView = Type.Object({
  step: Type.String(),
  name: Type.String(),
  entered: Count,
  passed: Count,
  left: Count,
  leftBy: Type.Record(Type.String(), Count, {
    description: `Left at the step, per reason of the fixed list: ${Object.keys(LEAVE_REASONS).join(', ')}`,
  }),
  inProgress: Count,
  overdue: Count,
  days: FunnelDurations,
});

export const RoundFunnel = Type.Object({
  roundId: Type.String(),
  name: Type.String(),
  programmeId: Type.String(),
  region: Type.String(),
  candidates: Count,
  matched: Count,
  steps: Type.Array(FunnelStepView),
});
export type RoundFunnel = Static<typeof RoundFunnel>;

export const RecruitmentFigureQuery = Type.Object({
  programmeId: Type.Optional(withExample(Id, 'welslagen')),
  region: Type.Optional(Type.String({ minLength: 1, maxLength: 100, examples: ['West-Brabant'] })),
  roundId: Type.Optional(withExample(Id, EXAMPLE_ID)),
  per: Type.Optional(
    Type.Enum(['round', 'region'], {
      examples: ['region'],
      description:
        'round: a funnel per round (a coordinator and the admin only, and their default); region: the rounds of a ' +
        'programme and region added up (the only level, and the default, for a funder)',
    }),
  ),
  format: Type.Optional(download),
});
export type RecruitmentFigureQuery = Static<typeof RecruitmentFigureQuery>;

export const ShownFunnelStep = Type.Object({
  step: Type.String(),
  name: Type.String(),
  entered: Shown,
  passed: Shown,
  left: Shown,
  inProgress: Shown,
  leftBy: Type.Record(Type.String(), Shown),
  medianDays: Type.Union([Type.Number(), Type.Null()], {
    description: 'Median days from reaching the step to its outcome; null with fewer than 5 outcomes',
  }),
});

export const RecruitmentFigures = Type.Object({
  per: Type.Enum(['round', 'region']),
  groups: Type.Array(
    Type.Object({
      programmeId: Type.String(),
      region: Type.String(),
      roundId: Type.Union([Type.String(), Type.Null()], { description: 'null when rounds are added up per region' }),
      name: Type.String({ description: "The round's name, or the programme and region" }),
      rounds: Count,
      candidates: Shown,
      matched: Shown,
      steps: Type.Array(ShownFunnelStep),
    }),
  ),
  suppression: Type.String(),
});
export type RecruitmentFigures = Static<typeof RecruitmentFigures>;

export const NewRoundPreview = Type.Object(
  {
    programmeId: Id,
    informationSession: Type.Intersect([IsoDate], { description: 'The information session: a working day' }),
    draaiboek: Type.Optional(
      Type.Intersect([Draaiboek], { description: "The steps with their deadlines; WelSlagen's when left out" }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ programmeId: 'welslagen', informationSession: '2027-04-20' }],
  },
);
export type NewRoundPreview = Static<typeof NewRoundPreview>;

export const RoundPreviewView = Type.Object({
  informationSession: IsoDate,
  steps: Type.Array(
    Type.Object({
      step: Type.String(),
      name: Type.String(),
      from: IsoDate,
      deadline: IsoDate,
      latest: IsoDate,
      holidays: Type.Array(Type.Object({ date: IsoDate, name: Type.String() })),
    }),
  ),
  cohortStart: IsoDate,
  days: Type.Integer(),
});
export type RoundPreviewView = Static<typeof RoundPreviewView>;
