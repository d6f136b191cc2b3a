// A participant's AVG requests, for the programme office's coordinator: finding the trajectory by its reference,
// the export of everything held (article 15, the same file as GET /v1/trajectories/{id}/export), and erasure
// (article 17, as POST /v1/trajectories/{id}/erasure) after a confirm page that says what goes, what stays and
// why; only an explicit confirm erases, and confirming again changes nothing. Another office's trajectory
// answers 404 like an unknown one (the route policy's resource check).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditBy, COORDINATION, noteAudit } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { eraseTrajectory, exportTrajectory } from '../api/services/privacy';
import { legalHolds } from '../api/services/legal-holds';
import { findTrajectoriesByReference } from '../api/services/trajectory-search';
import { trajectoryRow } from '../api/services/privacy';
import { STATUS_NL } from '../domain/dutch';
import { isFinal } from '../domain/statuses';
import { html, type Html } from './html';
import { checkboxField, csrfOf, facts, personPage, sendPage, textField, type Errors } from './form-parts';
import { dutchMoment, pageLinks } from './office-words';
import { candidatesFound, findCandidatesByReference } from './candidate-privacy';
import { holdSection, legalHoldForms, type HoldForm } from './legal-hold';

type Params = { id: string };
const trajectoryAccess = { roles: COORDINATION, resource: 'trajectory' as const, manage: true };

const GOES = [
  'naam, e-mailadres en referentie van de deelnemer (vervangen door “Geanonimiseerd”)',
  'de versleutelde sleutel van het BSN',
  'getypte notities en toelichtingen (bij checkpoints, correcties, bewijs van werkprocessen, uitval en andere ' +
    'wijzigingen, en wat er ontbrak bij een traject zonder doorstroom)',
  'de reden van een uitzondering op de gereedheid van de werkgever en van een bewaarplicht',
  'het kenmerk van de beschikking bij een verlengde uitkering',
  'de tekst van verstuurde e-mails over de deelnemer',
  'openstaande vervolgvragen (na 3, 6 en 12 maanden) worden gesloten',
];
const STAYS: [string, string][] = [
  [
    'Data, statussen, aanwezigheid en de uitkomst',
    'Zonder naam zijn dit geen persoonsgegevens meer. Ze blijven nodig voor de cijfers aan de financiers ' +
      '(gemeente en UWV) en de verantwoording van het programma; zonder deze gegevens zouden die cijfers ' +
      'achteraf veranderen.',
  ],
  [
    'Het auditlog',
    'Wie wanneer de gegevens las, wijzigde of wiste. Het log bevat geen namen van deelnemers, alleen ' +
      'kenmerken, en moet blijven om te kunnen verantwoorden wat er met de gegevens gebeurde, ook dit wissen.',
  ],
];

async function trajectoryOf(deps: Pick<AppDeps, 'db'>, id: string) {
  return (await trajectoryRow(deps, id))!;
}

function confirmPage(
  request: FastifyRequest,
  reply: FastifyReply,
  t: Awaited<ReturnType<typeof trajectoryOf>>,
  o: { errors?: Errors; notice?: { kind: 'error' | 'info'; text: string } } = {},
): Html {
  const running = !isFinal(t.status);
  return personPage(
    request,
    reply,
    { title: `Gegevens wissen van ${t.name} (${t.reference})`, notice: o.notice },
    html`<p class="utrecht-paragraph">
        De deelnemer vraagt om het wissen van zijn of haar persoonsgegevens (AVG artikel 17). Lees eerst wat er
        verdwijnt en wat blijft.
      </p>
      <h2 class="utrecht-heading-2">Wat wordt gewist</h2>
      <ul class="utrecht-unordered-list">
        ${GOES.map((x) => html`<li>${x}</li>`)}
      </ul>
      <h2 class="utrecht-heading-2">Wat blijft, en waarom</h2>
      ${facts(STAYS)}
      <p class="utrecht-paragraph">
        Wissen kan niet ongedaan worden gemaakt. Wil de deelnemer ook een kopie van de gegevens? Download die dan eerst:
        <a class="utrecht-link" href="/privacy/trajecten/${t.id}/export">alles wat we bewaren (inzage)</a>.
      </p>
      ${
        running
          ? html`<div class="utrecht-alert utrecht-alert--warning">
              <p class="utrecht-paragraph">
                Dit traject is ${STATUS_NL[t.status]}. Een lopend traject heeft zijn gegevens nog nodig: beëindig het
                eerst (uitval met reden) en wis daarna.
              </p>
            </div>`
          : ''
      }
      <form method="post" action="/privacy/trajecten/${t.id}/wissen" novalidate>
        <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
        ${checkboxField({
          name: 'bevestigd',
          label: 'Ik heb gelezen wat er wordt gewist en wat blijft, en wil de gegevens definitief wissen.',
          errors: o.errors ?? {},
        })}
        <button type="submit" class="utrecht-button utrecht-button--primary-action">Definitief wissen</button>
        <a class="utrecht-link" href="/privacy/trajecten/${t.id}">Niet wissen, terug</a>
      </form>`,
  );
}

