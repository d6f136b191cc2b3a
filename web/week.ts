// The week page of an employer or an ROC: its participants that week, each day planned, recorded or not
// expected, and one form to confirm the week. Every open day up to today stands on "aanwezig", so confirming a
// week where everyone came is one click, and an absence is one choice more. The recording is the API's
// whole-week recording (recordWeek), under the same policy; a repeated submission records nothing twice.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { noteAudit } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { idempotent } from '../api/idempotency';
import { recordWeek } from '../api/services/partner-recording';
import { weekSheet, type SheetDay, type WeekSheet } from '../api/services/week-sheet';
import { today } from '../api/services/trajectories';
import { addDays } from '../domain/calendar';
import { ABSENCE_NL, dutchShortDate } from '../domain/dutch';
import { ABSENCE_REASONS, type AbsenceReason } from '../domain/statuses';
import { html, page, type Html } from './html';
import { taskOf, taskPath } from './tasks';
import { csrfOf, sendPage } from './form-parts';

type Params = { id: string; weekStart: string };

/** A day as a column heading: "maandag 23 nov". */
export const dayName = dutchShortDate;

function cell(p: WeekSheet['participants'][number], day: SheetDay | undefined, on: string): Html {
  if (!day) return html`<td>–</td>`;
  switch (day.state) {
    case 'present':
      return html`<td>Aanwezig</td>`;
    case 'absent':
      return html`<td>Afwezig (${ABSENCE_NL[day.reason]})</td>`;
    case 'not_expected':
      return html`<td>Niet verwacht${day.reason ? ` (${day.reason})` : ''}</td>`;
    case 'open':
      if (day.date > on) return html`<td>Nog niet</td>`;
      return html`<td>
        <select
          class="utrecht-select utrecht-select--html-select"
          name="d:${p.trajectoryId}:${day.date}"
          aria-label="${p.firstName} (${p.reference}), ${dayName(day.date)}"
        >
          <option value="aanwezig" selected>Aanwezig</option>
          ${ABSENCE_REASONS.map((r) => html`<option value="${r}">Afwezig: ${ABSENCE_NL[r]}</option>`)}
        </select>
      </td>`;
  }
}

