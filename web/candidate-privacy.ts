// A candidate's AVG requests on the office's pages (issue 20), beside the participants' (web/office-privacy.ts): the
// search there finds candidates by their reference (K-…) too; a candidate's page offers the export of everything
// held (the same file as GET /v1/candidates/{id}/export) and erasure after an explicit confirm (as POST
// /v1/candidates/{id}/erasure): what goes, what stays and why. Another office's candidate answers 404 like an
// unknown one (the route policy's resource check).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditBy } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import {
  candidateRow,
  eraseCandidate,
  exportCandidate,
  findCandidatesByReference as candidatesWithReference,
} from '../api/services/candidate-privacy';
import { legalHolds } from '../api/services/legal-holds';
import type { Candidate } from '../db/schema';
import { CANDIDATE_STATUS_NL } from '../domain/recruitment';
import { html, type Html } from './html';
import { checkboxField, csrfOf, facts, personPage, sendPage } from './form-parts';
import { dutchMoment, pageLinks } from './office-words';
import { holdSection, legalHoldForms, type HoldForm } from './legal-hold';

type Params = { id: string };
const ACCESS = { roles: ['admin', 'coordinator'] as const, resource: 'candidate' as const };
const statusOf = (c: Candidate) => (c.anonymised_at ? 'gewist' : CANDIDATE_STATUS_NL[c.status].toLowerCase());

/** The caller's office's candidates whose reference starts with `reference`, each read audited (names are shown). */
export const findCandidatesByReference = (deps: Pick<AppDeps, 'db'>, request: FastifyRequest, reference: string) =>
  candidatesWithReference(deps, request.principal, reference, auditBy(request, 'read'));

