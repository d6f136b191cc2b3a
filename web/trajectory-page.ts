// The coordinator's page of one trajectory (/sturing/trajecten/:id): its schedule as a calendar (a week a row, a
// weekday a column, each day in words: placement or school, attended, absent with its reason, holiday or closure
// by name, paused, sick leave, with a legend), its events, its risk signals in Dutch, and the changes the
// programme office makes (pause, resume, extension, employer change, dropout, revert of a dropout) as forms with
// their rules. A change goes through the API's own service and workflow update (recordOn with changeUpdate) under
// the policy of POST /v1/trajectories/{id}/changes; a refusal of the workflow stands in Dutch next to its field
// (web/refusals.ts) with 422, and nothing is recorded. A repeated submission records nothing twice.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changeLimits, COORDINATION } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { idempotent } from '../api/idempotency';
import { pageOrganisations } from '../api/services/partners';
import { getSchedule, getTrajectory, recordOn } from '../api/services/trajectories';
import type { Schedule, Trajectory } from '../api/schemas/trajectory';
import { isoWeekday } from '../domain/calendar';
import type { Change } from '../domain/changes';
import { ABSENCE_NL, DAY_STATUS_NL, dutchDay, EVENT_NL, STATUS_NL } from '../domain/dutch';
import { DROPOUT_REASON_NL, wordFor } from '../domain/outcome-words';
import { DROPOUT_REASONS, type DropoutReason } from '../domain/outcomes';
import { riskInDutch } from '../domain/risks';
import { changeUpdate } from '../workflows/trajectory';
import { formField, readDate, readText } from './form-field';
import { csrfOf, personPage, sendPage } from './form-parts';
import { html, type Html } from './html';
import { refusalOf } from './refusals';
import { pokPath } from './praktijkovereenkomst';

export const trajectoryPath = (id: string) => `/sturing/trajecten/${encodeURIComponent(id)}`;

type Params = { id: string };
type Notice = { kind: 'ok' | 'error' | 'info'; text: Html | string };
type Day = Schedule['weeks'][number]['days'][number];

const KIND_NL = { placement: 'Stage', school: 'ROC' } as const;
/** The legend: every word the calendar uses, explained (the colours only repeat the words). */
const LEGEND: [string, string][] = [
  ['Stage', 'een stagedag bij de werkgever'],
  ['ROC', 'een lesdag op het ROC'],
  [DAY_STATUS_NL.planned, 'de deelnemer wordt verwacht; nog niet geregistreerd'],
  [DAY_STATUS_NL.attended, 'geregistreerd als aanwezig'],
  [
    `${DAY_STATUS_NL.absent} (reden)`,
    'geregistreerd als afwezig, met de reden: ziek, verlof, ongeoorloofd of een andere',
  ],
  [
    `${DAY_STATUS_NL.not_planned} (naam)`,
    'geen dag: een feestdag, een schoolvakantie of een sluiting van het ROC, met de naam',
  ],
  [DAY_STATUS_NL.paused, 'het traject is gepauzeerd'],
  [DAY_STATUS_NL.sick_leave, 'de deelnemer is ziekgemeld; geen stagedag tot het herstel'],
];
const WEEKDAYS = ['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag'];

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function dayWords(d: Day): string {
  const base = DAY_STATUS_NL[d.status];
  if (d.status === 'absent') return `${base} (${d.reason ? wordFor(ABSENCE_NL, d.reason) : 'reden onbekend'})`;
  if (d.status === 'not_planned' && d.reason) return `${base} (${d.reason})`;
  return base;
}

