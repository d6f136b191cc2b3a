import { Type, type Static } from 'typebox';
import { Email, Id, Page, Text } from './common';

export const OrganisationKind = Type.Union([
  Type.Literal('programme_office'),
  Type.Literal('employer'),
  Type.Literal('school'),
  Type.Literal('gemeente'),
  Type.Literal('uwv'),
]);
export type OrganisationKind = Static<typeof OrganisationKind>;

export const NewOrganisation = Type.Object(
  {
    id: Type.Optional(Id),
    name: Text(),
    kind: OrganisationKind,
    region: Type.Optional(Text(100)),
    email: Type.Optional(Email),
  },
  { additionalProperties: false },
);
export type NewOrganisation = Static<typeof NewOrganisation>;

export const Organisation = Type.Object({
  id: Id,
  name: Type.String(),
  kind: OrganisationKind,
  region: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Organisation = Static<typeof Organisation>;

export const OrganisationQuery = Type.Intersect([Page, Type.Object({ kind: Type.Optional(OrganisationKind) })]);
export type OrganisationQuery = Static<typeof OrganisationQuery>;
