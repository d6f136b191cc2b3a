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
import { idempotent } from '../api/idempotency';
import { apiKeyRow, createApiKey, getOrganisation, pageApiKeys, pageContacts, revoke } from '../api/services/partners';
import type { ApiKey, CreatedApiKey } from '../api/schemas/api-key';
import type { Contact } from '../api/schemas/covenant';
import type { Organisation } from '../api/schemas/organisation';
import { html, type Html } from './html';
import { readinessSection } from './readiness';
import { csrfOf, facts, personPage, radioField, sendPage, textField, type Errors } from './form-parts';
import {
  addContact,
  contactForm,
  contactOf,
  contactsTable,
  CONTROL,
  invite,
  refusedOn,
  type Form,
} from './contact-parts';
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

type Notice = { kind: 'ok' | 'error' | 'info'; text: Html | string };

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
      ${contactsTable(
        { name: org.name, contacts, csrf },
        (contactId) => `/partners/${org.id}/contactpersonen/${contactId}/uitnodigen`,
      )}
      ${
        contactRoles.length
          ? contactForm({
              action: `/partners/${org.id}/contactpersonen`,
              heading: 'Contactpersoon toevoegen',
              button: 'Contactpersoon toevoegen',
              roles: contactRoles,
              form: cf,
              errors: ce,
              csrf,
            })
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
        made = await addContact(deps, request, org.id, body, form.formKey);
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
      const text = await invite(deps, request, id, contactId, form.formKey);
      return sendPage(reply, await organisationPage(deps, request, reply, org, { notice: { kind: 'ok', text } }));
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
