// Who takes part: the kinds of organisation in a covenant, and the roles a key (and later a person) has under its
// organisation. The admin manages the installation and holds no key of an organisation.
import { Type } from 'typebox';

export const KEY_ROLES = ['coordinator', 'employer', 'school', 'jobcoach', 'funder'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];
export const KeyRole = Type.Enum(KEY_ROLES);

export const ROLES = ['admin', ...KEY_ROLES] as const;
export type Role = (typeof ROLES)[number];

/**
 * The roles a person (a contact) has under its organisation; each acts in a key role (web/session.ts ROLE_OF).
 * funder_analyst: a gemeente's or UWV's analyst, who reads the outcome figures as a funder.
 */
export const CONTACT_ROLES = [
  'coordinator',
  'jobcoach',
  'workplace_trainer',
  'roc_coordinator',
  'funder_analyst',
] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

/** The role an organisation takes part in a covenant in. */
export const MEMBER_ROLES = ['employer', 'school', 'funder', 'jobcoaching'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const MemberRole = Type.Enum(MEMBER_ROLES, {
  description:
    'employer: placements; school: the ROC; funder: a gemeente or UWV paying benefits; jobcoaching: ' +
    'provides jobcoaches',
});

export const ORGANISATION_KINDS = ['programme_office', 'employer', 'school', 'gemeente', 'uwv'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export const OrganisationKind = Type.Enum(ORGANISATION_KINDS);
