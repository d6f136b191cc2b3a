// The three-way checkpoint form (driegesprek): the jobcoach records how the participant is doing (op schema,
// zorgen, risico), the note of the conversation, and whether the workplace trainer confirmed it. The task a
// checkpoint mail links to (web/tasks.ts `checkpoint`). The recording is the API's (POST
// /v1/trajectories/{id}/checkpoints: recordOn with recordCheckpointUpdate), under the same policy; the workflow's
// refusals come back in Dutch next to the form, and a repeated submission records nothing twice.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Access } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { idempotent } from '../api/idempotency';
import { checkpointForm, type CheckpointForm } from '../api/services/jobcoach';
import { recordOn, today } from '../api/services/trajectories';
import type { CheckpointRecording } from '../domain/recording';
import { CHECKPOINT_STATUSES, type CheckpointStatus } from '../domain/statuses';
import { recordCheckpointUpdate } from '../workflows/trajectory';
import { ariaOf, formField, readText } from './form-field';
import { html, page, type Html } from './html';
import { dutchDay, STATUS_NL } from '../domain/dutch';
import { refusalOf } from './refusals';
import { taskOf } from './tasks';
import { csrfOf } from './form-parts';

type Params = { id: string; key: string };

const STATUS_TEXT: Record<CheckpointStatus, { label: string; hint: string }> = {
  on_track: { label: 'Op schema', hint: 'het gaat zoals afgesproken' },
  concerns: { label: 'Zorgen', hint: 'er zijn punten om op te letten' },
  at_risk: { label: 'Risico', hint: 'de doorstroom naar de BBL is in gevaar; de coördinator krijgt een signaal' },
};

const NOTE_MAX = 1000;

interface FormState {
  status?: string;
  note?: string;
  trainerConfirmed?: boolean;
  errors: { status?: string; note?: string; form?: string };
}

const send = (reply: FastifyReply, body: Html, code = 200) =>
  reply.code(code).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body.text);

function formPage(
  request: FastifyRequest,
  reply: FastifyReply,
  f: CheckpointForm,
  on: string,
  o: { state?: FormState; notice?: { kind: 'ok' | 'error' | 'info'; text: string } } = {},
): Html {
  const person = request.person!;
  const { checkpoint: c, review } = f;
  const state: FormState = o.state ?? {
    status: review?.status,
    note: review?.note,
    trainerConfirmed: review?.trainerConfirmed,
    errors: {},
  };
  const e = state.errors;
  const when =
    on < c.weekStart
      ? `Dit gesprek is in week ${c.week} en kan worden vastgelegd vanaf ${dutchDay(c.weekStart)}.`
      : review
        ? `Vastgelegd op ${dutchDay(review.recordedOn)} als "${STATUS_TEXT[review.status].label}". ` +
          'U kunt het verslag hieronder aanpassen; de laatste versie telt.'
        : on > c.weekEnd
          ? `Dit gesprek had uiterlijk ${dutchDay(c.weekEnd)} vastgelegd moeten zijn; leg het zo snel mogelijk vast.`
          : `Dit gesprek is in week ${c.week}; leg het uiterlijk ${dutchDay(c.weekEnd)} vast.`;
  const statusAria = ariaOf('status', { error: e.status });
  return page(
    {
      title: `Gesprek: ${c.name}`,
      person: { name: person.name, organisation: person.organisationName, csrf: csrfOf(reply) },
      notice: o.notice,
    },
    html`<p class="utrecht-paragraph">Deelnemer: ${f.name} (${f.reference}), traject ${STATUS_NL[f.status]}.</p>
      <p class="utrecht-paragraph"><strong>${when}</strong></p>
      <p class="utrecht-paragraph">
        Het driegesprek voert u met de deelnemer en de werkplekbegeleider. Een gesprek kan worden vastgelegd vanaf de
        eerste dag van zijn week; na die week is het te laat en ziet de coördinator het als signaal.
      </p>
      <form method="post" novalidate>
        <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
        <input type="hidden" name="formKey" value="${randomUUID()}" />
        ${e.form ? html`<p class="utrecht-form-field-error-message" id="formulier-fout">${e.form}</p>` : ''}
        <fieldset
          class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset${
            e.status ? ' utrecht-form-fieldset--invalid' : ''
          }"
          ${e.status ? html`aria-describedby="status-fout"` : ''}
        >
          <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">
            Hoe gaat het met de deelnemer?
          </legend>
          ${e.status ? html`<p class="utrecht-form-field-error-message" id="status-fout">${e.status}</p>` : ''}
          ${CHECKPOINT_STATUSES.map(
            (s, i) =>
              html`<div class="utrecht-form-field utrecht-form-field--radio">
                <input
                  class="utrecht-radio-button utrecht-radio-button--html-input"
                  type="radio"
                  id="status-${s}"
                  name="status"
                  value="${s}"
                  ${state.status === s ? html`checked` : ''}
                  ${i === 0 ? statusAria : ''}
                />
                <label class="utrecht-form-label utrecht-form-label--radio" for="status-${s}"
                  >${STATUS_TEXT[s].label}: ${STATUS_TEXT[s].hint}</label
                >
              </div>`,
          )}
        </fieldset>
        ${formField({
          id: 'note',
          label: 'Verslag van het gesprek',
          description:
            `Wat is besproken en afgesproken, hoogstens ${NOTE_MAX} tekens. ` + 'Alleen de coördinator en u lezen het.',
          error: e.note,
          control: (aria) =>
            html`<textarea
              class="utrecht-textarea utrecht-textarea--html-textarea"
              id="note"
              name="note"
              rows="6"
              maxlength="${NOTE_MAX}"
              aria-required="true"
              ${aria}
            >
${state.note ?? ''}</textarea>`,
        })}
        <div class="utrecht-form-field utrecht-form-field--checkbox">
          <input
            class="utrecht-checkbox utrecht-checkbox--html-input"
            type="checkbox"
            id="trainerConfirmed"
            name="trainerConfirmed"
            value="ja"
            ${state.trainerConfirmed ? html`checked` : ''}
          />
          <label class="utrecht-form-label utrecht-form-label--checkbox" for="trainerConfirmed"
            >De werkplekbegeleider heeft het verslag bevestigd</label
          >
        </div>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">Gesprek vastleggen</button>
      </form>
      ${
        person.task === null
          ? html`<p class="utrecht-paragraph">
              <a class="utrecht-link" href="/trajecten/${encodeURIComponent(f.trajectoryId)}">Naar ${f.name}</a>
            </p>`
          : ''
      }`,
  );
}