/** The schedule as a calendar: a row per week, a column per weekday, every day in words. */
function calendar(schedule: Schedule, today: string): Html {
  if (schedule.weeks.length === 0) return html`<p class="utrecht-paragraph">Er is (nog) geen rooster.</p>`;
  const all = schedule.weeks.flatMap((w) => w.days);
  const lastWeekday = Math.max(5, ...all.map((d) => isoWeekday(d.date)));
  const columns = WEEKDAYS.slice(0, lastWeekday);
  const mondayOf = (date: string) => {
    const t = new Date(`${date}T12:00:00Z`);
    t.setUTCDate(t.getUTCDate() - (isoWeekday(date) - 1));
    return t.toISOString().slice(0, 10);
  };
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Rooster als kalender">
      <table class="utrecht-table traject-kalender">
        <caption class="utrecht-table__caption">
          Rooster: per week de dagen van het traject (vandaag is ${dutchDay(today)})
        </caption>
        <thead class="utrecht-table__header">
          <tr class="utrecht-table__row">
            <th class="utrecht-table__header-cell" scope="col">Week</th>
            ${columns.map((d) => html`<th class="utrecht-table__header-cell" scope="col">${capital(d)}</th>`)}
          </tr>
        </thead>
        <tbody class="utrecht-table__body">
          ${schedule.weeks.map((w) => {
            const monday = w.days[0] ? mondayOf(w.days[0].date) : undefined;
            return html`<tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="row">
                Week ${w.week}${monday ? html`<br /><span class="muted">vanaf ${dutchDay(monday)}</span>` : ''}
              </th>
              ${columns.map((_, i) => {
                const days = w.days.filter((d) => isoWeekday(d.date) === i + 1);
                if (days.length === 0) return html`<td class="utrecht-table__cell"></td>`;
                return html`<td class="utrecht-table__cell">
                  ${days.map(
                    (d) =>
                      html`<span class="dag dag--${d.status}${d.date === today ? ' dag--vandaag' : ''}"
                        ><span class="muted">${dutchDay(d.date).replace(/ \d{4}$/, '')}</span> ${KIND_NL[d.kind]}:
                        ${dayWords(d)}${d.date === today ? ' (vandaag)' : ''}</span
                      >`,
                  )}
                </td>`;
              })}
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
    <h3 class="utrecht-heading-3 utrecht-heading-3--distanced">Legenda</h3>
    <dl class="utrecht-data-list utrecht-data-list--rows">
      ${LEGEND.map(
        ([k, v]) =>
          html`<div class="utrecht-data-list__item">
            <dt class="utrecht-data-list__item-key">${k}</dt>
            <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd">${v}</dd>
          </div>`,
      )}
    </dl>`;
}

/** One event in words (what a coordinator needs: the type, the date, the key facts of a change). */
function eventWords(e: Trajectory['events'][number], employers: Map<string, string>): string {
  const d = e.data as Record<string, unknown>;
  const words = EVENT_NL[e.type];
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  switch (e.type) {
    case 'paused':
      return `${words} vanaf ${str('from') ? dutchDay(str('from')!) : '?'}${str('reason') ? `: ${str('reason')}` : ''}`;
    case 'resumed':
      return `${words} vanaf ${str('date') ? dutchDay(str('date')!) : '?'}`;
    case 'extended':
      return `${words} met ${String(d.weeks ?? '?')} weken${str('reason') ? `: ${str('reason')}` : ''}`;
    case 'employer_changed': {
      const id = str('employerId');
      return `${words}: ${id ? (employers.get(id) ?? id) : '?'} vanaf ${str('from') ? dutchDay(str('from')!) : '?'}`;
    }
    case 'dropped_out': {
      const reason = str('reason') ? ` (${wordFor(DROPOUT_REASON_NL, str('reason')!)})` : '';
      return `${words}${reason}${str('text') ? `: ${str('text')}` : ''}`;
    }
    case 'dropout_reverted':
      return `${words}${str('reason') ? `: ${str('reason')}` : ''}`;
    case 'attendance_recorded':
    case 'attendance_corrected': {
      const entries = Array.isArray(d.entries) ? d.entries.length : undefined;
      return entries ? `${words} (${entries} ${entries === 1 ? 'dag' : 'dagen'})` : words;
    }
    default:
      return words;
  }
}

// --- the changes ------------------------------------------------------------------------------------------------

type FormType = 'pause' | 'resume' | 'extension' | 'employer_change' | 'dropout' | 'dropout_revert';
const FORM_TYPES: readonly FormType[] = [
  'pause',
  'resume',
  'extension',
  'employer_change',
  'dropout',
  'dropout_revert',
];
const isFormType = (t: string): t is FormType => (FORM_TYPES as readonly string[]).includes(t);

interface ChangeState {
  type: FormType;
  values: Record<string, string>;
  errors: Record<string, string>;
}

type FieldSpec =
  | { name: string; label: string; kind: 'date' | 'text' | 'number'; description?: string; max?: number }
  | { name: string; label: string; kind: 'select'; options: { value: string; label: string }[]; description?: string };

const SPECS: Record<FormType, { heading: string; rule: string; button: string }> = {
  pause: {
    heading: 'Pauzeren',
    rule:
      'Een pauze gaat in op een dag na de start (en na een eerdere pauze), hoogstens 31 dagen vooruit, en alleen bij ' +
      'een lopend traject dat niet ziekgemeld is. Tijdens de pauze zijn er geen stage- en ROC-dagen; de einddatum ' +
      'schuift op met de gepauzeerde werkdagen.',
    button: 'Pauze vastleggen',
  },
  resume: {
    heading: 'Hervatten',
    rule: 'De eerste dag terug ligt na het begin van de pauze. De einddatum schuift op met de gepauzeerde werkdagen.',
    button: 'Hervatten vastleggen',
  },
  extension: {
    heading: 'Verlengen',
    rule: 'Verleng met 1 tot 20 weken, met een reden. De einddatum schuift op met dat aantal weken.',
    button: 'Verlenging vastleggen',
  },
  employer_change: {
    heading: 'Andere werkgever',
    rule:
      'De nieuwe plaatsing gaat in op een dag op of na het begin van de huidige, bij een andere werkgever. Vanaf die ' +
      'dag registreert de nieuwe werkgever de stagedagen en ziet die het traject; de vorige niet meer.',
    button: 'Werkgever wijzigen',
  },
  dropout: {
    heading: 'Uitstroom (voortijdig stoppen)',
    rule:
      'Het traject stopt vandaag. Kies de reden en licht die toe. Binnen 14 dagen kan de uitstroom worden ' +
      'teruggedraaid.',
    button: 'Uitstroom vastleggen',
  },
  dropout_revert: {
    heading: 'Uitstroom terugdraaien',
    rule: 'Binnen 14 dagen na de uitstroom, met een reden. Het traject loopt daarna verder waar het was.',
    button: 'Uitstroom terugdraaien',
  },
};

function fieldsOf(type: FormType, employers: { id: string; name: string }[], current: string): FieldSpec[] {
  switch (type) {
    case 'pause':
      return [
        { name: 'from', label: 'Eerste dag van de pauze', kind: 'date' },
        { name: 'reason', label: 'Reden van de pauze', kind: 'text', max: 500 },
      ];
    case 'resume':
      return [{ name: 'date', label: 'Eerste dag terug', kind: 'date' }];
    case 'extension':
      return [
        { name: 'weeks', label: 'Aantal weken (1 tot 20)', kind: 'number' },
        { name: 'reason', label: 'Reden van de verlenging', kind: 'text', max: 500 },
      ];
    case 'employer_change':
      return [
        {
          name: 'employerId',
          label: 'Nieuwe werkgever',
          kind: 'select',
          options: [
            { value: '', label: 'Kies een werkgever' },
            ...employers.filter((e) => e.id !== current).map((e) => ({ value: e.id, label: e.name })),
          ],
        },
        { name: 'from', label: 'Eerste dag bij de nieuwe werkgever', kind: 'date' },
      ];
    case 'dropout':
      return [
        {
          name: 'reason',
          label: 'Reden',
          kind: 'select',
          options: [
            { value: '', label: 'Kies een reden' },
            ...DROPOUT_REASONS.map((r) => ({ value: r, label: DROPOUT_REASON_NL[r] })),
          ],
        },
        { name: 'text', label: 'Toelichting', kind: 'text', max: 1000 },
      ];
    case 'dropout_revert':
      return [{ name: 'reason', label: 'Reden van het terugdraaien', kind: 'text', max: 500 }];
  }
}

/** The changes that fit the trajectory as it stands (the workflow decides in the end). */
function applicable(t: Trajectory): FormType[] {
  switch (t.live.status) {
    case 'active':
      return ['pause', 'extension', 'employer_change', 'dropout'];
    case 'paused':
      return ['resume', 'extension', 'dropout'];
    case 'planned':
      return ['employer_change', 'dropout'];
    case 'awaiting_bbl':
      return ['dropout'];
    case 'dropped_out':
      return ['dropout_revert'];
    default:
      return [];
  }
}

function changeForm(
  reply: FastifyReply,
  t: Trajectory,
  type: FormType,
  state: ChangeState | undefined,
  employers: { id: string; name: string }[],
): Html {
  const spec = SPECS[type];
  const mine = state?.type === type;
  const v = mine ? state.values : {};
  const e = mine ? state.errors : {};
  const prefix = type.replaceAll('_', '-');
  return html`<section aria-labelledby="${prefix}-kop">
    <h3 class="utrecht-heading-3 utrecht-heading-3--distanced" id="${prefix}-kop">${spec.heading}</h3>
    <p class="utrecht-paragraph" id="${prefix}-regel">${spec.rule}</p>
    <form
      method="post"
      action="${trajectoryPath(t.id)}/wijzigingen"
      class="traject-wijziging"
      novalidate
      aria-describedby="${prefix}-regel"
    >
      <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
      <input type="hidden" name="formKey" value="${randomUUID()}" />
      <input type="hidden" name="type" value="${type}" />
      ${e.form ? html`<p class="utrecht-form-field-error-message" role="alert">${e.form}</p>` : ''}
      ${fieldsOf(type, employers, t.live.employerId).map((f) => {
        const id = `${prefix}-${f.name}`;
        return formField({
          id,
          label: f.label,
          description: f.description,
          error: e[f.name],
          control: (aria) =>
            f.kind === 'select'
              ? html`<select class="utrecht-select utrecht-select--html-select" id="${id}" name="${f.name}" ${aria}>
                  ${f.options.map(
                    (o) =>
                      html`<option value="${o.value}" ${v[f.name] === o.value ? 'selected' : ''}>${o.label}</option>`,
                  )}
                </select>`
              : html`<input
                  class="utrecht-textbox utrecht-textbox--html-input"
                  id="${id}"
                  name="${f.name}"
                  type="${f.kind}"
                  ${f.kind === 'number' ? html`min="1" max="20" inputmode="numeric"` : ''}
                  ${f.kind === 'text' && f.max ? html`maxlength="${f.max}"` : ''}
                  value="${v[f.name] ?? ''}"
                  ${aria}
                />`,
        });
      })}
      <button type="submit" class="utrecht-button utrecht-button--primary-action">${spec.button}</button>
    </form>
  </section>`;
}

/** Reads a change form: the change to send, or what is wrong with it per field (nothing is sent then). */
function readChange(
  type: FormType,
  body: Record<string, string>,
  employers: { id: string; name: string }[],
): { change?: Change; state: ChangeState } {
  const fields = fieldsOf(type, employers, '');
  const values: Record<string, string> = Object.fromEntries(fields.map((f) => [f.name, String(body[f.name] ?? '')]));
  const errors: Record<string, string> = {};
  const date = (name: string) => {
    const d = readDate(values[name]);
    if (!d) errors[name] = 'Vul een bestaande datum in, zoals 30-11-2026.';
    return d ?? '';
  };
  const text = (name: string, max: number, what: string) => {
    const r = readText(values[name], { max, required: true, what });
    if (r.error) errors[name] = r.error;
    return r.text ?? '';
  };
  let change: Change | undefined;
  switch (type) {
    case 'pause':
      change = { type, from: date('from'), reason: text('reason', 500, 'de reden') };
      break;
    case 'resume':
      change = { type, date: date('date') };
      break;
    case 'extension': {
      const weeks = Number(values.weeks);
      if (!/^\d+$/.test(values.weeks!.trim()) || weeks < 1 || weeks > 20)
        errors.weeks = 'Vul een aantal weken in van 1 tot en met 20.';
      change = { type, weeks, reason: text('reason', 500, 'de reden') };
      break;
    }
    case 'employer_change': {
      if (!employers.some((e) => e.id === values.employerId)) errors.employerId = 'Kies de nieuwe werkgever.';
      change = { type, employerId: values.employerId!, from: date('from') };
      break;
    }
    case 'dropout': {
      const reason = values.reason as DropoutReason;
      if (!(DROPOUT_REASONS as readonly string[]).includes(reason)) errors.reason = 'Kies de reden van de uitstroom.';
      change = { type, reason, text: text('text', 1000, 'de toelichting') };
      break;
    }
    case 'dropout_revert':
      change = { type, reason: text('reason', 500, 'de reden') };
      break;
  }
  const state = { type, values, errors };
  return Object.keys(errors).length ? { state } : { change, state };
}

function done(change: Change, endDate: string): string {
  switch (change.type) {
    case 'pause':
      return `De pauze is vastgelegd vanaf ${dutchDay(change.from)}. De einddatum is nu ${dutchDay(endDate)}.`;
    case 'resume':
      return `Het traject loopt weer vanaf ${dutchDay(change.date)}. De einddatum is nu ${dutchDay(endDate)}.`;
    case 'extension':
      return `Het traject is verlengd met ${change.weeks} weken. De einddatum is nu ${dutchDay(endDate)}.`;
    case 'employer_change':
      return `De nieuwe werkgever is vastgelegd vanaf ${dutchDay(change.from)}.`;
    case 'dropout':
      return 'De uitstroom is vastgelegd. Binnen 14 dagen kunt u hem nog terugdraaien.';
    case 'dropout_revert':
      return `De uitstroom is teruggedraaid. Het traject loopt tot en met ${dutchDay(endDate)}.`;
    default:
      return 'De wijziging is vastgelegd.';
  }
}

function trajectoryPage(
  request: FastifyRequest,
  reply: FastifyReply,
  t: Trajectory,
  schedule: Schedule,
  employers: { id: string; name: string }[],
  o: { notice?: Notice; state?: ChangeState } = {},
): Html {
  const live = t.live;
  const names = new Map(employers.map((e) => [e.id, e.name]));
  const fitting = applicable(t);
  // A refused form stays on the page with its message, even when it no longer fits.
  const forms = o.state && !fitting.includes(o.state.type) ? [...fitting, o.state.type] : fitting;
  return personPage(
    request,
    reply,
    { title: `${t.name} (${t.reference})`, notice: o.notice },
    html`<p class="utrecht-paragraph"><a class="utrecht-link" href="/sturing">Terug naar sturing</a></p>
      <dl class="utrecht-data-list utrecht-data-list--rows">
        ${(
          [
            ['Status', capital(STATUS_NL[live.status])],
            ['Week', live.week === 0 ? 'nog niet begonnen' : `${live.week} van ${live.weeks}`],
            ['Periode', `${dutchDay(live.startDate)} tot en met ${dutchDay(live.endDate)}`],
            ['Werkgever', names.get(live.employerId) ?? live.employerId],
            ['Jobcoach', t.jobcoach ? t.jobcoach.name : 'geen'],
          ] as [string, string][]
        ).map(
          ([k, v]) =>
            html`<div class="utrecht-data-list__item">
              <dt class="utrecht-data-list__item-key">${k}</dt>
              <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd">${v}</dd>
            </div>`,
        )}
      </dl>
      ${
        t.events.some((e) => e.type === 'bbl_confirmed' && (e.data as { contractStartDate?: string }).contractStartDate)
          ? html`<p class="utrecht-paragraph">
              <a class="utrecht-link" href="${pokPath(t.id)}">Praktijkovereenkomst</a> van de BBL-plaats.
            </p>`
          : ''
      }

      <h2 class="utrecht-heading-2 utrecht-heading-2--distanced">Signalen</h2>
      ${
        live.risks.length
          ? html`<ul class="utrecht-unordered-list">
              ${live.risks.map((r) => html`<li>${capital(riskInDutch(r))}</li>`)}
            </ul>`
          : html`<p class="utrecht-paragraph">Geen risicosignalen.</p>`
      }

      <h2 class="utrecht-heading-2 utrecht-heading-2--distanced">Rooster</h2>
      ${calendar(schedule, live.today)}

      <h2 class="utrecht-heading-2 utrecht-heading-2--distanced">Wijzigingen</h2>
      <p class="utrecht-paragraph">
        Een ziekmelding of hersteldmelding geeft u door op
        <a class="utrecht-link" href="/trajecten/${encodeURIComponent(t.id)}">de pagina van de deelnemer</a>, waar ook
        de jobcoach dat doet.
      </p>
      ${
        forms.length
          ? forms.map((f) => changeForm(reply, t, f, o.state, employers))
          : html`<p class="utrecht-paragraph">
              Een traject dat ${STATUS_NL[live.status]} is, kan niet meer worden gewijzigd.
            </p>`
      }

      <h2 class="utrecht-heading-2 utrecht-heading-2--distanced">Gebeurtenissen</h2>
      ${
        t.events.length
          ? html`<ol class="utrecht-ordered-list">
              ${[...t.events].reverse().map((e) => html`<li>${dutchDay(e.date)}: ${eventWords(e, names)}</li>`)}
            </ol>`
          : html`<p class="utrecht-paragraph">Nog niets gebeurd.</p>`
      }`,
  );
}

export async function trajectoryPageRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const viewerOf = (request: FastifyRequest) => ({ role: request.principal.role, scope: request.scope });
  const employersOf = async (request: FastifyRequest) =>
    (await pageOrganisations(deps, request.principal, { kind: 'employer', limit: 200, offset: 0 })).items
      .map((o) => ({ id: o.id, name: o.name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  const load = (request: FastifyRequest, id: string) =>
    Promise.all([
      getTrajectory(deps, id, viewerOf(request)),
      getSchedule(deps, id, viewerOf(request)),
      employersOf(request),
    ]);

  app.get<{ Params: Params }>(
    '/sturing/trajecten/:id',
    { schema: { hide: true }, config: { access: { roles: COORDINATION, resource: 'trajectory', audit: 'read' } } },
    async (request, reply) => {
      const [t, schedule, employers] = await load(request, request.params.id);
      return sendPage(reply, trajectoryPage(request, reply, t, schedule, employers));
    },
  );

  app.post<{ Params: Params; Body: Record<string, string> }>(
    '/sturing/trajecten/:id/wijzigingen',
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      config: {
        access: { roles: COORDINATION, resource: 'trajectory', audit: 'change', body: changeLimits },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const form = request.body ?? {};
      const type = String(form.type ?? '');
      if (!isFormType(type)) throw new DomainError(404, 'not-found', 'Not Found', 'no such change form');
      const employers = await employersOf(request);
      const { change, state } = readChange(type, form, employers);
      let notice: Notice | undefined;
      if (change) {
        try {
          const outcome = await idempotent(
            deps.db,
            {
              scope: `${request.principal.actor}|web|change|${id}`,
              key: String(form.formKey ?? randomUUID()),
              body: change,
            },
            async (updateId) => ({
              statusCode: 200,
              body: await recordOn(deps, id, changeUpdate, change, updateId, request.principal),
            }),
          );
          notice = { kind: 'ok', text: done(change, outcome.body.endDate) };
        } catch (e) {
          if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404 || e.status === 403) throw e;
          const { field, text } = refusalOf(e);
          state.errors[field && field in state.values ? field : 'form'] = text;
        }
      }
      const [t, schedule] = await Promise.all([
        getTrajectory(deps, id, viewerOf(request)),
        getSchedule(deps, id, viewerOf(request)),
      ]);
      const failed = Object.keys(state.errors).length > 0;
      return sendPage(
        reply,
        trajectoryPage(request, reply, t, schedule, employers, {
          notice: failed
            ? { kind: 'error', text: 'Niets vastgelegd. Zie de melding bij het formulier hieronder.' }
            : notice,
          state: failed ? state : undefined,
        }),
        failed ? 422 : 200,
      );
    },
  );
}
