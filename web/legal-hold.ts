// The legal hold on the privacy pages of a trajectory and of a candidate: the hold in force with the form to lift
// it (with a reason), or the form to place one (reason, last day), and the earlier holds. The forms post to
// `{page}/bewaarplicht` and `{page}/bewaarplicht/opheffen` under the page's own access policy, and call the same
// service as the API (api/services/legal-holds.ts); a refusal is shown next to its field.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Access } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import type { LegalHolds } from '../api/schemas/legal-hold';
import { liftHold, placeHold } from '../api/services/legal-holds';
import type { HoldSubject } from '../db/legal-holds';
import { isValidDate } from '../domain/calendar';
import { dutchDay } from '../domain/dutch';
import { html, type Html } from './html';
import { csrfOf, sendPage, textField, type Errors } from './form-parts';

/** What a page re-rendered after a refused form shows again: the errors, and what was typed. */
export interface HoldForm {
  errors?: Errors;
  reason?: string;
  until?: string;
}

export function holdSection(
  reply: FastifyReply,
  o: HoldForm & { path: string; anonymised: boolean; holds: LegalHolds },
): Html {
  const errors = o.errors ?? {};
  const h = o.holds.inForce;
  const earlier = o.holds.holds.filter((x) => x.id !== h?.id);
  return html`<h2 class="utrecht-heading-2">Bewaarplicht (legal hold)</h2>
    ${
      h
        ? html`<p class="utrecht-paragraph">
              Deze gegevens vallen onder een bewaarplicht tot en met ${dutchDay(h.until)}: ${h.reason}. Tot dan worden
              ze niet geanonimiseerd, ook niet op verzoek.
            </p>
            <form method="post" action="${o.path}/bewaarplicht/opheffen" novalidate>
              <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
              ${textField({ name: 'reden_opheffen', label: 'Waarom eindigt de bewaarplicht eerder?', errors })}
              <button type="submit" class="utrecht-button utrecht-button--secondary-action">
                Bewaarplicht opheffen
              </button>
            </form>`
        : o.anonymised
          ? ''
          : html`<p class="utrecht-paragraph">
                Vraagt een wet of regeling om de gegevens langer te bewaren dan de bewaartermijn (bijvoorbeeld 5 jaar
                voor de subsidie praktijkleren of ESF+), of loopt er een geschil? Leg dan een bewaarplicht vast, met de
                reden en de laatste dag. Daarna geldt de gewone bewaartermijn weer.
              </p>
              <form method="post" action="${o.path}/bewaarplicht" novalidate>
                <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
                <input type="hidden" name="sleutel" value="${randomUUID()}" />
                ${textField({ name: 'reden', label: 'Reden', value: o.reason ?? '', errors })}
                ${textField({ name: 'tot', label: 'Bewaren tot en met', type: 'date', value: o.until ?? '', errors })}
                <button type="submit" class="utrecht-button utrecht-button--secondary-action">
                  Bewaarplicht vastleggen
                </button>
              </form>`
    }
    ${
      earlier.length
        ? html`<p class="utrecht-paragraph">Eerder:</p>
            <ul class="utrecht-unordered-list">
              ${earlier.map(
                (x) =>
                  html`<li>
                    ${x.reason}, tot en met
                    ${dutchDay(x.until)}${
                      x.lifted ? html`; opgeheven op ${dutchDay(x.lifted.on)}: ${x.lifted.reason}` : ''
                    }
                  </li>`,
              )}
            </ul>`
        : ''
    }`;
}

type Params = { id: string };

/** The two forms' routes under `path` (a privacy page's address with `:id`), re-rendering `page` on a refusal. */
export async function legalHoldForms(
  app: FastifyInstance,
  deps: AppDeps,
  o: {
    subject: HoldSubject;
    path: string;
    access: Access;
    page: (request: FastifyRequest, reply: FastifyReply, id: string, form: HoldForm) => Promise<Html>;
  },
): Promise<void> {
  const config = { access: { ...o.access, audit: 'change' as const } };
  const back = (reply: FastifyReply, id: string) => reply.redirect(o.path.replace(':id', id), 303);

  app.post<{ Params: Params; Body: { reden?: string; tot?: string; sleutel?: string } }>(
    `${o.path}/bewaarplicht`,
    { schema: { hide: true }, preHandler: app.csrfProtection, config },
    async (request, reply) => {
      const id = request.params.id;
      const reason = String(request.body?.reden ?? '').trim();
      const until = String(request.body?.tot ?? '').trim();
      const errors: Errors = {};
      if (!reason || reason.length > 500) errors.reden = 'Vul de reden in (ten hoogste 500 tekens).';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || !isValidDate(until))
        errors.tot = 'Vul de laatste dag van de bewaarplicht in als datum.';
      if (Object.keys(errors).length === 0)
        try {
          // The form's own key: a double submission places one hold.
          const key = String(request.body?.sleutel ?? '') || randomUUID();
          await placeHold(deps, request.principal, o.subject, id, { reason, until }, `web:${key}`);
          return back(reply, id);
        } catch (e) {
          if (!(e instanceof DomainError) || e.status >= 500) throw e;
          const field = e.errors?.find((x) => x.field === 'until');
          if (field) errors.tot = `De laatste dag ${field.nl}.`;
          else errors.reden = e.dutch?.detail ?? e.message;
        }
      return sendPage(reply, await o.page(request, reply, id, { errors, reason, until }), 422);
    },
  );

  app.post<{ Params: Params; Body: { reden_opheffen?: string } }>(
    `${o.path}/bewaarplicht/opheffen`,
    { schema: { hide: true }, preHandler: app.csrfProtection, config },
    async (request, reply) => {
      const id = request.params.id;
      const reason = String(request.body?.reden_opheffen ?? '').trim();
      if (!reason || reason.length > 500)
        return sendPage(
          reply,
          await o.page(request, reply, id, {
            errors: { reden_opheffen: 'Vul in waarom de bewaarplicht eerder eindigt.' },
          }),
          422,
        );
      try {
        await liftHold(deps, request.principal, o.subject, id, { reason });
      } catch (e) {
        // Lifted already (a second click): the page shows how it stands.
        if (!(e instanceof DomainError) || e.status !== 409) throw e;
      }
      return back(reply, id);
    },
  );
}
