// The people who act on a candidate: the office proposes an employer for the trial day and assigns a jobcoach;
// the employer and the jobcoach read a minimised card of the candidate (never a BSN hash, a date of birth, who
// handed the candidate over; the employer no e-mail address either).
import { Type, type Static } from 'typebox';
import { Id, IsoDate, Text } from './common';
import { CandidateView } from './recruitment';

export const ProposalBody = Type.Object(
  {
    employerId: Type.Intersect([Id], { description: 'An employer the office works with' }),
    on: Type.Intersect([IsoDate], { description: 'The day of the proposal' }),
    trialDayOn: Type.Optional(Type.Intersect([IsoDate], { description: 'The planned trial day, when agreed' })),
    note: Type.Optional(Text(1000)),
  },
  {
    additionalProperties: false,
    examples: [{ employerId: 'zorggroep-breda', on: '2027-01-18', trialDayOn: '2027-01-28' }],
  },
);
export type ProposalBody = Static<typeof ProposalBody>;

export const JobcoachBody = Type.Object(
  {
    jobcoachId: Type.Intersect([Id], {
      description: 'A contact with the role jobcoach, of the office or of an organisation the office works with',
    }),
  },
  { additionalProperties: false, examples: [{ jobcoachId: 'contact-jobcoach-breda' }] },
);
export type JobcoachBody = Static<typeof JobcoachBody>;

export const TrialDay = Type.Object(
  {
    step: Type.String({ description: "The key of the draaiboek's meeloopdag step" }),
    employerId: Type.String({ description: 'The employer proposed for the trial day' }),
    proposedOn: IsoDate,
    trialDayOn: Type.Union([IsoDate, Type.Null()], { description: 'The planned day, when agreed' }),
    outcome: Type.Union([Type.Literal('positive'), Type.Literal('negative'), Type.Null()], {
      description: "The employer's judgement, once recorded",
    }),
    judgedOn: Type.Union([IsoDate, Type.Null()]),
  },
  { description: 'The trial day (meeloopdag) at the proposed employer' },
);
export type TrialDay = Static<typeof TrialDay>;

export const CandidateDetail = Type.Object(
  {
    ...CandidateView.properties,
    email: Type.Union([Type.String(), Type.Null()]),
    dateOfBirth: Type.Union([IsoDate, Type.Null()]),
    sourceId: Type.Union([Type.String(), Type.Null()], { description: 'The gemeente or UWV that handed it over' }),
    jobcoachId: Type.Union([Type.String(), Type.Null()]),
    trialDay: Type.Union([TrialDay, Type.Null()]),
    history: Type.Array(
      Type.Object({
        step: Type.String(),
        outcome: Type.String(),
        on: IsoDate,
        by: Type.Optional(Type.Literal('employer', { description: 'Recorded by the employer itself' })),
        note: Type.Optional(Type.String()),
      }),
    ),
  },
  { description: "The office's view of a candidate: who it is, where it stands, who acts on it, what happened" },
);
export type CandidateDetail = Static<typeof CandidateDetail>;

export const CandidateCard = Type.Object(
  {
    id: Type.String(),
    reference: Type.String(),
    firstName: Type.String(),
    status: CandidateView.properties.status,
    step: Type.String(),
    stepName: Type.String(),
    dueOn: IsoDate,
    overdue: Type.Boolean(),
    trialDay: Type.Union([TrialDay, Type.Null()]),
    email: Type.Optional(Type.String({ description: 'For the jobcoach only, to reach the candidate' })),
  },
  {
    additionalProperties: false,
    description:
      "An employer's or jobcoach's view: the reference, first name, the step with its deadline and the trial day",
  },
);
export type CandidateCard = Static<typeof CandidateCard>;

export const CandidateAnswer = Type.Union([CandidateDetail, CandidateCard], {
  description: "The office's full view, or the minimised card for an employer or jobcoach",
});
export type CandidateAnswer = Static<typeof CandidateAnswer>;
