// The office rule, in one place: every object belongs to a programme office, or to the admin who shares it
// read-only with every office. An office lists, reads, attaches, changes and mails only what it owns, what the
// admin shared, or what another office consented to share with it. Anything else answers exactly like an
// unknown object, so a key of one office learns nothing about another's.
import type { OwnedOrganisation } from '../db/ownership';
import type { Principal } from './auth';
import type { FieldProblem } from './errors';

/**
 * The programme office a caller acts for; every office check, office filter and office owner in api/ asks this,
 * never `p.officeId` itself, nor a coordinator's `organisationId` in its place. As auth.ts's principalOf sets it:
 * - a coordinator: its own organisation, which is its programme office (never null: a key has an organisation);
 * - a key a coordinator made, whatever its role: that coordinator's office;
 * - the admin: null, meaning every office;
 * - a key the admin made: null too, bound to no office (an employer's own key sees its own participants of every
 *   office).
 * A filter that takes undefined for "no office filter" gets `actingOffice(p) ?? undefined`.
 */
export const actingOffice = (p: Principal): string | null => p.officeId;

export type OrganisationRight = 'own' | 'use';

/**
 * What an office may do with an organisation: 'own' it (itself, or registered by it), 'use' it (the admin's, or shared
 * by consent), or nothing.
 */
export function organisationRight(
  office: string,
  org: Pick<OwnedOrganisation, 'id' | 'office_id' | 'sharedWith'>,
): OrganisationRight | undefined {
  if (org.id === office || org.office_id === office) return 'own';
  if (org.office_id === null || org.sharedWith.includes(office)) return 'use';
  return undefined;
}

/** Whether `office` may see, assign and mail a contact: one it made, or one the admin made on a shared organisation. */
export const contactOfOffice = (office: string, contact: { office_id: string | null }) =>
  contact.office_id === null || contact.office_id === office;

/**
 * Ids a caller chooses live under its office (`<office>.<name>`), so one office can never hit another's id:
 * the answer to a chosen id never depends on what other offices hold. The check looks at nothing but the id.
 */
export function chosenIdProblems(p: Principal, id: string | undefined, field = 'id'): FieldProblem[] {
  if (id === undefined || p.role === 'admin') return [];
  const office = actingOffice(p);
  if (office === null)
    return [
      {
        field,
        message: 'a key made by the admin cannot choose ids; leave the id out and one is made for you',
        nl: 'een sleutel van de beheerder kan geen ids kiezen; laat het id weg, dan wordt er een voor u gemaakt',
      },
    ];
  if (!id.startsWith(`${office}.`) || id.length === office.length + 1)
    return [
      {
        field,
        message: `an id you choose begins with your programme office's id and a dot: "${office}.…"`,
        nl: `een id dat u kiest begint met het id van uw programmabureau en een punt: "${office}.…"`,
      },
    ];
  return [];
}

/**
 * The same check, with the id marked as a refused attempt: if another office holds it, that office's audit log shows
 * it.
 */
export function checkChosenId(
  p: Principal,
  id: string | undefined,
  resource: string,
  field = 'id',
): { problems: FieldProblem[]; denied: { resource: string; id: string }[] } {
  const problems = chosenIdProblems(p, id, field);
  return { problems, denied: problems.length && id !== undefined ? [{ resource, id }] : [] };
}

/** A programme office's id holds no dot, so `<office>.<name>` always names exactly one office. */
export const officeIdProblems = (id: string, field = 'id'): FieldProblem[] =>
  id.includes('.')
    ? [
        {
          field,
          message: "a programme office's id cannot contain a dot (ids chosen under it are '<office>.<name>')",
          nl: "het id van een programmabureau mag geen punt bevatten (ids daaronder zijn '<bureau>.<naam>')",
        },
      ]
    : [];
