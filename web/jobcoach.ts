// The jobcoach's pages: "Mijn deelnemers" (the participants assigned to the jobcoach, each with its week, what
// is open or overdue, and its risk signals with their reasons), and a participant's page (the coming weeks,
// open items and signals, pauses and sick leaves, and the changes a jobcoach may make: pause, resume, sick leave
// and recovery). A change goes through the API's own service and workflow update (recordOn with changeUpdate),
// under the same policy as POST /v1/trajectories/{id}/changes, so the workflow's refusals come back; they are
// shown next to the field in Dutch (web/refusals.ts). A repeated submission records nothing twice.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changeLimits, noteAudit, type Access } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { idempotent } from '../api/idempotency';
import { jobcoachParticipants, type JobcoachParticipant } from '../api/services/jobcoach';
import { getSchedule, getTrajectory, recordOn } from '../api/services/trajectories';
import type { Schedule, Trajectory } from '../api/schemas/trajectory';
import { addDays, isoWeekday } from '../domain/calendar';
import { JOBCOACH_CHANGES, type Change, type ChangeType } from '../domain/changes';
import { riskInDutch, type RiskSignal } from '../domain/risks';
import { isFinal } from '../domain/statuses';
import { changeUpdate } from '../workflows/trajectory';
import { formField, readDate, readText } from './form-field';
import { html, page, type Html } from './html';
import { ABSENCE_NL, DAY_STATUS_NL, dutchDay, STATUS_NL } from '../domain/dutch';
import { wordFor } from '../domain/outcome-words';
import { refusalOf } from './refusals';
import { taskOf, taskPath } from './tasks';
import { csrfOf } from './form-parts';

type Params = { id: string };
type Notice = { kind: 'ok' | 'error' | 'info'; text: Html | string };

/** The roles that may make a change on the page (the API's POST /v1/trajectories/{id}/changes). */
const CHANGERS = ['admin', 'coordinator', 'jobcoach'] as const;
/** How many weeks ahead the participant's page shows the schedule, this week included. */
const WEEKS_SHOWN = 4;

const DAY_KIND: Record<'placement' | 'school', string> = { placement: 'stagedag', school: 'ROC-dag' };
const WEEKDAY = ['zondag', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag'];
const SHORT_WEEKDAY = ['zo', 'ma', 'di', 'wo', 'do', 'vr', 'za'];
const SHORT_MONTH = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];
/** 2026-11-16 as "ma 16 nov". */
const shortDay = (date: string) => {
  const [, m, d] = date.split('-').map(Number);
  return `${SHORT_WEEKDAY[isoWeekday(date) % 7]} ${d} ${SHORT_MONTH[m! - 1]}`;
};
const dayName = (date: string) => `${WEEKDAY[isoWeekday(date) % 7]} ${dutchDay(date)}`;

const send = (reply: FastifyReply, body: Html, code = 200) =>
  reply.code(code).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body.text);

const personOf = (request: FastifyRequest, reply: FastifyReply) => ({
  name: request.person!.name,
  organisation: request.person!.organisationName,
  csrf: csrfOf(reply),
});

const checkpointLink = (trajectoryId: string, key: string) => taskPath(taskOf.checkpoint(trajectoryId, key));

// --- Mijn deelnemers ------------------------------------------------------------------------------------------

