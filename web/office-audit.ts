// The audit log for the programme office's coordinator: who read or changed which participant's data, by person
// (a page session's actor is the contact, named here; a key by its label), filterable by period, person and
// trajectory, paged, and the filtered list as an xlsx download. The same service and policy as GET
// /v1/audit-events: a coordinator sees the events about its own office's cohorts, participants and objects only.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { COORDINATION } from '../api/access';
import type { AppDeps } from '../api/deps';
import { actingOffice, contactOfOffice } from '../api/ownership';
import { pageAuditEvents } from '../api/services/audit';
import { apiKeyRow, contactRows, pageApiKeys } from '../api/services/partners';
import { findTrajectoriesByReference } from '../api/services/trajectory-search';
import type { AuditEvent } from '../api/schemas/audit';
import { localInstant, addDays } from '../domain/calendar';
import { html, type Html } from './html';
import { personPage, readDate, sendPage, textField, type Errors } from './form-parts';
import { allPages, CONTACT_ROLE_NL, dutchMoment, kindLabel, pageLinks, whoIsWho } from './office-words';
import { sendDownload, xlsxOf, sheetOf } from './spreadsheet';

const PER_PAGE = 50;
/** At most this many rows go into one download. */
const EXPORT_MAX = 20_000;

type Query = { van?: string; tot?: string; wie?: string; traject?: string; pagina?: string };

const ACTION_NL: Record<string, string> = {
  read: 'gelezen',
  change: 'gewijzigd',
  export: 'geëxporteerd (inzage)',
  erase: 'gewist',
  anonymise: 'geanonimiseerd (bewaartermijn)',
  denied: 'geweigerd: niet van deze persoon',
};

const RESOURCE_NL: Record<string, string> = {
  trajectory: 'traject',
  cohort: 'cohort',
  organisation: 'organisatie',
  covenant: 'convenant',
  'api-key': 'API-sleutel',
  contact: 'contactpersoon',
};

interface Filter {
  from?: string;
  to?: string;
  actor?: string;
  trajectoryId?: string;
}

/** The query string as the service's filter, or the Dutch problems with it (by field). */
async function filterOf(
  deps: Pick<AppDeps, 'db'>,
  request: FastifyRequest,
  q: Query,
): Promise<{ filter: Filter; errors: Errors }> {
  const errors: Errors = {};
  const filter: Filter = {};
  const from = readDate(q.van);
  const to = readDate(q.tot);
  if (from === undefined) errors.van = 'Dit is geen bestaande datum. Vul dag-maand-jaar in, bijvoorbeeld 1-11-2026.';
  else if (from) filter.from = new Date(localInstant(from, 0)).toISOString();
  if (to === undefined) errors.tot = 'Dit is geen bestaande datum. Vul dag-maand-jaar in, bijvoorbeeld 30-11-2026.';
  else if (to && from && to < from) errors.tot = 'De laatste dag ligt vóór de eerste dag.';
  else if (to) filter.to = new Date(localInstant(addDays(to, 1), 0)).toISOString();
  const actor = String(q.wie ?? '').trim();
  if (actor) filter.actor = actor;
  const reference = String(q.traject ?? '').trim();
  if (reference) {
    const found = await findTrajectoriesByReference(deps, request.principal, reference, { limit: 2 });
    if (found.length === 1) filter.trajectoryId = found[0]!.id;
    else errors.traject = 'Geen traject van uw programmabureau met deze referentie.';
  }
  return { filter, errors };
}

/** Who each actor is, in words: the person of a page session, a key by its label, the admin. */
async function actorNames(deps: Pick<AppDeps, 'db'>, request: FastifyRequest, events: AuditEvent[]) {
  const office = actingOffice(request.principal);
  const names = new Map<string, string>([['admin', 'Beheerder (admin)']]);
  const contactIds = [...new Set(events.map((e) => e.actor).filter((a) => a.startsWith('contact:')))].map((a) =>
    a.slice('contact:'.length),
  );
  for (const c of await contactRows(deps, contactIds))
    names.set(
      `contact:${c.id}`,
      office === null || contactOfOffice(office, c)
        ? `${c.name} (${CONTACT_ROLE_NL[c.role] ?? c.role})`
        : 'Iemand van een ander programmabureau',
    );
  for (const actor of new Set(events.map((e) => e.actor))) {
    if (names.has(actor) || actor.startsWith('contact:')) continue;
    const key = await apiKeyRow(deps, actor);
    if (key)
      names.set(
        actor,
        office === null || key.office_id === office || (key.office_id === null && key.organisation_id === office)
          ? `API-sleutel ‘${key.label}’`
          : 'API-sleutel van een ander programmabureau',
      );
  }
  return (actor: string) => names.get(actor) ?? actor;
}

