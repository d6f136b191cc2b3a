import { Type, type Static } from 'typebox';
import { CandidateStatus, Draaiboek, LEAVE_REASONS, StepResult } from '../../domain/recruitment';
import { Email, Id, IsoDate, Text } from './common';
import { Bsn } from './outcome';

export const NewRound = Type.Object(
  {
    programmeId: Id,
    region: Text(100),
    name: Text(),
    draaiboek: Type.Optional(
      Type.Intersect([Draaiboek], {
        description: "The steps a candidate goes through, with their deadlines; WelSlagen's when left out",
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ programmeId: 'welslagen', region: 'West-Brabant', name: 'Voorjaar 2027' }],
  },
);
export type NewRound = Static<typeof NewRound>;

export const NewCandidate = Type.Object(
  {
    firstName: Text(100),
    lastName: Text(100),
    email: Type.Optional(Email),
    dateOfBirth: Type.Optional(IsoDate),
    bsn: Type.Optional(
      Type.Intersect([Bsn], { description: 'Only to find duplicates; stored as a keyed hash, never in clear' }),
    ),
    sourceId: Type.Optional(
      Type.Intersect([Id], { description: 'The gemeente or UWV that handed the candidate over' }),
    ),
    distinctFrom: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        maxItems: 20,
        description:
          'References of near matches a person looked at and found to be someone else: a near match (a typo ' +
          'in the name with the same birth date, or the same e-mail) is refused until it is named here',
      }),
    ),
  },
  { additionalProperties: false },
);
export type NewCandidate = Static<typeof NewCandidate>;

export const NewCandidates = Type.Object(
  { candidates: Type.Array(NewCandidate, { minItems: 1, maxItems: 1000 }) },
  {
    additionalProperties: false,
    examples: [
      {
        candidates: [
          { firstName: 'Zoë', lastName: 'de Vries', dateOfBirth: '1994-03-02', email: 'zoe@example.nl' },
          { firstName: 'Ahmed', lastName: 'Öztürk', dateOfBirth: '1989-11-20', sourceId: 'gemeente-breda' },
        ],
      },
    ],
  },
);
export type NewCandidates = Static<typeof NewCandidates>;

export const CandidateView = Type.Object({
  id: Type.String(),
  reference: Type.String({ description: 'The pseudonymous reference that stays with the candidate into the cohort' }),
  roundId: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  status: CandidateStatus,
  step: Type.String({ description: 'The step the candidate is at (or left at, or was matched in)' }),
  dueOn: IsoDate,
  overdue: Type.Boolean(),
  employerId: Type.Union([Type.String(), Type.Null()]),
  leftReason: Type.Union([Type.Enum(Object.keys(LEAVE_REASONS)), Type.Null()]),
  history: Type.Array(
    Type.Object({ step: Type.String(), outcome: Type.String(), on: IsoDate, note: Type.Optional(Type.String()) }),
  ),
});
export type CandidateView = Static<typeof CandidateView>;

export const RoundView = Type.Object({
  id: Type.String(),
  programmeId: Type.String(),
  region: Type.String(),
  name: Type.String(),
  draaiboek: Draaiboek,
  pipeline: Type.Array(
    Type.Object({
      step: Type.String(),
      name: Type.String(),
      inProgress: Type.Integer(),
      overdue: Type.Integer(),
      left: Type.Integer(),
    }),
    { description: 'Per step: who is at it, how many of them are past its deadline, and who left there' },
  ),
  matched: Type.Integer(),
  candidates: Type.Array(CandidateView),
});
export type RoundView = Static<typeof RoundView>;

export const StepBody = Type.Object(StepResult.properties, {
  additionalProperties: false,
  examples: [{ step: 'meeloopdag', outcome: 'positive', on: '2027-01-28', employerId: 'zorggroep-breda' }],
});
export type StepBody = Static<typeof StepBody>;

export const CandidatesAdded = Type.Object({ candidates: Type.Array(CandidateView) });
export const LeaveBody = Type.Object(
  {
    reason: Type.Enum(Object.keys(LEAVE_REASONS) as (keyof typeof LEAVE_REASONS)[], {
      description: 'Why the candidate leaves: one of a fixed list, so the funnel can count reasons',
    }),
    on: IsoDate,
    note: Type.Optional(Text(1000)),
  },
  { additionalProperties: false, examples: [{ reason: 'found_work', on: '2027-02-01' }] },
);
export type LeaveBody = Static<typeof LeaveBody>;
