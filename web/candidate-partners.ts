// What employers and jobcoaches see of recruitment (issue 20). The employer: the candidates proposed to it for a
// trial day (reference, first name, the step and its deadline) with one form per candidate for its judgement,
// positief or negatief with a note. The jobcoach: "Mijn kandidaten", where each assigned candidate stands. Both see
// the minimised card the API gives them (no BSN hash, birth date, source; the employer no e-mail address); every
// candidate shown is audited. The judgement goes through the same policy as POST /v1/candidates/{id}/steps for an
// employer: only its own trial day, anything else answers 404 as an unknown candidate.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditCandidateReads, trialDayOnly, type Access } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { idempotent } from '../api/idempotency';
import type { CandidateCard } from '../api/schemas/candidate-people';
import { partnerCandidates, recordStepAs } from '../api/services/candidate-people';
import { localDate } from '../domain/calendar';
import { CANDIDATE_STATUS_NL, OUTCOME_NL } from '../domain/recruitment';
import { readText } from './form-field';
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

const PARTNERS = ['employer', 'jobcoach'] as const;
const JUDGE: Access = { roles: ['employer'], resource: 'candidate', audit: 'change', conceals: trialDayOnly };

interface Judgement {
  id: string;
  values: Record<string, string>;
  errors: Errors;
}

function where(c: CandidateCard, today: string): Html {
  if (c.status !== 'in_progress') return html`${CANDIDATE_STATUS_NL[c.status]} (${c.stepName})`;
  return html`${c.stepName}, uiterlijk ${inWords(c.dueOn, today)}${c.overdue ? html` <strong>(te laat)</strong>` : ''}`;
}

function judgementForm(reply: FastifyReply, c: CandidateCard, today: string, j?: Judgement): Html {
  const values = j?.id === c.id ? j.values : {};
  const errors = j?.id === c.id ? j.errors : {};
  // Field names carry the candidate's id, so each form's labels and messages are unique on the page.
  const n = (field: string) => `${field}-${c.id}`;
  const e: Errors = Object.fromEntries(Object.entries(errors).map(([k, v]) => [n(k), v]));
  return html`<form method="post" action="/kandidaten/${encodeURIComponent(c.id)}/meeloopdag" novalidate>
    <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
    <input type="hidden" name="formKey" value="${randomUUID()}" />
    <input type="hidden" name="step" value="${c.trialDay!.step}" />
    <input type="hidden" name="field" value="${c.id}" />
    ${errors.form ? html`<p class="utrecht-form-field-error-message">${errors.form}</p>` : ''}
    ${radioField({
      name: n('outcome'),
      legend: 'Uw oordeel over de meeloopdag',
      options: (['positive', 'negative'] as const).map((x) => ({ value: x, label: OUTCOME_NL.meeloopdag[x] })),
      chosen: values.outcome,
      errors: e,
    })}
    ${textField({
      name: n('on'),
      label: 'Datum van de meeloopdag',
      type: 'date',
      value: values.on ?? c.trialDay?.trialDayOn ?? today,
      errors: e,
    })}
    ${textField({ name: n('note'), label: 'Toelichting (niet verplicht)', value: values.note, errors: e })}
    <button type="submit" class="utrecht-button utrecht-button--primary-action">Oordeel vastleggen</button>
  </form>`;
}