const subjectOf = (e: AuditEvent) =>
  e.trajectoryId ? `traject ${e.trajectoryId}` : `${RESOURCE_NL[e.resource] ?? e.resource} ${e.resourceId}`;

/** The subject on the page: a trajectory links to its page on the steering pages (which audits the read). */
const subjectCell = (e: AuditEvent) =>
  e.trajectoryId
    ? html`<a class="utrecht-link" href="/sturing/trajecten/${e.trajectoryId}">${subjectOf(e)}</a>`
    : subjectOf(e);

const queryString = (q: Query, pagina?: number) => {
  const p = new URLSearchParams();
  for (const k of ['van', 'tot', 'wie', 'traject'] as const) if (q[k]) p.set(k, String(q[k]));
  if (pagina && pagina > 1) p.set('pagina', String(pagina));
  const s = p.toString();
  return s ? `?${s}` : '';
};

async function auditPage(
  deps: Pick<AppDeps, 'db'>,
  request: FastifyRequest,
  reply: FastifyReply,
  q: Query,
): Promise<{ page: Html; code: number }> {
  const { filter, errors } = await filterOf(deps, request, q);
  const pagina = Math.max(1, Math.min(20_000, Number.parseInt(String(q.pagina ?? '1'), 10) || 1));
  const invalid = Object.keys(errors).length > 0;
  const result = invalid
    ? { items: [], total: 0 }
    : await pageAuditEvents(deps, request.principal, {
        ...filter,
        limit: PER_PAGE,
        offset: (pagina - 1) * PER_PAGE,
      });
  const who = await actorNames(deps, request, result.items);
  // The people and keys of the office, to choose from.
  const { partners } = await whoIsWho(deps, request);
  const people = [
    ...[...partners.values()].flatMap((p) =>
      p.contacts.map((c) => ({ value: `contact:${c.id}`, label: `${c.name} (${p.organisation.name})` })),
    ),
    ...(await allPages((page) => pageApiKeys(deps, request.principal, page))).map((k) => ({
      value: k.id,
      label: `API-sleutel ‘${k.label}’ (${partners.get(k.organisationId)?.organisation.name ?? k.organisationId})`,
    })),
  ];
  const pages = Math.max(1, Math.ceil(result.total / PER_PAGE));
  const chosen = String(q.wie ?? '');
  const page = personPage(
    request,
    reply,
    { title: 'Auditlog' },
    html`${pageLinks}
      <p class="utrecht-paragraph">
        Wie gegevens van uw deelnemers las of wijzigde, wanneer en via welke pagina of sleutel. Ook pogingen van anderen
        om bij uw gegevens te komen staan hier (geweigerd). Het log kan door niemand worden gewijzigd.
      </p>
      <form method="get" action="/auditlog" novalidate>
        <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset">
          <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">Filteren</legend>
          ${textField({ name: 'van', label: 'Vanaf (datum)', type: 'date', value: q.van, errors })}
          ${textField({ name: 'tot', label: 'Tot en met (datum)', type: 'date', value: q.tot, errors })}
          <div class="utrecht-form-field">
            <label class="utrecht-form-label" for="wie">Wie</label>
            <select class="utrecht-select utrecht-select--html-select" id="wie" name="wie">
              <option value="">Iedereen</option>
              ${people.map(
                (x) => html`<option value="${x.value}" ${x.value === chosen ? 'selected' : ''}>${x.label}</option>`,
              )}
              ${
                chosen && !people.some((x) => x.value === chosen)
                  ? html`<option value="${chosen}" selected>${chosen}</option>`
                  : ''
              }
            </select>
          </div>
          ${textField({
            name: 'traject',
            label: 'Traject (referentie van de deelnemer)',
            hint: 'Bijvoorbeeld WB-2027-001',
            value: q.traject,
            errors,
          })}
          <button type="submit" class="utrecht-button utrecht-button--primary-action">Filter toepassen</button>
          <a class="utrecht-link" href="/auditlog">Filter wissen</a>
        </fieldset>
      </form>
      ${
        invalid
          ? ''
          : html`<p class="utrecht-paragraph">
                ${result.total} ${result.total === 1 ? 'gebeurtenis' : 'gebeurtenissen'}; pagina ${pagina} van ${pages}.
                <a class="utrecht-link" href="/auditlog.xlsx${queryString(q)}" download
                  >Download deze lijst als Excel-bestand (xlsx)</a
                >
              </p>
              ${
                result.items.length === 0
                  ? html`<p class="utrecht-paragraph">Geen gebeurtenissen gevonden.</p>`
                  : html`<div class="table-scroll" tabindex="0" role="region" aria-label="Auditlog">
                      <table class="utrecht-table">
                        <caption class="utrecht-table__caption">
                          Auditlog, nieuwste eerst
                        </caption>
                        <thead class="utrecht-table__header">
                          <tr class="utrecht-table__row">
                            <th class="utrecht-table__header-cell" scope="col">Wanneer</th>
                            <th class="utrecht-table__header-cell" scope="col">Wie</th>
                            <th class="utrecht-table__header-cell" scope="col">Wat</th>
                            <th class="utrecht-table__header-cell" scope="col">Waarover</th>
                            <th class="utrecht-table__header-cell" scope="col">Via</th>
                          </tr>
                        </thead>
                        <tbody class="utrecht-table__body">
                          ${result.items.map(
                            (e) =>
                              html`<tr class="utrecht-table__row">
                                <td class="utrecht-table__cell">${dutchMoment(e.at)}</td>
                                <th class="utrecht-table__header-cell" scope="row">${who(e.actor)}</th>
                                <td class="utrecht-table__cell">${ACTION_NL[e.action] ?? e.action}</td>
                                <td class="utrecht-table__cell">${subjectCell(e)}</td>
                                <td class="utrecht-table__cell"><code>${e.route}</code></td>
                              </tr>`,
                          )}
                        </tbody>
                      </table>
                    </div>`
              }
              <nav aria-label="Pagina's van het auditlog">
                <ul class="utrecht-unordered-list office-nav">
                  ${
                    pagina > 1
                      ? html`<li>
                          <a class="utrecht-link" href="/auditlog${queryString(q, pagina - 1)}">Vorige pagina</a>
                        </li>`
                      : ''
                  }
                  ${
                    pagina < pages
                      ? html`<li>
                          <a class="utrecht-link" href="/auditlog${queryString(q, pagina + 1)}">Volgende pagina</a>
                        </li>`
                      : ''
                  }
                </ul>
              </nav>`
      }`,
  );
  return { page, code: invalid ? 422 : 200 };
}

