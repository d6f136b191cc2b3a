// One form field as the NL Design System lays it out (label, explanation, the message when it is wrong, the
// control), and the reading of what a person typed: a date, a piece of text. Used by the jobcoach's forms
// (web/jobcoach.ts, web/checkpoint.ts). A wrong value gets its Dutch message next to the field.
import { isValidDate } from '../domain/calendar';
import { html, type Html } from './html';

export interface Field {
  id: string;
  label: string;
  /** What the field is for, or a rule: shown under the label, and read out with the control. */
  description?: Html | string;
  /** What is wrong with the value, in Dutch. */
  error?: string;
  /** The control, given its aria attributes (invalid, described by the message and the description). */
  control: (aria: Html) => Html;
}

/** The aria attributes that tie a control to its field's description and error message. */
export function ariaOf(id: string, o: { description?: unknown; error?: string }): Html {
  const by = [o.error ? `${id}-fout` : '', o.description ? `${id}-uitleg` : ''].filter(Boolean).join(' ');
  return html`${o.error ? html`aria-invalid="true"` : ''} ${by ? html`aria-describedby="${by}"` : ''}`;
}

export function formField(f: Field): Html {
  return html`<div class="utrecht-form-field${f.error ? ' utrecht-form-field--invalid' : ''}">
    <label class="utrecht-form-label" for="${f.id}">${f.label}</label>
    ${f.description ? html`<p class="utrecht-form-field-description" id="${f.id}-uitleg">${f.description}</p>` : ''}
    ${f.error ? html`<p class="utrecht-form-field-error-message" id="${f.id}-fout">${f.error}</p>` : ''}
    ${f.control(ariaOf(f.id, f))}
  </div>`;
}

/** A date as typed: the date field's 2026-11-30, or 30-11-2026 where the browser shows a plain text field. */
export function readDate(value: unknown): string | undefined {
  const s = String(value ?? '').trim();
  const dutch = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(s);
  const iso = dutch ? `${dutch[3]}-${dutch[2]!.padStart(2, '0')}-${dutch[1]!.padStart(2, '0')}` : s;
  return isValidDate(iso) ? iso : undefined;
}

/**
 * Typed text as it can be stored (domain/primitives.ts Text: no control characters;
 * no U+FFFD, which stands for damaged text): line breaks and tabs become
 * spaces, surrounding spaces go. The message says what is wrong, or the text is empty when allowed.
 */
export function readText(
  value: unknown,
  o: { max: number; required: boolean; what: string },
): { text?: string; error?: string } {
  const text = String(value ?? '')
    .replace(/[\t\r\n]+/g, ' ')
    .trim();
  if (!text) return o.required ? { error: `Vul ${o.what} in.` } : {};
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\ufffd]/.test(text))
    return { error: `${capital(o.what)} bevat een teken dat niet kan worden bewaard.` };
  if (text.length > o.max) return { error: `${capital(o.what)} is te lang: hoogstens ${o.max} tekens.` };
  return { text };
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