/** The candidates found, as a table of the /privacy search page. */
export const candidatesFound = (found: Candidate[]): Html =>
  html`<div class="table-scroll" tabindex="0" role="region" aria-label="Gevonden kandidaten">
    <table class="utrecht-table">
      <caption class="utrecht-table__caption">
        Gevonden kandidaten
      </caption>
      <thead class="utrecht-table__header">
        <tr class="utrecht-table__row">
          <th class="utrecht-table__header-cell" scope="col">Referentie</th>
          <th class="utrecht-table__header-cell" scope="col">Naam</th>
          <th class="utrecht-table__header-cell" scope="col">Status</th>
        </tr>
      </thead>
      <tbody class="utrecht-table__body">
        ${found.map(
          (c) =>
            html`<tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="row">
                <a class="utrecht-link" href="/privacy/kandidaten/${c.id}">${c.reference}</a>
              </th>
              <td class="utrecht-table__cell">${c.first_name} ${c.last_name}</td>
              <td class="utrecht-table__cell">${statusOf(c)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;

const GOES = [
  'naam, e-mailadres, geboortedatum en referentie (vervangen door “Geanonimiseerd”)',
  'de versleutelde sleutel van het BSN',
  'notities bij de stappen van het draaiboek, bij het stoppen en bij het voorstel voor een meeloopdag',
  'de reden van een bewaarplicht',
  'een ingelezen lijst die nog op uw keuze wacht en de kandidaat noemt',
  'de tekst van verstuurde e-mails over de kandidaat',
];
const STAYS: [string, string][] = [
  [
    'De ronde, de stappen met hun data en de reden van stoppen',
    'Zonder naam zijn dit geen persoonsgegevens meer. Ze blijven nodig voor de cijfers over werving en selectie ' +
      '(hoeveel kandidaten elke stap haalden, en waarom anderen stopten).',
  ],
  ['Het auditlog', 'Wie wanneer de gegevens las, wijzigde of wiste, zonder namen: ook dit wissen wordt verantwoord.'],
];

export async function candidatePrivacyRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const candidatePage = async (
    request: FastifyRequest,
    reply: Parameters<typeof personPage>[1],
    id: string,
    o: HoldForm & { notice?: { kind: 'error' | 'ok'; text: string } } = {},
  ) => {
    const c = (await candidateRow(deps, id))!;
    const holds = await legalHolds(deps, 'candidate', id);
    return personPage(
      request,
      reply,
      {
        title: c.anonymised_at
          ? 'AVG-verzoeken van een gewiste kandidaat'
          : `AVG-verzoeken van ${c.first_name} ${c.last_name}`,
        notice: o.notice,
      },
      html`${pageLinks}
        ${facts([
          ['Referentie', c.reference],
          ['Status', statusOf(c)],
          ...(c.anonymised_at
            ? ([['Gewist op', dutchMoment(c.anonymised_at.toISOString())]] as [string, string][])
            : []),
        ])}
        <h2 class="utrecht-heading-2">Inzage (artikel 15)</h2>
        <p class="utrecht-paragraph">
          Een bestand met alles wat Toeleiding over deze kandidaat bewaart: de gegevens, elke stap met zijn uitkomst en
          notities, en wie de gegevens las of wijzigde. Het BSN staat er niet in: dat bewaren we alleen versleuteld.
        </p>
        <p class="utrecht-paragraph">
          <a class="utrecht-link" href="/privacy/kandidaten/${c.id}/export" download
            >Download alle gegevens (JSON-bestand)</a
          >
        </p>
        ${holdSection(reply as FastifyReply, {
          path: `/privacy/kandidaten/${c.id}`,
          anonymised: !!c.anonymised_at,
          holds,
          ...o,
        })}
        <h2 class="utrecht-heading-2">Wissen (artikel 17)</h2>
        ${
          c.anonymised_at
            ? html`<p class="utrecht-paragraph">De persoonsgegevens van deze kandidaat zijn al gewist.</p>`
            : html`<h3 class="utrecht-heading-3">Wat wordt gewist</h3>
                <ul class="utrecht-unordered-list">
                  ${GOES.map((x) => html`<li>${x}</li>`)}
                </ul>
                <h3 class="utrecht-heading-3">Wat blijft, en waarom</h3>
                ${facts(STAYS)}
                ${
                  c.status === 'in_progress'
                    ? html`<p class="utrecht-paragraph">
                        Deze kandidaat doet nog mee. Leg eerst vast dat de kandidaat stopt (met de reden) en wis daarna.
                      </p>`
                    : html`<form method="post" action="/privacy/kandidaten/${c.id}/wissen" novalidate>
                        <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
                        ${checkboxField({
                          name: 'bevestigd',
                          label:
                            'Ik heb gelezen wat er wordt gewist en wat blijft, en wil de gegevens definitief wissen.',
                          errors: o.errors ?? {},
                        })}
                        <button type="submit" class="utrecht-button utrecht-button--primary-action">
                          Definitief wissen
                        </button>
                      </form>`
                }`
        }
        <p class="utrecht-paragraph"><a class="utrecht-link" href="/privacy">Terug naar de AVG-verzoeken</a></p>`,
    );
  };

  app.get<{ Params: Params }>(
    '/privacy/kandidaten/:id',
    { schema: { hide: true }, config: { access: { ...ACCESS, audit: 'read' } } },
    async (request, reply) => sendPage(reply, await candidatePage(request, reply, request.params.id)),
  );

  await legalHoldForms(app, deps, {
    subject: 'candidate',
    path: '/privacy/kandidaten/:id',
    access: ACCESS,
    page: (request, reply, id, form) => candidatePage(request, reply, id, form),
  });

  app.get<{ Params: Params }>(
    '/privacy/kandidaten/:id/export',
    { schema: { hide: true }, config: { access: { ...ACCESS, audit: 'export' } } },
    async (request, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="avg-inzage-kandidaat-${request.params.id}.json"`)
        .send(JSON.stringify(await exportCandidate(deps, request.params.id), null, 2)),
  );

  app.post<{ Params: Params; Body: { bevestigd?: string } }>(
    '/privacy/kandidaten/:id/wissen',
    // Audited inside the anonymising transaction itself, as the API's erasure is.
    { schema: { hide: true }, preHandler: app.csrfProtection, config: { access: ACCESS } },
    async (request, reply) => {
      const id = request.params.id;
      const c = (await candidateRow(deps, id))!;
      if (!c.anonymised_at && request.body?.bevestigd !== 'ja')
        return sendPage(
          reply,
          await candidatePage(request, reply, id, {
            errors: { bevestigd: 'Vink aan dat u de gegevens definitief wilt wissen. Er is nog niets gewist.' },
          }),
          422,
        );
      try {
        // Confirming again (a double click, a reload) changes nothing: the first erasure stands.
        const erased = await eraseCandidate(deps, id, auditBy(request, 'erase'));
        return sendPage(
          reply,
          await candidatePage(request, reply, id, {
            notice: { kind: 'ok', text: `De persoonsgegevens zijn gewist op ${dutchMoment(erased.anonymisedAt)}.` },
          }),
        );
      } catch (e) {
        if (!(e instanceof DomainError) || e.status !== 409) throw e;
        return sendPage(
          reply,
          await candidatePage(request, reply, id, {
            notice: {
              kind: 'error',
              text:
                e.type === 'legal-hold'
                  ? `Er is niets gewist. ${e.dutch?.detail ?? e.message}`
                  : 'Er is niets gewist: deze kandidaat doet nog mee.',
            },
          }),
          409,
        );
      }
    },
  );
}
