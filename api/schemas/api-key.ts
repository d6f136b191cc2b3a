import { Type, type Static } from 'typebox';
import { KeyRole } from '../../domain/roles';
import { Id, Text } from './common';

export { KeyRole };

export const NewApiKey = Type.Object(
  {
    organisationId: Id,
    role: Type.Intersect([KeyRole], {
      description:
        'Must fit the organisation: coordinator (programme office), employer, school (ROC), jobcoach ' +
        '(programme office or gemeente, with contactId), funder (gemeente or UWV)',
    }),
    contactId: Type.Optional(
      Type.Intersect([Id], { description: 'For a jobcoach key: the jobcoach (contact) whose participants it sees' }),
    ),
    label: Text(100),
  },
  {
    additionalProperties: false,
    examples: [
      {
        organisationId: 'po-west.coach-company',
        role: 'jobcoach',
        contactId: 'po-west.jan-jansen',
        label: 'Jobcoach Jan',
      },
      { organisationId: 'po-west.bakkerij-de-hoek', role: 'employer', label: 'Bakkerij De Hoek, planning' },
    ],
  },
);
export type NewApiKey = Static<typeof NewApiKey>;

export const ApiKey = Type.Object({
  id: Id,
  organisationId: Id,
  role: KeyRole,
  contactId: Type.Union([Id, Type.Null()]),
  officeId: Type.Union([Id, Type.Null()], {
    description:
      "The programme office whose coordinator made the key: it sees only that office's cohorts. Null when " +
      'the admin made it.',
  }),
  label: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type ApiKey = Static<typeof ApiKey>;

export const CreatedApiKey = Type.Intersect([
  ApiKey,
  Type.Object({
    secret: Type.String({
      description: 'Shown once, now; only its hash is stored. Send it as `Authorization: Bearer <secret>`.',
    }),
  }),
]);
export type CreatedApiKey = Static<typeof CreatedApiKey>;
