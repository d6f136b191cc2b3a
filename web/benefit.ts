// The benefit payer's page for one participant (gemeente or UWV, its analyst; the office's coordinator too): the
// instrument under which the participant keeps the benefit as GET /v1/trajectories/{id}/benefit shows it (and
// nothing more of the trajectory than its pseudonymous reference), the payer's extension decision (the same as
// POST .../benefit-extensions, offered while the rule leaves room) and the confirmation that the benefit was
// adjusted or ended for the BBL contract (POST .../benefit-adjustment). The same policy as those routes (resource
// 'benefit': the participant's own payer and its office), the same service, a repeat recording nothing twice.
// The morning mail's benefit_maximum and benefit_adjustment items link here (web/tasks.ts `benefit`). Dates are
// typed as day-month-year in a text box: a browser's date control orders its parts by the browser's own language
// (month first in an English one), so 1-12 typed by keyboard could arrive as 12 January.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Access } from '../api/access';
import { containsBsn } from '../api/bsn';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { idempotent } from '../api/idempotency';
import type { AdjustmentBody, BenefitView } from '../api/schemas/benefit';
import { benefitSheet, recordAdjustment, recordExtension } from '../api/services/benefit';
import type { ExtensionDecision } from '../domain/benefit';
import { html, type Html } from './html';
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
import { taskOf } from './tasks';

type Params = { id: string };
type Form = Record<string, string | undefined>;
type Sheet = Awaited<ReturnType<typeof benefitSheet>>;

/** The address of a participant's benefit page. */
export const benefitPath = (trajectoryId: string) => `/trajecten/${encodeURIComponent(trajectoryId)}/uitkering`;

/** The API routes' policy (api/routes/benefit.ts PAYER_OR_OFFICE): the payer of this participant and its office. */
const PAYER_OR_OFFICE: Pick<Access, 'roles' | 'resource'> = {
  roles: ['admin', 'coordinator', 'funder'],
  resource: 'benefit',
};

const OUTCOMES = [
  { value: 'adjusted', label: 'Aangepast aan het loon van de BBL-arbeidsovereenkomst' },
  { value: 'ended', label: 'Beëindigd' },
] as const;

const NO_DATE = 'Dit is geen bestaande datum. Vul dag-maand-jaar in, bijvoorbeeld 1-9-2027.';
const kenmerk = (reference?: string) => (reference ? ` (${reference})` : '');
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Whether the rule leaves room for an extension decision: the maximum is not yet its ceiling. */
const extendable = (v: BenefitView) => v.check.maximumEnd < v.check.ceiling;

