// Legal holds over HTTP (issue 21, part 4): placing one on a trajectory or candidate, lifting it early, and the
// record's holds with the one in force.
import { Type, type Static } from 'typebox';
import { HoldSubject } from '../../domain/legal-hold';
import { IsoDate, Text } from './common';

export const HoldBody = Type.Object(
  {
    reason: Type.Intersect([Text(500)], { description: 'Why the record must be kept (the obligation, the case)' }),
    until: Type.Intersect([IsoDate], { description: 'The last day the hold keeps the record (after today)' }),
  },
  {
    additionalProperties: false,
    examples: [{ reason: 'Bewaarplicht subsidie praktijkleren schooljaar 2026-2027 (5 jaar)', until: '2032-09-16' }],
  },
);
export type HoldBody = Static<typeof HoldBody>;

export const HoldLiftBody = Type.Object(
  { reason: Type.Intersect([Text(500)], { description: 'Why the hold ends before its end date' }) },
  { additionalProperties: false, examples: [{ reason: 'Subsidie vastgesteld; geen bezwaar meer mogelijk' }] },
);
export type HoldLiftBody = Static<typeof HoldLiftBody>;

export const LegalHoldView = Type.Object({
  id: Type.String(),
  reason: Type.String(),
  until: IsoDate,
  placedBy: Type.String(),
  placedAt: Type.String({ format: 'date-time' }),
  lifted: Type.Union([Type.Null(), Type.Object({ on: IsoDate, by: Type.String(), reason: Type.String() })]),
});

export const LegalHolds = Type.Object({
  subject: HoldSubject,
  id: Type.String(),
  inForce: Type.Union([Type.Null(), LegalHoldView], {
    description: 'The hold that keeps the record today, if any: retention and erasure wait for its end',
  }),
  holds: Type.Array(LegalHoldView, { description: 'Every hold placed, newest first, lifted ones too' }),
});
export type LegalHolds = Static<typeof LegalHolds>;
