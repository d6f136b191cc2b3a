// What a trajectory keeps of the changes that move its plan: its pauses, sick leaves and extensions. Each once, as a
// schema with its type: the state machine (domain/state.ts) holds them, the API (api/schemas/trajectory.ts) shows them.
import { Type, type Static } from 'typebox';
import { IsoDate } from './primitives';

/** A pause; `to` is the day it was resumed. */
export const Pause = Type.Object({ from: IsoDate, to: Type.Optional(IsoDate), reason: Type.String() });
export type Pause = Static<typeof Pause>;

/** A ziekmelding; `to` is the first day back. Its reason is health data (domain/personal-data.ts). */
export const SickLeave = Type.Object(
  {
    from: IsoDate,
    to: Type.Optional(Type.Intersect([IsoDate], { description: 'The first day back' })),
    reason: Type.Optional(
      Type.String({ description: 'Health data: only for the coordinator and the jobcoach (else empty)' }),
    ),
  },
  { description: 'A ziekmelding: placement days are not planned from `from` until the first day back' },
);
export type SickLeave = Static<typeof SickLeave>;

/** Weeks added to the programme, and why. */
export const Extension = Type.Object({ weeks: Type.Integer(), reason: Type.String() });
export type Extension = Static<typeof Extension>;