function sheetPage(
  request: FastifyRequest,
  reply: FastifyReply,
  sheet: WeekSheet,
  on: string,
  notice?: { kind: 'ok' | 'error' | 'info'; text: Html | string },
): Html {
  const person = request.person!;
  const { id } = sheet.organisation;
  const days = (p: WeekSheet['participants'][number]) => new Map(p.days.map((d) => [d.date, d]));
  // Only the weekdays someone has a day on: an ROC's one school day a week fits a phone's screen.
  const columns = sheet.dates.filter((d) => sheet.participants.some((p) => p.days.some((x) => x.date === d)));
  const previous = taskPath(taskOf.week(id, addDays(sheet.weekStart, -7)))!;
  const next = taskPath(taskOf.week(id, addDays(sheet.weekStart, 7)))!;
  const kind = sheet.organisation.kind === 'school' ? 'ROC-dagen' : 'stagedagen';
  // A session from a task link reaches this week only: no links to other weeks then.
  const browse = person.task === null;
  return page(
    {
      title: `Week van ${dayName(sheet.weekStart)}`,
      person: { name: person.name, organisation: person.organisationName, csrf: csrfOf(reply) },
      notice,
    },
    html`<p class="utrecht-paragraph">
        De ${kind} van de deelnemers van ${sheet.organisation.name}. Staat iedereen op "Aanwezig" die er was? Dan is één
        klik op "Week bevestigen" genoeg; kies bij wie er niet was de reden.
      </p>
      ${
        sheet.participants.length === 0
          ? html`<p class="utrecht-paragraph">Deze week heeft u geen deelnemers.</p>`
          : html`<form method="post">
              <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
              <input type="hidden" name="formKey" value="${randomUUID()}" />
              <div class="table-scroll">
                <table class="utrecht-table">
                  <caption class="utrecht-table__caption">
                    Aanwezigheid, week van ${dayName(sheet.weekStart)}
                  </caption>
                  <thead class="utrecht-table__header">
                    <tr class="utrecht-table__row">
                      <th class="utrecht-table__header-cell" scope="col">Deelnemer</th>
                      ${columns.map((d) => html`<th class="utrecht-table__header-cell" scope="col">${dayName(d)}</th>`)}
                    </tr>
                  </thead>
                  <tbody class="utrecht-table__body">
                    ${sheet.participants.map(
                      (p) =>
                        html`<tr class="utrecht-table__row">
                          <th class="utrecht-table__header-cell" scope="row">${p.firstName} (${p.reference})</th>
                          ${columns.map((d) => cell(p, days(p).get(d), on))}
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
              ${
                sheet.open > 0
                  ? html`<button type="submit" class="utrecht-button utrecht-button--primary-action">
                      Week bevestigen
                    </button>`
                  : html`<p class="utrecht-paragraph">Er is deze week niets meer te bevestigen.</p>`
              }
            </form>`
      }
      ${
        sheet.participants.some((p) =>
          p.days.some((d) => (d.state === 'present' || d.state === 'absent') && d.date <= on),
        )
          ? html`<p class="utrecht-paragraph">
              <a class="utrecht-link" href="${taskPath(taskOf.week(id, sheet.weekStart))}/correcties"
                >Een vastgelegde dag corrigeren</a
              >
            </p>`
          : ''
      }
      ${
        browse
          ? html`<p class="utrecht-paragraph">
              <a class="utrecht-link" href="${previous}">Vorige week</a> ·
              <a class="utrecht-link" href="${next}">Volgende week</a>
            </p>`
          : ''
      }`,
  );
}

export async function weekRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const task = (request: FastifyRequest) => {
    const p = request.params as Params;
    return taskOf.week(p.id, p.weekStart);
  };

  app.get<{ Params: Params }>(
    '/organisaties/:id/weken/:weekStart',
    {
      schema: { hide: true },
      config: {
        task,
        access: { roles: ['admin', 'coordinator', 'employer', 'school'], resource: 'organisation', audit: 'read' },
      },
    },
    async (request, reply) => {
      const sheet = await weekSheet(deps, request.principal, request.params.id, request.params.weekStart);
      noteAudit(
        request,
        sheet.participants.map((p) => p.trajectoryId),
      );
      return sendPage(reply, sheetPage(request, reply, sheet, today(deps)));
    },
  );

  app.post<{ Params: Params; Body: Record<string, string> }>(
    '/organisaties/:id/weken/:weekStart',
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      config: {
        task,
        access: { roles: ['admin', 'employer', 'school'], resource: 'organisation', manage: true, audit: 'change' },
      },
    },
    async (request, reply) => {
      const { id, weekStart } = request.params;
      const form = request.body ?? {};
      const absences: { trajectoryId: string; date: string; reason: AbsenceReason }[] = [];
      for (const [name, value] of Object.entries(form)) {
        const [prefix, trajectoryId, date] = name.split(':');
        if (prefix !== 'd' || !trajectoryId || !date || value === 'aanwezig') continue;
        if (!(ABSENCE_REASONS as readonly string[]).includes(value)) continue;
        absences.push({ trajectoryId, date, reason: value as AbsenceReason });
      }
      const body = { weekStart, absences };
      let notice: { kind: 'ok' | 'error'; text: string };
      try {
        const outcome = await idempotent(
          deps.db,
          { scope: `${request.principal.actor}|web|week|${id}`, key: String(form.formKey ?? randomUUID()), body },
          async (requestId) => ({
            statusCode: 200,
            body: await recordWeek(deps, request.principal, id, body, requestId),
          }),
        );
        const result = outcome.body;
        noteAudit(
          request,
          result.trajectories.filter((t) => t.present.length + t.absent.length > 0).map((t) => t.trajectoryId),
        );
        const present = result.trajectories.reduce((n, t) => n + t.present.length, 0);
        const absent = result.trajectories.reduce((n, t) => n + t.absent.length, 0);
        const refused = result.trajectories.reduce((n, t) => n + t.refused.length, 0);
        notice = refused
          ? {
              kind: 'error',
              text:
                `Vastgelegd: ${present} aanwezig, ${absent} afwezig. ${refused} dag(en) konden niet worden ` +
                'vastgelegd, omdat de planning intussen veranderde; ze staan hieronder nog open.',
            }
          : { kind: 'ok', text: `Dank u wel. Vastgelegd: ${present} dag(en) aanwezig, ${absent} afwezig.` };
      } catch (e) {
        if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
        notice = {
          kind: 'error',
          text: e.errors?.some((x) => x.field === 'weekStart')
            ? 'Deze week is nog niet begonnen; u kunt een dag vastleggen vanaf die dag zelf.'
            : 'Niets vastgelegd: de gegevens pasten niet bij de planning. ' +
              'Laad de pagina opnieuw en probeer het nog eens.',
        };
      }
      const sheet = await weekSheet(deps, request.principal, id, weekStart);
      return sendPage(reply, sheetPage(request, reply, sheet, today(deps), notice), notice.kind === 'ok' ? 200 : 422);
    },
  );
}
