// "Collega's": an employer's or ROC's own contact persons, and adding and inviting a colleague, for whoever
// manages that organisation (issue 17: accounts are invited by whoever manages the organisation). The access of
// POST /v1/organisations/{id}/contacts and its invitations: another organisation, or another organisation's
// contact, answers 404 like an unknown one; an employer adds workplace trainers, an ROC its ROC coordinators.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../api/deps';
import { contactRoleProblems, getOrganisation, pageContacts } from '../api/services/partners';
import type { Contact } from '../api/schemas/covenant';
import type { Organisation } from '../api/schemas/organisation';
import type { Html } from './html';
import { html } from './html';
import { addContact, contactForm, contactOf, contactsTable, invite, refusedOn, type Form } from './contact-parts';
import { csrfOf, personPage, sendPage, type Errors } from './form-parts';
import { allPages, CONTACT_ROLES_OF } from './office-words';

const ACCESS = {
  roles: ['admin', 'coordinator', 'employer', 'school'],
  resource: 'organisation',
  manage: true,
} as const;
const path = (id: string) => `/organisaties/${encodeURIComponent(id)}/collegas`;

/** The roles this person may give a colleague here: the organisation's, as far as the API lets them add it. */
const rolesFor = (request: FastifyRequest, org: Organisation) =>
  (CONTACT_ROLES_OF[org.kind] ?? []).filter(
    (r) => contactRoleProblems(request.principal, r as Contact['role']).length === 0,
  );

async function colleaguesPage(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  org: Organisation,
  o: { notice?: { kind: 'ok' | 'error'; text: string }; form?: Form; errors?: Errors } = {},
): Promise<Html> {
  const contacts = await allPages((page) => pageContacts(deps, request.principal, org.id, page), 1000);
  const csrf = csrfOf(reply);
  const roles = rolesFor(request, org);
  return personPage(
    request,
    reply,
    { title: `Collega's bij ${org.name}`, notice: o.notice },
    html`<p class="utrecht-paragraph">
        Wie van ${org.name} met Toeleiding werkt. Een uitgenodigde collega logt daarna zelf in met een link per e-mail.
      </p>
      ${contactsTable(
        { name: org.name, contacts, csrf },
        (contactId) => `${path(org.id)}/${encodeURIComponent(contactId)}/uitnodigen`,
      )}
      ${
        roles.length
          ? contactForm({
              action: path(org.id),
              heading: 'Een collega toevoegen en uitnodigen',
              button: 'Toevoegen en uitnodigen',
              roles,
              form: o.form ?? {},
              errors: o.errors ?? {},
              csrf,
            })
          : ''
      }
      <p class="utrecht-paragraph"><a class="utrecht-link" href="/">Naar de startpagina</a></p>`,
  );
}

export async function colleagueRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  app.get<{ Params: { id: string } }>(
    '/organisaties/:id/collegas',
    { schema: { hide: true }, config: { access: ACCESS } },
    async (request, reply) => {
      const org = await getOrganisation(deps, request.params.id);
      return sendPage(reply, await colleaguesPage(deps, request, reply, org));
    },
  );

  app.post<{ Params: { id: string }; Body: Form }>(
    '/organisaties/:id/collegas',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: { access: ACCESS } },
    async (request, reply) => {
      const org = await getOrganisation(deps, request.params.id);
      const form = request.body ?? {};
      const { errors, body } = contactOf(form, rolesFor(request, org));
      if (Object.keys(errors).length)
        return sendPage(reply, await colleaguesPage(deps, request, reply, org, { form, errors }), 422);
      let made: Contact;
      try {
        made = await addContact(deps, request, org.id, body, form.formKey);
      } catch (e) {
        return sendPage(
          reply,
          await colleaguesPage(deps, request, reply, org, { form, errors: refusedOn(e, 'rol') }),
          422,
        );
      }
      // The same form key: a repeat (a double click, a reload) adds nobody twice and sends no second mail.
      const text = await invite(deps, request, org.id, made.id, form.formKey);
      return sendPage(
        reply,
        await colleaguesPage(deps, request, reply, org, {
          notice: { kind: 'ok', text: `${made.name} is toegevoegd. ${text}` },
        }),
      );
    },
  );

  app.post<{ Params: { id: string; contactId: string }; Body: Form }>(
    '/organisaties/:id/collegas/:contactId/uitnodigen',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: { access: ACCESS } },
    async (request, reply) => {
      const { id, contactId } = request.params;
      const org = await getOrganisation(deps, id);
      const text = await invite(deps, request, id, contactId, request.body?.formKey);
      return sendPage(reply, await colleaguesPage(deps, request, reply, org, { notice: { kind: 'ok', text } }));
    },
  );
}