function openItems(p: JobcoachParticipant): Html {
  const live = p.live;
  if (!live)
    return html`<p class="utrecht-paragraph">
      ${isFinal(p.status) ? `Het traject is ${STATUS_NL[p.status]}.` : 'Nog geen gegevens: het traject start nog.'}
    </p>`;
  const items: Html[] = [];
  for (const c of live.open.overdueCheckpoints)
    items.push(
      html`<li>
        <strong>Te laat:</strong>
        <a class="utrecht-link" href="${checkpointLink(p.trajectoryId, c.key) ?? ''}">${c.name}</a>, uiterlijk
        ${dutchDay(c.weekEnd)}
      </li>`,
    );
  for (const c of live.open.checkpoints)
    items.push(
      html`<li>
        Deze week: <a class="utrecht-link" href="${checkpointLink(p.trajectoryId, c.key) ?? ''}">${c.name}</a>,
        uiterlijk ${dutchDay(c.weekEnd)}
      </li>`,
    );
  if (live.open.attendance.length)
    items.push(
      html`<li>
        ${live.open.attendance.length} ${live.open.attendance.length === 1 ? 'dag' : 'dagen'} nog niet geregistreerd
        (oudste: ${dutchDay(live.open.attendance[0]!.date)})
      </li>`,
    );
  const sick = live.sickLeaves.find((l) => !l.to);
  const paused = live.pauses.find((x) => !x.to);
  if (sick) items.push(html`<li>Ziekgemeld sinds ${dutchDay(sick.from)}</li>`);
  if (paused) items.push(html`<li>Gepauzeerd sinds ${dutchDay(paused.from)}</li>`);
  return items.length
    ? html`<ul class="utrecht-unordered-list">
        ${items}
      </ul>`
    : html`<p class="utrecht-paragraph">Niets open.</p>`;
}

function risks(list: RiskSignal[]): Html {
  return list.length
    ? html`<ul class="utrecht-unordered-list">
        ${list.map((r) => html`<li>${capital(riskInDutch(r))}</li>`)}
      </ul>`
    : html`<p class="utrecht-paragraph">Geen signalen.</p>`;
}

const weekLine = (p: JobcoachParticipant) =>
  !p.live
    ? ''
    : html`<p class="utrecht-paragraph">
        ${p.live.week === 0 ? 'Nog niet begonnen' : `Week ${p.live.week} van ${p.live.weeks}`}
      </p>`;

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function listPage(request: FastifyRequest, reply: FastifyReply, participants: JobcoachParticipant[]): Html {
  return page(
    { title: 'Mijn deelnemers', person: personOf(request, reply) },
    participants.length === 0
      ? html`<p class="utrecht-paragraph">Er zijn (nog) geen deelnemers aan u toegewezen.</p>`
      : html`<p class="utrecht-paragraph">
            De deelnemers die u begeleidt, met wat er open staat en de signalen. Wie het meest aandacht vraagt, staat
            bovenaan.
          </p>
          ${participants.map(
            (p, i) =>
              html`<section aria-labelledby="deelnemer-${i}">
                <h2 class="utrecht-heading-2 utrecht-heading-2--distanced" id="deelnemer-${i}">
                  <a class="utrecht-link" href="/trajecten/${encodeURIComponent(p.trajectoryId)}">${p.name}</a>
                  (${p.reference})
                </h2>
                ${weekLine(p)}
                <h3 class="utrecht-heading-3 utrecht-heading-3--distanced">Open en te laat</h3>
                ${openItems(p)}
                <h3 class="utrecht-heading-3 utrecht-heading-3--distanced">Signalen</h3>
                ${risks(p.live?.risks ?? [])}
              </section>`,
          )}`,
  );
}

// --- the participant's page -----------------------------------------------------------------------------------

/** What the person typed in one change form, and what is wrong with it (per field, or the form as a whole). */
interface ChangeForm {
  type: FormChange;
  values: Record<string, string>;
  errors: Record<string, string>;
}

/** The changes the page has a form for: those a jobcoach may make (domain/changes.ts JOBCOACH_CHANGES). */
type FormChange = Extract<ChangeType, 'pause' | 'resume' | 'sick_leave' | 'recovery'>;
type FormChangeBody = Extract<Change, { type: FormChange }>;
const hasForm = (type: string): type is FormChange =>
  (JOBCOACH_CHANGES as readonly string[]).includes(type) && Object.hasOwn(CHANGE_FORMS, type);

/** Each change a jobcoach makes: its heading, its rule in one Dutch sentence, its fields, its button. */
const CHANGE_FORMS: Record<
  FormChange,
  {
    heading: string;
    rule: string;
    date: { name: 'from' | 'date'; label: string };
    reason?: { label: string; required: boolean; description?: string };
    button: string;
    done: (date: string, endDate: string) => string;
  }
