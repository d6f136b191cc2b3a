// A follow-up question after doorstroom (3, 6 or 12 months after the BBL start): the employer answers whether
// the participant still works there, the ROC whether the participant is still enrolled. The same answer as
// POST /v1/trajectories/{id}/follow-ups/{months} (answerFollowUp, to the follow-up workflow, which checks the
// question is open), under the same policy (followUpLimits: each answers its own question; the coordinator both).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { followUpLimits } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError, notFound } from '../api/errors';
import { idempotent } from '../api/idempotency';
import { answerFollowUp } from '../api/services/follow-ups';
import { followUpSheet, type FollowUpSheet } from '../api/services/follow-up-sheet';
import type { FollowUpAnswer } from '../api/schemas/follow-up';
import { html, type Html } from './html';
import { csrfOf, facts, inWords, personPage, radioField, sendPage, type Errors } from './form-parts';
import { taskOf } from './tasks';

type Params = { id: string; months: string };
type Form = Record<string, string | undefined>;
type Question = 'employed' | 'enrolled';

const YES_NO = [
  { value: 'ja', label: 'Ja' },
  { value: 'nee', label: 'Nee' },
];

/** The questions a person answers: an employer the employment, an ROC the enrolment, the coordinator both. */
function questionsOf(role: string, sheet: FollowUpSheet): Question[] {
  const enrolmentAsked = sheet.followUp?.schoolId !== null;
  if (role === 'employer') return ['employed'];
  if (role === 'school') return enrolmentAsked ? ['enrolled'] : [];
  return enrolmentAsked ? ['employed', 'enrolled'] : ['employed'];
}

const questionText = (q: Question, firstName: string) =>
  q === 'employed' ? `Werkt ${firstName} nog bij u?` : `Staat ${firstName} nog ingeschreven voor de BBL-opleiding?`;

const answerText = (a: boolean | null, on: string | null, today: string) =>
  a === null ? 'Nog niet beantwoord' : `${a ? 'Ja' : 'Nee'}${on ? ` (beantwoord op ${inWords(on, today)})` : ''}`;

/** The months of the path: a whole number of months, or no such page. */
const monthsOf = (text: string) => {
  const n = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 36)) throw notFound(`Follow-up ${text}`);
  return n;
};

function followUpPage(
  request: FastifyRequest,
  reply: FastifyReply,
  sheet: FollowUpSheet,
  o: { form?: Form; errors?: Errors; notice?: { kind: 'ok' | 'error'; text: string } } = {},
): Html {
  const f = sheet.followUp;
  const questions = questionsOf(request.principal.role, sheet);
  const title = `Nazorg na ${sheet.months} maanden: ${sheet.firstName} (${sheet.reference})`;
  if (!f)
    return personPage(
      request,
      reply,
      { title, notice: o.notice },
      html`<p class="utrecht-paragraph">
        Deze vraag is (nog) niet gesteld. Nazorgvragen komen 3, 6 en 12 maanden na de start van de BBL; u krijgt er dan
        een e-mail over.
      </p>`,
    );
  const open = f.status === 'open';
  return personPage(
    request,
    reply,
    { title, notice: o.notice },
    html`<p class="utrecht-paragraph">
        ${sheet.months} maanden na de start van de BBL vragen we hoe het met ${sheet.firstName} gaat. Uw antwoord telt
        mee in de resultaten van het programma.
      </p>
      ${facts([
        ['Vraag open', `van ${inWords(f.dueOn, sheet.today)} tot en met ${inWords(f.closesOn, sheet.today)}`],
        ['Werkt nog bij de werkgever', answerText(f.employed, f.employedOn, sheet.today)],
        ...(f.schoolId !== null
          ? [['Nog ingeschreven bij het ROC', answerText(f.enrolled, f.enrolledOn, sheet.today)] as [string, string]]
          : []),
      ])}
      ${
        open && questions.length
          ? html`<form method="post" novalidate>
              <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
              <input type="hidden" name="formKey" value="${randomUUID()}" />
              ${questions.map((q) =>
                radioField({
                  name: q,
                  legend: questionText(q, sheet.firstName),
                  options: YES_NO,
                  chosen: o.form?.[q],
                  errors: o.errors ?? {},
                }),
              )}
              <button type="submit" class="utrecht-button utrecht-button--primary-action">Antwoord versturen</button>
            </form>`
          : html`<p class="utrecht-paragraph">
              ${open ? 'Deze vraag is niet voor u.' : 'Deze vraag is gesloten; een antwoord telt niet meer.'}
            </p>`
      }`,
  );
}

