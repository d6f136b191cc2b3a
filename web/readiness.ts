// An employer's readiness as a leerbedrijf on its partner page (/partners/{id}), for the office's coordinator:
// per qualification whether a placement can start and what is missing, the SBB recognition with a link to SBB's
// public register, the praktijkopleider, the checklist of randvoorwaarden (seed 000) and the places; and the form
// that records it (the same service as PUT /v1/organisations/{id}/readiness/{crebo}). Works without JavaScript: a
// saved form comes back to the partner page (303), a wrong one to this form with the message next to each field.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { COORDINATION } from '../api/access';
import type { AppDeps } from '../api/deps';
import { DomainError } from '../api/errors';
import { contactRows, getOrganisation, pageContacts } from '../api/services/partners';
import { getReadiness, setReadiness } from '../api/services/readiness';
import { today } from '../api/services/trajectories';
import type { Organisation } from '../api/schemas/organisation';
import type { Readiness, ReadinessInput } from '../api/schemas/readiness';
import { CHECKLIST, CHECKLIST_ITEMS, CREBO_NAMES, READINESS_LIMITS, WELSLAGEN_CREBO } from '../domain/readiness';
import { html, type Html } from './html';
import {
  checkboxField,
  csrfOf,
  facts,
  inWords,
  personPage,
  radioField,
  sendPage,
  textField,
  type Errors,
} from './form-parts';
import { readDate } from './form-field';
import { allPages, pageLinks } from './office-words';

type Form = Record<string, string | undefined>;
const ACCESS = { access: { roles: COORDINATION, resource: 'organisation' as const, manage: true } };
const NOBODY = 'niemand';

/** Who checked, in words: a person by name, the import from SBB's data as such. */
async function checkers(deps: Pick<AppDeps, 'db'>, items: Readiness[]): Promise<Map<string, string>> {
  const ids = items.flatMap((r) =>
    r.recognition?.checkedBy.startsWith('contact:') ? [r.recognition.checkedBy.slice(8)] : [],
  );
  return new Map((await contactRows(deps, ids)).map((c) => [`contact:${c.id}`, c.name]));
}
const checkerName = (by: string, names: Map<string, string>) =>
  by === 'SBB-import' ? 'de import uit de gegevens van SBB' : (names.get(by) ?? `sleutel ${by}`);

// The verdict is no live region (role="status"): it is part of the page, not news of what the person just did,
// and the page's own status message after saving must stay the one a screen reader announces.
function status(r: Readiness, names: Map<string, string>, on: string): Html {
  const blocking = r.missing.filter((g) => g.blocks);
  const open = r.missing.filter((g) => !g.blocks);
  return html`<h3 class="utrecht-heading-3">${r.qualification}, crebo ${r.crebo}</h3>
    <div class="utrecht-alert utrecht-alert--${blocking.length ? 'warning' : 'ok'}">
      <p class="utrecht-paragraph">
        ${
          blocking.length
            ? 'Een plaatsing kan hier niet starten, tenzij u bij de start een reden opgeeft om af te wijken.'
            : 'Een plaatsing kan hier starten.'
        }
      </p>
      ${
        r.missing.length
          ? html`<p class="utrecht-paragraph">Nog niet in orde:</p>
              <ul class="utrecht-unordered-list">
                ${blocking.map((g) => html`<li>${g.nl}</li>`)}
                ${open.map((g) => html`<li>${g.nl} (houdt de start niet tegen)</li>`)}
              </ul>`
          : ''
      }
    </div>
    ${facts([
      [
        'Erkenning SBB',
        r.recognition
          ? `nummer ${r.recognition.number}, erkend op ${inWords(r.recognition.recognisedOn, on)}; gecontroleerd op ` +
            `${inWords(r.recognition.checkedOn, on)} door ${checkerName(r.recognition.checkedBy, names)}`
          : 'niet vastgelegd',
      ],
      [
        'Register van SBB',
        html`<a class="utrecht-link" href="${r.registerLink}" rel="noopener noreferrer"
          >Zoek deze werkgever in het register van leerbedrijven (Stagemarkt)</a
        >`,
      ],
      [
        'Praktijkopleider',
        r.mentor
          ? `${r.mentor.name} (${r.mentor.email}), ${r.mentor.hoursPerWeek} uur per week; ` +
            (r.mentor.confirmedOn
              ? `bevestigd door de werkgever op ${inWords(r.mentor.confirmedOn, on)}`
              : 'nog niet bevestigd')
          : 'nog niet genoemd',
      ],
      [
        'Randvoorwaarden',
        html`<ul class="utrecht-unordered-list compact-list">
          ${CHECKLIST_ITEMS.map((k) => html`<li>${CHECKLIST[k]}: ${r.checklist[k] ? 'ja' : 'nee'}</li>`)}
        </ul>`,
      ],
      ['Plaatsen', `${r.places}, waarvan ${r.placesInUse} bezet`],
    ])}`;
}