function benefitPage(
  request: FastifyRequest,
  reply: FastifyReply,
  s: Sheet,
  o: { form?: Form; errors?: Errors; notice?: { kind: 'ok' | 'error'; text: string } } = {},
): Html {
  const v = s.view;
  const day = (d: string) => inWords(d, s.today);
  const form = o.form ?? {};
  const errors = o.errors ?? {};
  // A field shows what was entered and its problem only on the form that was sent, not on the page's other form.
  const field = (which: string, name: string) => {
    const sent = form.formulier === which;
    return { name, value: sent ? form[name] : undefined, errors: sent ? errors : {} };
  };
  const uitkomst = field('aanpassing', 'uitkomst');
  const formStart = (which: string) =>
    html`<input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
      <input type="hidden" name="formKey" value="${randomUUID()}" />
      <input type="hidden" name="formulier" value="${which}" />`;
  const adjustment = v.adjustment
    ? `${v.adjustment.outcome === 'ended' ? 'Beëindigd' : 'Aangepast'} per ${day(v.adjustment.date)}`
    : 'Nog niet bevestigd';
  return personPage(
    request,
    reply,
    { title: `Uitkering van deelnemer ${s.reference}`, notice: o.notice },
    html`<p class="utrecht-paragraph">
        De deelnemer behoudt tijdens het traject de uitkering met het instrument hieronder. U legt hier uw
        verlengingsbesluit vast, en na de start van de BBL-arbeidsovereenkomst dat de uitkering is aangepast of
        beëindigd.
      </p>
      ${facts([
        ['Instrument', v.instrumentName],
        ['Wettelijke grondslag', v.legalBasis],
        ['Begonnen op', day(v.startDate)],
        ['Besluit van', day(v.decisionDate)],
        ['Loopt tot en met', day(v.check.maximumEnd)],
        ['Verlengen kan tot uiterlijk', extendable(v) ? day(v.check.ceiling) : 'Verder verlengen kan niet'],
        ['Het traject eindigt volgens plan op', day(v.check.plannedEnd)],
        [
          'Verlengingen',
          v.extensions.length
            ? v.extensions
                .map((x) => `tot en met ${day(x.until)}, besluit van ${day(x.decidedOn)}${kenmerk(x.reference)}`)
                .join('; ')
            : 'Geen',
        ],
        ['Uitkering voor de BBL', adjustment],
      ])}
      ${
        v.check.pastMaximum && v.check.explanation
          ? html`<div class="utrecht-alert utrecht-alert--warning">
              <p class="utrecht-paragraph">
                <strong>Let op: ${capital(v.check.explanation.nl)}.</strong>
                ${
                  extendable(v)
                    ? 'Leg hieronder uw verlengingsbesluit vast, of overleg met het programmabureau over het einde ' +
                      'van het traject.'
                    : 'Overleg met het programmabureau over het einde van het traject.'
                }
              </p>
            </div>`
          : ''
      }
      ${
        extendable(v)
          ? html`<form method="post" novalidate>
              <h2 class="utrecht-heading-2">Verlenging vastleggen</h2>
              ${formStart('verlenging')}
              ${textField({
                ...field('verlenging', 'tot'),
                label: 'Verlengd tot en met',
                hint: `Uiterlijk ${day(v.check.ceiling)}. Dag-maand-jaar, bijvoorbeeld 31-5-2027.`,
              })}
              ${textField({
                ...field('verlenging', 'besluitdatum'),
                label: 'Datum van uw besluit',
                hint: 'Dag-maand-jaar, bijvoorbeeld 20-2-2027.',
              })}
              ${textField({
                ...field('verlenging', 'kenmerk'),
                label: 'Uw kenmerk (niet verplicht)',
                hint: 'Het kenmerk van de beschikking; geen burgerservicenummer.',
              })}
              <button type="submit" class="utrecht-button utrecht-button--primary-action">Verlenging vastleggen</button>
            </form>`
          : ''
      }
      <form method="post" novalidate>
        <h2 class="utrecht-heading-2">Uitkering aangepast of beëindigd voor de BBL</h2>
        ${formStart('aanpassing')}
        ${radioField({
          name: uitkomst.name,
          legend: 'Wat heeft u met de uitkering gedaan?',
          options: [...OUTCOMES],
          chosen: uitkomst.value,
          errors: uitkomst.errors,
        })}
        ${textField({
          ...field('aanpassing', 'ingangsdatum'),
          label: 'Ingangsdatum',
          hint: 'De dag waarop de aanpassing of het einde ingaat. Dag-maand-jaar, bijvoorbeeld 1-9-2027.',
        })}
        <button type="submit" class="utrecht-button utrecht-button--primary-action">Aanpassing bevestigen</button>
      </form>`,
  );
}

/** The adjustment form as the API's body, or the Dutch problems with it (by field). */
function adjustmentOf(form: Form): { body?: AdjustmentBody; errors: Errors } {
  const errors: Errors = {};
  const outcome = OUTCOMES.find((x) => x.value === form.uitkomst)?.value;
  if (!outcome) errors.uitkomst = 'Kies of de uitkering is aangepast of beëindigd.';
  const date = readDate(form.ingangsdatum);
  if (date === '') errors.ingangsdatum = 'Vul de ingangsdatum in.';
  else if (date === undefined) errors.ingangsdatum = NO_DATE;
  return outcome && date ? { body: { outcome, date }, errors } : { errors };
}

