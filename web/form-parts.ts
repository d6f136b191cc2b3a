// The pieces the partner pages (participants, BBL, follow-up, closures) share: answering with a page, a date in
// Dutch, reading a date field, and form fields with their Dutch message next to them (the NL Design System's
// Utrecht form field: the message above the control, the control marked invalid and described by it).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { dutchDate } from '../domain/dutch';
import { isValidDate } from '../domain/calendar';
import { html, page, type Html, type PageOptions } from './html';

export const sendPage = (reply: FastifyReply, body: Html, code = 200) =>
  reply.code(code).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body.text);

const tokens = new WeakMap<FastifyReply, string>();

/**
 * The CSRF token of this answer, one for all its forms. Each reply.generateCsrf() on a first visit (no secret
 * cookie yet) makes a new secret and sets the cookie again; only the last one is kept, so a token made before it
 * would not verify. One token per answer avoids that.
 */
export function csrfOf(reply: FastifyReply): string {
  let token = tokens.get(reply);
  if (token === undefined) tokens.set(reply, (token = reply.generateCsrf()));
  return token;
}

/** The layout with the signed-in person in its header. */
export const personPage = (
  request: FastifyRequest,
  reply: FastifyReply,
  o: Omit<PageOptions, 'person'>,
  content: Html,
): Html => {
  const person = request.person!;
  return page(
    { ...o, person: { name: person.name, organisation: person.organisationName, csrf: csrfOf(reply) } },
    content,
  );
};

/** A date as people read it: "dinsdag 1 september 2027" (the year only when it is not `thisYear`'s). */
export const inWords = (date: string, today?: string) => dutchDate(date, today ? Number(today.slice(0, 4)) : undefined);

/**
 * A date field's value as a calendar date: what a date control sends (2027-09-01), or what a person types where
 * the browser shows a plain text box (1-9-2027, 01-09-2027). Undefined when it is no date at all; '' when empty.
 */
export function readDate(value: unknown): string | undefined {
  const text = String(value ?? '').trim();
  if (text === '') return '';
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const dutch = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : dutch ? [dutch[3], dutch[2], dutch[1]] : [];
  if (!y || !m || !d) return undefined;
  const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isValidDate(date) ? date : undefined;
}

/** Field errors by field name, in Dutch. */
export type Errors = Partial<Record<string, string>>;

const invalid = (errors: Errors, name: string) =>
  errors[name] ? html`aria-invalid="true" aria-describedby="${name}-fout"` : '';

const errorMessage = (errors: Errors, name: string) =>
  errors[name] ? html`<p class="utrecht-form-field-error-message" id="${name}-fout">${errors[name]}</p>` : '';

/** A text or date box with its label, an optional hint and its error. */
export function textField(o: {
  name: string;
  label: string;
  value?: string;
  type?: 'text' | 'date';
  hint?: string;
  errors: Errors;
}): Html {
  const hintId = `${o.name}-uitleg`;
  const describedBy = [o.hint ? hintId : '', o.errors[o.name] ? `${o.name}-fout` : ''].filter(Boolean).join(' ');
  return html`<div class="utrecht-form-field${o.errors[o.name] ? ' utrecht-form-field--invalid' : ''}">
    <label class="utrecht-form-label" for="${o.name}">${o.label}</label>
    ${o.hint ? html`<p class="utrecht-form-field-description" id="${hintId}">${o.hint}</p>` : ''}
    ${errorMessage(o.errors, o.name)}
    <input
      class="utrecht-textbox utrecht-textbox--html-input"
      id="${o.name}"
      name="${o.name}"
      type="${o.type ?? 'text'}"
      value="${o.value ?? ''}"
      ${o.errors[o.name] ? html`aria-invalid="true"` : ''}
      ${describedBy ? html`aria-describedby="${describedBy}"` : ''}
    />
  </div>`;
}

