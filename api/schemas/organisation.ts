import { Type, type Static } from 'typebox';
import { OrganisationKind } from '../../domain/roles';
import { Email, Id, Page, Text, withExample } from './common';

export { OrganisationKind };

export const NewOrganisation = Type.Object(
  {
    id: Type.Optional(Id),
    name: Text(),
    kind: OrganisationKind,
    region: Type.Optional(Text(100)),
    email: Type.Optional(Email),
    officeId: Type.Optional(
      Type.Intersect([Id], {
        description:
          'Admin only: the programme office that owns the organisation. Left out: shared, read-only, with ' +
          "every office. A coordinator's organisations belong to its office; a programme office owns itself.",
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        id: 'po-west.bakkerij-de-hoek',
        name: 'Bakkerij De Hoek',
        kind: 'employer',
        region: 'West-Brabant',
        email: 'planning@example.nl',
      },
    ],
  },
);
export type NewOrganisation = Static<typeof NewOrganisation>;

export const Organisation = Type.Object({
  id: Id,
  name: Type.String(),
  kind: OrganisationKind,
  region: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  officeId: Type.Union([Id, Type.Null()], {
    description: 'The owning programme office; null: shared by the admin with every office (read-only)',
  }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Organisation = Static<typeof Organisation>;

export const OrganisationQuery = Type.Intersect([
  Page,
  Type.Object({ kind: Type.Optional(withExample(OrganisationKind, 'employer')) }),
]);
export type OrganisationQuery = Static<typeof OrganisationQuery>;

export const NewShare = Type.Object(
  {
    officeId: Type.Intersect([Id], {
      description: 'The programme office that may use the organisation in its covenants from now on',
    }),
  },
  { additionalProperties: false, examples: [{ officeId: 'po-oost' }] },
);
export type NewShare = Static<typeof NewShare>;

export const Share = Type.Object({
  organisationId: Id,
  officeId: Id,
  grantedBy: Type.String(),
  grantedAt: Type.String({ format: 'date-time' }),
});
export type Share = Static<typeof Share>;