/** The extension form as the API's body, or the Dutch problems with it (by field). */
function extensionOf(form: Form): { body?: ExtensionDecision; errors: Errors } {
  const errors: Errors = {};
  const until = readDate(form.tot);
  if (until === '') errors.tot = 'Vul in tot en met welke dag u verlengt.';
  else if (until === undefined) errors.tot = NO_DATE;
  const decidedOn = readDate(form.besluitdatum);
  if (decidedOn === '') errors.besluitdatum = 'Vul de datum van uw besluit in.';
  else if (decidedOn === undefined) errors.besluitdatum = NO_DATE;
  const reference = String(form.kenmerk ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  // The API refuses a BSN in any text field (api/bsn.ts); so does its page.
  if (containsBsn(reference)) errors.kenmerk = 'Dit kenmerk bevat een burgerservicenummer (BSN); laat dat weg.';
  else if (reference.length > 100) errors.kenmerk = 'Het kenmerk is te lang: hoogstens 100 tekens.';
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u001f\ufffd]/.test(reference)) errors.kenmerk = 'Het kenmerk bevat een teken dat niet kan.';
  if (Object.keys(errors).length || !until || !decidedOn) return { errors };
  return { body: { until, decidedOn, ...(reference && { reference }) }, errors };
}

export async function benefitRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const task = (request: FastifyRequest) =>
    taskOf.benefit((request.params as Params).id, request.person?.organisationId ?? '');

  app.get<{ Params: Params }>(
    '/trajecten/:id/uitkering',
    { schema: { hide: true }, config: { task, access: { ...PAYER_OR_OFFICE, audit: 'read' } } },
    async (request, reply) => sendPage(reply, benefitPage(request, reply, await benefitSheet(deps, request.params.id))),
  );

  app.post<{ Params: Params; Body: Form }>(
    '/trajecten/:id/uitkering',
    {
      schema: { hide: true },
      preHandler: app.csrfProtection,
      config: { task, access: { ...PAYER_OR_OFFICE, audit: 'change' } },
    },
    async (request, reply) => {
      const form = request.body ?? {};
      const id = request.params.id;
      const before = await benefitSheet(deps, id);
      const extension = form.formulier === 'verlenging' && extendable(before.view);
      if (!extension && form.formulier !== 'aanpassing')
        return sendPage(
          reply,
          benefitPage(request, reply, before, { notice: { kind: 'error', text: 'Kies een van de formulieren.' } }),
          422,
        );
      const { body, errors } = extension ? extensionOf(form) : adjustmentOf(form);
      if (!body) return sendPage(reply, benefitPage(request, reply, before, { form, errors }), 422);
      try {
        await idempotent(
          deps.db,
          {
            scope: `${request.principal.actor}|web|benefit-${extension ? 'extension' : 'adjustment'}|${id}`,
            key: String(form.formKey ?? randomUUID()),
            body,
          },
          async (requestId) => ({
            statusCode: 200,
            body: extension
              ? await recordExtension(deps, request.principal, id, body as ExtensionDecision, requestId)
              : await recordAdjustment(deps, request.principal, id, body as AdjustmentBody),
          }),
        );
      } catch (e) {
        if (!(e instanceof DomainError) || e.status !== 422) throw e;
        // The rule's own refusal (an extension past the ceiling, or ending before the first period), in its Dutch.
        const problem = e.errors?.[0];
        const field = extension ? 'tot' : 'ingangsdatum';
        const text = problem?.nl ? `${capital(problem.nl)}.` : 'Dat lukte niet. Controleer wat u invulde.';
        return sendPage(reply, benefitPage(request, reply, before, { form, errors: { [field]: text } }), 422);
      }
      const text = extension
        ? `Dank u wel. Vastgelegd: verlengd tot en met ${inWords((body as ExtensionDecision).until, before.today)}.`
        : `Dank u wel. Vastgelegd: uitkering ${
            (body as AdjustmentBody).outcome === 'ended' ? 'beëindigd' : 'aangepast'
          } per ${inWords((body as AdjustmentBody).date, before.today)}.`;
      const notice = { kind: 'ok' as const, text };
      return sendPage(reply, benefitPage(request, reply, await benefitSheet(deps, id), { notice }));
    },
  );
}
