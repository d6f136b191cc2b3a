// The programme office's steering pages (issue 18.2): "Sturing" (/sturing) shows each cohort week by week, who
// lags behind (per employer, ROC and jobcoaching organisation, with the participants it concerns), the
// participants at risk with their reasons in Dutch, checkpoint completion, what the next morning mail will send to
// whom (composed by the digest's own code, queued nowhere), and the outbox, where a failed mail can be sent again.
// Every list can be downloaded as xlsx. The same services and access policies as the API's steering, cohort and
// outbox routes: a coordinator sees its own office's rows only, another office's cohort or mail answers 404.
// The trajectory page with its calendar and its changes is web/trajectory-page.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { COORDINATION, noteAudit } from '../api/access';
import type { AppDeps } from '../api/deps';
import { actingOffice } from '../api/ownership';
import { getCohort, pageCohorts } from '../api/services/cohorts';
import { pageOutbox, resendMail } from '../api/services/outbox';
import { pageOrganisations } from '../api/services/partners';
import {
  atRisk,
  laggingPartners,
  morningPreview,
  nextDigestDate,
  steering,
  type LaggingPartner,
} from '../api/services/steering';
import { today } from '../api/services/trajectories';
import type { AtRisk, Steering } from '../api/schemas/steering';
import type { OutboxMail } from '../api/schemas/outbox';
import type { ComposedMail } from '../activities/reminders';
import type { Principal } from '../api/auth';
import { dutchDay, STATUS_NL } from '../domain/dutch';
import { riskInDutch } from '../domain/risks';
import type { TrajectoryStatus } from '../domain/statuses';
import { html, type Html } from './html';
import { csrfOf, personPage, sendPage } from './form-parts';
import { sendDownload, sheetOf, xlsxOf } from './spreadsheet';
import { trajectoryPageRoutes, trajectoryPath } from './trajectory-page';

type Notice = { kind: 'ok' | 'error' | 'info'; text: Html | string };

/** The outbox's statuses as the office reads them. */
export const MAIL_STATUS_NL: Record<OutboxMail['status'], string> = {
  queued: 'in de wachtrij',
  sending: 'wordt verstuurd',
  sent: 'verstuurd',
  failed: 'mislukt',
  uncertain: 'onzeker (vraag de ontvanger)',
  superseded: 'vervangen door een nieuwere mail',
};

/** What each kind of item in a morning mail is about. */
const ITEM_NL: Record<string, string> = {
  attendance_placement: 'aanwezigheid stagedagen registreren',
  attendance_school: 'aanwezigheid ROC-dagen registreren',
  week_overview: 'verwacht deze week',
  checkpoint_due: 'gesprek binnenkort',
  checkpoint_overdue: 'gesprek te laat',
  bbl_decision: 'BBL-besluit nodig',
  follow_up: 'nazorgvraag',
  escalation: 'herinnering twee keer genegeerd',
  risk_raised: 'nieuw risicosignaal',
};

const statusNl = (s: string) => STATUS_NL[s as TrajectoryStatus] ?? s;
const percent = (share: number | null) => (share === null ? '–' : `${Math.round(100 * share)}%`);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const th = (text: string) => html`<th class="utrecht-table__header-cell" scope="col">${text}</th>`;
const td = (v: Html | string | number) => html`<td class="utrecht-table__cell">${v}</td>`;
const num = (v: number | string) => html`<td class="utrecht-table__cell utrecht-table__cell--numeric">${v}</td>`;

