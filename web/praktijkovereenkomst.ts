// The praktijkovereenkomst on the pages (issue 21, part 2): /trajecten/:id/praktijkovereenkomst shows the POK of a
// participant entering BBL per party (drawn up, signed by the participant, the employer and the ROC, with the date
// and who recorded it), its deadline, whether it is late, and "nieuw bpv-blad nodig" after an employer change. The
// ROC, the employer and the coordinator record their steps there: the same service and policy as the API's
// POST /v1/trajectories/{id}/praktijkovereenkomst (pokLimits), a refusal in Dutch next to its field.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { AppDeps } from '../api/deps';
import { DomainError, type FieldProblem } from '../api/errors';
import { idempotent } from '../api/idempotency';
import { pokLimits } from '../api/routes/praktijkovereenkomst';
import type { PokView } from '../api/schemas/praktijkovereenkomst';
import { getPok, recordPok } from '../api/services/praktijkovereenkomst';
import { localDate } from '../domain/calendar';
import { POK_RECORDERS, POK_STEP_NL, POK_STEPS, type PokStep } from '../domain/praktijkovereenkomst';
import type { Role } from '../domain/roles';
import {
  csrfOf,
  facts,
  inWords,
  personPage,
  radioField,
  readDate,
  sendPage,
  textField,
  type Errors,
} from './form-parts';
import { html, type Html } from './html';
import { taskOf } from './tasks';

type Params = { id: string };
type Form = Record<string, string | undefined>;

export const pokPath = (id: string) => `/trajecten/${encodeURIComponent(id)}/praktijkovereenkomst`;

const READERS = ['admin', 'coordinator', 'employer', 'school', 'jobcoach'] as const;

/** The steps a role may record that are still open (a bpv-blad only while one is needed). */
function openSteps(role: Role, v: PokView): PokStep[] {
  return POK_STEPS.filter(
    (s) =>
      POK_RECORDERS[s].includes(role) &&
      (s === 'bpv_blad'
        ? v.bpvBladNeeded
        : v[s === 'drawn_up' ? 'drawnUp' : s] === null && (s === 'drawn_up' || v.drawnUp !== null)),
  );
}

function standingInWords(v: PokView, today: string): string {
  if (!v.contractStart) return 'Nog niet nodig: de werkgever heeft nog geen BBL-arbeidsovereenkomst bevestigd';
  if (v.valid) return 'Rond: getekend door de deelnemer, de werkgever en het ROC';
  if (v.bpvBladNeeded) return 'Getekend, maar er is een nieuw bpv-blad nodig: de werkgever is gewisseld';
  if (v.late) return `Te laat: had uiterlijk ${inWords(v.deadline!, today)} getekend moeten zijn`;
  return `Nog niet rond; uiterlijk ${inWords(v.deadline!, today)} door alle partijen getekend`;
}