export async function officeAuditRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  app.get<{ Querystring: Query }>(
    '/auditlog',
    { schema: { hide: true }, config: { access: { roles: COORDINATION } } },
    async (request, reply) => {
      const { page, code } = await auditPage(deps, request, reply, request.query ?? {});
      return sendPage(reply, page, code);
    },
  );

  app.get<{ Querystring: Query }>(
    '/auditlog.xlsx',
    { schema: { hide: true }, config: { access: { roles: COORDINATION } } },
    async (request, reply) => {
      const { filter, errors } = await filterOf(deps, request, request.query ?? {});
      if (Object.keys(errors).length) {
        const { page } = await auditPage(deps, request, reply, request.query ?? {});
        return sendPage(reply, page, 422);
      }
      const events = await allPages(
        (page) => pageAuditEvents(deps, request.principal, { ...filter, ...page }),
        EXPORT_MAX,
      );
      const who = await actorNames(deps, request, events);
      const { partners } = await whoIsWho(deps, request);
      const orgName = (id: string | null) => {
        const org = id ? partners.get(id)?.organisation : undefined;
        return org ? `${org.name} (${kindLabel(org.kind)})` : (id ?? '');
      };
      const xlsx = await xlsxOf(
        sheetOf({
          name: 'Auditlog',
          rows: events,
          columns: [
            { header: 'Wanneer', value: (e: AuditEvent) => dutchMoment(e.at), width: 18 },
            { header: 'Wie', value: (e) => who(e.actor), width: 36 },
            { header: 'Organisatie', value: (e) => orgName(e.organisationId), width: 30 },
            { header: 'Wat', value: (e) => ACTION_NL[e.action] ?? e.action, width: 22 },
            { header: 'Soort', value: (e) => RESOURCE_NL[e.resource] ?? e.resource, width: 14 },
            { header: 'Id', value: (e) => e.resourceId, width: 40 },
            { header: 'Traject', value: (e) => e.trajectoryId, width: 40 },
            { header: 'Via', value: (e) => e.route, width: 40 },
            { header: 'Verzoek', value: (e) => e.requestId, width: 20 },
          ],
        }),
      );
      return sendDownload(reply, `auditlog-${new Date().toISOString().slice(0, 10)}`, { xlsx });
    },
  );
}
