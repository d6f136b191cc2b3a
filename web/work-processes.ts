// The praktijkverklaring route on the pages (issue 21, part 3): /trajecten/:id/werkprocessen shows the work processes
// of the participant's programme (offered by the placement, shown when, by whom, with the note). The participant's
// own employer (its praktijkopleider) records a work process there; the ROC confirms the praktijkverklaring after an
// ending without BBL and downloads the export for the Praktijkloket. The same services and policies as the API's
// POST /v1/trajectories/{id}/work-processes and /praktijkverklaring; a refusal stands in Dutch next to its field.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { AppDeps } from '../api/deps';
import { DomainError, type FieldProblem } from '../api/errors';
import { idempotent } from '../api/idempotency';
import {
  confirmPraktijkverklaring,
  exportDutchCsv,
  exportXlsx,
  praktijkverklaringExport,
  recordWorkProcess,
  workProcessOverview,
} from '../api/services/praktijkverklaring';
import type { WorkProcessOverview } from '../api/schemas/praktijkverklaring';
import { localDate } from '../domain/calendar';
import { formField, readText } from './form-field';
import { csrfOf, inWords, personPage, radioField, readDate, sendPage, textField, type Errors } from './form-parts';
import { html, type Html } from './html';
import { sendDownload } from './spreadsheet';

type Params = { id: string };
type Form = Record<string, string | undefined>;

export const workProcessesPath = (id: string) => `/trajecten/${encodeURIComponent(id)}/werkprocessen`;

const READERS = ['admin', 'coordinator', 'employer', 'school', 'jobcoach'] as const;

/** Which form a role submits: the employer records, the ROC confirms (the API's policies, one per form). */
const ACTION_OF: Partial<Record<string, string>> = {
  employer: 'vastleggen',
  school: 'bevestigen',
  admin: 'bevestigen',
};