/** A table in a scroll container a keyboard can reach, with its caption. */
function table(o: { caption: string; head: Html[]; rows: Html[]; label?: string }): Html {
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${o.label ?? o.caption}">
    <table class="utrecht-table">
      <caption class="utrecht-table__caption">
        ${o.caption}
      </caption>
      <thead class="utrecht-table__header">
        <tr class="utrecht-table__row">
          ${o.head}
        </tr>
      </thead>
      <tbody class="utrecht-table__body">
        ${o.rows}
      </tbody>
    </table>
  </div>`;
}

const h2 = (id: string, text: string) =>
  html`<h2 class="utrecht-heading-2 utrecht-heading-2--distanced" id="${id}">${text}</h2>`;
const para = (text: Html | string) => html`<p class="utrecht-paragraph">${text}</p>`;
const link = (href: string, text: string) => html`<a class="utrecht-link" href="${href}">${text}</a>`;

type Cohorts = Awaited<ReturnType<typeof pageCohorts>>['items'];

/** The cohorts a person may see (all pages of them), newest first. */
async function cohortsOf(deps: AppDeps, p: Principal): Promise<Cohorts> {
  const all: Cohorts = [];
  for (let offset = 0; ; offset += 200) {
    const page = await pageCohorts(deps.db, p, { limit: 200, offset });
    all.push(...page.items);
    if (all.length >= page.total || page.items.length === 0) break;
  }
  return all.sort((a, b) => b.startDate.localeCompare(a.startDate) || a.id.localeCompare(b.id));
}

/** Every mail of the outbox a person may see (for the download), newest first. */
async function allMails(deps: AppDeps, p: Principal): Promise<OutboxMail[]> {
  const all: OutboxMail[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await pageOutbox(deps, p, { limit: 200, offset });
    all.push(...page.items);
    if (all.length >= page.total || page.items.length === 0) break;
  }
  return all;
}

const cohortName = (c: Cohorts[number]) => `${c.programmeId}, ${c.region}, gestart ${dutchDay(c.startDate)}`;

// --- the dashboard's parts --------------------------------------------------------------------------------------

function cohortWeeks(s: Steering, cohorts: Cohorts): Html {
  if (s.cohorts.length === 0) return para('Er lopen (nog) geen cohorten.');
  const named = new Map(cohorts.map((c) => [c.id, c]));
  return html`${s.cohorts.map((c, i) => {
    const cohort = named.get(c.cohortId);
    const name = cohort ? cohortName(cohort) : c.cohortId;
    return html`<h3 class="utrecht-heading-3 utrecht-heading-3--distanced" id="cohort-${i}">Cohort ${name}</h3>
      ${para(
        html`${link(`/sturing/cohorten/${encodeURIComponent(c.cohortId)}/deelnemers.xlsx`, 'Deelnemers met hun status')}
        (xlsx)`,
      )}
      ${table({
        caption: `Week voor week: cohort ${name}`,
        head: [
          th('Week'),
          th('Vanaf'),
          th('Deelnemers'),
          th('Geplande dagen'),
          th('Te registreren'),
          th('Geregistreerd'),
          th('Aanwezig'),
          th('Aanwezigheid'),
          th('Uitgestroomd'),
        ],
        rows: c.weeks.map(
          (w) =>
            html`<tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="row">${w.week}</th>
              ${td(dutchDay(w.from))} ${num(w.participants)} ${num(w.plannedDays)} ${num(w.dueDays)}
              ${num(w.recordedDays)} ${num(w.attendedDays)} ${num(percent(w.attendanceRate))} ${num(w.dropouts)}
            </tr>`,
        ),
      })}`;
  })}`;
}

const participantLinks = (list: { trajectoryId: string; reference: string }[]) =>
  html`${list.map((p, i) => html`${i ? ', ' : ''}${link(trajectoryPath(p.trajectoryId), p.reference)}`)}`;

function lagging(list: LaggingPartner[]): Html {
  if (list.length === 0) return para('Niemand loopt achter: alle dagen en gesprekken tot vandaag zijn vastgelegd.');
  return html`${para(
    'Per organisatie wat te laat is: stagedagen (de werkgever van die dag), ROC-dagen (het ROC) en gesprekken (de ' +
      'organisatie van de jobcoach), sinds wanneer, en bij welke deelnemers.',
  )}
  ${table({
    caption: 'Wie loopt achter',
    head: [
      th('Organisatie'),
      th('Stagedagen te laat'),
      th('ROC-dagen te laat'),
      th('Gesprekken te laat'),
      th('Oudste sinds'),
      th('Deelnemers'),
    ],
    rows: list.map(
      (p) =>
        html`<tr class="utrecht-table__row">
          <th class="utrecht-table__header-cell" scope="row">${p.name}</th>
          ${num(p.placementDays)} ${num(p.schoolDays)} ${num(p.checkpoints)} ${td(dutchDay(p.oldest))}
          ${td(participantLinks(p.participants))}
        </tr>`,
    ),
  })}`;
}

function risky(list: AtRisk[]): Html {
  if (list.length === 0) return para('Geen deelnemers met een risicosignaal.');
  return table({
    caption: `Deelnemers met een risico (${list.length}), met de meeste signalen bovenaan`,
    head: [th('Deelnemer'), th('Status'), th('Week'), th('Signalen')],
    rows: list.map(
      (t) =>
        html`<tr class="utrecht-table__row">
          <th class="utrecht-table__header-cell" scope="row">${link(trajectoryPath(t.trajectoryId), t.reference)}</th>
          ${td(statusNl(t.status))} ${num(t.week)}
          ${td(
            html`<ul class="utrecht-unordered-list compact-list">
              ${t.risks.map((r) => html`<li>${capital(riskInDutch(r))}</li>`)}
            </ul>`,
          )}
        </tr>`,
    ),
  });
}

function checkpoints(s: Steering): Html {
  if (s.checkpoints.length === 0) return para('Nog geen gesprekken gepland.');
  return table({
    caption: 'Gesprekken (checkpoints): op tijd, te laat en nog open',
    head: [
      th('Gesprek'),
      th('Week'),
      th('Gepland'),
      th('Nu verwacht'),
      th('Op tijd'),
      th('Te laat vastgelegd'),
      th('Nog open'),
      th('Gemist'),
      th('Gedaan'),
    ],
    rows: s.checkpoints.map(
      (c) =>
        html`<tr class="utrecht-table__row">
          <th class="utrecht-table__header-cell" scope="row">${c.name}</th>
          ${num(c.week)} ${num(c.planned)} ${num(c.due)} ${num(c.onTime)} ${num(c.late)} ${num(c.overdue)}
          ${num(c.missed)} ${num(percent(c.completion))}
        </tr>`,
    ),
  });
}

/** What the next morning mail sends to whom: one entry per mail, its items counted by kind, its text to read. */
function preview(mails: ComposedMail[], date: string): Html {
  const intro = para(
    html`De mail van <time datetime="${date}" id="ochtendmail-datum">${dutchDay(date)}</time> om 10.00 uur, zoals hij nu
      zou worden samengesteld. Wat partners vóór 10.00 uur nog vastleggen, valt eruit. De links in de echte mail zijn
      persoonlijk en staan hier niet.`,
  );
  if (mails.length === 0) return html`${intro}${para('Er gaat die ochtend geen mail uit over uw deelnemers.')}`;
  return html`${intro}
    <ul class="utrecht-unordered-list" aria-label="Mails van de ochtendmail">
      ${mails.map((m) => {
        const kinds = new Map<string, number>();
        for (const i of m.items) kinds.set(i.kind, (kinds.get(i.kind) ?? 0) + 1);
        return html`<li class="digest-preview">
          <p class="utrecht-paragraph">
            <strong>${m.mail.recipient_name}</strong> (${m.mail.recipient}): ${m.mail.subject}
          </p>
          <ul class="utrecht-unordered-list compact-list">
            ${[...kinds].map(([k, n]) => html`<li>${n} × ${ITEM_NL[k] ?? k}</li>`)}
          </ul>
          <details>
            <summary>De tekst van deze mail</summary>
            <pre class="mail-text">${m.mail.text}</pre>
          </details>
        </li>`;
      })}
    </ul>`;
}

function outboxTable(reply: FastifyReply, mails: OutboxMail[], caption: string): Html {
  if (mails.length === 0) return para('Er is nog geen mail over uw deelnemers.');
  return table({
    caption,
    head: [th('Dag'), th('Aan'), th('Onderwerp'), th('Status'), th('Pogingen'), th('Melding'), th('Actie')],
    rows: mails.map(
      (m) =>
        html`<tr class="utrecht-table__row">
          <th class="utrecht-table__header-cell" scope="row">${dutchDay(m.day)}</th>
          ${td(html`${m.recipientName}<br />${m.to}`)} ${td(m.subject)} ${td(MAIL_STATUS_NL[m.status])}
          ${num(m.attempts)} ${td(m.lastError ?? '')}
          ${td(
            m.status === 'failed'
              ? html`<form method="post" action="/sturing/outbox/${encodeURIComponent(m.id)}/opnieuw">
                  <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
                  <button
                    type="submit"
                    class="utrecht-button utrecht-button--secondary-action"
                    aria-label="Opnieuw versturen: ${m.subject} aan ${m.to}"
                  >
                    Opnieuw versturen
                  </button>
                </form>`
              : '',
          )}
        </tr>`,
    ),
  });
}

// --- the routes -------------------------------------------------------------------------------------------------

export async function steeringRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  await app.register(trajectoryPageRoutes, { deps });
  const now = () => deps.now?.() ?? Date.now();
  const officeOf = (request: FastifyRequest) => actingOffice(request.principal) ?? undefined;

  /** The cohort asked for, if it is one of the person's; 404 for another office's or an unknown one. */
  async function chosenCohort(request: FastifyRequest, cohorts: Cohorts) {
    const wanted = String((request.query as { cohort?: string } | undefined)?.cohort ?? '');
    if (!wanted) return undefined;
    const cohort = cohorts.find((c) => c.id === wanted);
    if (!cohort) throw Object.assign(new Error('not found'), { statusCode: 404 });
    return cohort;
  }

  const dashboard = async (request: FastifyRequest, reply: FastifyReply, notice?: Notice) => {
    const p = request.principal;
    const asOf = today(deps);
    const cohorts = await cohortsOf(deps, p);
    const chosen = await chosenCohort(request, cohorts);
    const filter = { programmeOfficeId: officeOf(request), cohortId: chosen?.id };
    const date = nextDigestDate(now());
    const [s, partners, risks, mails, outbox] = await Promise.all([
      steering(deps, filter, asOf),
      laggingPartners(deps, filter, asOf),
      atRisk(deps, filter, asOf),
      morningPreview(deps, p, date),
      pageOutbox(deps, p, { limit: 20, offset: 0 }),
    ]);
    noteAudit(request, [
      ...risks.map((r) => r.trajectoryId),
      ...partners.flatMap((x) => x.participants.map((t) => t.trajectoryId)),
    ]);
    const exportQuery = chosen ? `?cohort=${encodeURIComponent(chosen.id)}` : '';
    return sendPage(
      reply,
      personPage(
        request,
        reply,
        { title: 'Sturing', notice },
        html`${para(
            html`Stand van ${dutchDay(asOf)}. Onderdelen: <a class="utrecht-link" href="#cohorten">cohorten</a>,
              <a class="utrecht-link" href="#achterstand">wie loopt achter</a>,
              <a class="utrecht-link" href="#risico">risico's</a>,
              <a class="utrecht-link" href="#gesprekken">gesprekken</a>,
              <a class="utrecht-link" href="#ochtendmail">ochtendmail</a>,
              <a class="utrecht-link" href="#outbox">uitgaande mail</a>.`,
          )}
          <form method="get" action="/sturing" class="sturing-filter">
            <div class="utrecht-form-field">
              <label class="utrecht-form-label" for="cohort">Cohort</label>
              <select class="utrecht-select utrecht-select--html-select" id="cohort" name="cohort">
                <option value="">Alle cohorten</option>
                ${cohorts.map(
                  (c) =>
                    html`<option value="${c.id}" ${chosen?.id === c.id ? 'selected' : ''}>${cohortName(c)}</option>`,
                )}
              </select>
            </div>
            <button type="submit" class="utrecht-button utrecht-button--secondary-action">Toon</button>
          </form>
          ${h2('cohorten', 'Cohorten week voor week')} ${cohortWeeks(s, cohorts)}
          ${h2('achterstand', 'Wie loopt achter')} ${lagging(partners)} ${h2('risico', 'Deelnemers met een risico')}
          ${risky(risks)} ${h2('gesprekken', 'Gesprekken')} ${checkpoints(s)}
          ${h2('ochtendmail', 'De volgende ochtendmail')} ${preview(mails, date)} ${h2('outbox', 'Uitgaande mail')}
          ${para(
            html`De laatste ${Math.min(20, outbox.total)} van ${outbox.total} mails.
            ${link('/sturing/outbox', 'Alle uitgaande mail')}.`,
          )}
          ${outboxTable(reply, outbox.items, 'Uitgaande mail: verstuurd, in de wachtrij en mislukt')}
          ${h2('downloads', 'Downloaden voor Excel')}
          <ul class="utrecht-unordered-list">
            <li>
              ${link(`/sturing/sturingslijst.xlsx${exportQuery}`, 'Sturingslijst: achterstanden en risico\u2019s')}
              (xlsx)
            </li>
            <li>${link('/sturing/outbox.xlsx', 'Uitgaande mail')} (xlsx)</li>
          </ul>`,
      ),
    );
  };

  app.get(
    '/sturing',
    { schema: { hide: true }, config: { access: { roles: COORDINATION, audit: 'read' } } },
    async (request, reply) => dashboard(request, reply),
  );

  const outboxPage = async (request: FastifyRequest, reply: FastifyReply, notice?: Notice, code = 200) => {
    const q = request.query as { pagina?: string } | undefined;
    const pageNo = Math.max(1, Math.min(10_000, Number.parseInt(String(q?.pagina ?? '1'), 10) || 1));
    const size = 50;
    const outbox = await pageOutbox(deps, request.principal, { limit: size, offset: (pageNo - 1) * size });
    const pages = Math.max(1, Math.ceil(outbox.total / size));
    return sendPage(
      reply,
      personPage(
        request,
        reply,
        { title: 'Uitgaande mail', notice },
        html`${para(
            html`Wat is verstuurd aan wie en wanneer, wat nog in de wachtrij staat en wat mislukte. Een mislukte mail
            (de ontvangende server weigerde het adres) kunt u opnieuw versturen, bijvoorbeeld nadat het adres is
            verbeterd. ${link('/sturing', 'Terug naar sturing')}.`,
          )}
          ${outboxTable(reply, outbox.items, `Uitgaande mail, pagina ${pageNo} van ${pages}`)}
          <nav aria-label="Pagina's" class="office-nav">
            ${pageNo > 1 ? link(`/sturing/outbox?pagina=${pageNo - 1}`, 'Vorige pagina') : ''}
            ${pageNo < pages ? link(`/sturing/outbox?pagina=${pageNo + 1}`, 'Volgende pagina') : ''}
            ${link('/sturing/outbox.xlsx', 'Alles downloaden (xlsx)')}
          </nav>`,
      ),
      code,
    );
  };

  app.get(
    '/sturing/outbox',
    { schema: { hide: true }, config: { access: { roles: COORDINATION } } },
    async (request, reply) => outboxPage(request, reply),
  );

  // The API's POST /v1/outbox/{id}/resend: only a failed mail is queued again, once, however often this is sent.
  app.post<{ Params: { id: string } }>(
    '/sturing/outbox/:id/opnieuw',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: { access: { roles: COORDINATION } } },
    async (request, reply) => {
      const r = await resendMail(deps, request.principal, request.params.id);
      const notice: Notice = !r.requeued
        ? {
            kind: 'info',
            text: `Deze mail was niet (meer) mislukt, dus er is niets opnieuw verstuurd. De status is: ${
              MAIL_STATUS_NL[r.status]
            }.`,
          }
        : r.status === 'sent'
          ? { kind: 'ok', text: 'De mail is opnieuw verstuurd.' }
          : r.status === 'failed'
            ? {
                kind: 'error',
                text:
                  `Versturen is opnieuw mislukt (${r.lastError ?? 'geen melding'}). Controleer het e-mailadres, ` +
                  'of probeer het later nog eens als de mailserver niet bereikbaar was.',
              }
            : {
                kind: 'info',
                text: `De mail is ${MAIL_STATUS_NL[r.status]}.`,
              };
      return outboxPage(request, reply, notice);
    },
  );

  app.get(
    '/sturing/outbox.xlsx',
    { schema: { hide: true }, config: { access: { roles: COORDINATION } } },
    async (request, reply) => {
      const mails = await allMails(deps, request.principal);
      return sendDownload(reply, `uitgaande-mail-${today(deps)}`, {
        xlsx: await xlsxOf(
          sheetOf({
            name: 'Uitgaande mail',
            rows: mails,
            columns: [
              { header: 'Dag', value: (m) => m.day, width: 12 },
              { header: 'Aan', value: (m) => m.recipientName, width: 24 },
              { header: 'E-mailadres', value: (m) => m.to, width: 30 },
              { header: 'Onderwerp', value: (m) => m.subject, width: 50 },
              { header: 'Status', value: (m) => MAIL_STATUS_NL[m.status], width: 18 },
              { header: 'Pogingen', value: (m) => m.attempts, width: 10 },
              { header: 'Melding', value: (m) => m.lastError, width: 40 },
              { header: 'Verstuurd op', value: (m) => m.sentAt, width: 24 },
              { header: 'Onderwerpen', value: (m) => m.items.length, width: 12 },
            ],
          }),
        ),
      });
    },
  );

  app.get(
    '/sturing/sturingslijst.xlsx',
    { schema: { hide: true }, config: { access: { roles: COORDINATION, audit: 'read' } } },
    async (request, reply) => {
      const asOf = today(deps);
      const chosen = await chosenCohort(request, await cohortsOf(deps, request.principal));
      const filter = { programmeOfficeId: officeOf(request), cohortId: chosen?.id };
      const [partners, risks] = await Promise.all([laggingPartners(deps, filter, asOf), atRisk(deps, filter, asOf)]);
      noteAudit(request, [
        ...risks.map((r) => r.trajectoryId),
        ...partners.flatMap((x) => x.participants.map((t) => t.trajectoryId)),
      ]);
      return sendDownload(reply, `sturingslijst-${asOf}`, {
        xlsx: await xlsxOf(
          sheetOf({
            name: 'Wie loopt achter',
            rows: partners,
            columns: [
              { header: 'Organisatie', value: (p) => p.name, width: 30 },
              { header: 'Stagedagen te laat', value: (p) => p.placementDays },
              { header: 'ROC-dagen te laat', value: (p) => p.schoolDays },
              { header: 'Gesprekken te laat', value: (p) => p.checkpoints },
              { header: 'Oudste sinds', value: (p) => p.oldest, width: 12 },
              { header: 'Deelnemers', value: (p) => p.participants.map((t) => t.reference).join(', '), width: 40 },
            ],
          }),
          sheetOf({
            name: "Risico's",
            rows: risks,
            columns: [
              { header: 'Deelnemer', value: (t) => t.reference, width: 16 },
              { header: 'Cohort', value: (t) => t.cohortId, width: 24 },
              { header: 'Status', value: (t) => statusNl(t.status) },
              { header: 'Week', value: (t) => t.week, width: 8 },
              { header: 'Signalen', value: (t) => t.risks.map((r) => capital(riskInDutch(r))).join('; '), width: 80 },
            ],
          }),
        ),
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/sturing/cohorten/:id/deelnemers.xlsx',
    { schema: { hide: true }, config: { access: { roles: COORDINATION, resource: 'cohort', audit: 'read' } } },
    async (request, reply) => {
      const cohort = await getCohort(deps.db, request.params.id);
      const employers = new Map(
        (await pageOrganisations(deps, request.principal, { kind: 'employer', limit: 200, offset: 0 })).items.map(
          (o) => [o.id, o.name],
        ),
      );
      noteAudit(
        request,
        cohort.trajectories.map((t) => t.id),
      );
      return sendDownload(reply, `deelnemers-${cohort.id}`, {
        xlsx: await xlsxOf(
          sheetOf({
            name: 'Deelnemers',
            rows: cohort.trajectories,
            columns: [
              { header: 'Deelnemer', value: (t) => t.reference, width: 16 },
              { header: 'Status', value: (t) => statusNl(t.status), width: 22 },
              { header: 'Werkgever', value: (t) => employers.get(t.employerId) ?? t.employerId, width: 30 },
              { header: 'Einddatum', value: (t) => t.endDate, width: 12 },
            ],
          }),
        ),
      });
    },
  );
}