> = {
  pause: {
    heading: 'Pauzeren',
    rule:
      'Een pauze gaat in op een dag na de start (en na een eerdere pauze), hoogstens 31 dagen vooruit; tijdens de ' +
      'pauze zijn er geen stage- en ROC-dagen, en de einddatum schuift op met de gepauzeerde werkdagen.',
    date: { name: 'from', label: 'Eerste dag van de pauze' },
    reason: {
      label: 'Reden van de pauze',
      required: true,
      description: 'Alleen de coördinator en u lezen de reden.',
    },
    button: 'Pauze vastleggen',
    done: (d, end) => `De pauze is vastgelegd vanaf ${dutchDay(d)}. De einddatum is nu ${dutchDay(end)}.`,
  },
  resume: {
    heading: 'Hervatten',
    rule:
      'Vul de eerste dag terug in; die ligt na het begin van de pauze, en de einddatum schuift op met de ' +
      'gepauzeerde werkdagen.',
    date: { name: 'date', label: 'Eerste dag terug' },
    button: 'Hervatten vastleggen',
    done: (d, end) => `Het traject loopt weer vanaf ${dutchDay(d)}. De einddatum is nu ${dutchDay(end)}.`,
  },
  sick_leave: {
    heading: 'Ziekmelden',
    rule:
      'Een ziekmelding gaat in op vandaag of een dag tot 31 dagen terug; de stagedagen vervallen tot de ' +
      'hersteldmelding, en de ROC-dagen en de einddatum volgen de regels van het programma.',
    date: { name: 'from', label: 'Eerste ziektedag' },
    reason: {
      label: 'Reden (niet verplicht)',
      required: false,
      description:
        'Dit is een gezondheidsgegeven. Alleen u als jobcoach en de coördinator van het programmabureau zien het; ' +
        'de werkgever en het ROC niet, en het staat nooit in een e-mail of een cijfer.',
    },
    button: 'Ziekmelding vastleggen',
    done: (d) => `De ziekmelding is vastgelegd vanaf ${dutchDay(d)}. De stagedagen vervallen tot het herstel.`,
  },
  recovery: {
    heading: 'Hersteld melden',
    rule:
      'Vul de eerste dag terug in; die ligt na de eerste ziektedag, en vanaf die dag zijn de stagedagen weer ' +
      'gepland.',
    date: { name: 'date', label: 'Eerste dag terug' },
    button: 'Herstel vastleggen',
    done: (d, end) => `Het herstel is vastgelegd: terug vanaf ${dutchDay(d)}. De einddatum is nu ${dutchDay(end)}.`,
  },
};

/** Which changes fit the trajectory as it stands (the workflow decides in the end). */
function applicable(t: Trajectory): FormChange[] {
  const sick = t.live.sickLeaves.some((l) => !l.to);
  switch (t.live.status) {
    case 'active':
      return sick ? ['recovery'] : ['pause', 'sick_leave'];
    case 'paused':
      return ['resume'];
    case 'awaiting_bbl':
      return sick ? ['recovery'] : [];
    default:
      return [];
  }
}