function workProcessPage(
  request: FastifyRequest,
  reply: FastifyReply,
  o: { id: string; overview: WorkProcessOverview; form?: Form; errors?: Errors; notice?: string },
): Html {
  const role = request.principal.role;
  const today = localDate(Date.now());
  const errors = o.errors ?? {};
  const form = o.form ?? {};
  const offered = o.overview.workProcesses.filter((w) => w.offered);
  const statement = o.overview.praktijkverklaring;
  const hidden = html`<input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
    <input type="hidden" name="formKey" value="${randomUUID()}" />`;
  const recordForm =
    role === 'employer'
      ? offered.length === 0
        ? html`<p class="utrecht-paragraph">
            Uw stageplaats biedt nog geen werkprocessen aan. De coördinator van het programma legt vast welke.
          </p>`
        : html`<form method="post" novalidate>
            <h2 class="utrecht-heading-2">Werkproces vastleggen</h2>
            ${hidden}
            <input type="hidden" name="actie" value="vastleggen" />
            ${radioField({
              name: 'werkproces',
              legend: 'Welk werkproces liet de deelnemer zien?',
              options: offered.map((w) => ({ value: w.code, label: `${w.code} ${w.name}` })),
              chosen: form.werkproces,
              errors,
            })}
            ${textField({
              name: 'datum',
              label: 'Wanneer liet de deelnemer het zien?',
              hint: 'Bijvoorbeeld 10-3-2027. Niet in de toekomst.',
              type: 'date',
              value: form.datum,
              errors,
            })}
            ${formField({
              id: 'toelichting',
              label: 'Korte toelichting',
              description: 'Wat deed de deelnemer? Het ROC leest dit bij de aanvraag van de praktijkverklaring.',
              error: errors.toelichting,
              control: (aria) =>
                html`<textarea
                  class="utrecht-textarea utrecht-textarea--html-textarea"
                  id="toelichting"
                  name="toelichting"
                  rows="4"
                  ${aria}
                >
${form.toelichting ?? ''}</textarea>`,
            })}
            ${textField({
              name: 'beoordelaar',
              label: 'Naam van de praktijkopleider',
              hint: 'Leeg laten: uw eigen naam.',
              value: form.beoordelaar,
              errors,
            })}
            <button type="submit" class="utrecht-button utrecht-button--primary-action">Werkproces vastleggen</button>
          </form>`
      : '';
  const exportLinks = html`<p class="utrecht-paragraph">
    Voor de aanvraag bij het Praktijkloket:
    <a class="utrecht-link" href="${workProcessesPath(o.id)}/praktijkverklaring.xlsx">download als Excel</a> of
    <a class="utrecht-link" href="${workProcessesPath(o.id)}/praktijkverklaring.csv">als CSV</a>.
  </p>`;
  const confirmForm =
    role === 'school' || role === 'admin'
      ? statement
        ? exportLinks
        : html`<form method="post" novalidate>
              <h2 class="utrecht-heading-2">Praktijkverklaring bevestigen</h2>
              ${hidden}
              <input type="hidden" name="actie" value="bevestigen" />
              ${
                errors.bevestigen
                  ? html`<p class="utrecht-form-field-error-message" id="bevestigen-fout">${errors.bevestigen}</p>`
                  : ''
              }
              <p class="utrecht-paragraph">
                Na een traject zonder BBL bevestigt het ROC de praktijkverklaring met de aangetoonde werkprocessen.
              </p>
              <button
                type="submit"
                class="utrecht-button utrecht-button--primary-action"
                ${errors.bevestigen ? html`aria-describedby="bevestigen-fout"` : ''}
              >
                Praktijkverklaring bevestigen
              </button>
            </form>
            ${exportLinks}`
      : role === 'coordinator'
        ? exportLinks
        : '';
  return personPage(
    request,
    reply,
    {
      title: 'Werkprocessen en praktijkverklaring',
      notice: o.notice ? { kind: 'ok', text: o.notice } : undefined,
    },
    html`${
        statement
          ? html`<p class="utrecht-paragraph">
              Praktijkverklaring bevestigd op ${inWords(statement.confirmedOn, today)}, voor
              ${statement.codes.join(', ')}.
            </p>`
          : ''
      }
      <div class="table-scroll" tabindex="0" role="region" aria-label="Werkprocessen">
        <table class="utrecht-table">
          <caption class="utrecht-table__caption">
            Werkprocessen van de opleiding
          </caption>
          <thead class="utrecht-table__header">
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="col">Werkproces</th>
              <th class="utrecht-table__header-cell" scope="col">Omschrijving</th>
              <th class="utrecht-table__header-cell" scope="col">Aangetoond</th>
              <th class="utrecht-table__header-cell" scope="col">Toelichting</th>
            </tr>
          </thead>
          <tbody class="utrecht-table__body">
            ${o.overview.workProcesses.map(
              (w) =>
                html`<tr class="utrecht-table__row">
                  <th class="utrecht-table__header-cell" scope="row">${w.code}</th>
                  <td class="utrecht-table__cell">${w.name}${w.offered ? '' : ' (niet op deze stageplaats)'}</td>
                  <td class="utrecht-table__cell">
                    ${
                      w.shown
                        ? `${inWords(w.shown.on, today)}, ${w.shown.assessor} (${w.shown.employerName})`
                        : 'Nog niet'
                    }
                  </td>
                  <td class="utrecht-table__cell">${w.shown?.note ?? ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${recordForm} ${confirmForm}`,
  );
}

/** The record form as the API's body, or the Dutch problems with it (by field). */
function shownOf(form: Form): {
  body?: { code: string; shownOn: string; note: string; assessor?: string };
  errors: Errors;
} {
  const errors: Errors = {};
  if (!form.werkproces) errors.werkproces = 'Kies het werkproces dat de deelnemer liet zien.';
  const date = readDate(form.datum);
  if (date === '') errors.datum = 'Vul de datum in.';
  else if (date === undefined)
    errors.datum = 'Dit is geen bestaande datum. Vul dag-maand-jaar in, bijvoorbeeld 10-3-2027.';
  const note = readText(form.toelichting, { max: 1000, required: true, what: 'een korte toelichting' });
  if (note.error) errors.toelichting = note.error;
  const assessor = readText(form.beoordelaar, { max: 200, required: false, what: 'de naam' });
  if (assessor.error) errors.beoordelaar = assessor.error;
  if (Object.keys(errors).length > 0) return { errors };
  return {
    body: {
      code: form.werkproces!,
      shownOn: date!,
      note: note.text!,
      ...(assessor.text ? { assessor: assessor.text } : {}),
    },
    errors,
  };
}

/** The service's refusals by the page's field names. */
const FIELD: Record<string, string> = {
  code: 'werkproces',
  shownOn: 'datum',
  assessor: 'beoordelaar',
  note: 'toelichting',
  trajectory: 'bevestigen',
  workProcesses: 'bevestigen',
  codes: 'bevestigen',
};
const errorsOf = (problems: FieldProblem[] | undefined, fallback: string): Errors =>
  Object.fromEntries((problems ?? []).map((p) => [FIELD[p.field] ?? fallback, `${capital(p.nl)}.`]));
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export async function workProcessRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const overview = (request: FastifyRequest<{ Params: Params }>) =>
    workProcessOverview(deps, request.principal, request.params.id);

  app.get<{ Params: Params }>(
    '/trajecten/:id/werkprocessen',
    { schema: { hide: true }, config: { access: { roles: READERS, resource: 'trajectory', audit: 'read' } } },
    async (request, reply) =>
      sendPage(reply, workProcessPage(request, reply, { id: request.params.id, overview: await overview(request) })),
  );

  app.post<{ Params: Params; Body: Form }>(
    '/trajecten/:id/werkprocessen',
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      config: {
        // The API's two policies, the form's `actie` standing for the route: the employer records, the ROC confirms.
        access: {
          roles: ['admin', 'employer', 'school'],
          resource: 'trajectory',
          audit: 'change',
          body: (p, body) =>
            (body as Form | undefined)?.actie === ACTION_OF[p.role]
              ? []
              : [{ field: 'actie', message: 'not your form', nl: 'dit formulier is niet voor u' }],
        },
      },
    },
    async (request, reply) => {
      const form = request.body ?? {};
      const id = request.params.id;
      const p = request.principal;
      let body: object;
      let run: () => Promise<WorkProcessOverview>;
      if (form.actie === 'vastleggen') {
        const read = shownOf(form);
        if (!read.body)
          return sendPage(
            reply,
            workProcessPage(request, reply, { id, overview: await overview(request), form, errors: read.errors }),
            422,
          );
        body = read.body;
        run = () => recordWorkProcess(deps, p, id, request.scope, read.body!);
      } else {
        body = {};
        run = () => confirmPraktijkverklaring(deps, p, id, {});
      }
      try {
        await idempotent(
          deps.db,
          { scope: `${p.actor}|web|werkprocessen|${id}`, key: String(form.formKey ?? randomUUID()), body },
          async () => ({ statusCode: 200, body: await run() }),
        );
      } catch (e) {
        if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
        const errors = errorsOf(
          e.errors ?? [{ field: 'trajectory', message: e.message, nl: e.dutch?.detail ?? e.message }],
          'bevestigen',
        );
        return sendPage(
          reply,
          workProcessPage(request, reply, { id, overview: await overview(request), form, errors }),
          422,
        );
      }
      const notice =
        form.actie === 'vastleggen'
          ? 'Dank u wel. Het werkproces is vastgelegd.'
          : 'De praktijkverklaring is bevestigd.';
      return sendPage(reply, workProcessPage(request, reply, { id, overview: await overview(request), notice }));
    },
  );

  for (const ext of ['xlsx', 'csv'] as const)
    app.get<{ Params: Params }>(
      `/trajecten/:id/werkprocessen/praktijkverklaring.${ext}`,
      {
        schema: { hide: true },
        config: { access: { roles: ['admin', 'coordinator', 'school'], resource: 'trajectory', audit: 'export' } },
      },
      async (request, reply) => {
        const e = await praktijkverklaringExport(deps, request.params.id);
        const name = `praktijkverklaring-${e.rows[0]?.reference ?? request.params.id}`;
        return sendDownload(reply, name, ext === 'xlsx' ? { xlsx: await exportXlsx(e) } : { csv: exportDutchCsv(e) });
      },
    );
}