/** The AVG requests of one trajectory: inzage, the legal hold (with its forms), and erasure. */
async function requestsPage(
  deps: Pick<AppDeps, 'db' | 'now'>,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  o: HoldForm = {},
): Promise<Html> {
  const t = await trajectoryOf(deps, id);
  const holds = await legalHolds(deps, 'trajectory', id);
  return personPage(
    request,
    reply,
    { title: `AVG-verzoeken van ${t.name} (${t.reference})` },
    html`${pageLinks}
      ${facts([
        ['Referentie', t.reference],
        ['Status', t.anonymised_at ? 'gewist' : STATUS_NL[t.status]],
        ...(t.anonymised_at ? ([['Gewist op', dutchMoment(t.anonymised_at.toISOString())]] as [string, string][]) : []),
      ])}
      <p class="utrecht-paragraph">
        <a class="utrecht-link" href="/sturing/trajecten/${t.id}">Naar het traject</a>
      </p>
      <h2 class="utrecht-heading-2">Inzage (artikel 15)</h2>
      <p class="utrecht-paragraph">
        Een bestand met alles wat Toeleiding over deze deelnemer bewaart: de gegevens van het traject, de
        gebeurtenissen, de aanwezigheid, de checkpoints, de werkplekken, de vervolgvragen en wie de gegevens las of
        wijzigde. Het BSN staat er niet in: dat bewaren we alleen versleuteld. Het downloaden wordt vastgelegd in het
        auditlog.
      </p>
      <p class="utrecht-paragraph">
        <a class="utrecht-link" href="/privacy/trajecten/${t.id}/export" download
          >Download alle gegevens (JSON-bestand)</a
        >
      </p>
      ${holdSection(reply, { path: `/privacy/trajecten/${t.id}`, anonymised: !!t.anonymised_at, holds, ...o })}
      <h2 class="utrecht-heading-2">Wissen (artikel 17)</h2>
      ${
        t.anonymised_at
          ? html`<p class="utrecht-paragraph">De persoonsgegevens van dit traject zijn al gewist.</p>`
          : html`<p class="utrecht-paragraph">
              <a class="utrecht-link" href="/privacy/trajecten/${t.id}/wissen">Gegevens wissen</a>: u ziet eerst wat er
              wordt gewist en wat blijft, en bevestigt dan.
            </p>`
      }`,
  );
}

