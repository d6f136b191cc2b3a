// The coordinator's page of one candidate (issue 20): what happened so far with its dates, the current step with
// its deadline (and a mark when it is past), and the forms that move the candidate on: the step's outcome in Dutch
// words, leaving with a reason of the fixed list (after a confirmation), proposing an employer for the trial day,
// assigning a jobcoach. Each form goes through the API's own service and the candidate's process under the same
// policy as its API route; a refusal of the process is shown in Dutch next to the field it names. A repeated
// submission (a reload, a double click) records nothing twice.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Access } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { idempotent } from '../api/idempotency';
import type { CandidateDetail } from '../api/schemas/candidate-people';
import {
  assignCandidateJobcoach,
  candidateChoices,
  candidateFor,
  candidateHistory,
  organisationNames,
  proposeEmployer,
  recordStepAs,
} from '../api/services/candidate-people';
import { candidateLeaves, getRound } from '../api/services/recruitment';
import { localDate } from '../domain/calendar';
import {
  LEAVE_REASONS,
  OUTCOME_NL,
  outcomeInDutch,
  STEP_NL,
  STEP_OUTCOMES,
  type Draaiboek,
  type LeaveReason,
  type StepKind,
} from '../domain/recruitment';
import { readText } from './form-field';
import {
  checkboxField,
  csrfOf,
  facts,
  inWords,
  personPage,
  radioField,
  readDate,
  selectField,
  sendPage,
  textField,
  type Errors,
} from './form-parts';
import { html, type Html } from './html';

const OFFICE = ['admin', 'coordinator'] as const;
/** The policy of the API's candidate routes: the office's coordinators, audited. */
const READ: Access = { roles: OFFICE, resource: 'candidate', audit: 'read' };
const CHANGE: Access = { roles: OFFICE, resource: 'candidate', audit: 'change' };

type FormName = 'stap' | 'stoppen' | 'voorstel' | 'jobcoach';
interface FormState {
  name: FormName;
  values: Record<string, string>;
  errors: Errors;
}
type Notice = { kind: 'ok' | 'error'; text: string };

export const stepNameOf = (d: Draaiboek, key: string) => {
  const s = d.steps.find((x) => x.key === key);
  return s ? s.name || STEP_NL[s.kind as StepKind] : key;
};
const kindOf = (d: Draaiboek, key: string) => d.steps.find((x) => x.key === key)?.kind as StepKind | undefined;

/** The process's refusal of a form, in Dutch next to the field it names (or above the form). */
function refusedInto(e: unknown, state: FormState, fields: Record<string, string>): void {
  if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404 || e.status === 403) throw e;
  const problem = e.errors?.[0];
  const text =
    e.status === 409
      ? 'Deze kandidaat is gematcht of doet niet meer mee; er kan niets meer worden vastgelegd.'
      : e.type === 'idempotency-key-reused'
        ? 'Dit formulier is al eens verstuurd. Laad de pagina opnieuw en vul het nog eens in.'
        : (problem?.nl ?? 'Dit kon niet worden vastgelegd. Controleer wat u invulde en probeer het opnieuw.');
  state.errors[(problem && fields[problem.field]) ?? 'form'] = text;
}