function changeForm(reply: FastifyReply, id: string, type: FormChange, state: ChangeForm | undefined): Html {
  const spec = CHANGE_FORMS[type];
  const v = state?.type === type ? state.values : {};
  const e = state?.type === type ? state.errors : {};
  const prefix = type.replace('_', '-');
  return html`<section aria-labelledby="${prefix}-kop">
    <h3 class="utrecht-heading-3 utrecht-heading-3--distanced" id="${prefix}-kop">${spec.heading}</h3>
    <p class="utrecht-paragraph">${spec.rule}</p>
    <form method="post" action="/trajecten/${encodeURIComponent(id)}/wijzigingen" novalidate>
      <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
      <input type="hidden" name="formKey" value="${randomUUID()}" />
      <input type="hidden" name="type" value="${type}" />
      ${e.form ? html`<p class="utrecht-form-field-error-message" id="${prefix}-fout">${e.form}</p>` : ''}
      ${formField({
        id: `${prefix}-${spec.date.name}`,
        label: spec.date.label,
        error: e[spec.date.name],
        control: (aria) =>
          html`<input
            class="utrecht-textbox utrecht-textbox--html-input"
            id="${prefix}-${spec.date.name}"
            name="${spec.date.name}"
            type="date"
            required
            value="${v[spec.date.name] ?? ''}"
            ${aria}
          />`,
      })}
      ${
        spec.reason
          ? formField({
              id: `${prefix}-reason`,
              label: spec.reason.label,
              description: spec.reason.description,
              error: e.reason,
              control: (aria) =>
                html`<input
                  class="utrecht-textbox utrecht-textbox--html-input"
                  id="${prefix}-reason"
                  name="reason"
                  type="text"
                  maxlength="500"
                  ${spec.reason!.required ? html`required` : ''}
                  value="${v.reason ?? ''}"
                  ${aria}
                />`,
            })
          : ''
      }
      <button type="submit" class="utrecht-button utrecht-button--primary-action">${spec.button}</button>
    </form>
  </section>`;
}

function dayStatus(d: Schedule['weeks'][number]['days'][number]): string {
  const words = DAY_STATUS_NL[d.status];
  if (d.status === 'absent') return `${words} (${d.reason ? wordFor(ABSENCE_NL, d.reason) : 'reden onbekend'})`;
  if (d.status === 'not_planned' && d.reason) return `${words} (${d.reason})`;
  return words;
}