function listPage(
  request: FastifyRequest,
  reply: FastifyReply,
  cards: CandidateCard[],
  today: string,
  o: { judgement?: Judgement; notice?: { kind: 'ok' | 'error'; text: string } } = {},
): Html {
  const employer = request.principal.role === 'employer';
  const title = employer ? 'Voorgestelde kandidaten' : 'Mijn kandidaten';
  return personPage(
    request,
    reply,
    { title, notice: o.notice },
    cards.length === 0
      ? html`<p class="utrecht-paragraph">
          ${
            employer
              ? 'Er zijn (nog) geen kandidaten aan uw organisatie voorgesteld voor een meeloopdag.'
              : 'Er zijn (nog) geen kandidaten aan u toegewezen.'
          }
        </p>`
      : html`<p class="utrecht-paragraph">
            ${
              employer
                ? 'Het programmabureau stelt u deze kandidaten voor een meeloopdag voor. Geef na de dag uw oordeel.'
                : 'De kandidaten die u begeleidt, en waar elk staat in de werving.'
            }
          </p>
          ${cards.map(
            (c, i) =>
              html`<section aria-labelledby="kandidaat-${i}">
                <h2 class="utrecht-heading-2 utrecht-heading-2--distanced" id="kandidaat-${i}">
                  ${c.firstName} (${c.reference})
                </h2>
                ${facts([
                  ['Waar staat de kandidaat', where(c, today)],
                  ...(c.trialDay
                    ? ([
                        [
                          'Meeloopdag',
                          c.trialDay.outcome
                            ? `Oordeel: ${OUTCOME_NL.meeloopdag[c.trialDay.outcome]} ` +
                              `(${inWords(c.trialDay.judgedOn!, today)})`
                            : c.trialDay.trialDayOn
                              ? `Gepland op ${inWords(c.trialDay.trialDayOn, today)}`
                              : 'Nog geen datum afgesproken',
                        ],
                      ] as [string, string][])
                    : []),
                  ...(c.email ? ([['E-mailadres', c.email]] as [string, string][]) : []),
                ])}
                ${
                  employer &&
                  c.trialDay &&
                  !c.trialDay.outcome &&
                  c.step === c.trialDay.step &&
                  c.status === 'in_progress'
                    ? judgementForm(reply, c, today, o.judgement)
                    : ''
                }
              </section>`,
          )}`,
  );
}

export async function candidatePartnerRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const today = () => localDate(deps.now?.() ?? Date.now());

  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    o: Parameters<typeof listPage>[4] = {},
    code = 200,
  ) {
    const found = await partnerCandidates(deps, request.principal);
    await auditCandidateReads(
      deps.db,
      request,
      found.map((f) => ({ id: f.card.id, officeId: f.officeId })),
    );
    return sendPage(
      reply,
      listPage(
        request,
        reply,
        found.map((f) => f.card),
        today(),
        o,
      ),
      code,
    );
  }

  app.get('/kandidaten', { schema: { hide: true }, config: { access: { roles: PARTNERS } } }, async (request, reply) =>
    show(request, reply),
  );

  app.post<{ Params: { id: string }; Body: Record<string, string> }>(
    '/kandidaten/:id/meeloopdag',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: { access: JUDGE } },
    async (request, reply) => {
      const { id } = request.params;
      const b = request.body ?? {};
      const values = { outcome: b[`outcome-${id}`] ?? '', on: b[`on-${id}`] ?? '', note: b[`note-${id}`] ?? '' };
      const errors: Errors = {};
      if (values.outcome !== 'positive' && values.outcome !== 'negative') errors.outcome = 'Kies positief of negatief.';
      const on = readDate(values.on);
      if (!on) errors.on = 'Vul een datum in, zoals 30-11-2026.';
      const note = readText(values.note, { max: 1000, required: false, what: 'de toelichting' });
      if (note.error) errors.note = note.error;
      if (Object.keys(errors).length === 0) {
        const body = {
          step: String(b.step),
          outcome: values.outcome,
          on: on!,
          ...(note.text && { note: note.text }),
        };
        try {
          await idempotent(
            deps.db,
            { scope: `${request.principal.actor}|web|trial-day|${id}`, key: String(b.formKey ?? randomUUID()), body },
            async (updateId) => ({
              statusCode: 200,
              body: await recordStepAs(deps, request.principal, id, body, updateId),
            }),
          );
        } catch (e) {
          if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404 || e.status === 403) throw e;
          const problem = e.errors?.[0];
          const field = problem?.field === 'on' || problem?.field === 'outcome' ? problem.field : 'form';
          errors[field] =
            e.status === 409
              ? 'Deze kandidaat doet niet meer mee; er kan niets meer worden vastgelegd.'
              : (problem?.nl ?? 'Dit kon niet worden vastgelegd. Controleer wat u invulde en probeer het opnieuw.');
        }
      }
      const failed = Object.keys(errors).length > 0;
      return show(
        request,
        reply,
        failed
          ? {
              judgement: { id, values, errors },
              notice: { kind: 'error', text: 'Niets vastgelegd. Zie de melding bij het formulier hieronder.' },
            }
          : { notice: { kind: 'ok', text: 'Uw oordeel over de meeloopdag is vastgelegd. Dank u wel.' } },
        failed ? 422 : 200,
      );
    },
  );
}
