import { Type, type Static } from 'typebox';
import { Email, Id, Text, withExample } from './common';
import { CONTACT_ROLES, MemberRole } from '../../domain/roles';

export { MemberRole };
export const Member = Type.Object({ organisationId: Id, role: MemberRole }, { additionalProperties: false });

export const NewCovenant = Type.Object(
  {
    id: Type.Optional(Id),
    name: Text(),
    region: Text(100),
    programmeOfficeId: Type.Intersect([Id], {
      description: 'The programme office (kind programme_office) that coordinates under this covenant',
    }),
    members: Type.Array(Member, { maxItems: 500 }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        id: 'po-west.west-brabant',
        name: 'Convenant West-Brabant',
        region: 'West-Brabant',
        programmeOfficeId: 'po-west',
        members: [
          { organisationId: 'po-west.roc-west', role: 'school' },
          { organisationId: 'po-west.bakkerij-de-hoek', role: 'employer' },
          { organisationId: 'gemeente-breda', role: 'funder' },
        ],
      },
    ],
  },
);
export type NewCovenant = Static<typeof NewCovenant>;

export const NewMembers = Type.Object(
  { members: Type.Array(Member, { minItems: 1, maxItems: 500 }) },
  {
    additionalProperties: false,
    examples: [{ members: [{ organisationId: 'po-west.garage-zuid', role: 'employer' }] }],
  },
);
export type NewMembers = Static<typeof NewMembers>;

export const Covenant = Type.Object({
  id: Id,
  name: Type.String(),
  region: Type.String(),
  programmeOfficeId: Id,
  members: Type.Array(Type.Object({ organisationId: Id, role: MemberRole })),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Covenant = Static<typeof Covenant>;

export const ContactRole = Type.Enum(CONTACT_ROLES, {
  description:
    "coordinator: a programme office's coordinator; jobcoach: of a programme office or gemeente; workplace_trainer: " +
    "an employer's; roc_coordinator: an ROC's; funder_analyst: a gemeente's or UWV's analyst, who signs in to read " +
    'the outcome figures (role funder, as a funder key)',
});
export const NewContact = Type.Object(
  { id: Type.Optional(Id), role: ContactRole, name: Text(), email: Email },
  {
    additionalProperties: false,
    examples: [{ id: 'po-west.jan-jansen', role: 'jobcoach', name: 'Jan Jansen', email: 'jan.jansen@example.nl' }],
  },
);
export type NewContact = Static<typeof NewContact>;

export const Contact = Type.Object({
  id: Id,
  organisationId: Id,
  role: ContactRole,
  name: Type.String(),
  email: Email,
  createdAt: Type.String({ format: 'date-time' }),
});
export type Contact = Static<typeof Contact>;

export const ContactParams = Type.Object({
  id: withExample(Id, 'po-west.bakkerij-de-hoek'),
  contactId: withExample(Id, 'po-west.jan-jansen'),
});

/** An invitation to sign in to the web pages, sent to a contact by mail (api/services/invitations.ts). */
export const Invitation = Type.Object({
  contactId: Id,
  organisationId: Id,
  email: Email,
  invitedAt: Type.String({ format: 'date-time' }),
  /** Until when the mailed one-time sign-in link works. */
  linkExpiresAt: Type.String({ format: 'date-time' }),
});
export type Invitation = Static<typeof Invitation>;
