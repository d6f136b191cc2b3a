// "Uitkomsten" (issue 18.4): the funders' figures for a gemeente's or UWV's analyst, and for the office's
// coordinator. The same figures as GET /v1/outcomes (api/services/outcomes.ts outcomeFigures, under the same rule of
// who sees what), with the same filters: programme, region, cohort and period. Each group of figures is a table
// with a simple bar chart beside it (inline SVG; the chart never replaces the table). Small counts are suppressed
// as the API suppresses them and read "< 5", with the reason; only counts, never a person. Downloads: xlsx, and CSV
// for Dutch Excel (the API's format=csv-nl, the same rows).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../api/auth';
import type { AppDeps } from '../api/deps';
import { pageCohorts } from '../api/services/cohorts';
import { DUTCH_FIGURE_COLUMNS, figureRows, figuresDutchCsv, outcomeFigures } from '../api/services/outcomes';
import { visibleProgrammes } from '../api/services/programmes';
import type { FigureQuery, OutcomeFigures } from '../api/schemas/outcome';
import { dutchDay } from '../domain/dutch';
import {
  ANSWER_NL,
  CHECKPOINT_STATUS_NL,
  DROPOUT_REASON_NL,
  STANDING_NL,
  SUPPRESSED_NL,
  wordFor,
} from '../domain/outcome-words';
import { MIN_CELL } from '../domain/suppression';
import { html, type Html } from './html';
import { personPage, readDate, sendPage, textField, type Errors } from './form-parts';
import { sendDownload, sheetOf, xlsxOf } from './spreadsheet';

/** As the API's GET /v1/outcomes. */
const ROLES: readonly Role[] = ['admin', 'coordinator', 'funder'];
/** The follow-up moments, in months after the BBL start (or the end of a job without BBL). */
const FOLLOW_UP_MONTHS = ['3', '6', '12'];
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** The bars' colour: dark blue, well apart from the white page and the black text. */
const BAR = '#1d5f8a';
const bar = (x: number, y: number, width: number, height: number) =>
  html`<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="${BAR}" />`;

type Query = Partial<Record<'programma' | 'regio' | 'cohort' | 'van' | 'tot', string>>;

/** The filters as typed (to show them again), as the API's query, and what is wrong with them. */
function readFilter(q: Query) {
  const values = {
    programma: String(q.programma ?? '').trim(),
    regio: String(q.regio ?? '').trim(),
    cohort: String(q.cohort ?? '').trim(),
    van: String(q.van ?? '').trim(),
    tot: String(q.tot ?? '').trim(),
  };
  const errors: Errors = {};
  const filter: FigureQuery = {};
  if (values.programma) {
    if (ID.test(values.programma) && values.programma.length <= 100) filter.programmeId = values.programma;
    else errors.programma = 'Kies een programma uit de lijst.';
  }
  if (values.regio) {
    if (values.regio.length <= 100) filter.region = values.regio;
    else errors.regio = 'Een regio heeft een naam van hoogstens 100 tekens.';
  }
  if (values.cohort) {
    if (ID.test(values.cohort) && values.cohort.length <= 100) filter.cohortId = values.cohort;
    else errors.cohort = 'Dit is geen cohortcode: alleen letters, cijfers, punten, streepjes en liggende streepjes.';
  }
  for (const [name, key] of [
    ['van', 'from'],
    ['tot', 'to'],
  ] as const) {
    const date = readDate(values[name]);
    if (date === undefined) errors[name] = 'Vul een datum in, zoals 1-9-2027.';
    else if (date) filter[key] = date;
  }
  if (filter.from && filter.to && filter.from > filter.to) errors.tot = 'De einddatum ligt vóór de begindatum.';
  return { values, filter, errors };
}

/** The filter as the query of a link (the downloads): the values as typed, empty ones left out. */
const queryOf = (values: Record<string, string>) => {
  const q = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== '')).toString();
  return q ? `?${q}` : '';
};

const count = (n: number | null) => (n === null ? SUPPRESSED_NL : String(n));
const percent = (rate: number) => `${String(Math.round(rate * 1000) / 10).replace('.', ',')} %`;

interface Bar {
  label: string;
  value: number | null;
}

/**
 * A horizontal bar chart, the bars scaled to the largest shown count. A suppressed count gets no bar (its length
 * would tell it), only "< 5". The chart is an image with its figures in words as its name; the table beside it holds
 * the same figures.
 */
