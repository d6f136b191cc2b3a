// The coordinator's recruitment pages (issue 20): the office's rounds with their counts and a form to open one
// (WelSlagen's draaiboek), and a round as a pipeline: per step of the draaiboek who is at it, who is past its
// deadline (in words, not by colour alone) and who left there and why; the candidates filtered by step or overdue,
// each linking to its own page; the round's candidates as an xlsx download. The same policy as
// GET /v1/recruitment-rounds/{id} (the office's coordinators; reads audited). Adding candidates from a list is in
// web/candidate-upload.ts.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../api/deps';
import { auditRoundCandidateReads } from '../api/access';
import { DomainError } from '../api/errors';
import { actingOffice } from '../api/ownership';
import { visibleProgrammes } from '../api/services/programmes';
import { createRound, getRound, listRounds } from '../api/services/recruitment';
import type { RoundView } from '../api/schemas/recruitment';
import { localDate } from '../domain/calendar';
import {
  CANDIDATE_STATUS_NL,
  LEAVE_REASONS,
  STEP_NL,
  WELSLAGEN_DRAAIBOEK,
  type LeaveReason,
  type StepKind,
} from '../domain/recruitment';
import { candidateUploadRoutes } from './candidate-upload';
import { html, type Html } from './html';
import { cell, headerCells } from './table-parts';
import {
  checkboxField,
  csrfOf,
  inWords,
  personPage,
  selectField,
  sendPage,
  textField,
  type Errors,
} from './form-parts';
import { sendDownload, sheetOf, xlsxOf } from './spreadsheet';

const OFFICE = ['admin', 'coordinator'] as const;

type Form = Record<string, string | undefined>;

/** The programmes an office may open a round for: each once, its newest version's name. */
async function programmeChoices(deps: AppDeps, request: FastifyRequest) {
  const newest = new Map<string, { id: string; name: string; version: number }>();
  for (const p of await visibleProgrammes(deps, request.principal))
    if ((newest.get(p.id)?.version ?? 0) < p.version) newest.set(p.id, { id: p.id, name: p.name, version: p.version });
  return [...newest.values()].sort((a, b) => a.name.localeCompare(b.name, 'nl'));
}

