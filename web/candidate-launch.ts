// Launching a round's matched candidates into a cohort, for the office's coordinator (issue 20): /werving/{id}/cohort
// lists the candidates matched with a placement and not launched yet, each with the employer it was matched with;
// the coordinator ticks who goes, chooses the covenant's ROC, the ROC day, the jobcoach, the benefit payer for a
// candidate no gemeente or UWV of the covenant handed over, and the start date. Starting runs the API's launch
// (api/services/candidate-launch.ts) under a cohort id chosen when the form was shown, so a double click or a
// repeat after an interruption starts nobody twice. No JavaScript needed; the same policy as the round's page.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { launchableCandidates, launchCandidates, launchedCandidates } from '../api/services/candidate-launch';
import { launchChoices, WEEKDAY_NL } from '../api/services/cohort-sheet';
import { getRound } from '../api/services/recruitment';
import { isMonday, WEEKDAYS, type Weekday } from '../domain/calendar';
import { html } from './html';
import { csrfOf, inWords, personPage, readDate, selectField, sendPage, textField, type Errors } from './form-parts';

const ACCESS = { access: { roles: ['admin', 'coordinator'] as const, resource: 'recruitment-round' as const } };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Form = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const many = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

async function launchPage(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  roundId: string,
  o: { form?: Form; errors?: Errors; problems?: string[]; started?: string } = {},
) {
  const round = await getRound(deps, roundId);
  const waiting = await launchableCandidates(deps.db, roundId);
  const choices = await launchChoices(deps, request.principal);
  const orgName = new Map(choices.covenants.flatMap((c) => [...c.employers, ...c.payers]).map((p) => [p.id, p.name]));
  const unique = <T extends { id: string }>(list: T[]) => [...new Map(list.map((x) => [x.id, x])).values()];
  const form = o.form ?? {};
  const errors = o.errors ?? {};
  const chosen = new Set(o.form ? many(form.kandidaat) : waiting.map((c) => c.id));
  const started = o.started ? await launchedCandidates(deps, roundId, o.started) : [];
  return personPage(
    request,
    reply,
    { title: `Gematchte kandidaten starten: ${round.name}` },
    html`${
        started.length
          ? html`<div class="utrecht-alert utrecht-alert--ok" role="status">
              <p class="utrecht-paragraph">
                Het cohort is gestart. Deze kandidaten lopen nu als deelnemer, met hun eigen kenmerk:
              </p>
              <ul class="utrecht-unordered-list" id="gestart">
                ${started.map((c) => html`<li>${c.first_name} ${c.last_name} (${c.reference})</li>`)}
              </ul>
            </div>`
          : ''
      }
      ${
        o.problems?.length
          ? html`<div class="utrecht-alert utrecht-alert--error" role="alert">
              <p class="utrecht-paragraph">Er is niemand gestart:</p>
              <ul class="utrecht-unordered-list" id="problemen">
                ${o.problems.map((p) => html`<li>${p}</li>`)}
              </ul>
            </div>`
          : ''
      }
      ${
        waiting.length === 0
          ? html`<p class="utrecht-paragraph">
              Er wacht geen gematchte kandidaat op de start. Een kandidaat kan starten zodra de laatste stap van het
              draaiboek (de match met een werkplek) is vastgelegd.
            </p>`
          : html`<form method="post" action="/werving/${round.id}/cohort" novalidate>
              <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
              <input type="hidden" name="start" value="${one(form.start) ?? randomUUID()}" />
              <div class="utrecht-form-field${errors.kandidaat ? ' utrecht-form-field--invalid' : ''}">
                <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset">
                  <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">
                    Wie start er
                  </legend>
                  ${
                    errors.kandidaat
                      ? html`<p class="utrecht-form-field-error-message" id="kandidaat-fout">${errors.kandidaat}</p>`
                      : ''
                  }
                  ${waiting.map(
                    (c, i) =>
                      html`<div class="utrecht-form-field utrecht-form-field--checkbox">
                        <input
                          class="utrecht-checkbox utrecht-checkbox--html-input"
                          type="checkbox"
                          id="kandidaat-${i}"
                          name="kandidaat"
                          value="${c.id}"
                          ${chosen.has(c.id) ? 'checked' : ''}
                        />
                        <label class="utrecht-form-label utrecht-form-label--checkbox" for="kandidaat-${i}">
                          ${c.first_name} ${c.last_name} (${c.reference}), bij
                          ${orgName.get(c.employer_id ?? '') ?? c.employer_id ?? ''}
                        </label>
                      </div>`,
                  )}
                </fieldset>
              </div>
              ${selectField({
                name: 'roc',
                label: 'ROC en convenant',
                options: choices.covenants.flatMap((c) =>
                  c.schools.map((s) => ({ value: `${c.id}::${s.id}`, label: `${s.name} (${c.name})` })),
                ),
                chosen: one(form.roc),
                errors,
              })}
              ${selectField({
                name: 'rocdag',
                label: 'ROC-dag',
                options: WEEKDAYS.map((d) => ({ value: d, label: WEEKDAY_NL[d] })),
                chosen: one(form.rocdag) ?? 'thursday',
                hint: 'De dag van de week waarop alle deelnemers naar het ROC gaan',
                errors,
              })}
              ${selectField({
                name: 'jobcoach',
                label: 'Jobcoach',
                options: unique(choices.covenants.flatMap((c) => c.jobcoaches)).map((j) => ({
                  value: j.id,
                  label: j.name,
                })),
                chosen: one(form.jobcoach),
                errors,
              })}
              ${selectField({
                name: 'financier',
                label: 'Uitkeringsinstantie',
                options: unique(choices.covenants.flatMap((c) => c.payers)).map((p) => ({
                  value: p.id,
                  label: p.name,
                })),
                chosen: one(form.financier),
                hint:
                  'Voor kandidaten die niet door een gemeente of het UWV uit het convenant zijn aangemeld; de ' +
                  'anderen houden de instantie die hen aanmeldde.',
                errors,
              })}
              ${textField({
                name: 'startdatum',
                label: 'Startdatum',
                type: 'date',
                hint: 'Een maandag: de eerste dag van week 1',
                value: one(form.startdatum),
                errors,
              })}
              <button type="submit" class="utrecht-button utrecht-button--primary-action">Cohort starten</button>
            </form>`
      }
      <p class="utrecht-paragraph"><a class="utrecht-link" href="/werving/${round.id}">Terug naar de ronde</a></p>`,
  );
}