function pokPage(
  request: FastifyRequest,
  reply: FastifyReply,
  o: { id: string; view: PokView; form?: Form; errors?: Errors; notice?: string },
): Html {
  const role = request.principal.role;
  const today = localDate(Date.now());
  const v = o.view;
  const errors = o.errors ?? {};
  const steps = v.contractStart ? openSteps(role, v) : [];
  const row = (step: PokStep, r: { on: string; recordedBy: string } | null) =>
    html`<tr class="utrecht-table__row">
      <th class="utrecht-table__header-cell" scope="row">${POK_STEP_NL[step]}</th>
      <td class="utrecht-table__cell">${r ? inWords(r.on, today) : 'Nog niet'}</td>
      <td class="utrecht-table__cell">${r?.recordedBy ?? ''}</td>
    </tr>`;
  const form =
    steps.length === 0
      ? ''
      : html`<form method="post" novalidate>
          <h2 class="utrecht-heading-2">Vastleggen</h2>
          <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
          <input type="hidden" name="formKey" value="${randomUUID()}" />
          ${radioField({
            name: 'stap',
            legend: 'Wat legt u vast?',
            options: steps.map((s) => ({ value: s, label: capital(POK_STEP_NL[s]) })),
            chosen: o.form?.stap,
            errors,
          })}
          ${textField({
            name: 'datum',
            label: 'Op welke dag?',
            hint: 'De dag van opstellen of tekenen, bijvoorbeeld 24-5-2027. Niet in de toekomst.',
            type: 'date',
            value: o.form?.datum,
            errors,
          })}
          <button type="submit" class="utrecht-button utrecht-button--primary-action">Vastleggen</button>
        </form>`;
  return personPage(
    request,
    reply,
    { title: `Praktijkovereenkomst (${v.reference})`, notice: o.notice ? { kind: 'ok', text: o.notice } : undefined },
    html`<p class="utrecht-paragraph">
        Een BBL-plaats is pas geldig als de praktijkovereenkomst is getekend door de student, het leerbedrijf en het
        ROC, en het leerbedrijf door SBB is erkend voor de opleiding. Het ROC stelt de overeenkomst op. De doorstroom
        naar de BBL telt alleen mee met een getekende overeenkomst.
      </p>
      ${facts([
        ['BBL-arbeidsovereenkomst vanaf', v.contractStart ? inWords(v.contractStart, today) : 'Nog niet bevestigd'],
        ['Stand', standingInWords(v, today)],
        ...(v.bpvBladNeeded
          ? [['Nieuw bpv-blad', 'Nodig: de deelnemer heeft een andere werkgever'] as [string, string]]
          : []),
      ])}
      <div class="table-scroll" tabindex="0" role="region" aria-label="Praktijkovereenkomst per partij">
        <table class="utrecht-table">
          <caption class="utrecht-table__caption">
            Praktijkovereenkomst per partij
          </caption>
          <thead class="utrecht-table__header">
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="col">Stap</th>
              <th class="utrecht-table__header-cell" scope="col">Datum</th>
              <th class="utrecht-table__header-cell" scope="col">Vastgelegd door</th>
            </tr>
          </thead>
          <tbody class="utrecht-table__body">
            ${row('drawn_up', v.drawnUp)} ${row('participant', v.participant)} ${row('employer', v.employer)}
            ${row('school', v.school)} ${v.bpvBlad ? row('bpv_blad', v.bpvBlad) : ''}
          </tbody>
        </table>
      </div>
      ${form}`,
  );
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** The service's refusals by the page's field names. */
const FIELD: Record<string, string> = { step: 'stap', on: 'datum', trajectory: 'stap' };
const errorsOf = (problems: FieldProblem[] | undefined, fallback: string): Errors =>
  Object.fromEntries((problems ?? []).map((p) => [FIELD[p.field] ?? fallback, `${capital(p.nl)}.`]));

export async function pokRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  // The task a POK mail links to: this trajectory's POK for the addressee's organisation (web/tasks.ts `pok`).
  const task = (request: FastifyRequest) =>
    taskOf.pok((request.params as Params).id, request.person?.organisationId ?? '');
  app.get<{ Params: Params }>(
    '/trajecten/:id/praktijkovereenkomst',
    { schema: { hide: true }, config: { task, access: { roles: READERS, resource: 'trajectory', audit: 'read' } } },
    async (request, reply) =>
      sendPage(reply, pokPage(request, reply, { id: request.params.id, view: await getPok(deps, request.params.id) })),
  );

  app.post<{ Params: Params; Body: Form }>(
    '/trajecten/:id/praktijkovereenkomst',
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      config: {
        task,
        // The API's policy, the form's `stap` standing for the body's `step`.
        access: {
          roles: ['admin', 'coordinator', 'employer', 'school'],
          resource: 'trajectory',
          audit: 'change',
          body: (p, body) => pokLimits(p, { step: (body as Form | undefined)?.stap as PokStep | undefined }),
        },
      },
    },
    async (request, reply) => {
      const form = request.body ?? {};
      const id = request.params.id;
      const p = request.principal;
      const again = async (errors: Errors) =>
        sendPage(reply, pokPage(request, reply, { id, view: await getPok(deps, id), form, errors }), 422);
      const errors: Errors = {};
      if (!POK_STEPS.includes(form.stap as PokStep)) errors.stap = 'Kies wat u vastlegt.';
      const on = readDate(form.datum);
      if (on === '') errors.datum = 'Vul de datum in.';
      else if (on === undefined)
        errors.datum = 'Dit is geen bestaande datum. Vul dag-maand-jaar in, bijvoorbeeld 24-5-2027.';
      if (Object.keys(errors).length > 0) return again(errors);
      const body = { step: form.stap as PokStep, on: on! };
      try {
        await idempotent(
          deps.db,
          { scope: `${p.actor}|web|praktijkovereenkomst|${id}`, key: String(form.formKey ?? randomUUID()), body },
          async () => ({ statusCode: 200, body: await recordPok(deps, p, id, body) }),
        );
      } catch (e) {
        if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
        return again(
          errorsOf(e.errors ?? [{ field: 'step', message: e.message, nl: e.dutch?.detail ?? e.message }], 'stap'),
        );
      }
      const notice = `Dank u wel. Vastgelegd: ${POK_STEP_NL[body.step]}.`;
      return sendPage(reply, pokPage(request, reply, { id, view: await getPok(deps, id), notice }));
    },
  );
}
