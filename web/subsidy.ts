// The employer's praktijkleren subsidy file as a page: per school year, each participant's supervised weeks (the
// weeks it confirmed with presence, at most 40 counted), the application deadline, and the file to download and keep
// 5 years (the same as GET /v1/organisations/{id}/subsidy-evidence). The employer itself and its office's
// coordinator; another organisation gets 404 (the route policy's resource check). Audited per participant. The
// deadline mail's task link opens the school year it names (web/tasks.ts `subsidy`).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { noteAudit } from '../api/access';
import type { AppDeps } from '../api/deps';
import type { SubsidyEvidence } from '../api/schemas/evidence';
import { subsidyCsv, subsidyEvidence, subsidyFileName, subsidyXlsx } from '../api/services/subsidy-evidence';
import { today } from '../api/services/trajectories';
import { addDays } from '../domain/calendar';
import { dutchDay } from '../domain/dutch';
import { applicationDeadline, schoolYear, schoolYearOf } from '../domain/subsidy';
import { html } from './html';
import { personPage, selectField, sendPage } from './form-parts';
import { sendDownload } from './spreadsheet';
import { taskOf } from './tasks';

/** The address of an employer's subsidy page, for a school year. */
export const subsidyPath = (employerId: string, year?: string) =>
  `/organisaties/${encodeURIComponent(employerId)}/subsidie${year ? `?schooljaar=${year}` : ''}`;

/** The POK's status in a sentence for the table (the file's column says the same in short). */
function pokInWords(p: SubsidyEvidence['students'][number]['pok']): string {
  if (p.status === 'geen') return 'Nog niet opgesteld';
  return [
    p.status === 'geldig' ? 'Geldig' : 'Niet rond',
    p.signedOn ? `getekend op ${dutchDay(p.signedOn)}` : 'nog niet door iedereen getekend',
    ...(p.bpvBladNeeded ? ['nieuw bpv-blad nodig'] : []),
  ].join(', ');
}

/** The school year to show first: the one that ended, until its application deadline has passed. */
function defaultYear(on: string): string {
  const current = schoolYearOf(on);
  const ended = schoolYearOf(addDays(current.from, -1));
  return on <= applicationDeadline(ended) ? ended.label : current.label;
}

export async function subsidyRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  app.get<{ Params: { id: string }; Querystring: { schooljaar?: string; formaat?: string } }>(
    '/organisaties/:id/subsidie',
    {
      schema: { hide: true },
      config: {
        // The deadline mail's task: this employer's file of the school year it names (its downloads included).
        task: (request) =>
          taskOf.subsidy(
            (request.params as { id: string }).id,
            String((request.query as { schooljaar?: string } | undefined)?.schooljaar ?? ''),
          ),
        access: { roles: ['admin', 'coordinator', 'employer'], resource: 'organisation', audit: 'export' },
      },
    },
    async (request, reply) => {
      const on = today(deps);
      const asked = String(request.query?.schooljaar ?? '') || defaultYear(on);
      const label = schoolYear(asked) ? asked : defaultYear(on);
      const e = await subsidyEvidence(deps, request.principal, request.params.id, label);
      noteAudit(
        request,
        e.students.map((s) => s.trajectoryId),
      );
      const format = request.query?.formaat;
      if (format === 'xlsx')
        return sendDownload(reply as FastifyReply, subsidyFileName(e), { xlsx: await subsidyXlsx(e) });
      if (format === 'csv') return sendDownload(reply as FastifyReply, subsidyFileName(e), { csv: subsidyCsv(e) });
      const first = Number(schoolYearOf(on).label.slice(0, 4));
      const years = Array.from({ length: 6 }, (_, i) => `${first - i}-${first - i + 1}`);
      const download = (f: string) => `${subsidyPath(e.employerId, e.schoolYear)}&formaat=${f}`;
      return sendPage(
        reply,
        personPage(
          request,
          reply,
          { title: `Subsidie praktijkleren, schooljaar ${e.schoolYear}` },
          html`<p class="utrecht-paragraph">
              De weken waarin ${e.employerName} de deelnemer op ten minste één werkdag aanwezig meldde (de wekelijkse
              bevestiging), van ${dutchDay(e.from)} tot en met ${dutchDay(e.to)}. Per schooljaar tellen ten hoogste
              ${e.maxWeeks} weken. De subsidie geldt voor een BBL-student met een geldige praktijkovereenkomst (POK),
              getekend door de student, het leerbedrijf en het ROC. Aanvragen bij RVO tot en met
              ${dutchDay(e.applicationDeadline)}; bewaar het bestand 5 jaar (tot en met ${e.keepUntil}).
            </p>
            <form method="get" action="${subsidyPath(e.employerId)}" novalidate>
              ${selectField({
                name: 'schooljaar',
                label: 'Schooljaar',
                options: years.map((y) => ({ value: y, label: y })),
                chosen: e.schoolYear,
                errors: {},
              })}
              <button type="submit" class="utrecht-button utrecht-button--secondary-action">Toon</button>
            </form>
            ${
              e.students.length === 0
                ? html`<p class="utrecht-paragraph">Geen deelnemers met begeleide weken in dit schooljaar.</p>`
                : html`<div class="table-scroll" tabindex="0" role="region" aria-label="Begeleide weken">
                      <table class="utrecht-table">
                        <caption class="utrecht-table__caption">
                          Begeleide weken per deelnemer
                        </caption>
                        <thead class="utrecht-table__header">
                          <tr class="utrecht-table__row">
                            <th class="utrecht-table__header-cell" scope="col">Deelnemer</th>
                            <th class="utrecht-table__header-cell" scope="col">Weken met begeleiding</th>
                            <th class="utrecht-table__header-cell" scope="col">Weken die tellen</th>
                            <th class="utrecht-table__header-cell" scope="col">BBL-contract vanaf</th>
                            <th class="utrecht-table__header-cell" scope="col">Praktijkovereenkomst</th>
                          </tr>
                        </thead>
                        <tbody class="utrecht-table__body">
                          ${e.students.map(
                            (s) =>
                              html`<tr class="utrecht-table__row">
                                <th class="utrecht-table__header-cell" scope="row">${s.name} (${s.reference})</th>
                                <td class="utrecht-table__cell">${String(s.weeksRecorded)}</td>
                                <td class="utrecht-table__cell">${String(s.weeksCounted)}</td>
                                <td class="utrecht-table__cell">
                                  ${s.bblContractStart ? dutchDay(s.bblContractStart) : '–'}
                                </td>
                                <td class="utrecht-table__cell">${pokInWords(s.pok)}</td>
                              </tr>`,
                          )}
                        </tbody>
                      </table>
                    </div>
                    <ul class="utrecht-unordered-list">
                      <li>
                        <a class="utrecht-link" href="${download('xlsx')}" download>Download als Excel-bestand</a>
                      </li>
                      <li>
                        <a class="utrecht-link" href="${download('csv')}" download
                          >Download als CSV-bestand (Nederlandse Excel)</a
                        >
                      </li>
                    </ul>`
            }`,
        ),
      );
    },
  );
}
