// "Mijn deelnemers": an employer's participants (an ROC's students) with their next days, and the way to this
// week's and last week's attendance, to each participant's BBL decision and work processes (praktijkverklaring),
// and for an ROC to its closures. Read through a service (participantDays) under the same rule as the week page:
// the organisation's own, audited.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { noteAudit } from '../api/access';
import type { AppDeps } from '../api/deps';
import { participantDays } from '../api/services/participant-days';
import { addDays, isoWeekday } from '../domain/calendar';
import { html } from './html';
import { inWords, personPage, sendPage } from './form-parts';
import { taskOf, taskPath } from './tasks';
import { workProcessesPath } from './work-processes';
import { subsidyPath } from './subsidy';

const mondayOf = (date: string, shift = 0) => addDays(date, 1 - isoWeekday(date) + shift);

export async function participantRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  app.get<{ Params: { id: string } }>(
    '/organisaties/:id/deelnemers',
    {
      schema: { hide: true },
      config: {
        access: { roles: ['admin', 'coordinator', 'employer', 'school'], resource: 'organisation', audit: 'read' },
      },
    },
    async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const sheet = await participantDays(deps, request.principal, request.params.id);
      noteAudit(
        request,
        sheet.participants.map((p) => p.trajectoryId),
      );
      const { id, kind } = sheet.organisation;
      const school = kind === 'school';
      const week = (shift: number) => taskPath(taskOf.week(id, mondayOf(sheet.today, shift)));
      const bbl = (trajectoryId: string) => taskPath(taskOf.bbl(trajectoryId, id));
      const content = html`<p class="utrecht-paragraph">
          ${school ? 'De studenten' : 'De deelnemers'} van ${sheet.organisation.name} en hun volgende
          ${school ? 'ROC-dagen' : 'stagedagen'}.
        </p>
        <ul class="utrecht-unordered-list">
          <li><a class="utrecht-link" href="${week(0)}">Aanwezigheid van deze week</a></li>
          <li><a class="utrecht-link" href="${week(-7)}">Aanwezigheid van vorige week</a></li>
          ${
            school
              ? html`<li>
                  <a class="utrecht-link" href="/organisaties/${encodeURIComponent(id)}/sluitingen">Sluitingsdagen</a>
                </li>`
              : html`<li>
                  <a class="utrecht-link" href="${subsidyPath(id)}">Subsidie praktijkleren: begeleide weken</a>
                </li>`
          }
        </ul>
        ${
          sheet.participants.length === 0
            ? html`<p class="utrecht-paragraph">Er zijn nu geen deelnemers bij ${sheet.organisation.name}.</p>`
            : html`<div class="table-scroll">
                <table class="utrecht-table">
                  <caption class="utrecht-table__caption">
                    ${school ? 'Studenten' : 'Deelnemers'} en hun volgende dagen
                  </caption>
                  <thead class="utrecht-table__header">
                    <tr class="utrecht-table__row">
                      <th class="utrecht-table__header-cell" scope="col">Deelnemer</th>
                      <th class="utrecht-table__header-cell" scope="col">
                        Volgende ${school ? 'ROC-dagen' : 'stagedagen'}
                      </th>
                      <th class="utrecht-table__header-cell" scope="col">BBL</th>
                      <th class="utrecht-table__header-cell" scope="col">Werkprocessen</th>
                    </tr>
                  </thead>
                  <tbody class="utrecht-table__body">
                    ${sheet.participants.map(
                      (p) =>
                        html`<tr class="utrecht-table__row">
                          <th class="utrecht-table__header-cell" scope="row">${p.firstName} (${p.reference})</th>
                          <td class="utrecht-table__cell">
                            ${
                              p.nextDays.length
                                ? p.nextDays.map((d) => inWords(d, sheet.today)).join(', ')
                                : 'Geen dagen gepland in de komende vier weken'
                            }
                          </td>
                          <td class="utrecht-table__cell">
                            ${
                              bbl(p.trajectoryId)
                                ? html`<a class="utrecht-link" href="${bbl(p.trajectoryId)}"
                                    >BBL-besluit van ${p.firstName}</a
                                  >`
                                : '–'
                            }
                          </td>
                          <td class="utrecht-table__cell">
                            <a class="utrecht-link" href="${workProcessesPath(p.trajectoryId)}"
                              >Werkprocessen van ${p.firstName}</a
                            >
                          </td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
        }`;
      return sendPage(reply, personPage(request, reply, { title: 'Mijn deelnemers' }, content));
    },
  );
}
