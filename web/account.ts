// "Mijn account", for every signed-in person: who they are here (name, organisation, role, e-mail address) and
// which reminders they get, within the programme's rules (api/services/account.ts): the informational ones of
// their role can be switched off, tasks cannot; and whether the morning brings one digest or each item in a
// mail of its own. The morning's mail (activities/reminders.ts) follows the choice.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { account, setMailPreferences, type Account, type OptionalKind } from '../api/services/account';
import type { ContactRole } from '../db/schema';
import { html, page, type Html } from './html';
import { csrfOf } from './form-parts';

const ROLE_TEXT: Record<ContactRole, string> = {
  workplace_trainer: 'Praktijkopleider',
  roc_coordinator: 'BPV-coördinator (ROC)',
  jobcoach: 'Jobcoach',
  coordinator: 'Coördinator (programmabureau)',
  funder_analyst: 'Analist (financier)',
};

/**
 * What always comes, per role: the tasks, which cannot be switched off. Each kind the morning mail sends the role
 * (activities/reminders.ts and the deadlines in activities/deadlines.ts, candidate-reminders.ts, pok-reminders.ts,
 * readiness-reminders.ts); only week_overview and risk_raised can be switched off (KIND_TEXT).
 */
const TASKS_TEXT: Record<ContactRole, string> = {
  workplace_trainer:
    'aanwezigheid die nog geregistreerd moet worden, de BBL-beslissing, de vragen 3, 6 en 12 maanden na de start ' +
    'en de termijn om subsidie praktijkleren aan te vragen',
  roc_coordinator:
    'ROC-dagen die nog geregistreerd moeten worden, de BBL-inschrijving, de praktijkovereenkomst die nog getekend ' +
    'moet worden (ook als die te laat is), een nieuw bpv-blad na een wisseling van werkgever en de vragen 3, 6 en 12 ' +
    'maanden na de start',
  jobcoach: 'checkpoints die eraan komen of te laat zijn',
  coordinator:
    'herinneringen aan partners die twee keer niet zijn opgevolgd, praktijkovereenkomsten die te laat zijn, ' +
    'stappen van kandidaten in de werving die eraan komen, te laat zijn of niet zijn opgevolgd, en het opnieuw ' +
    'controleren van de erkenning van leerbedrijven vóór het BBL-besluit',
  funder_analyst:
    'de uitkeringstermijnen van uw deelnemers: een instrument dat afloopt terwijl het traject nog doorloopt, en ' +
    'het aanpassen of beëindigen van de uitkering zodra de BBL-arbeidsovereenkomst begint',
};

const KIND_TEXT: Record<OptionalKind, { label: string; description: string }> = {
  week_overview: {
    label: 'Weekoverzicht op maandag',
    description: 'Wie er deze week op welke dagen bij u verwacht wordt. Ter informatie; er hoeft niets te gebeuren.',
  },
  risk_raised: {
    label: 'Risicosignalen',
    description: 'Een nieuw risico bij een deelnemer, zoals veel afwezigheid of een checkpoint in gevaar.',
  },
};

const FIELD = 'aan';
const DELIVERY = 'bezorging';
const DELIVERY_TEXT = { digest: 'Alles samen in één e-mail per ochtend', 'per-taak': 'Elke taak in een eigen e-mail' };

/** The choices the person may switch off, as checkboxes; a message next to them when the choice was refused. */
function kindsFieldset(a: Account, error?: string): Html {
  if (a.offered.length === 0)
    return html`<p class="utrecht-paragraph">Voor uw rol zijn er geen berichten die u kunt uitzetten.</p>`;
  return html`<fieldset
    class="utrecht-form-fieldset${error ? ' utrecht-form-fieldset--invalid' : ''}"
    ${error ? html`aria-describedby="${FIELD}-fout"` : ''}
  >
    <legend class="utrecht-form-fieldset__legend">Ook ontvangen in de e-mail</legend>
    ${error ? html`<p class="utrecht-form-field-error-message" id="${FIELD}-fout">${error}</p>` : ''}
    ${a.offered.map(
      (k) =>
        html`<div class="utrecht-form-field utrecht-form-field--checkbox">
          <div class="utrecht-form-field__input">
            <input
              class="utrecht-checkbox utrecht-checkbox--html-input"
              type="checkbox"
              id="${FIELD}-${k}"
              name="${FIELD}"
              value="${k}"
              aria-describedby="${FIELD}-${k}-uitleg"
              ${error ? html`aria-invalid="true"` : ''}
              ${a.off.includes(k) ? '' : html`checked`}
            />
          </div>
          <div class="utrecht-form-field__label">
            <label class="utrecht-form-label utrecht-form-label--checkbox" for="${FIELD}-${k}"
              >${KIND_TEXT[k].label}</label
            >
          </div>
          <p class="utrecht-form-field-description" id="${FIELD}-${k}-uitleg">${KIND_TEXT[k].description}</p>
        </div>`,
    )}
  </fieldset>`;
}