async function candidatePage(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  o: { form?: FormState; notice?: Notice } = {},
): Promise<Html> {
  const c = (await candidateFor(deps, request.principal, id)) as CandidateDetail;
  const [round, events, choices] = await Promise.all([
    getRound(deps, c.roundId),
    candidateHistory(deps, id),
    candidateChoices(deps, id),
  ]);
  const d = round.draaiboek;
  const today = localDate(deps.now?.() ?? Date.now());
  const employerName = new Map(choices.employers.map((e) => [e.id, e.name]));
  const named = await organisationNames(
    deps,
    [c.employerId, c.trialDay?.employerId].filter((x): x is string => !!x && !employerName.has(x)),
  );
  const nameOf = (orgId: string | null | undefined) => (orgId ? (employerName.get(orgId) ?? named.get(orgId)) : '');
  const jobcoach = choices.jobcoaches.find((j) => j.id === c.jobcoachId);
  const form = (name: FormName) => (o.form?.name === name ? o.form : { name, values: {}, errors: {} as Errors });
  const kind = kindOf(d, c.step);
  const trialIndex = d.steps.findIndex((s) => s.kind === 'meeloopdag');
  const stepIndex = d.steps.findIndex((s) => s.key === c.step);

  const where =
    c.status === 'in_progress'
      ? html`${stepNameOf(d, c.step)}, uiterlijk
        ${inWords(c.dueOn, today)}${c.overdue ? html` <strong class="te-laat">(te laat)</strong>` : ''}`
      : c.status === 'matched'
        ? html`Gematcht met ${nameOf(c.employerId)}`
        : html`Gestopt bij ${stepNameOf(d, c.step)}: ${LEAVE_REASONS[c.leftReason as LeaveReason] ?? ''}`;

  const due = (date: string) => inWords(date, today);
  const eventText = (e: (typeof events)[number]): string => {
    const data = e.data as Record<string, string | undefined>;
    switch (e.type) {
      case 'entered':
        return `In de ronde gekomen; ${stepNameOf(d, data.step ?? '')} uiterlijk ${due(data.dueOn ?? e.occurred_on)}`;
      case 'step_recorded': {
        const by = data.by === 'employer' ? ' (door de werkgever)' : '';
        const at = data.employerId ? ` bij ${nameOf(data.employerId) || data.employerId}` : '';
        return `${stepNameOf(d, data.step ?? '')}${at}: ${outcomeInDutch(data.outcome ?? '')}${by}`;
      }
      case 'proposed':
        return (
          `Voorgesteld voor de meeloopdag bij ${nameOf(data.employerId) || data.employerId}` +
          (data.trialDayOn ? `, op ${inWords(data.trialDayOn, today)}` : '')
        );
      case 'overdue':
        return `Te laat: ${stepNameOf(d, data.step ?? '')} was uiterlijk ${due(data.dueOn ?? e.occurred_on)}`;
      case 'left':
        return `Gestopt: ${LEAVE_REASONS[data.reason as LeaveReason] ?? data.reason}`;
      default:
        return e.type;
    }
  };

  const step = form('stap');
  const needsEmployer = kind === 'match' || (kind === 'meeloopdag' && !c.trialDay);
  const stepForm =
    c.status !== 'in_progress' || !kind
      ? ''
      : html`<section aria-labelledby="stap-kop">
          <h2 class="utrecht-heading-2 utrecht-heading-2--distanced" id="stap-kop">
            Uitkomst van ${stepNameOf(d, c.step)} vastleggen
          </h2>
          ${
            kind === 'meeloopdag' && c.trialDay
              ? html`<p class="utrecht-paragraph">
                  De werkgever ${nameOf(c.trialDay.employerId)} geeft zelf zijn oordeel; u kunt het hier ook namens de
                  werkgever vastleggen.
                </p>`
              : ''
          }
          <form method="post" action="/werving/kandidaten/${encodeURIComponent(id)}/stap" novalidate>
            <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
            <input type="hidden" name="formKey" value="${randomUUID()}" />
            <input type="hidden" name="step" value="${c.step}" />
            ${step.errors.form ? html`<p class="utrecht-form-field-error-message">${step.errors.form}</p>` : ''}
            ${radioField({
              name: 'outcome',
              legend: 'Uitkomst',
              options: STEP_OUTCOMES[kind].map((x) => ({
                value: x,
                label: (OUTCOME_NL[kind] as Record<string, string>)[x]!,
              })),
              chosen: step.values.outcome,
              errors: step.errors,
            })}
            ${textField({
              name: 'on',
              label: 'Datum',
              type: 'date',
              value: step.values.on ?? today,
              errors: step.errors,
            })}
            ${
              needsEmployer
                ? selectField({
                    name: 'employerId',
                    label: kind === 'match' ? 'Werkgever (bij een match)' : 'Werkgever van de meeloopdag',
                    options: [
                      { value: '', label: 'Kies een werkgever' },
                      ...choices.employers.map((e) => ({ value: e.id, label: e.name })),
                    ],
                    chosen: step.values.employerId,
                    errors: step.errors,
                  })
                : ''
            }
            ${textField({
              name: 'note',
              label: 'Notitie (niet verplicht)',
              value: step.values.note,
              errors: step.errors,
            })}
            <button type="submit" class="utrecht-button utrecht-button--primary-action">Uitkomst vastleggen</button>
          </form>
        </section>`;

  const proposal = form('voorstel');
  const proposalForm =
    c.status !== 'in_progress' || trialIndex < 0 || stepIndex > trialIndex
      ? ''
      : html`<section aria-labelledby="voorstel-kop">
          <h2 class="utrecht-heading-2 utrecht-heading-2--distanced" id="voorstel-kop">
            Werkgever voor de meeloopdag voorstellen
          </h2>
          <p class="utrecht-paragraph">
            De werkgever ziet daarna de voornaam en het kenmerk van de kandidaat, en geeft zijn oordeel over de
            meeloopdag. Een nieuw voorstel vervangt het vorige.
          </p>
          <form method="post" action="/werving/kandidaten/${encodeURIComponent(id)}/voorstel" novalidate>
            <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
            <input type="hidden" name="formKey" value="${randomUUID()}" />
            ${proposal.errors.form ? html`<p class="utrecht-form-field-error-message">${proposal.errors.form}</p>` : ''}
            ${selectField({
              name: 'proposalEmployerId',
              label: 'Werkgever',
              options: [
                { value: '', label: 'Kies een werkgever' },
                ...choices.employers.map((e) => ({ value: e.id, label: e.name })),
              ],
              chosen: proposal.values.proposalEmployerId ?? c.trialDay?.employerId,
              errors: proposal.errors,
            })}
            ${textField({
              name: 'trialDayOn',
              label: 'Datum van de meeloopdag (niet verplicht)',
              type: 'date',
              value: proposal.values.trialDayOn ?? c.trialDay?.trialDayOn ?? '',
              errors: proposal.errors,
            })}
            <button type="submit" class="utrecht-button utrecht-button--secondary-action">Werkgever voorstellen</button>
          </form>
        </section>`;

  const coach = form('jobcoach');
  const jobcoachForm = html`<section aria-labelledby="jobcoach-kop">
    <h2 class="utrecht-heading-2 utrecht-heading-2--distanced" id="jobcoach-kop">Jobcoach toewijzen</h2>
    <form method="post" action="/werving/kandidaten/${encodeURIComponent(id)}/jobcoach" novalidate>
      <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
      <input type="hidden" name="formKey" value="${randomUUID()}" />
      ${coach.errors.form ? html`<p class="utrecht-form-field-error-message">${coach.errors.form}</p>` : ''}
      ${selectField({
        name: 'jobcoachId',
        label: 'Jobcoach',
        options: [
          { value: '', label: 'Kies een jobcoach' },
          ...choices.jobcoaches.map((j) => ({ value: j.id, label: j.name })),
        ],
        chosen: coach.values.jobcoachId ?? c.jobcoachId ?? undefined,
        errors: coach.errors,
      })}
      <button type="submit" class="utrecht-button utrecht-button--secondary-action">Jobcoach toewijzen</button>
    </form>
  </section>`;

  const leave = form('stoppen');
  const leaveForm =
    c.status !== 'in_progress'
      ? ''
      : html`<section aria-labelledby="stoppen-kop">
          <h2 class="utrecht-heading-2 utrecht-heading-2--distanced" id="stoppen-kop">De kandidaat stopt</h2>
          <form method="post" action="/werving/kandidaten/${encodeURIComponent(id)}/stoppen" novalidate>
            <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
            <input type="hidden" name="formKey" value="${randomUUID()}" />
            ${leave.errors.form ? html`<p class="utrecht-form-field-error-message">${leave.errors.form}</p>` : ''}
            ${selectField({
              name: 'reason',
              label: 'Reden',
              options: [
                { value: '', label: 'Kies een reden' },
                ...Object.entries(LEAVE_REASONS).map(([value, label]) => ({ value, label })),
              ],
              chosen: leave.values.reason,
              errors: leave.errors,
            })}
            ${textField({
              name: 'leftOn',
              label: 'Datum',
              type: 'date',
              value: leave.values.leftOn ?? today,
              errors: leave.errors,
            })}
            ${textField({
              name: 'leaveNote',
              label: 'Toelichting (niet verplicht)',
              value: leave.values.leaveNote,
              errors: leave.errors,
            })}
            ${checkboxField({
              name: 'confirm',
              label: 'Ja, de kandidaat stopt. Dit kan niet ongedaan worden gemaakt.',
              errors: leave.errors,
            })}
            <button type="submit" class="utrecht-button utrecht-button--secondary-action">
              Kandidaat laten stoppen
            </button>
          </form>
        </section>`;

  const trialDayText = !c.trialDay
    ? 'Nog geen werkgever voorgesteld'
    : [
        nameOf(c.trialDay.employerId),
        c.trialDay.trialDayOn ? `, ${inWords(c.trialDay.trialDayOn, today)}` : '',
        c.trialDay.outcome ? `: ${OUTCOME_NL.meeloopdag[c.trialDay.outcome]}` : '',
      ].join('');

  return personPage(
    request,
    reply,
    { title: `Kandidaat ${c.firstName} ${c.lastName} (${c.reference})`, notice: o.notice },
    html`<p class="utrecht-paragraph">
        <a class="utrecht-link" href="/werving/${encodeURIComponent(c.roundId)}">Terug naar ${round.name}</a>
      </p>
      ${facts([
        ['Kenmerk', c.reference],
        ['Waar staat de kandidaat', where],
        ['Meeloopdag', trialDayText],
        ['Jobcoach', jobcoach?.name ?? 'Nog niet toegewezen'],
        ['Geboortedatum', c.dateOfBirth ? inWords(c.dateOfBirth) : 'Onbekend'],
        ['E-mailadres', c.email ?? 'Onbekend'],
      ])}
      <div class="table-scroll" tabindex="0" role="region" aria-label="Geschiedenis">
        <table class="utrecht-table">
          <caption class="utrecht-table__caption">
            Geschiedenis
          </caption>
          <thead class="utrecht-table__header">
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="col">Datum</th>
              <th class="utrecht-table__header-cell" scope="col">Wat</th>
              <th class="utrecht-table__header-cell" scope="col">Notitie</th>
            </tr>
          </thead>
          <tbody class="utrecht-table__body">
            ${events.map(
              (e) =>
                html`<tr class="utrecht-table__row">
                  <td class="utrecht-table__cell">${inWords(e.occurred_on, today)}</td>
                  <td class="utrecht-table__cell">${eventText(e)}</td>
                  <td class="utrecht-table__cell">${(e.data as { note?: string }).note ?? ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${stepForm} ${proposalForm} ${jobcoachForm} ${leaveForm}`,
  );
}

type Post = { Params: { id: string }; Body: Record<string, string> };

export async function candidateRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const today = () => localDate(deps.now?.() ?? Date.now());

  app.get<{ Params: { id: string } }>(
    '/werving/kandidaten/:id',
    { schema: { hide: true }, config: { access: READ } },
    async (request, reply) => sendPage(reply, await candidatePage(deps, request, reply, request.params.id)),
  );

  /** One form's submission: read it, send it once under its form key, show the page with the outcome. */
  async function submit(
    request: FastifyRequest<Post>,
    reply: FastifyReply,
    name: FormName,
    read: (body: Record<string, string>, errors: Errors) => unknown,
    send: (body: never, updateId: string) => Promise<unknown>,
    fields: Record<string, string>,
    done: string,
  ) {
    const { id } = request.params;
    const body = request.body ?? {};
    const state: FormState = {
      name,
      values: Object.fromEntries(Object.entries(body).filter(([k]) => !k.startsWith('_'))),
      errors: {},
    };
    const sent = read(body, state.errors);
    if (Object.keys(state.errors).length === 0)
      try {
        await idempotent(
          deps.db,
          {
            scope: `${request.principal.actor}|web|candidate-${name}|${id}`,
            key: String(body.formKey ?? randomUUID()),
            body: sent,
          },
          async (updateId) => ({ statusCode: 200, body: await send(sent as never, updateId) }),
        );
      } catch (e) {
        refusedInto(e, state, fields);
      }
    const failed = Object.keys(state.errors).length > 0;
    return sendPage(
      reply,
      await candidatePage(deps, request, reply, id, {
        form: failed ? state : undefined,
        notice: failed
          ? { kind: 'error', text: 'Niets vastgelegd. Zie de melding bij het formulier hieronder.' }
          : { kind: 'ok', text: done },
      }),
      failed ? 422 : 200,
    );
  }

  const dateOf = (value: string | undefined, errors: Errors, field: string, required = true) => {
    const date = readDate(value);
    if (date === undefined || (required && date === '')) errors[field] = 'Vul een datum in, zoals 30-11-2026.';
    return date || undefined;
  };
  const noteOf = (value: string | undefined, errors: Errors, field: string) => {
    const r = readText(value, { max: 1000, required: false, what: 'de notitie' });
    if (r.error) errors[field] = r.error;
    return r.text;
  };

  app.post<Post>(
    '/werving/kandidaten/:id/stap',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: { access: CHANGE } },
    async (request, reply) =>
      submit(
        request,
        reply,
        'stap',
        (b, errors) => {
          if (!b.outcome) errors.outcome = 'Kies een uitkomst.';
          const on = dateOf(b.on, errors, 'on');
          const note = noteOf(b.note, errors, 'note');
          return {
            step: String(b.step ?? ''),
            outcome: String(b.outcome ?? ''),
            on,
            ...(b.employerId && { employerId: b.employerId }),
            ...(note && { note }),
          };
        },
        (body, updateId) => recordStepAs(deps, request.principal, request.params.id, body, updateId),
        { step: 'form', outcome: 'outcome', on: 'on', employerId: 'employerId', note: 'note' },
        'De uitkomst is vastgelegd.',
      ),
  );

  app.post<Post>(
    '/werving/kandidaten/:id/voorstel',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: { access: CHANGE } },
    async (request, reply) =>
      submit(
        request,
        reply,
        'voorstel',
        (b, errors) => {
          if (!b.proposalEmployerId) errors.proposalEmployerId = 'Kies een werkgever.';
          const trialDayOn = dateOf(b.trialDayOn, errors, 'trialDayOn', false);
          return { employerId: String(b.proposalEmployerId ?? ''), on: today(), ...(trialDayOn && { trialDayOn }) };
        },
        (body, updateId) => proposeEmployer(deps, request.params.id, body, updateId),
        { employerId: 'proposalEmployerId', trialDayOn: 'trialDayOn' },
        'De werkgever is voorgesteld voor de meeloopdag.',
      ),
  );

  app.post<Post>(
    '/werving/kandidaten/:id/jobcoach',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: { access: CHANGE } },
    async (request, reply) =>
      submit(
        request,
        reply,
        'jobcoach',
        (b, errors) => {
          if (!b.jobcoachId) errors.jobcoachId = 'Kies een jobcoach.';
          return { jobcoachId: String(b.jobcoachId ?? '') };
        },
        (body) => assignCandidateJobcoach(deps, request.params.id, body),
        { jobcoachId: 'jobcoachId' },
        'De jobcoach is toegewezen.',
      ),
  );

  app.post<Post>(
    '/werving/kandidaten/:id/stoppen',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: { access: CHANGE } },
    async (request, reply) =>
      submit(
        request,
        reply,
        'stoppen',
        (b, errors) => {
          if (!Object.hasOwn(LEAVE_REASONS, b.reason ?? '')) errors.reason = 'Kies een reden.';
          const on = dateOf(b.leftOn, errors, 'leftOn');
          const note = noteOf(b.leaveNote, errors, 'leaveNote');
          if (b.confirm !== 'ja') errors.confirm = 'Vink aan dat de kandidaat stopt.';
          return { reason: b.reason as LeaveReason, on, ...(note && { note }) };
        },
        (body, updateId) => candidateLeaves(deps, request.params.id, body, updateId),
        { reason: 'reason', on: 'leftOn', note: 'leaveNote' },
        'De kandidaat is gestopt.',
      ),
  );
}