export async function candidateLaunchRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  app.get<{ Params: { id: string }; Querystring: { gestart?: string } }>(
    '/werving/:id/cohort',
    { schema: { hide: true }, config: { access: { ...ACCESS.access, audit: 'read' as const } } },
    async (request, reply) => {
      const started = request.query.gestart;
      return sendPage(
        reply,
        await launchPage(deps, request, reply, request.params.id, {
          started: started && UUID.test(started) ? started : undefined,
        }),
      );
    },
  );

  app.post<{ Params: { id: string }; Body: Form }>(
    '/werving/:id/cohort',
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      config: { access: { ...ACCESS.access, audit: 'change' } },
    },
    async (request, reply) => {
      const form = request.body ?? {};
      const roundId = request.params.id;
      const errors: Errors = {};
      const candidateIds = many(form.kandidaat);
      if (candidateIds.length === 0) errors.kandidaat = 'Kies wie er start.';
      const [covenantId = '', schoolId = ''] = (one(form.roc) ?? '').split('::');
      if (!covenantId || !schoolId) errors.roc = 'Kies een ROC uit een van uw convenanten.';
      const schoolWeekday = WEEKDAYS.find((d) => d === one(form.rocdag)) as Weekday | undefined;
      if (!schoolWeekday) errors.rocdag = 'Kies de ROC-dag.';
      const startDate = readDate(one(form.startdatum));
      if (startDate === '') errors.startdatum = 'Vul de startdatum in.';
      else if (startDate === undefined)
        errors.startdatum = 'Dit is geen bestaande datum. Vul dag-maand-jaar in, bijvoorbeeld 5-4-2027.';
      else if (!isMonday(startDate))
        errors.startdatum = `${inWords(startDate)} is geen maandag. Een cohort begint op een maandag.`;
      const cohortId = one(form.start) ?? '';
      if (!UUID.test(cohortId)) errors.kandidaat = 'Het formulier is verlopen. Kies opnieuw wie er start.';
      if (Object.keys(errors).length || !schoolWeekday || !startDate)
        return sendPage(reply, await launchPage(deps, request, reply, roundId, { form, errors }), 422);
      try {
        await launchCandidates(deps, request.principal, roundId, cohortId, {
          candidateIds,
          covenantId,
          schoolId,
          schoolWeekday,
          startDate,
          jobcoachId: one(form.jobcoach) || undefined,
          benefitPayerId: one(form.financier) || undefined,
        });
      } catch (e) {
        if (!(e instanceof DomainError) || e.status >= 500 || e.status === 404) throw e;
        // The launch's own refusals, in Dutch and naming the candidate; the form stays as it was.
        const problems = (e.errors ?? []).map((p) => p.nl ?? p.message);
        return sendPage(
          reply,
          await launchPage(deps, request, reply, roundId, {
            form,
            problems: problems.length ? problems : [e.dutch?.detail ?? e.message],
          }),
          e.status,
        );
      }
      return reply.redirect(`/werving/${roundId}/cohort?gestart=${cohortId}`, 303);
    },
  );
}
