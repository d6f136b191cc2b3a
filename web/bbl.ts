// The BBL decision of one participant: the employer confirms a BBL contract with its start date, or a job without
// BBL; the ROC confirms the enrolment. The same recording as POST /v1/trajectories/{id}/bbl (the workflow's
// confirmBbl update through recordOn), under the same policy (bblLimits: each confirms for itself; the
// coordinator for either); the workflow's refusals (the decision week has not come) stand next to the field.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bblLimits } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { idempotent } from '../api/idempotency';
import { getTrajectory, recordOn } from '../api/services/trajectories';
import type { Trajectory } from '../api/schemas/trajectory';
import type { BblConfirmation } from '../domain/recording';
import { confirmBblUpdate } from '../workflows/trajectory';
import { html, type Html } from './html';
import {
  checkboxField,
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
import { pokPath } from './praktijkovereenkomst';
import { taskOf } from './tasks';

type Params = { id: string };
type Side = 'employer' | 'school';
type Form = Record<string, string | undefined>;

const STATUS: Record<Trajectory['status'], string> = {
  planned: 'nog niet begonnen',
  active: 'loopt',
  paused: 'gepauzeerd',
  awaiting_bbl: 'afgelopen, wacht op het BBL-besluit',
  dropped_out: 'voortijdig gestopt',
  ended: 'afgerond',
};

/** Who may confirm what: an employer its contract, an ROC the enrolment, the coordinator either. */
const sidesOf = (role: string): Side[] =>
  role === 'employer' ? ['employer'] : role === 'school' ? ['school'] : ['employer', 'school'];

/** What has been confirmed so far, from the trajectory's events (the last word of each side counts). */
function confirmed(t: Trajectory, today: string) {
  let employer: string | undefined;
  let school: string | undefined;
  for (const e of t.events.filter((x) => x.type === 'bbl_confirmed')) {
    const d = e.data as { by?: string; contractStartDate?: string; jobWithoutBbl?: boolean };
    if (d.by === 'school') school = `Inschrijving bevestigd op ${inWords(e.date, today)}`;
    else if (d.jobWithoutBbl) employer = `Baan zonder BBL, bevestigd op ${inWords(e.date, today)}`;
    else if (d.contractStartDate)
      employer = `BBL-arbeidsovereenkomst vanaf ${inWords(d.contractStartDate, today)}, bevestigd op ${inWords(
        e.date,
        today,
      )}`;
  }
  return { employer, school };
}

/** A refusal of the workflow (or the API) in Dutch, for a person. */
function inDutch(e: DomainError, week: number): string {
  const message = e.errors?.[0]?.message ?? e.message;
  const opens = /opens in week (\d+)/.exec(message);
  if (opens)
    return `Het BBL-besluit kan pas worden bevestigd vanaf week ${opens[1]} van het traject; nu is het week ${week}.`;
  if (e.status === 409 || /the trajectory is/.test(message))
    return 'Dit traject loopt niet meer; er valt geen BBL-besluit meer te bevestigen.';
  return 'Dat lukte niet. Laad de pagina opnieuw en probeer het nog eens.';
}

function bblPage(
  request: FastifyRequest,
  reply: FastifyReply,
  t: Trajectory,
  o: { form?: Form; errors?: Errors; notice?: { kind: 'ok' | 'error'; text: string } } = {},
): Html {
  const firstName = t.name.trim().split(/\s+/)[0] ?? '';
  const today = t.live.today;
  const done = confirmed(t, today);
  const sides = sidesOf(request.principal.role);
  const errors = o.errors ?? {};
  const form = o.form ?? {};
  const submitted = form.by;
  const errorsOf = (side: Side) => (submitted === side ? errors : {});
  const formStart = (side: Side) =>
    html`<input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
      <input type="hidden" name="formKey" value="${randomUUID()}" />
      <input type="hidden" name="by" value="${side}" />`;
  const employerForm = html`<form method="post" novalidate>
    <h2 class="utrecht-heading-2">De werkgever</h2>
    ${formStart('employer')}
    ${radioField({
      name: 'afspraak',
      legend: `Wat heeft u met ${firstName} afgesproken?`,
      options: [
        { value: 'bbl', label: 'Een BBL-arbeidsovereenkomst (werken en leren)' },
        { value: 'baan', label: 'Een baan zonder BBL-opleiding' },
      ],
      chosen: submitted === 'employer' ? form.afspraak : undefined,
      errors: errorsOf('employer'),
    })}
    ${textField({
      name: 'startdatum',
      label: 'Startdatum van de BBL-arbeidsovereenkomst',
      hint: 'Alleen bij een BBL-arbeidsovereenkomst. Bijvoorbeeld 1-9-2027.',
      type: 'date',
      value: submitted === 'employer' ? form.startdatum : undefined,
      errors: errorsOf('employer'),
    })}
    <button type="submit" class="utrecht-button utrecht-button--primary-action">Afspraak bevestigen</button>
  </form>`;
  const schoolForm = html`<form method="post" novalidate>
    <h2 class="utrecht-heading-2">Het ROC</h2>
    ${formStart('school')}
    ${checkboxField({
      name: 'ingeschreven',
      label: `${firstName} is ingeschreven voor de BBL-opleiding`,
      checked: submitted === 'school' && form.ingeschreven === 'ja',
      errors: errorsOf('school'),
    })}
    <button type="submit" class="utrecht-button utrecht-button--primary-action">Inschrijving bevestigen</button>
  </form>`;
  return personPage(
    request,
    reply,
    { title: `BBL-besluit voor ${firstName} (${t.reference})`, notice: o.notice },
    html`<p class="utrecht-paragraph">
        Na het traject stroomt ${firstName} door naar de BBL als de werkgever de BBL-arbeidsovereenkomst en het ROC de
        inschrijving heeft bevestigd. Een baan zonder BBL bevestigt alleen de werkgever.
      </p>
      ${facts([
        ['Traject', `${STATUS[t.live.status]}, week ${t.live.week} van ${t.live.weeks}`],
        ['Werkgever', done.employer ?? 'Nog niet bevestigd'],
        ['ROC', done.school ?? 'Nog niet bevestigd'],
      ])}
      ${
        t.events.some((e) => e.type === 'bbl_confirmed' && (e.data as { contractStartDate?: string }).contractStartDate)
          ? html`<p class="utrecht-paragraph">
              <a class="utrecht-link" href="${pokPath(t.id)}">Praktijkovereenkomst van ${firstName}</a>: opgesteld door
              het ROC, getekend door ${firstName}, de werkgever en het ROC.
            </p>`
          : ''
      }
      ${sides.includes('employer') ? employerForm : ''} ${sides.includes('school') ? schoolForm : ''}`,
  );
}

/** The form as the workflow's confirmation, or the Dutch problems with it (by field). */
function confirmationOf(form: Form, firstName: string): { body?: BblConfirmation; errors: Errors } {
  if (form.by === 'school')
    return form.ingeschreven === 'ja'
      ? { body: { by: 'school' }, errors: {} }
      : { errors: { ingeschreven: `Vink aan dat ${firstName} is ingeschreven, als dat zo is.` } };
  if (form.by !== 'employer') return { errors: {} };
  if (form.afspraak === 'baan') return { body: { by: 'employer', jobWithoutBbl: true }, errors: {} };
  if (form.afspraak !== 'bbl') return { errors: { afspraak: `Kies wat u met ${firstName} heeft afgesproken.` } };
  const date = readDate(form.startdatum);
  if (date === '') return { errors: { startdatum: 'Vul de startdatum van de BBL-arbeidsovereenkomst in.' } };
  if (date === undefined)
    return { errors: { startdatum: 'Dit is geen bestaande datum. Vul dag-maand-jaar in, bijvoorbeeld 1-9-2027.' } };
  return { body: { by: 'employer', contractStartDate: date }, errors: {} };
}

export async function bblRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const task = (request: FastifyRequest) =>
    taskOf.bbl((request.params as Params).id, request.person?.organisationId ?? '');
  const load = (request: FastifyRequest<{ Params: Params }>) =>
    getTrajectory(deps, request.params.id, { role: request.principal.role, scope: request.scope });

  app.get<{ Params: Params }>(
    '/trajecten/:id/bbl',
    {
      schema: { hide: true },
      config: {
        task,
        access: { roles: ['admin', 'coordinator', 'employer', 'school'], resource: 'trajectory', audit: 'read' },
      },
    },
    async (request, reply) => sendPage(reply, bblPage(request, reply, await load(request))),
  );

  app.post<{ Params: Params; Body: Form }>(
    '/trajecten/:id/bbl',
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      config: {
        task,
        // The API's policy for POST /v1/trajectories/{id}/bbl, the form's `by` standing for the body's.
        access: {
          roles: ['admin', 'coordinator', 'employer', 'school'],
          resource: 'trajectory',
          audit: 'change',
          body: (p, body) => bblLimits(p, { by: String((body as Form | undefined)?.by ?? '') }),
        },
      },
    },
    async (request, reply) => {
      const form = request.body ?? {};
      const before = await load(request);
      const firstName = before.name.trim().split(/\s+/)[0] ?? '';
      if (form.by !== 'employer' && form.by !== 'school')
        return sendPage(
          reply,
          bblPage(request, reply, before, { notice: { kind: 'error', text: 'Kies een van de formulieren.' } }),
          422,
        );
      const { body, errors } = confirmationOf(form, firstName);
      if (!body) return sendPage(reply, bblPage(request, reply, before, { form, errors }), 422);
      try {
        await idempotent(
          deps.db,
          {
            scope: `${request.principal.actor}|web|bbl|${request.params.id}`,
            key: String(form.formKey ?? randomUUID()),
            body,
          },
          async (updateId) => ({
            statusCode: 200,
            body: await recordOn(deps, request.params.id, confirmBblUpdate, body, updateId),
          }),
        );
      } catch (e) {
        if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
        const field = form.by === 'school' ? 'ingeschreven' : 'afspraak';
        return sendPage(
          reply,
          bblPage(request, reply, before, { form, errors: { [field]: inDutch(e, before.live.week) } }),
          422,
        );
      }
      const text =
        'by' in body && body.by === 'school'
          ? `Dank u wel. De inschrijving van ${firstName} is bevestigd.`
          : 'jobWithoutBbl' in body
            ? `Dank u wel. Vastgelegd: ${firstName} heeft een baan zonder BBL.`
            : `Dank u wel. Vastgelegd: BBL-arbeidsovereenkomst vanaf ${inWords(
                body.contractStartDate,
                before.live.today,
              )}.`;
      return sendPage(reply, bblPage(request, reply, await load(request), { notice: { kind: 'ok', text } }));
    },
  );
}