/** A group of radio buttons (a fieldset with its legend), one of them perhaps chosen, with its error. */
export function radioField(o: {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  chosen?: string;
  errors: Errors;
}): Html {
  return html`<div class="utrecht-form-field${o.errors[o.name] ? ' utrecht-form-field--invalid' : ''}">
    <fieldset
      class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset${
        o.errors[o.name] ? ' utrecht-form-fieldset--invalid' : ''
      }"
      ${o.errors[o.name] ? html`aria-describedby="${o.name}-fout"` : ''}
    >
      <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">${o.legend}</legend>
      ${errorMessage(o.errors, o.name)}
      ${o.options.map(
        (x, i) =>
          html`<div class="utrecht-form-field utrecht-form-field--radio">
            <input
              class="utrecht-radio-button utrecht-radio-button--html-input"
              type="radio"
              id="${o.name}-${i}"
              name="${o.name}"
              value="${x.value}"
              ${x.value === o.chosen ? 'checked' : ''}
            />
            <label class="utrecht-form-label utrecht-form-label--radio" for="${o.name}-${i}">${x.label}</label>
          </div>`,
      )}
    </fieldset>
  </div>`;
}

/** A single checkbox with its label and its error. */
export function checkboxField(o: { name: string; label: string; checked?: boolean; errors: Errors }): Html {
  return html`<div
    class="utrecht-form-field utrecht-form-field--checkbox${o.errors[o.name] ? ' utrecht-form-field--invalid' : ''}"
  >
    ${errorMessage(o.errors, o.name)}
    <input
      class="utrecht-checkbox utrecht-checkbox--html-input"
      type="checkbox"
      id="${o.name}"
      name="${o.name}"
      value="ja"
      ${o.checked ? 'checked' : ''}
      ${invalid(o.errors, o.name)}
    />
    <label class="utrecht-form-label utrecht-form-label--checkbox" for="${o.name}">${o.label}</label>
  </div>`;
}

/** A fact list (key: value), for what is known about a participant. */
export const facts = (rows: [string, Html | string][]) =>
  html`<dl class="utrecht-data-list utrecht-data-list--rows">
    ${rows.map(
      ([k, v]) =>
        html`<div class="utrecht-data-list__item">
          <dt class="utrecht-data-list__item-key">${k}</dt>
          <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd">${v}</dd>
        </div>`,
    )}
  </dl>`;

/** A select box with its label and error, like textField. */
export function selectField(o: {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  chosen?: string;
  hint?: string;
  errors: Errors;
}): Html {
  const error = o.errors[o.name];
  const describedBy = [o.hint ? `${o.name}-uitleg` : '', error ? `${o.name}-fout` : ''].filter(Boolean).join(' ');
  return html`<div class="utrecht-form-field${error ? ' utrecht-form-field--invalid' : ''}">
    <div class="utrecht-form-field__label">
      <label class="utrecht-form-label" for="${o.name}">${o.label}</label>
    </div>
    ${o.hint ? html`<p class="utrecht-form-field-description" id="${o.name}-uitleg">${o.hint}</p>` : ''}
    ${error ? html`<p class="utrecht-form-field-error-message" id="${o.name}-fout">${error}</p>` : ''}
    <select
      class="utrecht-select utrecht-select--html-select"
      id="${o.name}"
      name="${o.name}"
      ${error ? html`aria-invalid="true"` : ''}
      ${describedBy ? html`aria-describedby="${describedBy}"` : ''}
    >
      ${o.options.map(
        (x) => html`<option value="${x.value}" ${x.value === o.chosen ? 'selected' : ''}>${x.label}</option>`,
      )}
    </select>
  </div>`;
}

/** The file input of an upload form (xlsx or CSV, as Dutch Excel saves it), with its hint and error. */
export function fileField(label: string, error?: string): Html {
  return html`<div class="utrecht-form-field${error ? ' utrecht-form-field--invalid' : ''}">
    <label class="utrecht-form-label" for="bestand">${label}</label>
    <p class="utrecht-form-field-description" id="bestand-uitleg">Excel (xlsx) of CSV, hoogstens 2 MB</p>
    ${error ? html`<p class="utrecht-form-field-error-message" id="bestand-fout">${error}</p>` : ''}
    <input
      class="utrecht-textbox utrecht-textbox--html-input"
      id="bestand"
      name="bestand"
      type="file"
      accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
      aria-describedby="bestand-uitleg${error ? ' bestand-fout' : ''}"
      ${error ? html`aria-invalid="true"` : ''}
    />
  </div>`;
}
