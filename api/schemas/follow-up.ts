// The follow-up after doorstroom: questions at 3, 6 and 12 months and the partners' answers.
import { Type, type Static } from 'typebox';
import { FollowUpStatus } from '../../domain/statuses';
import { EXAMPLE_ID, Id, IsoDate, withExample } from './common';

export const FollowUpParams = Type.Object({
  id: withExample(Id, EXAMPLE_ID),
  months: Type.Integer({
    minimum: 1,
    maximum: 36,
    description: 'Which follow-up: months after the BBL start',
    examples: [6],
  }),
});

export const FollowUpAnswer = Type.Object(
  {
    employed: Type.Optional(Type.Boolean({ description: 'The employer: the participant still works here' })),
    enrolled: Type.Optional(Type.Boolean({ description: 'The ROC: the participant is still enrolled in the BBL' })),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ employed: true }, { enrolled: false }] },
);
export type FollowUpAnswer = Static<typeof FollowUpAnswer>;

const Answer = Type.Union([Type.Boolean(), Type.Null()], {
  description: 'null: not answered (after closesOn: no answer)',
});
export const FollowUp = Type.Object({
  months: Type.Integer(),
  dueOn: IsoDate,
  closesOn: IsoDate,
  status: FollowUpStatus,
  employerId: Id,
  employed: Answer,
  employedOn: Type.Union([IsoDate, Type.Null()]),
  schoolId: Type.Union([Id, Type.Null()], { description: 'null: no enrolment is asked (a job without BBL)' }),
  enrolled: Answer,
  enrolledOn: Type.Union([IsoDate, Type.Null()]),
});
export type FollowUp = Static<typeof FollowUp>;

export const FollowUps = Type.Object({
  trajectoryId: Id,
  followUps: Type.Array(FollowUp, { maxItems: 6, description: 'At most one per follow-up month of the programme' }),
});
export type FollowUps = Static<typeof FollowUps>;
