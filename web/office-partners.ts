// The covenant's partners for the programme office's coordinator: "wie is wie" (the organisations with their
// roles and contact persons, the mentor on the work floor included), adding a contact person, inviting one (the
// same invitation as POST /v1/organisations/{id}/contacts/{contactId}/invitations), and the API keys: created
// with their secret shown once on the page right after (never again, never mailed, never logged), listed without
// secrets, and revoked after a confirm step. Each route has the policy of its API twin, so another office's
// organisation, contact or key answers 404 exactly like an unknown one.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { COORDINATION } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { idempotent } from '../api/idempotency';
import { inviteContact } from '../api/services/invitations';
import {
  apiKeyRow,
  createApiKey,
  createContact,
  getOrganisation,
  pageApiKeys,
  pageContacts,
  revoke,
} from '../api/services/partners';
import type { ApiKey, CreatedApiKey } from '../api/schemas/api-key';
import type { Contact } from '../api/schemas/covenant';
import type { Organisation } from '../api/schemas/organisation';
import { html, type Html } from './html';
import { readinessSection } from './readiness';
import { csrfOf, facts, personPage, radioField, sendPage, textField, type Errors } from './form-parts';
import {
  allPages,
  CONTACT_ROLE_NL,
  CONTACT_ROLES_OF,
  dutchMoment,
  KEY_ROLE_NL,
  KEY_ROLES_OF,
  kindLabel,
  MEMBER_ROLE_NL,
  pageLinks,
  whoIsWho,
  WHO_IS_WHO,
  type Partner,
} from './office-words';

