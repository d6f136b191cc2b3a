// Inviting a contact to the web pages (issue 17): whoever manages the organisation marks the contact invited
// (from then on the person may ask for sign-in links on /inloggen) and mails them a one-time sign-in link that
// works for INVITATION_DAYS, so a person who reads the mail a few days later still gets in. The link is the
// ordinary sign-in link (web/links.ts), used once on /inloggen/:token; only its expiry, which the link carries
// in its signed claims and verifyLink checks, is longer than the 15 minutes of a link asked for on /inloggen.
import { findContact } from '../../db/covenants';
import { markInvited } from '../../db/web-sessions';
import { linkKey, signLink } from '../../web/links';
import { refusing } from '../access';
import type { Principal } from '../auth';
import type { AppDeps } from '../deps';
import { notFound, says } from '../errors';
import { actingOffice, contactOfOffice } from '../ownership';
import type { Invitation } from '../schemas/covenant';

/** Days the sign-in link in an invitation works. */
export const INVITATION_DAYS = 7;

type Deps = Pick<AppDeps, 'db' | 'config' | 'mailer' | 'now'>;

/**
 * Invites the contact `contactId` of the organisation `organisationId` (the route has checked that the caller
 * manages the organisation). A contact of another organisation, or one another office made, answers exactly as
 * an unknown one: 404 (the latter recorded in its office's audit log as a refused attempt).
 */
export async function inviteContact(
  deps: Deps,
  principal: Principal,
  organisationId: string,
  contactId: string,
): Promise<Invitation> {
  const contact = await findContact(deps.db, contactId);
  const office = actingOffice(principal);
  if (!contact || contact.organisation_id !== organisationId)
    throw refusing(
      notFound(says(`contact ${contactId}`, `contactpersoon ${contactId}`)),
      contact ? [{ resource: 'contact', id: contactId }] : [],
    );
  if (office !== null && !contactOfOffice(office, contact))
    throw refusing(notFound(says(`contact ${contactId}`, `contactpersoon ${contactId}`)), [
      { resource: 'contact', id: contactId },
    ]);
  const now = deps.now?.() ?? Date.now();
  const expires = Math.floor(now / 1000) + INVITATION_DAYS * 24 * 60 * 60;
  const token = signLink(linkKey(deps.config), { purpose: 'sign-in', contactId: contact.id, expires });
  await markInvited(deps.db, contact.id);
  const base = (deps.config.PUBLIC_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  await deps.mailer.send({
    to: contact.email,
    subject: 'Toeleiding – uitnodiging en uw inloglink',
    text:
      `Beste ${contact.name},\n\nU bent uitgenodigd voor Toeleiding, de pagina's waarop u ` +
      (contact.role === 'funder_analyst'
        ? 'de uitkomsten van de trajecten leest'
        : 'de aanwezigheid en andere taken voor uw deelnemers bijhoudt') +
      `. Met deze link logt u de eerste keer in. Hij werkt ` +
      `${INVITATION_DAYS} dagen en één keer:\n\n${base}/inloggen/${token}\n\nDaarna vraagt u op ${base}/inloggen ` +
      'met uw e-mailadres een nieuwe inloglink aan wanneer u die nodig hebt.\n\nMet vriendelijke groet,\nToeleiding',
  });
  return {
    contactId: contact.id,
    organisationId,
    email: contact.email,
    invitedAt: new Date(now).toISOString(),
    linkExpiresAt: new Date(expires * 1000).toISOString(),
  };
}
