// Employer readiness over the API: what a coordinator records per employer and BBL qualification, what the API
// answers (with what is missing), and the import of recognitions from SBB's data.
import { Type, type Static } from 'typebox';
import { Checklist, Crebo, ReadinessOverride as Override, READINESS_LIMITS } from '../../domain/readiness';
import { Email, Id, IsoDate, Text, withExample } from './common';

export const ReadinessOverride = Type.Intersect([Override], {
  description:
    'Start the placement although the employer is not ready (incomplete checklist, no recognition or no place ' +
    'left): the reason is kept with your name and the start is audited',
});

export const Kvk = Type.String({ pattern: '^[0-9]{8}$', description: 'A KvK number (eight digits)' });
const RecognitionNumber = Type.String({ pattern: '^[A-Za-z0-9-]{1,30}$', description: "SBB's recognition number" });

export const ReadinessParams = Type.Object({
  id: withExample(Id, 'po-west.bakkerij-de-hoek'),
  crebo: withExample(Crebo, '25491'),
});

export const ReadinessInput = Type.Object(
  {
    officeId: Type.Optional(
      Type.Intersect([Id], { description: 'The programme office the record is for: the admin names it' }),
    ),
    kvk: Type.Optional(
      Type.Intersect([Kvk], { description: "The employer's KvK number, by which SBB's data names it" }),
    ),
    recognition: Type.Optional(
      Type.Object(
        {
          number: RecognitionNumber,
          recognisedOn: Type.Intersect([IsoDate], { description: 'The date of the recognition' }),
          checkedOn: Type.Intersect([IsoDate], {
            description: "The day you checked it in SBB's register (you are recorded as the checker)",
          }),
        },
        { additionalProperties: false },
      ),
    ),
    mentor: Type.Optional(
      Type.Object(
        {
          contactId: Type.Intersect([Id], {
            description: "The praktijkopleider: a contact of the employer's with role workplace_trainer",
          }),
          hoursPerWeek: Type.Integer({ minimum: 1, maximum: READINESS_LIMITS.mentorHours }),
        },
        { additionalProperties: false },
      ),
    ),
    checklist: Checklist,
    places: Type.Integer({ minimum: 0, maximum: READINESS_LIMITS.places, description: 'Places for participants' }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        kvk: '12345678',
        recognition: { number: 'SBB-100234', recognisedOn: '2025-06-01', checkedOn: '2026-11-30' },
        mentor: { contactId: 'po-west.praktijkopleider-anna', hoursPerWeek: 4 },
        checklist: { suitableWork: true, safeWorkplace: true, mentorTime: true, agreement: true },
        places: 3,
      },
    ],
  },
);
export type ReadinessInput = Static<typeof ReadinessInput>;

export const ReadinessGap = Type.Object({
  key: Type.String({ description: 'not_checked, recognition, mentor, a checklist item, or places' }),
  message: Type.String(),
  nl: Type.String(),
  blocks: Type.Boolean({ description: 'It stops a placement from starting (unless overridden)' }),
});

export const Readiness = Type.Object({
  employerId: Id,
  officeId: Id,
  crebo: Crebo,
  qualification: Type.String({ description: 'The qualification the crebo names, where known' }),
  registerLink: Type.String({ description: "SBB's public register of leerbedrijven, searched for this employer" }),
  recognition: Type.Union([
    Type.Object({ number: Type.String(), recognisedOn: IsoDate, checkedOn: IsoDate, checkedBy: Type.String() }),
    Type.Null(),
  ]),
  mentor: Type.Union([
    Type.Object({
      contactId: Id,
      name: Type.String(),
      email: Email,
      hoursPerWeek: Type.Integer(),
      confirmedOn: Type.Union([IsoDate, Type.Null()]),
    }),
    Type.Null(),
  ]),
  checklist: Checklist,
  places: Type.Integer(),
  placesInUse: Type.Integer(),
  canStart: Type.Boolean({ description: 'A placement may start here without an override' }),
  missing: Type.Array(ReadinessGap),
  updatedBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Readiness = Static<typeof Readiness>;

export const ReadinessList = Type.Object({
  employerId: Id,
  kvk: Type.Union([Kvk, Type.Null()]),
  records: Type.Array(Readiness, { description: 'One per office and qualification (crebo)' }),
});
export type ReadinessList = Static<typeof ReadinessList>;

export const MentorConfirmation = Type.Object(
  { officeId: Type.Intersect([Id], { description: 'The programme office whose record names the mentor' }) },
  { additionalProperties: false, examples: [{ officeId: 'po-west' }] },
);

export const SbbRecognition = Type.Object(
  {
    employerId: Type.Optional(Type.Intersect([Id], { description: 'The organisation; or give kvk' })),
    kvk: Type.Optional(Kvk),
    crebo: Crebo,
    recognitionNumber: RecognitionNumber,
    recognisedOn: IsoDate,
  },
  { additionalProperties: false },
);

export const SbbImport = Type.Object(
  {
    officeId: Type.Optional(Type.Intersect([Id], { description: 'The programme office: the admin names it' })),
    agreement: Type.Intersect([Text(200)], {
      description: 'The agreement with SBB under which its data is used (its reference)',
    }),
    recognitions: Type.Array(SbbRecognition, { minItems: 1, maxItems: 1000 }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        agreement: 'SBB-gegevensovereenkomst 2026-14',
        recognitions: [
          { kvk: '12345678', crebo: '25491', recognitionNumber: 'SBB-100234', recognisedOn: '2025-06-01' },
          {
            employerId: 'zorggroep-breda',
            crebo: '25491',
            recognitionNumber: 'SBB-100987',
            recognisedOn: '2024-02-12',
          },
        ],
      },
    ],
  },
);
export type SbbImport = Static<typeof SbbImport>;

export const SbbImportResult = Type.Object({
  imported: Type.Integer({ description: 'Recognitions recorded, each as checked by "SBB-import" today' }),
  employerIds: Type.Array(Id),
});