/** The form's values from a record (or empty), as the form sends them. */
function formOf(r: Readiness | undefined, kvk: string | null): Form {
  const f: Form = {
    kwalificatie: r?.crebo ?? WELSLAGEN_CREBO,
    kvk: kvk ?? '',
    erkenningsnummer: r?.recognition?.number ?? '',
    erkendOp: r?.recognition?.recognisedOn ?? '',
    gecontroleerdOp: r?.recognition?.checkedOn ?? '',
    praktijkopleider: r?.mentor?.contactId ?? NOBODY,
    uren: r?.mentor ? String(r.mentor.hoursPerWeek) : '',
    plaatsen: r ? String(r.places) : '',
  };
  for (const k of CHECKLIST_ITEMS) f[k] = r?.checklist[k] ? 'ja' : undefined;
  return f;
}

/** The readiness section of an employer's partner page: the status per qualification, then the form. */
export async function readinessSection(
  deps: Pick<AppDeps, 'db' | 'now'>,
  request: FastifyRequest,
  reply: FastifyReply,
  org: Organisation,
  o: { form?: Form; errors?: Errors; saved?: boolean } = {},
): Promise<Html> {
  if (org.kind !== 'employer') return html``;
  const list = await getReadiness(deps, request.principal, org.id);
  const names = await checkers(deps, list.records);
  const trainers = (await allPages((page) => pageContacts(deps, request.principal, org.id, page), 1000)).filter(
    (c) => c.role === 'workplace_trainer',
  );
  const f = o.form ?? formOf(list.records[0], list.kvk);
  const e = o.errors ?? {};
  return html`<section aria-labelledby="gereedheid-kop">
    <h2 class="utrecht-heading-2" id="gereedheid-kop">Gereedheid als leerbedrijf</h2>
    ${
      o.saved
        ? html`<div class="utrecht-alert utrecht-alert--ok" role="status">
            <p class="utrecht-paragraph">De gereedheid is opgeslagen.</p>
          </div>`
        : ''
    }
    <p class="utrecht-paragraph">
      Een deelnemer begint hier pas als ${org.name} erkend leerbedrijf is voor de opleiding, aan de randvoorwaarden
      voldoet en een plaats vrij heeft.
    </p>
    ${
      list.records.length
        ? list.records.map((r) => status(r, names, today(deps)))
        : html`<p class="utrecht-paragraph">
            Nog niet gecontroleerd: een plaatsing kan hier niet starten, tenzij u bij de start een reden opgeeft.
          </p>`
    }
    <form method="post" action="/partners/${org.id}/gereedheid" novalidate>
      <h3 class="utrecht-heading-3">Gereedheid vastleggen</h3>
      <input type="hidden" name="_csrf" value="${csrfOf(reply)}" />
      ${radioField({
        name: 'kwalificatie',
        legend: 'Opleiding (BBL-kwalificatie)',
        options: Object.entries(CREBO_NAMES).map(([crebo, name]) => ({
          value: crebo,
          label: `${name}, crebo ${crebo}`,
        })),
        chosen: f.kwalificatie,
        errors: e,
      })}
      ${textField({
        name: 'kvk',
        label: 'KvK-nummer (8 cijfers)',
        hint: 'Hiermee vindt de import uit de gegevens van SBB deze werkgever.',
        value: f.kvk,
        errors: e,
      })}
      ${textField({
        name: 'erkenningsnummer',
        label: 'Erkenningsnummer SBB',
        hint: 'Leeg: nog niet erkend.',
        value: f.erkenningsnummer,
        errors: e,
      })}
      ${textField({ name: 'erkendOp', label: 'Erkend op', type: 'date', value: f.erkendOp, errors: e })}
      ${textField({
        name: 'gecontroleerdOp',
        label: 'Gecontroleerd in het register op',
        hint: 'U wordt vastgelegd als degene die controleerde.',
        type: 'date',
        value: f.gecontroleerdOp,
        errors: e,
      })}
      ${radioField({
        name: 'praktijkopleider',
        legend: 'Praktijkopleider',
        options: [
          ...trainers.map((c) => ({ value: c.id, label: `${c.name} (${c.email})` })),
          { value: NOBODY, label: 'Nog niemand genoemd' },
        ],
        chosen: f.praktijkopleider,
        errors: e,
      })}
      ${textField({
        name: 'uren',
        label: 'Uren per week van de praktijkopleider voor de deelnemers',
        value: f.uren,
        errors: e,
      })}
      <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset">
        <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">
          Randvoorwaarden (checklist)
        </legend>
        ${CHECKLIST_ITEMS.map((k) =>
          checkboxField({ name: k, label: CHECKLIST[k], checked: f[k] === 'ja', errors: e }),
        )}
      </fieldset>
      ${textField({ name: 'plaatsen', label: 'Aantal plaatsen voor deelnemers', value: f.plaatsen, errors: e })}
      <button type="submit" class="utrecht-button utrecht-button--primary-action">Gereedheid opslaan</button>
    </form>
  </section>`;
}

const wholeNumber = (s: string | undefined, min: number, max: number) => {
  const t = String(s ?? '').trim();
  return /^\d{1,4}$/.test(t) && Number(t) >= min && Number(t) <= max ? Number(t) : undefined;
};

