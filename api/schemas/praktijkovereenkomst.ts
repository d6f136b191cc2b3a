// The praktijkovereenkomst over HTTP (issue 21, part 2): recording a step (drawn up, a signature, a new bpv-blad),
// the POK's standing per party with its deadline, and the open POKs of an office or ROC.
import { Type, type Static } from 'typebox';
import { POK_STEPS } from '../../domain/praktijkovereenkomst';
import { Id, IsoDate, Page, Paged } from './common';

export const PokStepName = Type.Enum(POK_STEPS, {
  description:
    'drawn_up (the ROC drew the POK up), participant, employer, school (each party signed), or bpv_blad (the ROC ' +
    'recorded a new bpv-blad after an employer change)',
});

export const PokStepRecording = Type.Object(
  {
    step: PokStepName,
    on: Type.Intersect([IsoDate], { description: 'The day it was drawn up or signed (not in the future)' }),
  },
  {
    additionalProperties: false,
    examples: [
      { step: 'drawn_up', on: '2027-05-20' },
      { step: 'employer', on: '2027-05-24' },
    ],
  },
);
export type PokStepRecording = Static<typeof PokStepRecording>;

const Recorded = Type.Object({
  on: IsoDate,
  recordedBy: Type.String({ description: 'Who recorded it (an API key or a person, as the audit log names them)' }),
});
const RecordedForEmployer = Type.Object({
  on: IsoDate,
  recordedBy: Type.String(),
  employerId: Type.Union([Id, Type.Null()], { description: 'The employer it is for' }),
});

export const PokView = Type.Object({
  trajectoryId: Id,
  reference: Type.String(),
  contractStart: Type.Union([IsoDate, Type.Null()], {
    description: "The BBL contract's start the employer confirmed; null while none is confirmed",
  }),
  deadline: Type.Union([IsoDate, Type.Null()], {
    description: 'Signed by all three parties no later than this day: the BBL contract start',
  }),
  currentEmployerId: Id,
  drawnUp: Type.Union([Recorded, Type.Null()]),
  participant: Type.Union([Recorded, Type.Null()]),
  employer: Type.Union([RecordedForEmployer, Type.Null()]),
  school: Type.Union([Recorded, Type.Null()]),
  bpvBlad: Type.Union([RecordedForEmployer, Type.Null()], { description: 'The last new bpv-blad the ROC recorded' }),
  missing: Type.Array(PokStepName, { description: 'The steps still missing before it is signed by all' }),
  signed: Type.Boolean({ description: 'Signed by the participant, the employer and the ROC' }),
  bpvBladNeeded: Type.Boolean({
    description: 'Nieuw bpv-blad nodig: the employer changed after it signed, and no bpv-blad for the new one yet',
  }),
  valid: Type.Boolean({ description: 'Signed by all and no bpv-blad missing: the BBL doorstroom counts' }),
  due: Type.Boolean({ description: 'Not signed by all, and the deadline is 14 days away or less' }),
  late: Type.Boolean({ description: 'Not signed by all, and the deadline has passed' }),
});
export type PokView = Static<typeof PokView>;

export const PokListQuery = Type.Intersect([
  Page,
  Type.Object({
    status: Type.Optional(
      Type.Union([Type.Literal('open'), Type.Literal('all')], {
        description: 'open (default): not valid yet (unsigned, or a bpv-blad missing); all: every BBL participant',
        examples: ['all'],
      }),
    ),
  }),
]);
export type PokListQuery = Static<typeof PokListQuery>;

export const PokList = Paged(PokView);
export type PokList = Static<typeof PokList>;