function scheduleTables(schedule: Schedule, on: string): Html {
  const monday = addDays(on, 1 - isoWeekday(on));
  const weeks = schedule.weeks.filter((w) => w.days.some((d) => d.date >= monday)).slice(0, WEEKS_SHOWN);
  if (weeks.length === 0) return html`<p class="utrecht-paragraph">Er zijn geen weken meer gepland.</p>`;
  return html`${weeks.map(
    (w) =>
      html`<div class="table-scroll">
        <table class="utrecht-table">
          <caption class="utrecht-table__caption">
            Week ${w.week}${w.days[0] ? `, vanaf ${dayName(w.days[0].date)}` : ''}
          </caption>
          <thead class="utrecht-table__header">
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="col">Dag</th>
              <th class="utrecht-table__header-cell" scope="col">Soort</th>
              <th class="utrecht-table__header-cell" scope="col">Stand</th>
            </tr>
          </thead>
          <tbody class="utrecht-table__body">
            ${w.days.map(
              (d) =>
                html`<tr class="utrecht-table__row">
                  <th class="utrecht-table__header-cell" scope="row">${dayName(d.date)}</th>
                  <td class="utrecht-table__cell">${DAY_KIND[d.kind]}</td>
                  <td class="utrecht-table__cell">${dayStatus(d)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`,
  )}`;
}

function interruptions(t: Trajectory): Html {
  const rows = [
    ...t.live.pauses.map((p) => ({ kind: 'Pauze', from: p.from, to: p.to, reason: p.reason })),
    ...t.live.sickLeaves.map((l) => ({ kind: 'Ziekmelding', from: l.from, to: l.to, reason: l.reason ?? '' })),
  ].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  if (rows.length === 0) return html`<p class="utrecht-paragraph">Geen pauzes of ziekmeldingen.</p>`;
  return html`<div class="table-scroll">
      <table class="utrecht-table">
        <thead class="utrecht-table__header">
          <tr class="utrecht-table__row">
            <th class="utrecht-table__header-cell" scope="col">Soort</th>
            <th class="utrecht-table__header-cell" scope="col">Vanaf</th>
            <th class="utrecht-table__header-cell" scope="col">Eerste dag terug</th>
            <th class="utrecht-table__header-cell" scope="col">Reden</th>
          </tr>
        </thead>
        <tbody class="utrecht-table__body">
          ${rows.map(
            (r) =>
              html`<tr class="utrecht-table__row">
                <td class="utrecht-table__cell">${r.kind}</td>
                <td class="utrecht-table__cell">${dutchDay(r.from)}</td>
                <td class="utrecht-table__cell">${r.to ? dutchDay(r.to) : 'nog niet'}</td>
                <td class="utrecht-table__cell">${r.reason || '–'}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <p class="utrecht-paragraph">
      De reden van een ziekmelding is een gezondheidsgegeven: alleen de jobcoach en de coördinator zien hem.
    </p>`;
}

function participantPage(
  request: FastifyRequest,
  reply: FastifyReply,
  t: Trajectory,
  schedule: Schedule,
  o: { notice?: Notice; form?: ChangeForm } = {},
): Html {
  const live = t.live;
  const mayChange = (CHANGERS as readonly string[]).includes(request.principal.role);
  const fitting = mayChange ? applicable(t) : [];
  // A form that was refused stays on the page with its message, even when it no longer fits.
  const changes = o.form && !fitting.includes(o.form.type) ? [...fitting, o.form.type] : fitting;
  const due = [
    ...live.open.overdueCheckpoints.map((c) => ({ ...c, late: true })),
    ...live.open.checkpoints.map((c) => ({ ...c, late: false })),
  ];
  return page(
    { title: `${t.name} (${t.reference})`, person: personOf(request, reply), notice: o.notice },
    html`${
        request.principal.role === 'jobcoach'
          ? html`<p class="utrecht-paragraph">
              <a class="utrecht-link" href="/deelnemers">Terug naar mijn deelnemers</a>
            </p>`
          : ''
      }
      <p class="utrecht-paragraph">
        ${live.week === 0 ? 'Nog niet begonnen' : `Week ${live.week} van ${live.weeks}`}; het traject is
        ${STATUS_NL[live.status]} en loopt tot en met ${dutchDay(live.endDate)}.
      </p>

      <h2 class="utrecht-heading-2 utrecht-heading-2--distanced">Open punten</h2>
      ${
        due.length || live.open.attendance.length || live.open.bbl.length
          ? html`<ul class="utrecht-unordered-list">
              ${due.map(
                (c) =>
                  html`<li>
                    ${c.late ? html`<strong>Te laat:</strong> ` : 'Deze week: '}
                    ${
                      mayChange
                        ? html`<a class="utrecht-link" href="${checkpointLink(t.id, c.key) ?? ''}">${c.name}</a>`
                        : c.name
                    },
                    uiterlijk ${dutchDay(c.weekEnd)}
                  </li>`,
              )}
              ${
                live.open.attendance.length
                  ? html`<li>
                      Nog niet geregistreerd door werkgever of ROC:
                      ${live.open.attendance.map((d) => `${shortDay(d.date)} (${DAY_KIND[d.kind]})`).join(', ')}
                    </li>`
                  : ''
              }
              ${
                live.open.bbl.includes('employer_contract')
                  ? html`<li>De BBL-arbeidsovereenkomst is nog niet bevestigd door de werkgever</li>`
                  : ''
              }
              ${
                live.open.bbl.includes('school_enrolment')
                  ? html`<li>De BBL-inschrijving is nog niet bevestigd door het ROC</li>`
                  : ''
              }
            </ul>`
          : html`<p class="utrecht-paragraph">Niets open.</p>`
      }

      <h2 class="utrecht-heading-2 utrecht-heading-2--distanced">Signalen</h2>
      ${risks(live.risks)}

      <h2 class="utrecht-heading-2 utrecht-heading-2--distanced">Rooster van de komende weken</h2>
      ${scheduleTables(schedule, live.today)}

      <h2 class="utrecht-heading-2 utrecht-heading-2--distanced">Pauzes en ziekmeldingen</h2>
      ${interruptions(t)}
      ${
        mayChange
          ? html`<h2 class="utrecht-heading-2 utrecht-heading-2--distanced">Wijzigingen doorgeven</h2>
              ${
                changes.length
                  ? changes.map((c) => changeForm(reply, t.id, c, o.form))
                  : html`<p class="utrecht-paragraph">
                      Bij een traject dat ${STATUS_NL[live.status]} is, kunt u geen pauze of ziekmelding doorgeven.
                    </p>`
              }`
          : ''
      }`,
  );
}

/** Reads one change form: the change to send, or what is wrong with it (nothing is sent then). */
function readChange(body: Record<string, string>): { change?: FormChangeBody; form: ChangeForm } | undefined {
  const type = String(body.type ?? '');
  if (!hasForm(type)) return undefined;
  const spec = CHANGE_FORMS[type];
  const values: Record<string, string> = { [spec.date.name]: String(body[spec.date.name] ?? '') };
  const errors: Record<string, string> = {};
  const date = readDate(values[spec.date.name]);
  if (!date) errors[spec.date.name] = 'Vul een datum in, zoals 30-11-2026.';
  let reason: string | undefined;
  if (spec.reason) {
    values.reason = String(body.reason ?? '');
    const r = readText(values.reason, { max: 500, required: spec.reason.required, what: 'de reden' });
    if (r.error) errors.reason = r.error;
    reason = r.text;
  }
  const form = { type, values, errors };
  if (Object.keys(errors).length) return { form };
  const change: FormChangeBody =
    type === 'pause'
      ? { type, from: date!, reason: reason! }
      : type === 'sick_leave'
        ? reason === undefined
          ? { type, from: date! }
          : { type, from: date!, reason }
        : { type, date: date! };
  return { change, form };
}

export async function jobcoachRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const readers: Access = {
    roles: ['admin', 'coordinator', 'employer', 'school', 'jobcoach'],
    resource: 'trajectory',
    audit: 'read',
  };
  const viewerOf = (request: FastifyRequest) => ({ role: request.principal.role, scope: request.scope });

  app.get(
    '/deelnemers',
    { schema: { hide: true }, config: { access: { roles: ['jobcoach'], audit: 'read' } } },
    async (request, reply) => {
      const participants = await jobcoachParticipants(deps, request.principal);
      noteAudit(
        request,
        participants.map((p) => p.trajectoryId),
      );
      return send(reply, listPage(request, reply, participants));
    },
  );

  app.get<{ Params: Params }>(
    '/trajecten/:id',
    { schema: { hide: true }, config: { access: readers } },
    async (request, reply) => {
      const [t, schedule] = await Promise.all([
        getTrajectory(deps, request.params.id, viewerOf(request)),
        getSchedule(deps, request.params.id, viewerOf(request)),
      ]);
      return send(reply, participantPage(request, reply, t, schedule));
    },
  );

  app.post<{ Params: Params; Body: Record<string, string> }>(
    '/trajecten/:id/wijzigingen',
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      config: {
        access: { roles: [...CHANGERS], resource: 'trajectory', audit: 'change', body: changeLimits },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const form = request.body ?? {};
      const read = readChange(form);
      // A type the form never offers (the policy hook already refused other changes for a jobcoach).
      if (!read) throw new DomainError(404, 'not-found', 'Not Found', 'no such change form');
      let notice: Notice | undefined;
      const state = read.form;
      if (read.change) {
        const change = read.change;
        try {
          const outcome = await idempotent(
            deps.db,
            {
              scope: `${request.principal.actor}|web|change|${id}`,
              key: String(form.formKey ?? randomUUID()),
              body: change,
            },
            async (updateId) => ({ statusCode: 200, body: await recordOn(deps, id, changeUpdate, change, updateId) }),
          );
          const date = 'from' in change ? change.from : change.date;
          notice = {
            kind: 'ok',
            text: CHANGE_FORMS[change.type].done(date, outcome.body.endDate),
          };
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
      // After a success the forms start empty again (the trajectory's state decides which are shown).
      return send(
        reply,
        participantPage(request, reply, t, schedule, {
          notice: failed
            ? { kind: 'error', text: 'Niets vastgelegd. Zie de melding bij het formulier hieronder.' }
            : notice,
          form: failed ? state : undefined,
        }),
        failed ? 422 : 200,
      );
    },
  );
}
