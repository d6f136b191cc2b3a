// Launching a round's matched candidates into a cohort (issue 20): what the coordinator chooses, and what became of
// each candidate. Everything a participant needs comes from the candidate and the covenant; nothing is typed again.
import { Type, type Static } from 'typebox';
import { Cohort } from './cohort';
import { Id, IsoDate, Weekday } from './common';

export const CandidateLaunch = Type.Object(
  {
    candidateIds: Type.Optional(
      Type.Array(Id, {
        minItems: 1,
        maxItems: 1000,
        uniqueItems: true,
        description:
          'The matched candidates to launch; left out: every matched candidate of the round not launched yet',
      }),
    ),
    covenantId: Type.Intersect([Id], {
      description: "The covenant the cohort runs under; the candidates' employers must be employers in it",
    }),
    programmeVersion: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1_000_000,
        description: "A version of the round's programme; defaults to the newest",
      }),
    ),
    startDate: Type.Intersect([IsoDate], { description: 'The first day of week 1; must be a Monday' }),
    schoolWeekday: Weekday,
    schoolId: Type.Optional(
      Type.Intersect([Id], { description: 'The ROC; may be left out when the covenant has only one' }),
    ),
    jobcoachId: Type.Optional(
      Type.Intersect([Id], {
        description: 'The jobcoach of every candidate launched; may be left out when the covenant has only one',
      }),
    ),
    benefitPayerId: Type.Optional(
      Type.Intersect([Id], {
        description:
          'The gemeente or UWV for candidates whose source is no funder in the covenant; may be left out when the ' +
          'covenant has only one funder',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        covenantId: 'po-west.west-brabant',
        startDate: '2027-04-05',
        schoolWeekday: 'friday',
        jobcoachId: 'jobcoach-breda',
      },
    ],
  },
);
export type CandidateLaunch = Static<typeof CandidateLaunch>;

export const CandidatesLaunched = Type.Object({
  cohort: Cohort,
  candidates: Type.Array(
    Type.Object({
      candidateId: Type.String(),
      reference: Type.String({ description: "The candidate's reference, now the participant's" }),
      trajectoryId: Type.String(),
    }),
    { description: 'Each candidate launched, with the trajectory it became' },
  ),
});
export type CandidatesLaunched = Static<typeof CandidatesLaunched>;
