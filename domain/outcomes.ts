// How a trajectory ends. The outcome kinds are what funders count; a dropout's reason is a category from a
// fixed list (its explanation is typed text, kept apart: see personal-data.ts).
import { Type, type Static } from 'typebox';
import { IsoDate } from './primitives';

export const DROPOUT_REASONS = [
  'health',
  'motivation',
  'personal_circumstances',
  'found_other_work',
  'not_suitable',
  'moved',
  'other',
] as const;
export type DropoutReason = (typeof DROPOUT_REASONS)[number];
export const DropoutReason = Type.Enum(DROPOUT_REASONS, { description: 'Why the participant left; explain in `text`' });

export const OUTCOME_KINDS = ['bbl_doorstroom', 'job_without_bbl', 'no_doorstroom', 'dropout'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export const Outcome = Type.Union([
  Type.Object({ kind: Type.Literal('bbl_doorstroom'), bblStartDate: IsoDate }),
  Type.Object({ kind: Type.Literal('job_without_bbl') }),
  Type.Object({ kind: Type.Literal('dropout'), reason: DropoutReason, week: Type.Integer(), date: IsoDate }),
  Type.Object({
    kind: Type.Literal('no_doorstroom'),
    reason: Type.String({ description: 'What was missing, in words' }),
  }),
]);
export type Outcome = Static<typeof Outcome>;