/** Digest or each item apart, as radio buttons. */
function deliveryFieldset(a: Account, error?: string): Html {
  return html`<fieldset
    class="utrecht-form-fieldset${error ? ' utrecht-form-fieldset--invalid' : ''}"
    ${error ? html`aria-describedby="${DELIVERY}-fout"` : ''}
  >
    <legend class="utrecht-form-fieldset__legend">Hoe wilt u uw e-mail ontvangen?</legend>
    ${error ? html`<p class="utrecht-form-field-error-message" id="${DELIVERY}-fout">${error}</p>` : ''}
    ${(['digest', 'per-taak'] as const).map(
      (v) =>
        html`<div class="utrecht-form-field utrecht-form-field--radio">
          <div class="utrecht-form-field__input">
            <input
              class="utrecht-radio-button utrecht-radio-button--html-input"
              type="radio"
              id="${DELIVERY}-${v}"
              name="${DELIVERY}"
              value="${v}"
              ${error ? html`aria-invalid="true"` : ''}
              ${a.perItem === (v === 'per-taak') ? html`checked` : ''}
            />
          </div>
          <div class="utrecht-form-field__label">
            <label class="utrecht-form-label utrecht-form-label--radio" for="${DELIVERY}-${v}"
              >${DELIVERY_TEXT[v]}</label
            >
          </div>
        </div>`,
    )}
  </fieldset>`;
}

function accountPage(
  request: FastifyRequest,
  reply: FastifyReply,
  a: Account,
  o: { notice?: { kind: 'ok' | 'error'; text: string }; errors?: { kinds?: string; delivery?: string } } = {},
): Html {
  const person = request.person!;
  return page(
    {
      title: 'Mijn account',
      person: { name: person.name, organisation: person.organisationName, csrf: csrfOf(reply) },
      notice: o.notice,
    },
    html`<h2 class="utrecht-heading-2">Uw gegevens</h2>
      <dl class="utrecht-data-list">
        <div class="utrecht-data-list__item">
          <dt class="utrecht-data-list__item-key">Naam</dt>
          <dd class="utrecht-data-list__item-value">${a.name}</dd>
        </div>
        <div class="utrecht-data-list__item">
          <dt class="utrecht-data-list__item-key">Organisatie</dt>
          <dd class="utrecht-data-list__item-value">${a.organisation}</dd>
        </div>
        <div class="utrecht-data-list__item">
          <dt class="utrecht-data-list__item-key">Rol</dt>
          <dd class="utrecht-data-list__item-value">${ROLE_TEXT[a.role]}</dd>
        </div>
        <div class="utrecht-data-list__item">
          <dt class="utrecht-data-list__item-key">E-mailadres</dt>
          <dd class="utrecht-data-list__item-value">${a.email}</dd>
        </div>
      </dl>
      <p class="utrecht-paragraph">Klopt er iets niet? Vraag de organisatie die u uitnodigde het aan te passen.</p>
      <h2 class="utrecht-heading-2">E-mail</h2>
      <p class="utrecht-paragraph">
        Elke werkdag om 10:00 uur krijgt u wat er voor u klaarstaat. Daarbij zijn altijd ${TASKS_TEXT[a.role]}: die kunt
        u niet uitzetten.
      </p>
      ${
        a.role === 'funder_analyst'
          ? html`<p class="utrecht-paragraph">
              De cijfers van het programma leest u op de pagina
              <a class="utrecht-link" href="/uitkomsten">Uitkomsten</a>.
            </p>`
          : ''
      }
      <form method="post" action="/account">
        <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
        ${kindsFieldset(a, o.errors?.kinds)} ${deliveryFieldset(a, o.errors?.delivery)}
        <button type="submit" class="utrecht-button utrecht-button--primary-action">Keuze opslaan</button>
      </form>`,
  );
}

const send = (reply: FastifyReply, body: Html, code = 200) =>
  reply.code(code).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body.text);

/** Every role a person signs in as (web/session.ts ROLE_OF), and the admin as the API has it. */
const PEOPLE = ['admin', 'coordinator', 'employer', 'school', 'jobcoach', 'funder'] as const;

export async function accountRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  app.get('/account', { schema: { hide: true }, config: { access: { roles: PEOPLE } } }, async (request, reply) =>
    send(reply, accountPage(request, reply, await account(deps, request.principal))),
  );

  app.post<{ Body: Record<string, string | string[] | undefined> }>(
    '/account',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: { access: { roles: PEOPLE } } },
    async (request, reply) => {
      const given = request.body?.[FIELD];
      const wanted = (Array.isArray(given) ? given : given === undefined ? [] : [given]).map(String);
      const delivery = request.body?.[DELIVERY];
      // Nothing is saved unless the whole choice is valid; the page then shows the message next to the field.
      if (delivery !== 'digest' && delivery !== 'per-taak')
        return send(
          reply,
          accountPage(request, reply, await account(deps, request.principal), {
            errors: { delivery: 'Kies hoe u uw e-mail wilt ontvangen. Er is niets opgeslagen.' },
          }),
          422,
        );
      try {
        const saved = await setMailPreferences(deps, request.principal, wanted, delivery === 'per-taak');
        return send(
          reply,
          accountPage(request, reply, saved, { notice: { kind: 'ok', text: 'Uw keuze is opgeslagen.' } }),
        );
      } catch (e) {
        if (!(e instanceof DomainError) || e.status !== 422) throw e;
        return send(
          reply,
          accountPage(request, reply, await account(deps, request.principal), {
            errors: { kinds: 'Kies alleen uit de berichten hieronder. Er is niets opgeslagen.' },
          }),
          422,
        );
      }
    },
  );
}