/** A refusal of the follow-up workflow, in Dutch. */
function inDutch(e: DomainError, sheet: FollowUpSheet): string {
  const message = e.errors?.[0]?.message ?? e.message;
  if (/opens on/.test(message) && sheet.followUp)
    return `Deze vraag staat pas open vanaf ${inWords(sheet.followUp.dueOn, sheet.today)}.`;
  if (/closed on/.test(message) && sheet.followUp)
    return `Deze vraag is gesloten op ${inWords(sheet.followUp.closesOn, sheet.today)}; een antwoord telt niet meer.`;
  if (e.status === 409) return 'Voor dit traject staan geen nazorgvragen (meer) open.';
  return 'Dat lukte niet. Laad de pagina opnieuw en probeer het nog eens.';
}

export async function followUpRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const task = (request: FastifyRequest) => {
    const p = request.params as Params;
    return taskOf.followUp(p.id, Number(p.months));
  };
  const load = (request: FastifyRequest<{ Params: Params }>) =>
    followUpSheet(deps, request.params.id, monthsOf(request.params.months));

  app.get<{ Params: Params }>(
    '/trajecten/:id/nazorg/:months',
    {
      schema: { hide: true },
      config: {
        task,
        access: { roles: ['admin', 'coordinator', 'employer', 'school'], resource: 'trajectory', audit: 'read' },
      },
    },
    async (request, reply) => sendPage(reply, followUpPage(request, reply, await load(request))),
  );

  app.post<{ Params: Params; Body: Form }>(
    '/trajecten/:id/nazorg/:months',
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      config: {
        task,
        // The API's policy for POST /v1/trajectories/{id}/follow-ups/{months}: an answer to a question that is
        // not the person's is refused as it is there.
        access: {
          roles: ['admin', 'coordinator', 'employer', 'school'],
          resource: 'trajectory',
          audit: 'change',
          body: (p, body) => {
            const form = (body ?? {}) as Form;
            return followUpLimits(p, {
              employed: form.employed === undefined ? undefined : form.employed === 'ja',
              enrolled: form.enrolled === undefined ? undefined : form.enrolled === 'ja',
            });
          },
        },
      },
    },
    async (request, reply) => {
      const form = request.body ?? {};
      const sheet = await load(request);
      const questions = questionsOf(request.principal.role, sheet);
      const errors: Errors = {};
      const answer: FollowUpAnswer = {};
      for (const q of questions) {
        if (form[q] === 'ja' || form[q] === 'nee') answer[q] = form[q] === 'ja';
        else if (questions.length === 1) errors[q] = 'Kies ja of nee.';
      }
      if (questions.length > 1 && Object.keys(answer).length === 0)
        errors[questions[0]!] = 'Kies bij minstens één vraag ja of nee.';
      if (Object.keys(errors).length || !sheet.followUp || questions.length === 0)
        return sendPage(reply, followUpPage(request, reply, sheet, { form, errors }), 422);
      try {
        await idempotent(
          deps.db,
          {
            scope: `${request.principal.actor}|web|follow-up|${request.params.id}|${sheet.months}`,
            key: String(form.formKey ?? randomUUID()),
            body: answer,
          },
          async (updateId) => ({
            statusCode: 200,
            body: await answerFollowUp(deps, request.params.id, { months: sheet.months, ...answer }, updateId),
          }),
        );
      } catch (e) {
        if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
        return sendPage(
          reply,
          followUpPage(request, reply, sheet, { form, errors: { [questions[0]!]: inDutch(e, sheet) } }),
          422,
        );
      }
      return sendPage(
        reply,
        followUpPage(request, reply, await load(request), {
          notice: { kind: 'ok', text: 'Dank u wel. Uw antwoord is vastgelegd.' },
        }),
      );
    },
  );
}
