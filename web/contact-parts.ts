// An organisation's contact persons on a page, shared by the coordinator's partner page (web/office-partners.ts)
// and an employer's or ROC's "Collega's" (web/colleagues.ts): the table with an invite button per person, the
// form to add one, its checks in Dutch (the NewContact schema's rules), and adding and inviting through the same
// services as POST /v1/organisations/{id}/contacts and its invitations, each once per form (a double click or
// a reload adds nobody twice and sends no second mail).
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { idempotent } from '../api/idempotency';
import { inviteContact } from '../api/services/invitations';
import { createContact } from '../api/services/partners';
import type { Contact } from '../api/schemas/covenant';
import { html, type Html } from './html';
import { radioField, textField, type Errors } from './form-parts';
import { CONTACT_ROLE_NL, dutchMoment } from './office-words';

export type Form = Record<string, string | undefined>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// eslint-disable-next-line no-control-regex -- the Text schema's rule: no control characters
export const CONTROL = /[\u0000-\u001f]/;

/** The contacts with a button each that invites that person; `inviteAction` is the form's address. */
export function contactsTable(
  o: { name: string; contacts: Contact[]; csrf: string },
  inviteAction: (contactId: string) => string,
): Html {
  if (o.contacts.length === 0) return html`<p class="utrecht-paragraph">Er zijn nog geen contactpersonen.</p>`;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Contactpersonen van ${o.name}">
      <table class="utrecht-table">
        <caption class="utrecht-table__caption">
          Contactpersonen van ${o.name}
        </caption>
        <thead class="utrecht-table__header">
          <tr class="utrecht-table__row">
            <th class="utrecht-table__header-cell" scope="col">Naam</th>
            <th class="utrecht-table__header-cell" scope="col">Rol</th>
            <th class="utrecht-table__header-cell" scope="col">E-mailadres</th>
            <th class="utrecht-table__header-cell" scope="col">Toegang tot de pagina's</th>
          </tr>
        </thead>
        <tbody class="utrecht-table__body">
          ${o.contacts.map(
            (c) =>
              html`<tr class="utrecht-table__row">
                <th class="utrecht-table__header-cell" scope="row">${c.name}</th>
                <td class="utrecht-table__cell">${CONTACT_ROLE_NL[c.role] ?? c.role}</td>
                <td class="utrecht-table__cell">${c.email}</td>
                <td class="utrecht-table__cell">
                  <form method="post" action="${inviteAction(c.id)}">
                    <input type="hidden" name="_csrf" value="${o.csrf}" />
                    <input type="hidden" name="formKey" value="${randomUUID()}" />
                    <button
                      type="submit"
                      class="utrecht-button utrecht-button--secondary-action"
                      aria-label="${c.name} uitnodigen"
                    >
                      Uitnodigen
                    </button>
                  </form>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <p class="utrecht-paragraph">
      Uitnodigen stuurt een e-mail met een inloglink die 7 dagen en één keer werkt. Daarna vraagt de persoon zelf een
      inloglink aan met het eigen e-mailadres.
    </p>`;
}

/** The form that adds a contact person with one of `roles`. */
export function contactForm(o: {
  action: string;
  heading: string;
  button: string;
  roles: string[];
  form: Form;
  errors: Errors;
  csrf: string;
}): Html {
  return html`<form method="post" action="${o.action}" novalidate>
    <h3 class="utrecht-heading-3">${o.heading}</h3>
    <input type="hidden" name="_csrf" value="${o.csrf}" />
    <input type="hidden" name="formKey" value="${o.form.formKey ?? randomUUID()}" />
    ${textField({ name: 'naam', label: 'Naam', value: o.form.naam, errors: o.errors })}
    ${textField({
      name: 'email',
      label: 'E-mailadres',
      hint: 'Hierheen gaan de uitnodiging, inloglinks en herinneringen.',
      value: o.form.email,
      errors: o.errors,
    })}
    ${radioField({
      name: 'rol',
      legend: 'Rol',
      options: o.roles.map((r) => ({ value: r, label: CONTACT_ROLE_NL[r] ?? r })),
      chosen: o.form.rol ?? (o.roles.length === 1 ? o.roles[0] : undefined),
      errors: o.errors,
    })}
    <button type="submit" class="utrecht-button utrecht-button--primary-action">${o.button}</button>
  </form>`;
}

/** The contact form as a new contact, or its problems in Dutch (by field): the NewContact schema's rules. */
export function contactOf(form: Form, roles: string[]) {
  const errors: Errors = {};
  const name = String(form.naam ?? '').trim();
  const email = String(form.email ?? '').trim();
  const role = String(form.rol ?? '');
  if (name === '') errors.naam = 'Vul de naam in.';
  else if (name.length > 200) errors.naam = 'Gebruik hoogstens 200 tekens.';
  else if (CONTROL.test(name)) errors.naam = 'Gebruik alleen gewone tekens, zonder regeleinden.';
  if (email === '') errors.email = 'Vul het e-mailadres in.';
  else if (!EMAIL.test(email) || email.length > 254)
    errors.email = 'Dit is geen geldig e-mailadres. Vul een adres in zoals naam@organisatie.nl.';
  if (!roles.includes(role)) errors.rol = 'Kies een rol.';
  return { errors, body: { name, email, role: role as Contact['role'] } };
}

/** Adds the contact, once per form. */
export async function addContact(
  deps: AppDeps,
  request: FastifyRequest,
  organisationId: string,
  body: ReturnType<typeof contactOf>['body'],
  formKey: string | undefined,
): Promise<Contact> {
  const scope = `${request.principal.actor}|web|contact|${organisationId}`;
  return (
    await idempotent(deps.db, { scope, key: String(formKey || randomUUID()), body }, async (contactId) => ({
      statusCode: 201,
      body: await createContact(deps, request.principal, organisationId, body, contactId),
    }))
  ).body;
}

/** Invites the contact, once per form; what the page then says. */
export async function invite(
  deps: AppDeps,
  request: FastifyRequest,
  organisationId: string,
  contactId: string,
  formKey: string | undefined,
): Promise<string> {
  const scope = `${request.principal.actor}|web|invitation|${organisationId}|${contactId}`;
  const invitation = (
    await idempotent(deps.db, { scope, key: String(formKey || randomUUID()), body: { contactId } }, async () => ({
      statusCode: 201,
      body: await inviteContact(deps, request.principal, organisationId, contactId),
    }))
  ).body;
  return `De uitnodiging is verstuurd naar ${invitation.email}. De inloglink werkt tot ${dutchMoment(
    invitation.linkExpiresAt,
  )}.`;
}

/** A refusal of the service that the page's own checks did not foresee: a Dutch message on a field. */
export const refusedOn = (e: unknown, field: string): Errors => {
  if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
  return { [field]: 'Dat lukte niet: dit past niet bij deze organisatie. Controleer wat u invulde.' };
};