type Form = Record<string, string | undefined>;
type Notice = { kind: 'ok' | 'error' | 'info'; text: Html | string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// eslint-disable-next-line no-control-regex -- the Text schema's rule: no control characters
const CONTROL = /[\u0000-\u001f]/;

const contactList = (contacts: Contact[]) =>
  contacts.length === 0
    ? html`<span class="muted">Nog geen contactpersonen</span>`
    : html`<ul class="utrecht-unordered-list compact-list">
        ${contacts.map((c) => html`<li>${c.name}: ${CONTACT_ROLE_NL[c.role] ?? c.role}</li>`)}
      </ul>`;

function partnerTable(caption: string, rows: { partner: Partner; role: string }[]): Html {
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${caption}">
    <table class="utrecht-table">
      <caption class="utrecht-table__caption">
        ${caption}
      </caption>
      <thead class="utrecht-table__header">
        <tr class="utrecht-table__row">
          <th class="utrecht-table__header-cell" scope="col">Organisatie</th>
          <th class="utrecht-table__header-cell" scope="col">Soort</th>
          <th class="utrecht-table__header-cell" scope="col">Rol</th>
          <th class="utrecht-table__header-cell" scope="col">Contactpersonen</th>
        </tr>
      </thead>
      <tbody class="utrecht-table__body">
        ${rows.map(
          ({ partner, role }) =>
            html`<tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="row">
                <a class="utrecht-link" href="/partners/${partner.organisation.id}">${partner.organisation.name}</a>
              </th>
              <td class="utrecht-table__cell">${kindLabel(partner.organisation.kind)}</td>
              <td class="utrecht-table__cell">${role}</td>
              <td class="utrecht-table__cell">${contactList(partner.contacts)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** The keys, without their secrets: label, organisation, role, when made and last used, revoked or not. */
function keyTable(caption: string, keys: ApiKey[], names: Map<string, string>): Html {
  if (keys.length === 0) return html`<p class="utrecht-paragraph">Er zijn nog geen API-sleutels.</p>`;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${caption}">
    <table class="utrecht-table">
      <caption class="utrecht-table__caption">
        ${caption}
      </caption>
      <thead class="utrecht-table__header">
        <tr class="utrecht-table__row">
          <th class="utrecht-table__header-cell" scope="col">Naam van de sleutel</th>
          <th class="utrecht-table__header-cell" scope="col">Organisatie</th>
          <th class="utrecht-table__header-cell" scope="col">Rol</th>
          <th class="utrecht-table__header-cell" scope="col">Aangemaakt</th>
          <th class="utrecht-table__header-cell" scope="col">Laatst gebruikt</th>
          <th class="utrecht-table__header-cell" scope="col">Status</th>
        </tr>
      </thead>
      <tbody class="utrecht-table__body">
        ${keys.map(
          (k) =>
            html`<tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="row">${k.label}</th>
              <td class="utrecht-table__cell">${names.get(k.organisationId) ?? k.organisationId}</td>
              <td class="utrecht-table__cell">${KEY_ROLE_NL[k.role] ?? k.role}</td>
              <td class="utrecht-table__cell">${dutchMoment(k.createdAt)}</td>
              <td class="utrecht-table__cell">${k.lastUsedAt ? dutchMoment(k.lastUsedAt) : 'nog niet'}</td>
              <td class="utrecht-table__cell">
                ${
                  k.revokedAt
                    ? `ingetrokken op ${dutchMoment(k.revokedAt)}`
                    : html`in gebruik,
                        <a class="utrecht-link" href="/sleutels/${k.id}/intrekken"
                          >intrekken<span class="visually-hidden"> (${k.label})</span></a
                        >`
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

const officeKeys = async (deps: Pick<AppDeps, 'db'>, request: FastifyRequest) =>
  allPages((page) => pageApiKeys(deps, request.principal, page));

/** One organisation: its facts, contact persons (each with an invitation button), keys, and the two forms. */
async function organisationPage(
  deps: Pick<AppDeps, 'db' | 'now'>,
  request: FastifyRequest,
  reply: FastifyReply,
  org: Organisation,
  o: {
    notice?: Notice;
    contactForm?: Form;
    contactErrors?: Errors;
    keyForm?: Form;
    keyErrors?: Errors;
    created?: CreatedApiKey;
  } = {},
): Promise<Html> {
  const contacts = await allPages((page) => pageContacts(deps, request.principal, org.id, page), 1000);
  const keys = (await officeKeys(deps, request)).filter((k) => k.organisationId === org.id);
  const contactRoles = CONTACT_ROLES_OF[org.kind] ?? [];
  const keyRoles = KEY_ROLES_OF[org.kind] ?? [];
  const jobcoaches = contacts.filter((c) => c.role === 'jobcoach');
  const cf = o.contactForm ?? {};
  const kf = o.keyForm ?? {};
  const ce = o.contactErrors ?? {};
  const ke = o.keyErrors ?? {};
  const csrf = csrfOf(reply);
  const readiness = await readinessSection(deps, request, reply, org, {
    saved: (request.query as { gereedheid?: string } | undefined)?.gereedheid === 'opgeslagen',
  });
  return personPage(
    request,
    reply,
    { title: org.name, notice: o.notice },
    html`${pageLinks}
      ${
        o.created
          ? html`<section class="utrecht-alert utrecht-alert--warning secret-once" aria-labelledby="geheim-kop">
              <h2 class="utrecht-heading-2" id="geheim-kop">Het geheim van sleutel ‘${o.created.label}’</h2>
              <p class="utrecht-paragraph">
                Dit geheim ziet u <strong>alleen nu</strong>. Het wordt niet gemaild en niet bewaard; wij kunnen het
                niet opnieuw tonen. Zet het direct in het systeem van ${org.name}, bijvoorbeeld samen met hun beheerder.
                Kwijt? Trek de sleutel in en maak een nieuwe.
              </p>
              <label class="utrecht-form-label" for="geheim">Geheim (API-sleutel)</label>
              <input
                class="utrecht-textbox utrecht-textbox--html-input utrecht-textbox--readonly secret"
                id="geheim"
                type="text"
                readonly
                autocomplete="off"
                spellcheck="false"
                value="${o.created.secret}"
              />
            </section>`
          : ''
      }
      ${facts([
        ['Soort', kindLabel(org.kind)],
        ['Regio', org.region ?? 'onbekend'],
        ['Algemeen e-mailadres', org.email ?? 'onbekend'],
      ])}
      <h2 class="utrecht-heading-2">Contactpersonen</h2>
      ${
        contacts.length === 0
          ? html`<p class="utrecht-paragraph">Er zijn nog geen contactpersonen.</p>`
          : html`<div class="table-scroll" tabindex="0" role="region" aria-label="Contactpersonen van ${org.name}">
                <table class="utrecht-table">
                  <caption class="utrecht-table__caption">
                    Contactpersonen van ${org.name}
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
                    ${contacts.map(
                      (c) =>
                        html`<tr class="utrecht-table__row">
                          <th class="utrecht-table__header-cell" scope="row">${c.name}</th>
                          <td class="utrecht-table__cell">${CONTACT_ROLE_NL[c.role] ?? c.role}</td>
                          <td class="utrecht-table__cell">${c.email}</td>
                          <td class="utrecht-table__cell">
                            <form method="post" action="/partners/${org.id}/contactpersonen/${c.id}/uitnodigen">
                              <input type="hidden" name="_csrf" value="${csrf}" />
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
                Uitnodigen stuurt een e-mail met een inloglink die 7 dagen en één keer werkt. Daarna vraagt de persoon
                zelf een inloglink aan met het eigen e-mailadres.
              </p>`
      }
      ${
        contactRoles.length
          ? html`<form method="post" action="/partners/${org.id}/contactpersonen" novalidate>
              <h3 class="utrecht-heading-3">Contactpersoon toevoegen</h3>
              <input type="hidden" name="_csrf" value="${csrf}" />
              <input type="hidden" name="formKey" value="${cf.formKey ?? randomUUID()}" />
              ${textField({ name: 'naam', label: 'Naam', value: cf.naam, errors: ce })}
              ${textField({
                name: 'email',
                label: 'E-mailadres',
                hint: 'Hierheen gaan de uitnodiging, inloglinks en herinneringen.',
                value: cf.email,
                errors: ce,
              })}
              ${radioField({
                name: 'rol',
                legend: 'Rol',
                options: contactRoles.map((r) => ({ value: r, label: CONTACT_ROLE_NL[r] ?? r })),
                chosen: cf.rol ?? (contactRoles.length === 1 ? contactRoles[0] : undefined),
                errors: ce,
              })}
              <button type="submit" class="utrecht-button utrecht-button--primary-action">
                Contactpersoon toevoegen
              </button>
            </form>`
          : html`<p class="utrecht-paragraph">Een ${kindLabel(org.kind)} heeft geen contactpersonen in Toeleiding.</p>`
      }
      ${readiness}
      <h2 class="utrecht-heading-2">API-sleutels</h2>
      <p class="utrecht-paragraph">
        Met een API-sleutel koppelt ${org.name} een eigen systeem aan Toeleiding. De sleutel ziet alleen de deelnemers
        van uw programmabureau.
      </p>
      ${keyTable(`API-sleutels van ${org.name}`, keys, new Map([[org.id, org.name]]))}
      ${
        keyRoles.length
          ? html`<form method="post" action="/partners/${org.id}/sleutels" novalidate>
              <h3 class="utrecht-heading-3">API-sleutel aanmaken</h3>
              <input type="hidden" name="_csrf" value="${csrf}" />
              <input type="hidden" name="formKey" value="${kf.formKey ?? randomUUID()}" />
              ${textField({
                name: 'sleutelnaam',
                label: 'Naam van de sleutel',
                hint: 'Waarvoor de sleutel is, bijvoorbeeld Roosterkoppeling planning.',
                value: kf.sleutelnaam,
                errors: ke,
              })}
              ${radioField({
                name: 'sleutelrol',
                legend: 'Wat mag de sleutel',
                options: keyRoles.map((r) => ({ value: r, label: KEY_ROLE_NL[r] ?? r })),
                chosen: kf.sleutelrol ?? (keyRoles.length === 1 ? keyRoles[0] : undefined),
                errors: ke,
              })}
              ${
                keyRoles.includes('jobcoach')
                  ? radioField({
                      name: 'jobcoach',
                      legend: 'Jobcoach (alleen voor een jobcoachsleutel)',
                      options: jobcoaches.map((c) => ({ value: c.id, label: c.name })),
                      chosen: kf.jobcoach,
                      errors: ke,
                    })
                  : ''
              }
              <button type="submit" class="utrecht-button utrecht-button--primary-action">Sleutel aanmaken</button>
            </form>`
          : ''
      }`,
  );
}

/** The contact form as a new contact, or its problems in Dutch (by field): the NewContact schema's rules. */
function contactOf(form: Form, roles: string[]) {
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

function keyOf(form: Form, roles: string[], jobcoaches: string[]) {
  const errors: Errors = {};
  const label = String(form.sleutelnaam ?? '').trim();
  const role = String(form.sleutelrol ?? '');
  const contactId = String(form.jobcoach ?? '');
  if (label === '') errors.sleutelnaam = 'Geef de sleutel een naam, zodat u later weet waarvoor hij is.';
  else if (label.length > 100) errors.sleutelnaam = 'Gebruik hoogstens 100 tekens.';
  else if (CONTROL.test(label)) errors.sleutelnaam = 'Gebruik alleen gewone tekens, zonder regeleinden.';
  if (!roles.includes(role)) errors.sleutelrol = 'Kies wat de sleutel mag.';
  if (role === 'jobcoach' && !jobcoaches.includes(contactId))
    errors.jobcoach = 'Kies de jobcoach van wie de sleutel de deelnemers ziet.';
  return {
    errors,
    body: {
      label,
      role: role as ApiKey['role'],
      ...(role === 'jobcoach' ? { contactId } : {}),
    },
  };
}

/** A refusal of the service that the page's own checks did not foresee: a Dutch message on a field. */
const refusedOn = (e: unknown, field: string): Errors => {
  if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
  return { [field]: 'Dat lukte niet: dit past niet bij deze organisatie. Controleer wat u invulde.' };
};

export async function officePartnerRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  app.get(
    '/partners',
    { schema: { hide: true }, config: { access: { roles: COORDINATION } } },
    async (request, reply) => {
      const { covenants, partners } = await whoIsWho(deps, request);
      const inCovenant = new Set(
        covenants.flatMap((c) => [c.programmeOfficeId, ...c.members.map((m) => m.organisationId)]),
      );
      const others = [...partners.values()].filter((p) => !inCovenant.has(p.organisation.id));
      return sendPage(
        reply,
        personPage(
          request,
          reply,
          { title: 'Partners: wie is wie' },
          html`${pageLinks}
            <p class="utrecht-paragraph">
              Alle organisaties van uw convenanten, met hun rol en hun contactpersonen. Kies een organisatie om een
              contactpersoon toe te voegen, iemand uit te nodigen of een API-sleutel te maken.
            </p>
            <h2 class="utrecht-heading-2">Wie doet wat</h2>
            ${facts(WHO_IS_WHO)}
            ${covenants.map((c) => {
              const office = partners.get(c.programmeOfficeId);
              const rows = [
                ...(office ? [{ partner: office, role: 'Coördineert het convenant' }] : []),
                ...c.members.flatMap((m) => {
                  const partner = partners.get(m.organisationId);
                  return partner ? [{ partner, role: MEMBER_ROLE_NL[m.role] ?? m.role }] : [];
                }),
              ];
              return html`<h2 class="utrecht-heading-2">${c.name}</h2>
                <p class="utrecht-paragraph">Regio ${c.region}</p>
                ${partnerTable(`Partners van ${c.name}`, rows)}`;
            })}
            ${
              others.length
                ? html`<h2 class="utrecht-heading-2">Organisaties buiten een convenant</h2>
                    ${partnerTable(
                      'Organisaties buiten een convenant',
                      others.map((partner) => ({ partner, role: 'Nog geen rol' })),
                    )}`
                : ''
            }
            ${
              covenants.length === 0 && others.length === 0
                ? html`<p class="utrecht-paragraph">Er zijn nog geen partners.</p>`
                : ''
            }`,
        ),
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    '/partners/:id',
    { schema: { hide: true }, config: { access: { roles: COORDINATION, resource: 'organisation', manage: true } } },
    async (request, reply) => {
      const org = await getOrganisation(deps, request.params.id);
      return sendPage(reply, await organisationPage(deps, request, reply, org));
    },
  );

  app.post<{ Params: { id: string }; Body: Form }>(
    '/partners/:id/contactpersonen',
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      config: { access: { roles: COORDINATION, resource: 'organisation', manage: true } },
    },
    async (request, reply) => {
      const org = await getOrganisation(deps, request.params.id);
      const form = request.body ?? {};
      const { errors, body } = contactOf(form, CONTACT_ROLES_OF[org.kind] ?? []);
      const again = (contactErrors: Errors) =>
        organisationPage(deps, request, reply, org, { contactForm: form, contactErrors });
      if (Object.keys(errors).length) return sendPage(reply, await again(errors), 422);
      let made: Contact;
      try {
        made = (
          await idempotent(
            deps.db,
            {
              scope: `${request.principal.actor}|web|contact|${org.id}`,
              key: String(form.formKey || randomUUID()),
              body,
            },
            async (contactId) => ({
              statusCode: 201,
              body: await createContact(deps, request.principal, org.id, body, contactId),
            }),
          )
        ).body;
      } catch (e) {
        return sendPage(reply, await again(refusedOn(e, 'rol')), 422);
      }
      return sendPage(
        reply,
        await organisationPage(deps, request, reply, org, {
          notice: {
            kind: 'ok',
            text:
              `${made.name} is toegevoegd als ${CONTACT_ROLE_NL[made.role] ?? made.role}. ` +
              'Nodig hem of haar uit om in te loggen.',
          },
        }),
      );
    },
  );

  app.post<{ Params: { id: string; contactId: string }; Body: Form }>(
    '/partners/:id/contactpersonen/:contactId/uitnodigen',
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      config: { access: { roles: COORDINATION, resource: 'organisation', manage: true } },
    },
    async (request, reply) => {
      const { id, contactId } = request.params;
      const org = await getOrganisation(deps, id);
      const form = request.body ?? {};
      // A repeat of the same form (a double click, a reload) sends no second mail.
      const invitation = (
        await idempotent(
          deps.db,
          {
            scope: `${request.principal.actor}|web|invitation|${id}|${contactId}`,
            key: String(form.formKey || randomUUID()),
            body: { contactId },
          },
          async () => ({ statusCode: 201, body: await inviteContact(deps, request.principal, id, contactId) }),
        )
      ).body;
      return sendPage(
        reply,
        await organisationPage(deps, request, reply, org, {
          notice: {
            kind: 'ok',
            text: `De uitnodiging is verstuurd naar ${invitation.email}. De inloglink werkt tot ${dutchMoment(
              invitation.linkExpiresAt,
            )}.`,
          },
        }),
      );
    },
  );

  app.post<{ Params: { id: string }; Body: Form }>(
    '/partners/:id/sleutels',
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      config: { access: { roles: COORDINATION, resource: 'organisation', manage: true } },
    },
    async (request, reply) => {
      const org = await getOrganisation(deps, request.params.id);
      const form = request.body ?? {};
      const contacts = await allPages((page) => pageContacts(deps, request.principal, org.id, page), 1000);
      const { errors, body } = keyOf(
        form,
        KEY_ROLES_OF[org.kind] ?? [],
        contacts.filter((c) => c.role === 'jobcoach').map((c) => c.id),
      );
      const again = (keyErrors: Errors) => organisationPage(deps, request, reply, org, { keyForm: form, keyErrors });
      if (Object.keys(errors).length) return sendPage(reply, await again(errors), 422);
      const newKey = { organisationId: org.id, ...body };
      let outcome;
      try {
        outcome = await idempotent(
          deps.db,
          {
            scope: `${request.principal.actor}|web|api-key`,
            key: String(form.formKey || randomUUID()),
            body: newKey,
          },
          async (keyId) => ({ statusCode: 201, body: await createApiKey(deps, request.principal, newKey, keyId) }),
          // The secret is never stored: a repeat of the form cannot show it again.
          ({ secret: _, ...rest }) => ({ ...rest, secret: '' }),
        );
      } catch (e) {
        return sendPage(reply, await again(refusedOn(e, 'sleutelrol')), 422);
      }
      if (outcome.replayed)
        return sendPage(
          reply,
          await organisationPage(deps, request, reply, org, {
            notice: {
              kind: 'info',
              text:
                `De sleutel ‘${outcome.body.label}’ was al aangemaakt. Het geheim is alleen direct na het aanmaken ` +
                'getoond en is niet opnieuw te zien. Kwijt? Trek de sleutel in en maak een nieuwe.',
            },
          }),
        );
      return sendPage(
        reply,
        await organisationPage(deps, request, reply, org, {
          notice: { kind: 'ok', text: `De sleutel ‘${outcome.body.label}’ is aangemaakt.` },
          created: outcome.body,
        }),
      );
    },
  );

  app.get(
    '/sleutels',
    { schema: { hide: true }, config: { access: { roles: COORDINATION } } },
    async (request, reply) => {
      const { partners } = await whoIsWho(deps, request);
      const names = new Map([...partners.values()].map((p) => [p.organisation.id, p.organisation.name]));
      const keys = await officeKeys(deps, request);
      return sendPage(
        reply,
        personPage(
          request,
          reply,
          { title: 'API-sleutels' },
          html`${pageLinks}
            <p class="utrecht-paragraph">
              De sleutels die uw programmabureau uitgaf. Het geheim van een sleutel staat hier nooit: dat ziet u alleen
              direct na het aanmaken. Een nieuwe sleutel maakt u bij de organisatie op de pagina
              <a class="utrecht-link" href="/partners">Partners</a>.
            </p>
            ${keyTable('API-sleutels van uw programmabureau', keys, names)}`,
        ),
      );
    },
  );

  const keyAccess = { roles: COORDINATION, resource: 'api-key' as const, manage: true };

  app.get<{ Params: { id: string } }>(
    '/sleutels/:id/intrekken',
    { schema: { hide: true }, config: { access: keyAccess } },
    async (request, reply) => {
      const key = (await apiKeyRow(deps, request.params.id))!;
      return sendPage(
        reply,
        personPage(
          request,
          reply,
          { title: `Sleutel ‘${key.label}’ intrekken` },
          key.revoked_at
            ? html`<p class="utrecht-paragraph">
                  Deze sleutel is al ingetrokken op ${dutchMoment(key.revoked_at.toISOString())}.
                </p>
                <p class="utrecht-paragraph"><a class="utrecht-link" href="/sleutels">Terug naar de sleutels</a></p>`
            : html`<p class="utrecht-paragraph">
                  Een ingetrokken sleutel werkt meteen niet meer: elk systeem dat hem gebruikt krijgt vanaf nu geen
                  toegang. Dit kan niet ongedaan worden gemaakt; maak zo nodig daarna een nieuwe sleutel.
                </p>
                <form method="post">
                  <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
                  <button type="submit" class="utrecht-button utrecht-button--primary-action">
                    Ja, sleutel intrekken
                  </button>
                  <a class="utrecht-link" href="/partners/${key.organisation_id}">Nee, terug</a>
                </form>`,
        ),
      );
    },
  );

  app.post<{ Params: { id: string } }>(
    '/sleutels/:id/intrekken',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: { access: keyAccess } },
    async (request, reply) => {
      // Revoking twice changes nothing: the first moment stays.
      const key = await revoke(deps, request.params.id);
      return sendPage(
        reply,
        personPage(
          request,
          reply,
          {
            title: `Sleutel ‘${key.label}’ ingetrokken`,
            notice: { kind: 'ok', text: `De sleutel werkt niet meer sinds ${dutchMoment(key.revokedAt)}.` },
          },
          html`<p class="utrecht-paragraph"><a class="utrecht-link" href="/sleutels">Naar alle sleutels</a></p>`,
        ),
      );
    },
  );
}
