// An ROC's closure periods (holidays of its own, study days): the list, and a form to publish one. The same as
// GET and POST /v1/organisations/{id}/closures (listSchoolClosures, publishClosure: school days in the period
// become 'not planned' for every running trajectory of the ROC), under the same policy. A date that is no date,
// an end before the start or a period longer than a year gets its Dutch message next to the field.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { idempotent } from '../api/idempotency';
import { listSchoolClosures, publishClosure } from '../api/services/partner-recording';
import { today } from '../api/services/trajectories';
import { addDays } from '../domain/calendar';
import type { Closure } from '../domain/recording';
import { html, type Html } from './html';
import { csrfOf, inWords, personPage, readDate, sendPage, textField, type Errors } from './form-parts';

type Params = { id: string };
type Form = Record<string, string | undefined>;
type ClosureView = Awaited<ReturnType<typeof listSchoolClosures>>[number];

function closuresPage(
  request: FastifyRequest,
  reply: FastifyReply,
  closures: ClosureView[],
  o: { form?: Form; errors?: Errors; notice?: { kind: 'ok' | 'error'; text: string }; on: string },
): Html {
  const errors = o.errors ?? {};
  const form = o.form ?? {};
  // Who may publish: the ROC itself (and the admin), as for POST /v1/organisations/{id}/closures.
  const publish = request.principal.role === 'school' || request.principal.role === 'admin';
  const nameField = textField({
    name: 'naam',
    label: 'Naam',
    hint: 'Bijvoorbeeld Kerstvakantie',
    value: form.naam,
    errors,
  });
  return personPage(
    request,
    reply,
    { title: 'Sluitingsdagen', notice: o.notice },
    html`<p class="utrecht-paragraph">
        Op sluitingsdagen van het ROC zijn er geen ROC-dagen: ze vervallen voor elke deelnemer die ze nog niet heeft
        gehad, en niemand krijgt er een herinnering voor.
      </p>
      ${
        closures.length === 0
          ? html`<p class="utrecht-paragraph">Er zijn nog geen sluitingsdagen.</p>`
          : html`<div class="table-scroll">
              <table class="utrecht-table">
                <caption class="utrecht-table__caption">
                  Gepubliceerde sluitingsdagen
                </caption>
                <thead class="utrecht-table__header">
                  <tr class="utrecht-table__row">
                    <th class="utrecht-table__header-cell" scope="col">Naam</th>
                    <th class="utrecht-table__header-cell" scope="col">Van</th>
                    <th class="utrecht-table__header-cell" scope="col">Tot en met</th>
                  </tr>
                </thead>
                <tbody class="utrecht-table__body">
                  ${closures.map(
                    (c) =>
                      html`<tr class="utrecht-table__row">
                        <th class="utrecht-table__header-cell" scope="row">${c.name}</th>
                        <td class="utrecht-table__cell">${inWords(c.from, o.on)}</td>
                        <td class="utrecht-table__cell">${inWords(c.to, o.on)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      ${
        publish
          ? html`<form method="post" novalidate>
              <h2 class="utrecht-heading-2">Sluiting publiceren</h2>
              <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
              <input type="hidden" name="formKey" value="${randomUUID()}" />
              ${nameField} ${textField({ name: 'van', label: 'Eerste dag', type: 'date', value: form.van, errors })}
              ${textField({ name: 'tot', label: 'Laatste dag', type: 'date', value: form.tot, errors })}
              <button type="submit" class="utrecht-button utrecht-button--primary-action">Sluiting publiceren</button>
            </form>`
          : ''
      }`,
  );
}

const NO_DATE = 'Dit is geen bestaande datum. Vul dag-maand-jaar in, bijvoorbeeld 21-12-2026.';

/** The form as a closure, or the Dutch problems with it (by field): the checks of the Closure schema and service. */
function closureOf(form: Form): { body?: Closure; errors: Errors } {
  const errors: Errors = {};
  const name = String(form.naam ?? '').trim();
  if (name === '') errors.naam = 'Vul een naam in, bijvoorbeeld Kerstvakantie.';
  else if (name.length > 100) errors.naam = 'Gebruik hoogstens 100 tekens.';
  // eslint-disable-next-line no-control-regex -- the Text schema's rule: no control characters
  else if (/[\u0000-\u001f]/.test(name)) errors.naam = 'Gebruik alleen gewone tekens, zonder regeleinden.';
  const from = readDate(form.van);
  const to = readDate(form.tot);
  if (from === '') errors.van = 'Vul de eerste dag in.';
  else if (from === undefined) errors.van = NO_DATE;
  if (to === '') errors.tot = 'Vul de laatste dag in.';
  else if (to === undefined) errors.tot = NO_DATE;
  else if (from && to < from) errors.tot = 'De laatste dag ligt vóór de eerste dag.';
  else if (from && addDays(from, 366) < to) errors.tot = 'Een sluiting duurt hoogstens een jaar.';
  if (Object.keys(errors).length || !from || !to) return { errors };
  return { body: { from, to, name }, errors };
}

export async function closureRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  app.get<{ Params: Params }>(
    '/organisaties/:id/sluitingen',
    {
      schema: { hide: true },
      config: { access: { roles: ['admin', 'coordinator', 'school'], resource: 'organisation' } },
    },
    async (request, reply) =>
      sendPage(
        reply,
        closuresPage(request, reply, await listSchoolClosures(deps, request.principal, request.params.id), {
          on: today(deps),
        }),
      ),
  );

  app.post<{ Params: Params; Body: Form }>(
    '/organisaties/:id/sluitingen',
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      config: { access: { roles: ['admin', 'school'], resource: 'organisation', manage: true } },
    },
    async (request, reply) => {
      const { id } = request.params;
      const form = request.body ?? {};
      const on = today(deps);
      const list = () => listSchoolClosures(deps, request.principal, id);
      const { body, errors } = closureOf(form);
      if (!body) return sendPage(reply, closuresPage(request, reply, await list(), { form, errors, on }), 422);
      let notified: number;
      try {
        const outcome = await idempotent(
          deps.db,
          { scope: `${request.principal.actor}|web|closure|${id}`, key: String(form.formKey ?? randomUUID()), body },
          async (closureId) => ({
            statusCode: 201,
            body: await publishClosure(deps, request.principal, id, body, closureId),
          }),
        );
        notified = outcome.body.trajectoriesNotified;
      } catch (e) {
        if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
        // The service's own checks, should they refuse what passed here: by field, in Dutch.
        const problems: Errors = {};
        for (const p of e.errors ?? [])
          if (p.field === 'from' || p.field === 'to')
            problems[p.field === 'from' ? 'van' : 'tot'] = 'Controleer deze datum.';
        if (!Object.keys(problems).length) problems.naam = 'Dat lukte niet. Controleer wat u invulde.';
        return sendPage(reply, closuresPage(request, reply, await list(), { form, errors: problems, on }), 422);
      }
      const text =
        `Gepubliceerd: ${body.name}, van ${inWords(body.from, on)} tot en met ${inWords(body.to, on)}. ` +
        `Doorgegeven aan ${notified} lopende ${notified === 1 ? 'traject' : 'trajecten'}.`;
      return sendPage(reply, closuresPage(request, reply, await list(), { notice: { kind: 'ok', text }, on }));
    },
  );
}