/** Reads the form: the recording to send, or what is wrong with it (nothing is sent then). */
function readForm(key: string, body: Record<string, string>): { recording?: CheckpointRecording; state: FormState } {
  const status = String(body.status ?? '');
  const note = readText(body.note, { max: NOTE_MAX, required: true, what: 'het verslag' });
  const state: FormState = {
    status,
    note: String(body.note ?? ''),
    trainerConfirmed: body.trainerConfirmed === 'ja',
    errors: {},
  };
  if (!(CHECKPOINT_STATUSES as readonly string[]).includes(status))
    state.errors.status = 'Kies hoe het gaat: op schema, zorgen of risico.';
  if (note.error) state.errors.note = note.error;
  if (state.errors.status || state.errors.note) return { state };
  return {
    state,
    recording: {
      key,
      status: status as CheckpointStatus,
      note: note.text!,
      trainerConfirmed: state.trainerConfirmed!,
    },
  };
}

export async function checkpointRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const task = (request: FastifyRequest) => {
    const p = request.params as Params;
    return taskOf.checkpoint(p.id, p.key);
  };
  const access = (audit: 'read' | 'change'): Access => ({
    roles: ['admin', 'coordinator', 'jobcoach'],
    resource: 'trajectory',
    audit,
  });

  app.get<{ Params: Params }>(
    '/trajecten/:id/checkpoints/:key',
    { schema: { hide: true }, config: { task, access: access('read') } },
    async (request, reply) => {
      const f = await checkpointForm(deps, request.principal.role, request.params.id, request.params.key);
      return send(reply, formPage(request, reply, f, today(deps)));
    },
  );

  app.post<{ Params: Params; Body: Record<string, string> }>(
    '/trajecten/:id/checkpoints/:key',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: { task, access: access('change') } },
    async (request, reply) => {
      const { id, key } = request.params;
      const role = request.principal.role;
      // An unknown checkpoint answers 404 before anything is read from the form.
      await checkpointForm(deps, role, id, key);
      const body = request.body ?? {};
      const { recording, state } = readForm(key, body);
      let notice: { kind: 'ok' | 'error'; text: string } | undefined;
      if (recording) {
        try {
          await idempotent(
            deps.db,
            {
              scope: `${request.principal.actor}|web|checkpoint|${id}`,
              key: String(body.formKey ?? randomUUID()),
              body: recording,
            },
            async (updateId) => ({
              statusCode: 200,
              body: await recordOn(deps, id, recordCheckpointUpdate, recording, updateId),
            }),
          );
          notice = { kind: 'ok', text: 'Dank u wel. Het gesprek is vastgelegd.' };
        } catch (e) {
          if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404 || e.status === 403) throw e;
          const { field, text } = refusalOf(e);
          if (field === 'status' || field === 'note') state.errors[field] = text;
          else state.errors.form = text;
        }
      }
      const failed = Object.keys(state.errors).length > 0;
      const f = await checkpointForm(deps, role, id, key);
      return send(
        reply,
        formPage(request, reply, f, today(deps), {
          state: failed ? state : undefined,
          notice: failed ? { kind: 'error', text: 'Niets vastgelegd. Zie de melding bij het formulier.' } : notice,
        }),
        failed ? 422 : 200,
      );
    },
  );
}