export async function officePrivacyRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  app.get<{ Querystring: { referentie?: string } }>(
    '/privacy',
    { schema: { hide: true }, config: { access: { roles: COORDINATION, audit: 'read' } } },
    async (request, reply) => {
      const reference = String(request.query?.referentie ?? '').trim();
      const errors: Errors = {};
      const found = reference
        ? await findTrajectoriesByReference(deps, request.principal, reference, { prefix: true, limit: 50 })
        : [];
      // A candidate of a recruitment round (K-…) has the same rights.
      const candidates = reference ? await findCandidatesByReference(deps, request, reference) : [];
      if (reference && found.length === 0 && candidates.length === 0)
        errors.referentie = 'Geen traject of kandidaat van uw programmabureau met deze referentie.';
      // The names listed are personal data read: audited for each participant shown.
      noteAudit(
        request,
        found.map((t) => t.id),
      );
      return sendPage(
        reply,
        personPage(
          request,
          reply,
          { title: 'AVG-verzoeken' },
          html`${pageLinks}
            <p class="utrecht-paragraph">
              Vraagt een deelnemer welke gegevens we bewaren (inzage, artikel 15) of wil hij of zij dat ze worden gewist
              (artikel 17)? Zoek het traject op met de referentie van de deelnemer, of een kandidaat van een
              wervingsronde met zijn referentie (K-…).
            </p>
            <form method="get" action="/privacy" novalidate>
              ${textField({
                name: 'referentie',
                label: 'Referentie van de deelnemer',
                hint: 'De hele referentie of het begin ervan, bijvoorbeeld WB-2027',
                value: reference,
                errors,
              })}
              <button type="submit" class="utrecht-button utrecht-button--primary-action">Zoeken</button>
            </form>
            ${
              found.length
                ? html`<div class="table-scroll" tabindex="0" role="region" aria-label="Gevonden trajecten">
                    <table class="utrecht-table">
                      <caption class="utrecht-table__caption">
                        Gevonden trajecten
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
                          (t) =>
                            html`<tr class="utrecht-table__row">
                              <th class="utrecht-table__header-cell" scope="row">
                                <a class="utrecht-link" href="/privacy/trajecten/${t.id}">${t.reference}</a>
                              </th>
                              <td class="utrecht-table__cell">${t.name}</td>
                              <td class="utrecht-table__cell">${t.anonymised_at ? 'gewist' : STATUS_NL[t.status]}</td>
                            </tr>`,
                        )}
                      </tbody>
                    </table>
                  </div>`
                : ''
            }
            ${candidates.length ? candidatesFound(candidates) : ''}`,
        ),
        reference && found.length === 0 && candidates.length === 0 ? 422 : 200,
      );
    },
  );

  app.get<{ Params: Params }>(
    '/privacy/trajecten/:id',
    { schema: { hide: true }, config: { access: { ...trajectoryAccess, audit: 'read' } } },
    async (request, reply) => sendPage(reply, await requestsPage(deps, request, reply, request.params.id)),
  );

  await legalHoldForms(app, deps, {
    subject: 'trajectory',
    path: '/privacy/trajecten/:id',
    access: trajectoryAccess,
    page: (request, reply, id, o) => requestsPage(deps, request, reply, id, o),
  });

  app.get<{ Params: Params }>(
    '/privacy/trajecten/:id/export',
    { schema: { hide: true }, config: { access: { ...trajectoryAccess, audit: 'export' } } },
    async (request, reply) => {
      const data = await exportTrajectory(deps, request.params.id);
      return reply
        .type('application/json; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="avg-inzage-${request.params.id}.json"`)
        .send(JSON.stringify(data, null, 2));
    },
  );

  app.get<{ Params: Params }>(
    '/privacy/trajecten/:id/wissen',
    { schema: { hide: true }, config: { access: { ...trajectoryAccess, audit: 'read' } } },
    async (request, reply) => {
      const t = await trajectoryOf(deps, request.params.id);
      if (t.anonymised_at) return reply.redirect(`/privacy/trajecten/${t.id}`, 303);
      return sendPage(reply, confirmPage(request, reply, t));
    },
  );

  app.post<{ Params: Params; Body: { bevestigd?: string } }>(
    '/privacy/trajecten/:id/wissen',
    // Audited inside the anonymising transaction itself, as the API's erasure is.
    { schema: { hide: true }, preHandler: app.csrfProtection, config: { access: trajectoryAccess } },
    async (request, reply) => {
      const t = await trajectoryOf(deps, request.params.id);
      if (!t.anonymised_at && request.body?.bevestigd !== 'ja')
        return sendPage(
          reply,
          confirmPage(request, reply, t, {
            errors: { bevestigd: 'Vink aan dat u de gegevens definitief wilt wissen. Er is nog niets gewist.' },
          }),
          422,
        );
      let erased;
      try {
        // Confirming again (a double click, a reload) changes nothing: the first erasure stands.
        erased = await eraseTrajectory(deps, t.id, auditBy(request, 'erase'));
      } catch (e) {
        if (!(e instanceof DomainError) || e.status !== 409) throw e;
        return sendPage(
          reply,
          confirmPage(request, reply, t, {
            notice: {
              kind: 'error',
              text:
                e.type === 'legal-hold'
                  ? `Er is niets gewist. ${e.dutch?.detail ?? e.message}`
                  : 'Er is niets gewist: dit traject loopt nog en heeft zijn gegevens nodig. Beëindig het eerst ' +
                    '(uitval met reden) en wis daarna.',
            },
          }),
          409,
        );
      }
      return sendPage(
        reply,
        personPage(
          request,
          reply,
          {
            title: 'Gegevens gewist',
            notice: {
              kind: 'ok',
              text: `De persoonsgegevens van dit traject zijn gewist op ${dutchMoment(erased.anonymisedAt)}.`,
            },
          },
          html`<p class="utrecht-paragraph">
              Naam, e-mailadres, referentie, de sleutel van het BSN, getypte notities en de tekst van e-mails over de
              deelnemer zijn weg. Data, statussen, aanwezigheid, de uitkomst en het auditlog blijven, zonder naam.
            </p>
            <p class="utrecht-paragraph"><a class="utrecht-link" href="/privacy">Terug naar de AVG-verzoeken</a></p>`,
        ),
      );
    },
  );
}
