// The coordinator's recruitment pages (issue 20): the office's rounds, and a round as a pipeline: per step of the
// draaiboek who is at it, who is past its deadline and who left there, and every candidate with where it stands.
// The same policy as GET /v1/recruitment-rounds/{id} (the office's coordinators; reads audited). Recording the
// steps happens through the API for now.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../api/deps';
import { getRound, listRounds } from '../api/services/recruitment';
import { LEAVE_REASONS, STEP_NL, type LeaveReason, type StepKind } from '../domain/recruitment';
import { html } from './html';
import { inWords, personPage, sendPage } from './form-parts';

const OFFICE = ['admin', 'coordinator'] as const;

const STATUS_NL = { in_progress: 'Bezig', matched: 'Gematcht', left: 'Gestopt' } as const;

export async function recruitmentRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  app.get('/werving', { schema: { hide: true }, config: { access: { roles: OFFICE } } }, async (request, reply) => {
    const rounds = await listRounds(deps, request.principal);
    return sendPage(
      reply,
      personPage(
        request,
        reply,
        { title: 'Werving en selectie' },
        rounds.length === 0
          ? html`<p class="utrecht-paragraph">
              Uw programmabureau heeft nog geen wervingsronde. Een ronde opent u via de API (<code
                >POST /v1/recruitment-rounds</code
              >).
            </p>`
          : html`<ul class="utrecht-unordered-list">
              ${rounds.map(
                (r) =>
                  html`<li>
                    <a class="utrecht-link" href="/werving/${r.id}">${r.name}</a> (${r.region}, ${r.candidates}
                    ${r.candidates === 1 ? 'kandidaat' : 'kandidaten'})
                  </li>`,
              )}
            </ul>`,
      ),
    );
  });

  app.get<{ Params: { id: string } }>(
    '/werving/:id',
    { schema: { hide: true }, config: { access: { roles: OFFICE, resource: 'recruitment-round', audit: 'read' } } },
    async (request, reply) => {
      const round = await getRound(deps, request.params.id);
      const stepName = new Map(round.draaiboek.steps.map((s) => [s.key, s.name || STEP_NL[s.kind as StepKind]]));
      const stepOf = (key: string) => stepName.get(key) ?? key;
      const where = (c: (typeof round.candidates)[number]) => {
        if (c.status === 'matched') return STATUS_NL.matched;
        if (c.status === 'left')
          return `${STATUS_NL.left} bij ${stepOf(c.step)}: ${LEAVE_REASONS[c.leftReason as LeaveReason] ?? ''}`;
        return `${stepOf(c.step)}, uiterlijk ${inWords(c.dueOn)}${c.overdue ? ' (te laat)' : ''}`;
      };
      return sendPage(
        reply,
        personPage(
          request,
          reply,
          { title: `Wervingsronde ${round.name}` },
          html`<p class="utrecht-paragraph">${round.region}. Gematcht met een werkplek: ${round.matched}.</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Stappen van het draaiboek">
              <table class="utrecht-table">
                <caption class="utrecht-table__caption">
                  Het draaiboek, stap voor stap
                </caption>
                <thead class="utrecht-table__header">
                  <tr class="utrecht-table__row">
                    <th class="utrecht-table__header-cell" scope="col">Stap</th>
                    <th class="utrecht-table__header-cell" scope="col">Bezig</th>
                    <th class="utrecht-table__header-cell" scope="col">Te laat</th>
                    <th class="utrecht-table__header-cell" scope="col">Gestopt</th>
                  </tr>
                </thead>
                <tbody class="utrecht-table__body">
                  ${round.pipeline.map(
                    (p) =>
                      html`<tr class="utrecht-table__row">
                        <th class="utrecht-table__header-cell" scope="row">${p.name}</th>
                        <td class="utrecht-table__cell">${p.inProgress}</td>
                        <td class="utrecht-table__cell">${p.overdue}</td>
                        <td class="utrecht-table__cell">${p.left}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Kandidaten">
              <table class="utrecht-table">
                <caption class="utrecht-table__caption">
                  Kandidaten
                </caption>
                <thead class="utrecht-table__header">
                  <tr class="utrecht-table__row">
                    <th class="utrecht-table__header-cell" scope="col">Kenmerk</th>
                    <th class="utrecht-table__header-cell" scope="col">Naam</th>
                    <th class="utrecht-table__header-cell" scope="col">Waar staat de kandidaat</th>
                  </tr>
                </thead>
                <tbody class="utrecht-table__body">
                  ${round.candidates.map(
                    (c) =>
                      html`<tr class="utrecht-table__row">
                        <td class="utrecht-table__cell">${c.reference}</td>
                        <th class="utrecht-table__header-cell" scope="row">${c.firstName} ${c.lastName}</th>
                        <td class="utrecht-table__cell">${where(c)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            <p class="utrecht-paragraph"><a class="utrecht-link" href="/werving">Alle wervingsrondes</a></p>`,
        ),
      );
    },
  );
}
