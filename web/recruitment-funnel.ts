// The recruitment funnel as pages (issue 20.4): a round's funnel for its office's coordinator (/werving/{id}/trechter:
// per step reached, on, stopped and why, still there, and the days a step took, with downloads), the preview of a
// round's dates (/werving/voorvertoning), and the funders' recruitment figures beside the outcomes
// (/uitkomsten/werving, small counts suppressed as the API suppresses them). The same services and policies as
// GET /v1/recruitment-rounds/{id}/funnel, POST /v1/recruitment-rounds/preview and GET /v1/recruitment-figures.
// Only counts: never a candidate's name or reference.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../api/auth';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import type { RecruitmentFigureQuery, RecruitmentFigures, RoundPreviewView } from '../api/schemas/funnel';
import {
  figuresCsv,
  figuresXlsx,
  funnelCsv,
  funnelXlsx,
  previewRoundDates,
  recruitmentFigures,
  roundFunnel,
  seesRounds,
} from '../api/services/funnel';
import { visibleProgrammes } from '../api/services/programmes';
import { dutchDay } from '../domain/dutch';
import type { Durations, FunnelStep } from '../domain/funnel';
import { SUPPRESSED_NL } from '../domain/outcome-words';
import { LEAVE_REASONS, type LeaveReason } from '../domain/recruitment';
import { MIN_CELL } from '../domain/suppression';
import { html, type Html } from './html';
import { personPage, readDate, sendPage, textField, type Errors } from './form-parts';
import { sendDownload } from './spreadsheet';

