// The praktijkverklaring route over HTTP (issue 21, part 3): the work processes a placement offers, the
// praktijkopleider's evidence per work process, the ROC's confirmation, and the export for the Praktijkloket.
import { Type, type Static } from 'typebox';
import { Id, IsoDate, Text } from './common';

const Code = Type.String({ minLength: 1, maxLength: 20, description: 'A work process code, e.g. B1-K1-W1' });

export const PlacementOffer = Type.Object(
  {
    programmeId: Id,
    codes: Type.Array(Code, {
      maxItems: 60,
      uniqueItems: true,
      description: "Every work process of the programme's qualification this placement can offer (replaces the list)",
    }),
  },
  { additionalProperties: false, examples: [{ programmeId: 'welslagen', codes: ['B1-K1-W1', 'B1-K1-W3'] }] },
);
export type PlacementOffer = Static<typeof PlacementOffer>;

export const PlacementOfferView = Type.Object({
  employerId: Id,
  programmeId: Id,
  codes: Type.Array(Type.String()),
});
export type PlacementOfferView = Static<typeof PlacementOfferView>;

export const WorkProcessShown = Type.Object(
  {
    code: Code,
    shownOn: Type.Intersect([IsoDate], { description: 'The day the participant showed it (not in the future)' }),
    note: Text(1000),
    assessor: Type.Optional(
      Type.Intersect([Text(200)], {
        description: "The praktijkopleider's name; a key of a praktijkopleider's own contact may leave it out",
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        code: 'B1-K1-W1',
        shownOn: '2027-03-10',
        note: 'Helpt twee bewoners zelfstandig bij het wassen en aankleden, volgens het zorgplan.',
        assessor: 'Anja de Groot',
      },
    ],
  },
);
export type WorkProcessShown = Static<typeof WorkProcessShown>;

export const WorkProcessStanding = Type.Object({
  code: Type.String(),
  name: Type.String(),
  offered: Type.Boolean({ description: "The participant's current placement can offer it" }),
  shown: Type.Union([
    Type.Null(),
    Type.Object({
      on: IsoDate,
      note: Type.String(),
      assessor: Type.String(),
      employerId: Type.String(),
      employerName: Type.String(),
    }),
  ]),
});
export type WorkProcessStanding = Static<typeof WorkProcessStanding>;

export const PraktijkverklaringView = Type.Object({
  confirmedOn: IsoDate,
  codes: Type.Array(Type.String()),
});

export const WorkProcessOverview = Type.Object({
  trajectoryId: Id,
  workProcesses: Type.Array(WorkProcessStanding),
  praktijkverklaring: Type.Union([Type.Null(), PraktijkverklaringView]),
});
export type WorkProcessOverview = Static<typeof WorkProcessOverview>;

export const PraktijkverklaringConfirmation = Type.Object(
  {
    codes: Type.Optional(
      Type.Array(Code, {
        minItems: 1,
        maxItems: 60,
        uniqueItems: true,
        description: 'The work processes the statement names; every one shown when left out',
      }),
    ),
  },
  { additionalProperties: false, examples: [{}, { codes: ['B1-K1-W1'] }] },
);
export type PraktijkverklaringConfirmation = Static<typeof PraktijkverklaringConfirmation>;

export const ExportQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Union([Type.Literal('json'), Type.Literal('xlsx'), Type.Literal('csv-nl')], {
        description: 'json (default), xlsx, or CSV for Dutch Excel (semicolons, a byte-order mark)',
        examples: ['xlsx'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type ExportQuery = Static<typeof ExportQuery>;

export const PraktijkverklaringExportRow = Type.Object({
  reference: Type.String(),
  participant: Type.String(),
  code: Type.String(),
  name: Type.String(),
  shownOn: IsoDate,
  assessor: Type.String(),
  employer: Type.String(),
  note: Type.String(),
});
export type PraktijkverklaringExportRow = Static<typeof PraktijkverklaringExportRow>;

export const PraktijkverklaringExport = Type.Object({
  trajectoryId: Id,
  qualification: Type.String({ description: 'The programme the work processes belong to' }),
  school: Type.String(),
  confirmedOn: Type.Union([IsoDate, Type.Null()]),
  rows: Type.Array(PraktijkverklaringExportRow),
});
export type PraktijkverklaringExport = Static<typeof PraktijkverklaringExport>;
