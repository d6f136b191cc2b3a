import { Type, type Static } from 'typebox';
import { Id, IsoDate, Page } from './common';

export const Bsn = Type.String({ pattern: '^[0-9]{9}$', description: 'Burgerservicenummer: 9 digits passing the elfproef. Stored only as a keyed hash.' });

export const OutcomeQuery = Type.Intersect([Page, Type.Object({ cohortId: Type.Optional(Id) })]);
export type OutcomeQuery = Static<typeof OutcomeQuery>;

export const ParticipantOutcome = Type.Object({
  trajectoryId: Id,
  reference: Type.String({ description: "The programme office's pseudonymous reference" }),
  cohortId: Id,
  benefitPayerId: Type.Union([Id, Type.Null()]),
  status: Type.String(),
  endDate: IsoDate,
  outcome: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
export type ParticipantOutcome = Static<typeof ParticipantOutcome>;

export const BsnLookup = Type.Object({ bsn: Bsn }, { additionalProperties: false });
export type BsnLookup = Static<typeof BsnLookup>;