const OFFICE: readonly Role[] = ['admin', 'coordinator'];
/** As GET /v1/recruitment-figures (and the outcomes). */
const FIGURES: readonly Role[] = ['admin', 'coordinator', 'funder'];
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A table in its own scrolling region (a phone's width), a caption, column heads and a row head per row. */
function table(caption: string, heads: string[], rows: (string | number)[][]): Html {
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${caption}">
    <table class="utrecht-table">
      <caption class="utrecht-table__caption">
        ${caption}
      </caption>
      <thead class="utrecht-table__header">
        <tr class="utrecht-table__row">
          ${heads.map((h) => html`<th class="utrecht-table__header-cell" scope="col">${h}</th>`)}
        </tr>
      </thead>
      <tbody class="utrecht-table__body">
        ${rows.map(
          ([head, ...cells]) =>
            html`<tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="row">${head}</th>
              ${cells.map((c) => html`<td class="utrecht-table__cell">${c}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** Days as Dutch reads them: 4,5. */
const dutchDays = (n: number | null) => (n === null ? '' : String(n).replace('.', ','));
const spread = (d: Durations) =>
  d.n === 0 ? 'nog geen uitkomst' : d.q1 === d.q3 ? `${dutchDays(d.q1)}` : `${dutchDays(d.q1)} tot ${dutchDays(d.q3)}`;
const range = (d: Durations) => (d.n === 0 ? '' : `${dutchDays(d.min)} tot ${dutchDays(d.max)}`);

function reasonRows(steps: FunnelStep[]): (string | number)[][] {
  return steps.flatMap((s) =>
    (Object.entries(s.leftBy) as [LeaveReason, number][])
      .filter(([, n]) => n > 0)
      .map(([r, n]) => [s.name, LEAVE_REASONS[r], n]),
  );
}

// --- the funders' figures -------------------------------------------------------------------------------------

type FigureValues = Record<'programma' | 'regio' | 'per', string>;
const PROGRAMME_HINT = 'Leeg: alle programma’s. Bijvoorbeeld welslagen.';
const REGION_HINT = 'Leeg: alle regio’s. Bijvoorbeeld West-Brabant.';

/**
 * The page's selection; `rounds`: whether the caller may see figures per round (services/funnel.ts seesRounds). A
 * funder gets programme and region only, whatever the address asks, so no round is shown beside its region's total.
 */
function readFigureFilter(q: Partial<FigureValues>, rounds: boolean) {
  const values: FigureValues = {
    programma: String(q.programma ?? '').trim(),
    regio: String(q.regio ?? '').trim(),
    per: rounds && String(q.per ?? '').trim() !== 'regio' ? 'ronde' : 'regio',
  };
  const errors: Errors = {};
  const filter: RecruitmentFigureQuery = { per: values.per === 'regio' ? 'region' : 'round' };
  if (values.programma) {
    if (ID.test(values.programma) && values.programma.length <= 100) filter.programmeId = values.programma;
    else errors.programma = 'Een programmacode bestaat uit letters, cijfers, punten en streepjes.';
  }
  if (values.regio) {
    if (values.regio.length <= 100) filter.region = values.regio;
    else errors.regio = 'Een regio heeft een naam van hoogstens 100 tekens.';
  }
  return { values, filter, errors };
}

const queryOf = (values: Record<string, string>) => {
  const q = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== '')).toString();
  return q ? `?${q}` : '';
};

const shown = (n: number | null) => (n === null ? SUPPRESSED_NL : n);

function figureGroup(g: RecruitmentFigures['groups'][number]): Html {
  const title = g.roundId === null ? `${g.name} (${g.rounds} ${g.rounds === 1 ? 'ronde' : 'rondes'})` : g.name;
  const reasons = g.steps.flatMap((s) =>
    Object.entries(s.leftBy)
      .filter(([, n]) => n !== 0)
      .map(([r, n]) => [s.name, LEAVE_REASONS[r as LeaveReason] ?? r, shown(n)]),
  );
  return html`<h2 class="utrecht-heading-2">${title}</h2>
    <p class="utrecht-paragraph">
      ${g.programmeId}, ${g.region}. Kandidaten: ${shown(g.candidates)}; gematcht met een werkplek: ${shown(g.matched)}.
    </p>
    ${table(
      `Trechter: ${title}`,
      ['Stap', 'Bereikt', 'Door naar de volgende stap', 'Gestopt', 'Nog bezig', 'Dagen (mediaan)'],
      g.steps.map((s) => [
        s.name,
        shown(s.entered),
        shown(s.passed),
        shown(s.left),
        shown(s.inProgress),
        s.medianDays === null ? '' : dutchDays(s.medianDays),
      ]),
    )}
    ${
      reasons.length > 0
        ? table(`Redenen van stoppen: ${title}`, ['Stap', 'Reden', 'Aantal'], reasons)
        : html`<p class="utrecht-paragraph">Niemand is gestopt.</p>`
    }`;
}

const suppressionText = html`<p class="utrecht-paragraph">
  "${SUPPRESSED_NL}" staat voor 1 tot en met ${MIN_CELL - 1} kandidaten, of voor het kleinste andere aantal van dezelfde
  stap, zodat een klein aantal niet uit het totaal is terug te rekenen. Wie een stap doorkomt, bereikt de volgende: is
  dat aantal verborgen, dan ook de stappen erna. Een mediaan staat er alleen bij ${MIN_CELL} of meer uitkomsten en
  zichtbare aantallen. Een 0 is echt 0.
</p>`;

// --- the preview ----------------------------------------------------------------------------------------------

function previewTable(p: RoundPreviewView): Html {
  return html`${table(
      `Data vanaf de voorlichting op ${dutchDay(p.informationSession)}`,
      ['Stap', 'Telt vanaf', 'Termijn tot', 'Uiterlijk (werkdag)', 'Feestdagen in de termijn'],
      p.steps.map((s, i) => [
        s.name,
        i === 0 ? `aanmelden vanaf ${dutchDay(s.from)}` : dutchDay(s.from),
        dutchDay(s.deadline),
        dutchDay(s.latest),
        s.holidays.map((h) => `${h.name} (${dutchDay(h.date)})`).join(', ') || 'geen',
      ]),
    )}
    <p class="utrecht-paragraph">
      Het cohort kan op zijn vroegst beginnen op <strong>${dutchDay(p.cohortStart)}</strong>, ${p.days} dagen na de
      voorlichting.
    </p>`;
}

export async function recruitmentFunnelRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  app.get<{ Params: { id: string } }>(
    '/werving/:id/trechter',
    { schema: { hide: true }, config: { access: { roles: OFFICE, resource: 'recruitment-round' } } },
    async (request, reply) => {
      const f = await roundFunnel(deps, request.params.id);
      const reasons = reasonRows(f.steps);
      return sendPage(
        reply,
        personPage(
          request,
          reply,
          { title: `Trechter van ${f.name}` },
          html`<p class="utrecht-paragraph">
              ${f.region}. Kandidaten in de ronde: ${f.candidates}; gematcht met een werkplek: ${f.matched}. Alleen
              aantallen; wie waar staat, ziet u op <a class="utrecht-link" href="/werving/${f.roundId}">de ronde</a>.
            </p>
            ${table(
              'Trechter per stap',
              ['Stap', 'Bereikt', 'Door naar de volgende stap', 'Gestopt', 'Nog bezig', 'Waarvan te laat'],
              f.steps.map((s) => [s.name, s.entered, s.passed, s.left, s.inProgress, s.overdue]),
            )}
            ${
              reasons.length > 0
                ? table('Redenen van stoppen', ['Stap', 'Reden', 'Aantal'], reasons)
                : html`<p class="utrecht-paragraph">Niemand is gestopt.</p>`
            }
            ${table(
              'Doorlooptijd per stap in dagen, van het bereiken van de stap tot de uitkomst',
              ['Stap', 'Uitkomsten', 'Mediaan', 'Middelste helft', 'Kortst tot langst'],
              f.steps.map((s) => [s.name, s.days.n, dutchDays(s.days.median), spread(s.days), range(s.days)]),
            )}
            <h2 class="utrecht-heading-2">Downloaden</h2>
            <ul class="utrecht-unordered-list">
              <li>
                <a class="utrecht-link" href="/werving/${f.roundId}/trechter.xlsx">De trechter als Excel-bestand</a>
              </li>
              <li>
                <a class="utrecht-link" href="/werving/${f.roundId}/trechter.csv"
                  >De trechter als CSV-bestand voor Excel</a
                >
              </li>
            </ul>
            <p class="utrecht-paragraph">
              <a class="utrecht-link" href="/werving/voorvertoning">De data van een nieuwe ronde vooraf bekijken</a>
            </p>`,
        ),
      );
    },
  );

  const funnelDownload =
    (kind: 'xlsx' | 'csv') => async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      const f = await roundFunnel(deps, request.params.id);
      return sendDownload(
        reply,
        `trechter-${f.name}`,
        kind === 'csv' ? { csv: funnelCsv(f) } : { xlsx: await funnelXlsx(f) },
      );
    };
  for (const kind of ['xlsx', 'csv'] as const)
    app.get(
      `/werving/:id/trechter.${kind}`,
      { schema: { hide: true }, config: { access: { roles: OFFICE, resource: 'recruitment-round' } } },
      funnelDownload(kind),
    );

  app.get<{ Querystring: { programma?: string; voorlichting?: string } }>(
    '/werving/voorvertoning',
    { schema: { hide: true }, config: { access: { roles: OFFICE } } },
    async (request, reply) => {
      const programmes = await visibleProgrammes(deps, request.principal);
      const values = {
        programma: String(request.query.programma ?? programmes[0]?.id ?? '').trim(),
        voorlichting: String(request.query.voorlichting ?? '').trim(),
      };
      const errors: Errors = {};
      let preview: RoundPreviewView | undefined;
      if (request.query.voorlichting !== undefined) {
        const date = readDate(values.voorlichting);
        if (!date) errors.voorlichting = 'Vul de datum van de voorlichting in, zoals 13-4-2027.';
        else if (!programmes.some((p) => p.id === values.programma)) errors.programma = 'Kies een programma.';
        else
          try {
            preview = await previewRoundDates(deps, request.principal, {
              programmeId: values.programma,
              informationSession: date,
            });
          } catch (e) {
            if (!(e instanceof DomainError) || e.status !== 422) throw e;
            const nl = e.errors?.map((x) => x.nl).join(' ');
            errors.voorlichting = nl || 'Deze datum kan niet.';
          }
      }
      const invalid = Object.keys(errors).length > 0;
      const form = html`<form method="get" action="/werving/voorvertoning" novalidate>
        <div class="utrecht-form-field">
          <div class="utrecht-form-field__label">
            <label class="utrecht-form-label" for="programma">Programma</label>
          </div>
          ${
            errors.programma
              ? html`<p class="utrecht-form-field-error-message" id="programma-fout">${errors.programma}</p>`
              : ''
          }
          <select
            class="utrecht-select utrecht-select--html-select"
            id="programma"
            name="programma"
            ${errors.programma ? html`aria-invalid="true" aria-describedby="programma-fout"` : ''}
          >
            ${programmes.map(
              (p) => html`<option value="${p.id}" ${p.id === values.programma ? 'selected' : ''}>${p.name}</option>`,
            )}
          </select>
        </div>
        ${textField({
          name: 'voorlichting',
          label: 'Datum van de voorlichting',
          type: 'date',
          value: values.voorlichting,
          hint: 'Een werkdag. Elke stap van het draaiboek van WelSlagen volgt op zijn laatst.',
          errors,
        })}
        <button type="submit" class="utrecht-button utrecht-button--primary-action">Toon de data</button>
      </form>`;
      return sendPage(
        reply,
        personPage(
          request,
          reply,
          {
            title: 'Een wervingsronde vooraf bekijken',
            ...(invalid && { notice: { kind: 'error' as const, text: 'Controleer de datum: er klopt iets niet.' } }),
          },
          html`<p class="utrecht-paragraph">
              Vanaf de voorlichting rekent het draaiboek elke stap door tot de match met een werkplek, met de termijnen
              van het draaiboek. Valt een termijn op een zaterdag, zondag of feestdag, dan is de laatste werkdag ervoor
              de uiterste datum. Er wordt niets vastgelegd.
            </p>
            ${form} ${preview ? previewTable(preview) : ''}
            <p class="utrecht-paragraph"><a class="utrecht-link" href="/werving">Alle wervingsrondes</a></p>`,
        ),
        invalid ? 422 : 200,
      );
    },
  );

  app.get<{ Querystring: Partial<FigureValues> }>(
    '/uitkomsten/werving',
    { schema: { hide: true }, config: { access: { roles: FIGURES } } },
    async (request, reply) => {
      const rounds = seesRounds(request.principal);
      const { values, filter, errors } = readFigureFilter(request.query ?? {}, rounds);
      const invalid = Object.keys(errors).length > 0;
      const perField = rounds
        ? html`<div class="utrecht-form-field">
            <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="per">Per</label></div>
            <select class="utrecht-select utrecht-select--html-select" id="per" name="per">
              <option value="ronde" ${values.per === 'ronde' ? 'selected' : ''}>Wervingsronde</option>
              <option value="regio" ${values.per === 'regio' ? 'selected' : ''}>
                Programma en regio, rondes opgeteld
              </option>
            </select>
          </div>`
        : html`<p class="utrecht-paragraph">
            De cijfers staan per programma en regio, met de rondes opgeteld. Cijfers per wervingsronde zijn er alleen
            voor het programmabureau zelf: naast het totaal van de regio zou een klein aantal terug te rekenen zijn.
          </p>`;
      const form = html`<form method="get" action="/uitkomsten/werving" novalidate>
        <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset">
          <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">Selectie</legend>
          ${textField({ name: 'programma', label: 'Programma', value: values.programma, hint: PROGRAMME_HINT, errors })}
          ${textField({ name: 'regio', label: 'Regio', value: values.regio, hint: REGION_HINT, errors })} ${perField}
        </fieldset>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">Toon cijfers</button>
      </form>`;
      const intro = html`<p class="utrecht-paragraph">
        Hoeveel kandidaten elke stap van werving en selectie bereikten, doorkwamen of stopten, en waarom: alleen
        aantallen, nooit een persoon. <a class="utrecht-link" href="/uitkomsten">Naar de uitkomsten van de cohorten</a>.
      </p>`;
      if (invalid)
        return sendPage(
          reply,
          personPage(
            request,
            reply,
            {
              title: 'Werving in cijfers',
              notice: { kind: 'error', text: 'Controleer de selectie: er klopt iets niet.' },
            },
            html`${intro} ${form}`,
          ),
          422,
        );
      const figures = await recruitmentFigures(deps, request.principal, filter);
      const query = queryOf(values);
      return sendPage(
        reply,
        personPage(
          request,
          reply,
          { title: 'Werving in cijfers' },
          html`${intro} ${form}
            <h2 class="utrecht-heading-2">Downloaden</h2>
            <ul class="utrecht-unordered-list">
              <li>
                <a class="utrecht-link" href="/uitkomsten/werving.xlsx${query}">Deze cijfers als Excel-bestand</a>
              </li>
              <li>
                <a class="utrecht-link" href="/uitkomsten/werving.csv${query}"
                  >Deze cijfers als CSV-bestand voor Excel</a
                >
              </li>
            </ul>
            ${suppressionText}
            ${
              figures.groups.length === 0
                ? html`<p class="utrecht-paragraph">Er zijn geen wervingsrondes in deze selectie.</p>`
                : figures.groups.map(figureGroup)
            }`,
        ),
      );
    },
  );

  const figuresDownload =
    (kind: 'xlsx' | 'csv') =>
    async (request: FastifyRequest<{ Querystring: Partial<FigureValues> }>, reply: FastifyReply) => {
      const { values, filter, errors } = readFigureFilter(request.query ?? {}, seesRounds(request.principal));
      if (Object.keys(errors).length > 0) return reply.redirect(`/uitkomsten/werving${queryOf(values)}`, 303);
      const figures = await recruitmentFigures(deps, request.principal, filter);
      return sendDownload(
        reply,
        'werving',
        kind === 'csv' ? { csv: figuresCsv(figures) } : { xlsx: await figuresXlsx(figures) },
      );
    };
  for (const kind of ['xlsx', 'csv'] as const)
    app.get(
      `/uitkomsten/werving.${kind}`,
      { schema: { hide: true }, config: { access: { roles: FIGURES } } },
      figuresDownload(kind),
    );
}
