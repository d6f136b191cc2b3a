// Who takes part: the kinds of organisation in a covenant, and the roles a key (and later a person) has under its
// organisation. The admin manages the installation and holds no key of an organisation.
import { Type } from 'typebox';

export const KEY_ROLES = ['coordinator', 'employer', 'school', 'jobcoach', 'funder'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];
export const KeyRole = Type.Enum(KEY_ROLES);

export const ROLES = ['admin', ...KEY_ROLES] as const;
export type Role = (typeof ROLES)[number];

export const ORGANISATION_KINDS = ['programme_office', 'employer', 'school', 'gemeente', 'uwv'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export const OrganisationKind = Type.Enum(ORGANISATION_KINDS);