async function roundsPage(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  o: { form?: Form; errors?: Errors } = {},
): Promise<Html> {
  const rounds = await listRounds(deps, request.principal);
  const programmes = await programmeChoices(deps, request);
  const errors = o.errors ?? {};
  const form = o.form ?? {};
  const canOpen = request.principal.role === 'coordinator' && actingOffice(request.principal) !== null;
  return personPage(
    request,
    reply,
    {
      title: 'Werving en selectie',
      notice:
        Object.keys(errors).length > 0
          ? { kind: 'error', text: 'De ronde is niet geopend. Kijk bij de velden hieronder.' }
          : undefined,
    },
    html`<h2 class="utrecht-heading-2">Wervingsrondes</h2>
      ${
        rounds.length === 0
          ? html`<p class="utrecht-paragraph">Uw programmabureau heeft nog geen wervingsronde.</p>`
          : html`<div class="table-scroll" tabindex="0" role="region" aria-label="Wervingsrondes">
              <table class="utrecht-table">
                <caption class="utrecht-table__caption">
                  Wervingsrondes van uw programmabureau
                </caption>
                ${headerCells(['Ronde', 'Regio', 'Kandidaten', 'Bezig', 'Te laat', 'Gematcht'])}
                <tbody class="utrecht-table__body">
                  ${rounds.map(
                    (r) =>
                      html`<tr class="utrecht-table__row">
                        <th class="utrecht-table__header-cell" scope="row">
                          <a class="utrecht-link" href="/werving/${r.id}">${r.name}</a>
                        </th>
                        ${cell(r.region)} ${cell(r.candidates)} ${cell(r.inProgress)} ${cell(r.overdue)}
                        ${cell(r.matched)}
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      ${
        !canOpen
          ? ''
          : programmes.length === 0
            ? html`<p class="utrecht-paragraph">
                Uw programmabureau heeft nog geen programma om werving voor te doen.
              </p>`
            : html`<h2 class="utrecht-heading-2">Een ronde openen</h2>
                <p class="utrecht-paragraph">
                  Een ronde volgt het draaiboek van WelSlagen:
                  ${WELSLAGEN_DRAAIBOEK.steps.map((s) => `${s.name} (${s.withinDays} dagen)`).join(', ')}. Welke data
                  dat geeft vanaf een voorlichting, ziet u in de
                  <a class="utrecht-link" href="/werving/voorvertoning">voorvertoning van een ronde</a>.
                </p>
                <form method="post" action="/werving" novalidate>
                  <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
                  <input type="hidden" name="ronde" value="${form.ronde ?? randomUUID()}" />
                  ${selectField({
                    name: 'programma',
                    label: 'Programma',
                    options: programmes.map((p) => ({ value: p.id, label: p.name })),
                    chosen: form.programma,
                    errors,
                  })}
                  ${textField({
                    name: 'regio',
                    label: 'Regio',
                    hint: 'Bijvoorbeeld West-Brabant',
                    value: form.regio,
                    errors,
                  })}
                  ${textField({
                    name: 'naam',
                    label: 'Naam van de ronde',
                    hint: 'Voor uzelf, bijvoorbeeld Zorg najaar 2027',
                    value: form.naam,
                    errors,
                  })}
                  <button type="submit" class="utrecht-button utrecht-button--primary-action">Ronde openen</button>
                </form>`
      }`,
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A round's candidates, filtered as the query asks: at one step, and/or past their deadline only. */
function filterOf(round: RoundView, query: Record<string, string | undefined>) {
  const step = round.draaiboek.steps.some((s) => s.key === query.stap) ? query.stap : undefined;
  const overdue = query['te-laat'] === 'ja';
  const candidates = round.candidates.filter(
    (c) => (step === undefined || c.step === step) && (!overdue || (c.status === 'in_progress' && c.overdue)),
  );
  return { step, overdue, candidates };
}

export async function recruitmentRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  await app.register(candidateUploadRoutes, { deps });

  app.get('/werving', { schema: { hide: true }, config: { access: { roles: OFFICE } } }, async (request, reply) =>
    sendPage(reply, await roundsPage(deps, request, reply)),
  );

  app.post<{ Body: Form }>(
    '/werving',
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      config: { access: { roles: ['coordinator'], audit: 'change' } },
    },
    async (request, reply) => {
      const raw = request.body ?? {};
      const text = (k: string) => (typeof raw[k] === 'string' ? raw[k].trim() : '');
      const form: Form = {
        programma: text('programma'),
        regio: text('regio'),
        naam: text('naam'),
        ronde: text('ronde'),
      };
      const errors: Errors = {};
      const programmes = await programmeChoices(deps, request);
      if (!programmes.some((p) => p.id === form.programma)) errors.programma = 'Kies een programma.';
      if (form.regio === '') errors.regio = 'Vul de regio in, bijvoorbeeld West-Brabant.';
      else if (form.regio!.length > 100) errors.regio = 'Gebruik hoogstens 100 tekens.';
      if (form.naam === '') errors.naam = 'Vul een naam in, bijvoorbeeld Zorg najaar 2027.';
      else if (form.naam!.length > 200) errors.naam = 'Gebruik hoogstens 200 tekens.';
      // The form's own id, chosen when it was shown: a double submit opens the same round once.
      if (!UUID.test(form.ronde ?? '')) form.ronde = randomUUID();
      if (Object.keys(errors).length > 0)
        return sendPage(reply, await roundsPage(deps, request, reply, { form, errors }), 422);
      try {
        const round = await createRound(deps, request.principal, form.ronde!, {
          programmeId: form.programma!,
          region: form.regio!,
          name: form.naam!,
        });
        return reply.redirect(`/werving/${round.id}`, 303);
      } catch (e) {
        if (!(e instanceof DomainError) || e.status !== 422) throw e;
        return sendPage(
          reply,
          await roundsPage(deps, request, reply, { form, errors: { programma: 'Kies een programma.' } }),
          422,
        );
      }
    },
  );

  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>(
    '/werving/:id',
    { schema: { hide: true }, config: { access: { roles: OFFICE, resource: 'recruitment-round', audit: 'read' } } },
    async (request, reply) => {
      const round = await getRound(deps, request.params.id);
      const today = localDate(deps.now?.() ?? Date.now());
      const stepName = new Map(round.draaiboek.steps.map((s) => [s.key, s.name || STEP_NL[s.kind as StepKind]]));
      const stepOf = (key: string) => stepName.get(key) ?? key;
      const where = (c: (typeof round.candidates)[number]) => {
        if (c.status === 'matched') return html`${CANDIDATE_STATUS_NL.matched}`;
        if (c.status === 'left')
          return html`${CANDIDATE_STATUS_NL.left} bij ${stepOf(c.step)}:
          ${LEAVE_REASONS[c.leftReason as LeaveReason] ?? ''}`;
        return html`${stepOf(c.step)}, uiterlijk
        ${inWords(c.dueOn, today)}${c.overdue ? html` <strong class="overdue">(te laat)</strong>` : ''}`;
      };
      const { step, overdue, candidates } = filterOf(round, request.query);
      // The candidates the page lists, each in its own audit trail (the round's read is recorded by the hook).
      await auditRoundCandidateReads(
        deps.db,
        request,
        round.id,
        candidates.map((c) => c.id),
      );
      const filtered = step !== undefined || overdue;
      const base = `/werving/${round.id}`;
      const count = (n: number, query: string) =>
        n === 0 ? '0' : html`<a class="utrecht-link" href="${base}?${query}#kandidaten">${n}</a>`;
      return sendPage(
        reply,
        personPage(
          request,
          reply,
          {
            title: `Wervingsronde ${round.name}`,
            notice: /^\d+$/.test(request.query.toegevoegd ?? '')
              ? {
                  kind: 'ok',
                  text:
                    request.query.toegevoegd === '1'
                      ? '1 kandidaat toegevoegd: de kandidaat staat bij de eerste stap.'
                      : `${request.query.toegevoegd} kandidaten toegevoegd: zij staan bij de eerste stap.`,
                }
              : undefined,
          },
          html`<p class="utrecht-paragraph">${round.region}. Gematcht met een werkplek: ${round.matched}.</p>
            <ul class="utrecht-unordered-list">
              ${
                request.principal.role === 'coordinator'
                  ? html`<li>
                      <a class="utrecht-link" href="${base}/lijsten/nieuw">Kandidaten toevoegen uit een lijst</a>
                    </li>`
                  : ''
              }
              <li>
                <a class="utrecht-link" href="${base}/kandidaten.xlsx" download>Kandidaten downloaden (Excel)</a>
              </li>
              <li><a class="utrecht-link" href="${base}/cohort">Gematchte kandidaten naar het cohort</a></li>
              <li><a class="utrecht-link" href="${base}/trechter">Trechter: cijfers per stap</a></li>
            </ul>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Stappen van het draaiboek">
              <table class="utrecht-table">
                <caption class="utrecht-table__caption">
                  Het draaiboek, stap voor stap
                </caption>
                ${headerCells(['Stap', 'Bezig', 'Te laat', 'Gestopt'])}
                <tbody class="utrecht-table__body">
                  ${round.pipeline.map(
                    (p) =>
                      html`<tr class="utrecht-table__row">
                        <th class="utrecht-table__header-cell" scope="row">${p.name}</th>
                        ${cell(count(p.inProgress, `stap=${p.step}`))}
                        ${cell(count(p.overdue, `stap=${p.step}&te-laat=ja`))} ${cell(count(p.left, `stap=${p.step}`))}
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            <h2 class="utrecht-heading-2" id="kandidaten">Kandidaten</h2>
            <form method="get" action="${base}#kandidaten" class="filter">
              ${selectField({
                name: 'stap',
                label: 'Stap',
                options: [
                  { value: '', label: 'Alle stappen' },
                  ...round.draaiboek.steps.map((s) => ({ value: s.key, label: stepOf(s.key) })),
                ],
                chosen: step ?? '',
                errors: {},
              })}
              ${checkboxField({ name: 'te-laat', label: 'Alleen wie te laat is', checked: overdue, errors: {} })}
              <button type="submit" class="utrecht-button utrecht-button--secondary-action">Tonen</button>
            </form>
            ${
              filtered
                ? html`<p class="utrecht-paragraph">
                    ${candidates.length} van de ${round.candidates.length} kandidaten.
                    <a class="utrecht-link" href="${base}#kandidaten">Alle kandidaten tonen</a>
                  </p>`
                : ''
            }
            <div class="table-scroll" tabindex="0" role="region" aria-label="Kandidaten">
              <table class="utrecht-table">
                <caption class="utrecht-table__caption">
                  Kandidaten${step !== undefined ? ` bij ${stepOf(step)}` : ''}${overdue ? ', te laat' : ''}
                </caption>
                ${headerCells(['Kenmerk', 'Naam', 'Waar staat de kandidaat'])}
                <tbody class="utrecht-table__body">
                  ${candidates.map(
                    (c) =>
                      html`<tr class="utrecht-table__row">
                        <td class="utrecht-table__cell">${c.reference}</td>
                        <th class="utrecht-table__header-cell" scope="row">
                          <a class="utrecht-link" href="/werving/kandidaten/${c.id}">${c.firstName} ${c.lastName}</a>
                        </th>
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

  app.get<{ Params: { id: string } }>(
    '/werving/:id/kandidaten.xlsx',
    { schema: { hide: true }, config: { access: { roles: OFFICE, resource: 'recruitment-round', audit: 'read' } } },
    async (request, reply) => {
      const round = await getRound(deps, request.params.id);
      await auditRoundCandidateReads(
        deps.db,
        request,
        round.id,
        round.candidates.map((c) => c.id),
      );
      const stepName = new Map(round.draaiboek.steps.map((s) => [s.key, s.name || STEP_NL[s.kind as StepKind]]));
      type Row = RoundView['candidates'][number];
      const xlsx = await xlsxOf(
        sheetOf({
          name: 'Kandidaten',
          columns: [
            { header: 'Kenmerk', value: (c: Row) => c.reference, width: 14 },
            { header: 'Voornaam', value: (c: Row) => c.firstName, width: 18 },
            { header: 'Achternaam', value: (c: Row) => c.lastName, width: 24 },
            { header: 'Status', value: (c: Row) => CANDIDATE_STATUS_NL[c.status], width: 12 },
            { header: 'Stap', value: (c: Row) => stepName.get(c.step) ?? c.step, width: 30 },
            { header: 'Uiterlijk', value: (c: Row) => (c.status === 'in_progress' ? c.dueOn : null), width: 12 },
            {
              header: 'Te laat',
              value: (c: Row) => (c.status === 'in_progress' ? (c.overdue ? 'ja' : 'nee') : null),
              width: 9,
            },
            {
              header: 'Reden gestopt',
              value: (c: Row) => (c.leftReason ? LEAVE_REASONS[c.leftReason as LeaveReason] : null),
              width: 24,
            },
          ],
          rows: round.candidates,
        }),
      );
      return sendDownload(reply, `kandidaten-${round.name}`, { xlsx });
    },
  );
}