/** The form as the service's body, or its problems in Dutch by field. */
export function readinessOf(form: Form, trainers: string[]): { errors: Errors; crebo: string; body?: ReadinessInput } {
  const errors: Errors = {};
  const crebo = String(form.kwalificatie ?? '');
  if (!(crebo in CREBO_NAMES)) errors.kwalificatie = 'Kies de opleiding.';
  const kvk = String(form.kvk ?? '').trim();
  if (kvk && !/^\d{8}$/.test(kvk)) errors.kvk = 'Een KvK-nummer heeft 8 cijfers, zoals 12345678.';
  const number = String(form.erkenningsnummer ?? '').trim();
  const recognisedOn = readDate(form.erkendOp);
  const checkedOn = readDate(form.gecontroleerdOp);
  if (number) {
    if (!/^[A-Za-z0-9-]{1,30}$/.test(number))
      errors.erkenningsnummer = 'Gebruik letters, cijfers en streepjes, hoogstens 30 tekens.';
    if (!recognisedOn) errors.erkendOp = 'Vul de datum van de erkenning in, zoals 3-6-2024.';
    if (!checkedOn) errors.gecontroleerdOp = 'Vul in wanneer u de erkenning in het register controleerde.';
    else if (recognisedOn && recognisedOn > checkedOn)
      errors.erkendOp = 'De erkenning kan niet later zijn dan de controle.';
  }
  const mentor = String(form.praktijkopleider ?? NOBODY);
  const hours = wholeNumber(form.uren, 1, READINESS_LIMITS.mentorHours);
  if (mentor !== NOBODY && !trainers.includes(mentor))
    errors.praktijkopleider = 'Kies een praktijkopleider uit de lijst.';
  if (mentor !== NOBODY && hours === undefined)
    errors.uren = `Vul het aantal uren per week in, van 1 tot en met ${READINESS_LIMITS.mentorHours}.`;
  const places = wholeNumber(form.plaatsen, 0, READINESS_LIMITS.places);
  if (places === undefined)
    errors.plaatsen = `Vul het aantal plaatsen in, van 0 tot en met ${READINESS_LIMITS.places}.`;
  if (Object.keys(errors).length) return { errors, crebo };
  const checklist = Object.fromEntries(
    CHECKLIST_ITEMS.map((k) => [k, form[k] === 'ja']),
  ) as ReadinessInput['checklist'];
  return {
    errors,
    crebo,
    body: {
      ...(kvk ? { kvk } : {}),
      ...(number ? { recognition: { number, recognisedOn: recognisedOn!, checkedOn: checkedOn! } } : {}),
      ...(mentor !== NOBODY ? { mentor: { contactId: mentor, hoursPerWeek: hours! } } : {}),
      checklist,
      places: places!,
    },
  };
}

/** The service's field names on the form's. */
const FIELD_OF: Record<string, string> = {
  kvk: 'kvk',
  'mentor.contactId': 'praktijkopleider',
  'recognition.recognisedOn': 'erkendOp',
  'recognition.checkedOn': 'gecontroleerdOp',
};

export async function readinessPageRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    org: Organisation,
    form: Form,
    errors: Errors,
  ) =>
    personPage(
      request,
      reply,
      {
        title: `Gereedheid van ${org.name}`,
        notice: { kind: 'error', text: 'Niet opgeslagen: kijk bij de velden wat er mist.' },
      },
      html`${pageLinks}
        <p class="utrecht-paragraph"><a class="utrecht-link" href="/partners/${org.id}">Terug naar ${org.name}</a></p>
        ${await readinessSection(deps, request, reply, org, { form, errors })}`,
    );

  app.post<{ Params: { id: string }; Body: Form }>(
    '/partners/:id/gereedheid',
    { schema: { hide: true }, preHandler: app.csrfProtection, config: ACCESS },
    async (request, reply) => {
      const org = await getOrganisation(deps, request.params.id);
      const form = request.body ?? {};
      const trainers = (await allPages((page) => pageContacts(deps, request.principal, org.id, page), 1000))
        .filter((c) => c.role === 'workplace_trainer')
        .map((c) => c.id);
      const { errors, crebo, body } = readinessOf(form, trainers);
      if (!body) return sendPage(reply, await formPage(request, reply, org, form, errors), 422);
      try {
        await setReadiness(deps, request.principal, org.id, crebo, body);
      } catch (e) {
        if (!(e instanceof DomainError) || e.status !== 422) throw e;
        const mapped: Errors = Object.fromEntries(
          (e.errors ?? []).map((p) => [
            FIELD_OF[p.field] ?? 'kwalificatie',
            `${p.nl.charAt(0).toUpperCase()}${p.nl.slice(1)}.`,
          ]),
        );
        return sendPage(reply, await formPage(request, reply, org, form, mapped), 422);
      }
      return reply.redirect(`/partners/${org.id}?gereedheid=opgeslagen#gereedheid-kop`, 303);
    },
  );
}