function barChart(title: string, bars: Bar[]): Html {
  const rowHeight = 28;
  const labelWidth = 190;
  const barSpace = 150;
  const barHeight = rowHeight - 8;
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const words = bars.map((b) => `${b.label}: ${b.value === null ? 'minder dan 5' : b.value}`).join('; ');
  return html`<svg
    class="bar-chart"
    role="img"
    aria-label="Staafdiagram, ${title}. ${words}."
    viewBox="0 0 ${labelWidth + barSpace + 50} ${bars.length * rowHeight + 4}"
    width="${labelWidth + barSpace + 50}"
    height="${bars.length * rowHeight + 4}"
    focusable="false"
  >
    ${bars.map((b, i) => {
      const y = i * rowHeight + 2;
      const width = b.value ? Math.max(2, Math.round((b.value / max) * barSpace)) : 0;
      return html`<text x="0" y="${y + 18}" font-size="13" fill="#1a1a1a">${b.label.slice(0, 28)}</text>
        ${width ? bar(labelWidth, y + 4, width, barHeight) : ''}
        <text x="${labelWidth + width + 6}" y="${y + 18}" font-size="13" fill="#1a1a1a">${count(b.value)}</text>`;
    })}
  </svg>`;
}

/** A table of one group of figures (what, how many) with its chart beside it. */
function figureTable(caption: string, bars: Bar[], o: { chart?: boolean; head?: string } = {}): Html {
  const table = html`<table class="utrecht-table">
    <caption class="utrecht-table__caption">
      ${caption}
    </caption>
    <thead class="utrecht-table__header">
      <tr class="utrecht-table__row">
        <th class="utrecht-table__header-cell" scope="col">${o.head ?? 'Categorie'}</th>
        <th class="utrecht-table__header-cell utrecht-table__header-cell--numeric" scope="col">Aantal</th>
      </tr>
    </thead>
    <tbody class="utrecht-table__body">
      ${bars.map(
        (b) =>
          html`<tr class="utrecht-table__row">
            <th class="utrecht-table__header-cell" scope="row">${b.label}</th>
            <td class="utrecht-table__cell utrecht-table__cell--numeric">${count(b.value)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
  if (o.chart === false || bars.length === 0) return table;
  return html`<div class="figure-pair">${table} ${barChart(caption, bars)}</div>`;
}

const bars = (cells: Record<string, number | null>, words: Record<string, string> | ((k: string) => string)) =>
  Object.entries(cells).map(([k, value]) => ({
    label: typeof words === 'function' ? words(k) : wordFor(words, k),
    value,
  }));

/** The follow-up at 3, 6 and 12 months: asked, and the answers, for work and for the BBL enrolment. */
function followUpTable(f: OutcomeFigures): Html {
  const answers = ['yes', 'no', 'noAnswer', 'open'] as const;
  const none = { yes: 0, no: 0, noAnswer: 0, open: 0 };
  const rows = FOLLOW_UP_MONTHS.map((m) => ({
    m,
    g: f.followUp[m] ?? { asked: 0, employed: none, enrolmentAsked: 0, enrolled: none },
  }));
  const th = (text: string, scope = 'col', span = 1) =>
    html`<th class="utrecht-table__header-cell" scope="${scope}" ${span > 1 ? html`colspan="${span}"` : ''}>
      ${text}
    </th>`;
  const td = (n: number | null | undefined) =>
    html`<td class="utrecht-table__cell utrecht-table__cell--numeric">${count(n === undefined ? 0 : n)}</td>`;
  const table = html`<div
    class="table-scroll"
    tabindex="0"
    role="region"
    aria-label="Nazorg na 3, 6 en 12 maanden (tabel, schuift opzij)"
  >
    <table class="utrecht-table">
      <caption class="utrecht-table__caption">
        Nazorg na 3, 6 en 12 maanden: werkt de deelnemer nog bij de werkgever, en staat hij of zij nog ingeschreven bij
        het ROC?
      </caption>
      <colgroup span="1"></colgroup>
      <colgroup span="5"></colgroup>
      <colgroup span="5"></colgroup>
      <thead class="utrecht-table__header">
        <tr class="utrecht-table__row">
          <td class="utrecht-table__cell"></td>
          ${th('Werkt nog bij de werkgever', 'colgroup', 5)} ${th('Nog ingeschreven bij het ROC', 'colgroup', 5)}
        </tr>
        <tr class="utrecht-table__row">
          ${th('Na')} ${th('Gevraagd')} ${answers.map((a) => th(ANSWER_NL[a]))} ${th('Gevraagd')}
          ${answers.map((a) => th(ANSWER_NL[a]))}
        </tr>
      </thead>
      <tbody class="utrecht-table__body">
        ${rows.map(
          ({ m, g }) =>
            html`<tr class="utrecht-table__row">
              ${th(`${m} maanden`, 'row')} ${td(g.asked)} ${answers.map((a) => td(g.employed[a]))}
              ${td(g.enrolmentAsked)} ${answers.map((a) => td(g.enrolled[a]))}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
  const chart = barChart(
    'nazorg, werkt nog bij de werkgever (ja) per moment',
    rows.map(({ m, g }) => ({ label: `Na ${m} maanden`, value: g.employed.yes ?? null })),
  );
  return html`${table}
    <div class="figure-pair">
      <p class="utrecht-paragraph">Werkt nog bij de werkgever (ja), per moment:</p>
      ${chart}
    </div>`;
}

/** The explanation of "< 5", always on the page: why small counts are hidden, and how. */
const suppressionText = html`<section aria-labelledby="kleine-aantallen">
  <h2 class="utrecht-heading-2" id="kleine-aantallen">Waarom staat er soms "&lt; 5"?</h2>
  <p class="utrecht-paragraph">
    Een aantal van 1 tot en met ${MIN_CELL - 1} mensen tonen we niet: bij zo weinig mensen is te raden over wie het
    gaat. Er staat dan "&lt; 5". Zou dat aantal uit het totaal zijn terug te rekenen, dan verbergen we ook het kleinste
    andere aantal van dezelfde groep; ook daar staat "&lt; 5", al kan het daar om meer mensen gaan. Is een totaal
    verborgen, dan ook alles wat erbinnen valt. Een 0 is wel echt 0.
  </p>
</section>`;

function figuresContent(f: OutcomeFigures): Html {
  const anySuppressed = figureRows(f).some((r) => r.count === null);
  const att = f.attendance;
  return html`${
      anySuppressed
        ? html`<p class="utrecht-paragraph">
            Een aantal van minder dan 5 mensen staat er als "&lt; 5";
            <a class="utrecht-link" href="#kleine-aantallen">lees waarom</a>.
          </p>`
        : ''
    }
    <h2 class="utrecht-heading-2">Deelnemers</h2>
    <p class="utrecht-paragraph">Gestart in deze selectie: <strong>${count(f.started)}</strong> deelnemers.</p>
    ${figureTable('Waar de deelnemers nu staan', bars(f.participants, STANDING_NL), { head: 'Stand' })}
    ${figureTable(
      'Doorstroom naar de BBL: telt alleen met een getekende praktijkovereenkomst',
      [
        { label: 'Doorstroom (praktijkovereenkomst rond)', value: f.doorstroomPok.valid },
        { label: 'Doorstroom, POK nog niet rond', value: f.doorstroomPok.pending },
      ],
      { head: 'Doorstroom' },
    )}
    <h2 class="utrecht-heading-2">Uitval</h2>
    ${
      Object.keys(f.dropoutByReason).length === 0
        ? html`<p class="utrecht-paragraph">In deze selectie is niemand uitgevallen.</p>`
        : html`${figureTable('Uitval naar reden', bars(f.dropoutByReason, DROPOUT_REASON_NL), { head: 'Reden' })}
          ${figureTable(
            'Uitval naar programmaweek',
            bars(f.dropoutByWeek, (k) => `Week ${k}`),
            { head: 'Week' },
          )}`
    }
    <h2 class="utrecht-heading-2">Aanwezigheid</h2>
    ${figureTable(
      'Aanwezigheid op de geregistreerde stage- en ROC-dagen',
      [
        { label: 'Deelnemers met geregistreerde dagen', value: att.participants },
        { label: 'Geregistreerde dagen', value: att.recordedDays },
      ],
      { chart: false, head: 'Cijfer' },
    )}
    <p class="utrecht-paragraph">
      Aanwezig:
      <strong
        >${
          att.rate !== null
            ? percent(att.rate)
            : att.participants === null
              ? 'niet getoond (minder dan 5 deelnemers)'
              : 'nog niets geregistreerd'
        }</strong
      >
      van de geregistreerde dagen.
    </p>
    <h2 class="utrecht-heading-2">Checkpoints</h2>
    ${
      Object.keys(f.checkpoints).length === 0
        ? html`<p class="utrecht-paragraph">In deze selectie zijn nog geen checkpoints besproken.</p>`
        : Object.entries(f.checkpoints).map(([key, cells]) =>
            figureTable(`Checkpoint ${key}: de beoordelingen`, bars(cells, CHECKPOINT_STATUS_NL), {
              head: 'Beoordeling',
            }),
          )
    }
    <h2 class="utrecht-heading-2">Nazorg</h2>
    <p class="utrecht-paragraph">
      Na doorstroom naar BBL (of een baan zonder BBL) vragen we na 3, 6 en 12 maanden aan de werkgever en het ROC hoe
      het gaat. "Geen antwoord": de vraag is gesloten zonder antwoord; "nog open": er kan nog worden geantwoord.
    </p>
    ${followUpTable(f)}`;
}

/** The programmes a person may filter on: each once, by its newest name. */
async function programmeOptions(deps: AppDeps, request: FastifyRequest) {
  const byId = new Map<string, { name: string; version: number }>();
  for (const p of await visibleProgrammes(deps, request.principal))
    if ((byId.get(p.id)?.version ?? 0) < p.version) byId.set(p.id, { name: p.name, version: p.version });
  return [...byId].map(([id, p]) => ({ id, name: p.name })).sort((a, b) => a.name.localeCompare(b.name, 'nl'));
}

/** The office's cohorts to choose from, for whoever may list them (as GET /v1/cohorts); others type the code. */
async function cohortOptions(deps: AppDeps, request: FastifyRequest) {
  if (request.principal.role !== 'coordinator' && request.principal.role !== 'admin') return undefined;
  const { items } = await pageCohorts(deps.db, request.principal, { limit: 500, offset: 0 });
  return items.map((c) => ({ id: c.id, name: `${c.region}, gestart ${dutchDay(c.startDate)}` }));
}

function selectField(o: {
  name: string;
  label: string;
  all: string;
  options: { id: string; name: string }[];
  value: string;
  errors: Errors;
}): Html {
  const error = o.errors[o.name];
  return html`<div class="utrecht-form-field${error ? ' utrecht-form-field--invalid' : ''}">
    <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${o.name}">${o.label}</label></div>
    ${error ? html`<p class="utrecht-form-field-error-message" id="${o.name}-fout">${error}</p>` : ''}
    <select
      class="utrecht-select utrecht-select--html-select"
      id="${o.name}"
      name="${o.name}"
      ${error ? html`aria-invalid="true" aria-describedby="${o.name}-fout"` : ''}
    >
      <option value="">${o.all}</option>
      ${o.options.map((x) => html`<option value="${x.id}" ${x.id === o.value ? 'selected' : ''}>${x.name}</option>`)}
    </select>
  </div>`;
}

async function filterForm(
  deps: AppDeps,
  request: FastifyRequest,
  values: Record<'programma' | 'regio' | 'cohort' | 'van' | 'tot', string>,
  errors: Errors,
): Promise<Html> {
  const programmes = await programmeOptions(deps, request);
  const cohorts = await cohortOptions(deps, request);
  return html`<form method="get" action="/uitkomsten" novalidate>
    <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset">
      <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">Selectie</legend>
      ${selectField({
        name: 'programma',
        label: 'Programma',
        all: "Alle programma's",
        options: programmes,
        value: values.programma,
        errors,
      })}
      ${textField({ name: 'regio', label: 'Regio', value: values.regio, hint: 'Bijvoorbeeld West-Brabant.', errors })}
      ${
        cohorts
          ? selectField({
              name: 'cohort',
              label: 'Cohort',
              all: 'Alle cohorten',
              options: cohorts,
              value: values.cohort,
              errors,
            })
          : textField({
              name: 'cohort',
              label: 'Cohortcode',
              value: values.cohort,
              hint: 'Leeg: alle cohorten. De code krijgt u van het programmabureau.',
              errors,
            })
      }
      ${textField({
        name: 'van',
        label: 'Gestart vanaf',
        type: 'date',
        value: values.van,
        hint: 'Cohorten die op of na deze datum begonnen.',
        errors,
      })}
      ${textField({
        name: 'tot',
        label: 'Gestart tot en met',
        type: 'date',
        value: values.tot,
        hint: 'Cohorten die op of vóór deze datum begonnen.',
        errors,
      })}
    </fieldset>
    <button type="submit" class="utrecht-button utrecht-button--primary-action">Toon cijfers</button>
  </form>`;
}

/** The selection in words, for the xlsx. */
const selectionText = (filter: FigureQuery) =>
  [
    filter.programmeId && `programma ${filter.programmeId}`,
    filter.region && `regio ${filter.region}`,
    filter.cohortId && `cohort ${filter.cohortId}`,
    filter.from && `gestart vanaf ${dutchDay(filter.from)}`,
    filter.to && `gestart tot en met ${dutchDay(filter.to)}`,
  ]
    .filter(Boolean)
    .join(', ') || 'alle cohorten';

export async function outcomeRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  app.get<{ Querystring: Query }>(
    '/uitkomsten',
    { schema: { hide: true }, config: { access: { roles: ROLES } } },
    async (request, reply) => {
      const { values, filter, errors } = readFilter(request.query ?? {});
      const invalid = Object.keys(errors).length > 0;
      const form = await filterForm(deps, request, values, errors);
      const intro = html`<p class="utrecht-paragraph">
        De resultaten van de trajecten die u mag zien, in aantallen: nooit een persoon. Kies hieronder welke cohorten
        meetellen. De cijfers van werving en selectie vóór het cohort staan op
        <a class="utrecht-link" href="/uitkomsten/werving">Werving in cijfers</a>.
      </p>`;
      if (invalid)
        return sendPage(
          reply,
          personPage(
            request,
            reply,
            { title: 'Uitkomsten', notice: { kind: 'error', text: 'Controleer de selectie: er klopt iets niet.' } },
            html`${intro} ${form}`,
          ),
          422,
        );
      const figures = await outcomeFigures(deps, request.principal, filter);
      const query = queryOf(values);
      return sendPage(
        reply,
        personPage(
          request,
          reply,
          { title: 'Uitkomsten' },
          html`${intro} ${form}
            <h2 class="utrecht-heading-2">Downloaden</h2>
            <ul class="utrecht-unordered-list">
              <li><a class="utrecht-link" href="/uitkomsten.xlsx${query}">Deze cijfers als Excel-bestand (xlsx)</a></li>
              <li>
                <a class="utrecht-link" href="/uitkomsten.csv${query}">Deze cijfers als CSV-bestand voor Excel</a>
              </li>
            </ul>
            ${figuresContent(figures)} ${suppressionText}`,
        ),
      );
    },
  );

  /** A download of the figures of the selection; a selection that is not right gets the page with its messages. */
  const download =
    (kind: 'xlsx' | 'csv') => async (request: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply) => {
      const { values, filter, errors } = readFilter(request.query ?? {});
      if (Object.keys(errors).length > 0) return reply.redirect(`/uitkomsten${queryOf(values)}`, 303);
      const figures = await outcomeFigures(deps, request.principal, filter);
      if (kind === 'csv') return sendDownload(reply, 'uitkomsten', { csv: figuresDutchCsv(figures) });
      const explanation = [
        { text: `Selectie: ${selectionText(filter)}.` },
        {
          text:
            `"${SUPPRESSED_NL}": een aantal van 1 tot en met ${MIN_CELL - 1} mensen, of het kleinste andere aantal ` +
            'van dezelfde groep, verborgen zodat een klein aantal niet uit het totaal is terug te rekenen. ' +
            'Een 0 is echt 0.',
        },
        { text: 'Aanwezig: het percentage aanwezige dagen van de geregistreerde stage- en ROC-dagen.' },
      ];
      return sendDownload(reply, 'uitkomsten', {
        xlsx: await xlsxOf(
          sheetOf({ name: 'Uitkomsten', columns: DUTCH_FIGURE_COLUMNS, rows: figureRows(figures) }),
          sheetOf({
            name: 'Toelichting',
            columns: [{ header: 'Toelichting', value: (r) => r.text, width: 120 }],
            rows: explanation,
          }),
        ),
      });
    };
  app.get('/uitkomsten.xlsx', { schema: { hide: true }, config: { access: { roles: ROLES } } }, download('xlsx'));
  app.get('/uitkomsten.csv', { schema: { hide: true }, config: { access: { roles: ROLES } } }, download('csv'));
}
