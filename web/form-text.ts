// The forms of the pages held to the API's rules for text (api/text.ts, api/bsn.ts), in one place for every
// form: a body declared in another charset or with a %-escape that is no UTF-8 is refused as it is parsed, and
// a field holding U+FFFD, a lone surrogate or a BSN (in any notation) before any page's handler runs, so nothing
// is stored with a replacement character where a letter was, or with a citizen service number in clear in a
// note, a name or a reason. The refusal is a Dutch page naming the field; the person goes back with the
// browser's Back button, where what they typed is still there.
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { containsBsn } from '../api/bsn';
import { DomainError, says } from '../api/errors';
import { declaredCharset } from '../api/text';
import { html, page, type Html } from './html';

/** Fields that are no text a person typed: the CSRF token and the idempotency key of a form. */
const NOT_TYPED = new Set(['_csrf', 'formKey']);
/** Hidden ids and the values of select boxes: a generated UUID holds nine digits passing the elfproef by chance. */
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// In a `u` regex a surrogate pair is one character, so this finds only lone surrogates, and U+FFFD.
const NOT_TEXT = /[\uD800-\uDFFF\uFFFD]/u;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The type of each refusal, for the pages' error handler. */
export const MALFORMED_FORM = 'malformed-form-text';
export const BSN_IN_FORM = 'bsn-in-form';

const refusal = (status: number, type: string, fields: string[], nl: string) =>
  new DomainError(
    status,
    type,
    says('The form cannot be saved', 'Het formulier kan niet worden opgeslagen'),
    says(`${fields.join(', ')}: ${type}`, `${fields.join(', ')}: ${nl}`),
    fields.map((field) => ({ field, message: type, nl })),
  );
const malformed = (field: string) =>
  refusal(400, MALFORMED_FORM, [field], 'bevat een teken dat niet kan worden gelezen of bewaard');

/** A urlencoded component decoded strictly: undefined when a %-escape run is no UTF-8 (or an encoded surrogate). */
function decodeComponent(raw: string): string | undefined {
  try {
    return raw
      .replace(/\+/g, ' ')
      .replace(/(?:%[0-9a-f]{2})+/gi, (run) => utf8.decode(Buffer.from(run.replace(/%/g, ''), 'hex')));
  } catch {
    return undefined;
  }
}

/**
 * An application/x-www-form-urlencoded body as the pages read it (a repeated name gives an array, as
 * @fastify/formbody's own parser gives), refused with 400 where a %-escape run is no UTF-8 (%E9, an encoded
 * surrogate %ED%A0%80). Raw bytes that are no UTF-8 arrive here as U+FFFD, which checkFormText refuses.
 */
export function parseForm(text: string): Record<string, string | string[]> {
  const form = Object.create(null) as Record<string, string | string[]>;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = decodeComponent(at < 0 ? pair : pair.slice(0, at));
    if (name === undefined) throw malformed('formulier');
    const value = decodeComponent(at < 0 ? '' : pair.slice(at + 1));
    if (value === undefined) throw malformed(name);
    const before = form[name];
    form[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  }
  return form;
}

/**
 * The pages' forms as UTF-8, the pages' own charset, which is what a browser sends: a form declared in another
 * (charset=iso-8859-1) is refused before it is parsed, where its é would otherwise become U+FFFD or Ã©.
 */
export async function installFormParser(app: FastifyInstance): Promise<void> {
  await app.register(formbody, { parser: parseForm });
  app.addHook('onRequest', async (request) => {
    const type = request.headers['content-type'];
    if (!/^\s*application\/x-www-form-urlencoded/i.test(type ?? '')) return;
    const charset = declaredCharset(type);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw malformed('formulier');
  });
}

/** The typed values of a parsed form (urlencoded, or multipart's text fields; a file's Buffer is no text). */
function typed(body: unknown): [string, string][] {
  if (!body || typeof body !== 'object' || Buffer.isBuffer(body)) return [];
  return Object.entries(body).flatMap(([name, v]): [string, string][] =>
    NOT_TYPED.has(name)
      ? []
      : typeof v === 'string'
        ? [[name, v]]
        : Array.isArray(v)
          ? v.filter((x): x is string => typeof x === 'string').map((x): [string, string] => [name, x])
          : [],
  );
}

/**
 * Every form a page takes: a field (or its name) holding U+FFFD or a lone surrogate is refused with 400, one
 * holding a BSN in any notation with 422, before the page's handler, so nothing is stored. No page form has a
 * field for a BSN (the cohort's and candidates' BSNs come in a spreadsheet file, which their upload checks).
 */
export function checkFormText(request: FastifyRequest): void {
  const fields = typed(request.body);
  const damaged = fields.find(([name, v]) => NOT_TEXT.test(name) || NOT_TEXT.test(v));
  if (damaged) throw malformed(NOT_TEXT.test(damaged[0]) ? 'formulier' : damaged[0]);
  const leaks = [...new Set(fields.filter(([, v]) => containsBsn(v.replace(UUIDS, 'x'))).map(([name]) => name))];
  if (leaks.length) throw refusal(422, BSN_IN_FORM, leaks, 'bevat een burgerservicenummer (BSN)');
}

/** What a person calls the free-text fields of the forms; another field is named by its name. */
const FIELD_NL: Record<string, string> = {
  note: 'Notitie',
  naam: 'Naam',
  name: 'Naam',
  reason: 'Reden',
  reden: 'Reden',
  reden_opheffen: 'Reden',
  correctionReason: 'Reden van de correctie',
  toelichting: 'Toelichting',
  leaveNote: 'Toelichting',
  text: 'Tekst',
  sleutelnaam: 'Naam van de sleutel',
  referentie: 'Referentie',
  email: 'E-mailadres',
  praktijkopleider: 'Naam van de praktijkopleider',
  regio: 'Regio',
};
const fieldNl = (name: string) => (name === 'formulier' ? 'het formulier' : `het veld ‘${FIELD_NL[name] ?? name}’`);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The page for a refused form, or undefined when the error is no such refusal. */
export function refusedFormPage(request: FastifyRequest, error: unknown): { status: number; body: Html } | undefined {
  if (!(error instanceof DomainError) || (error.type !== MALFORMED_FORM && error.type !== BSN_IN_FORM)) return;
  const fields = (error.errors ?? []).map((e) => e.field);
  const where = fields.map(fieldNl);
  const named = where.length > 1 ? `${where.slice(0, -1).join(', ')} en ${where.at(-1)}` : where[0]!;
  const what =
    error.type === BSN_IN_FORM
      ? `In ${named} staat een burgerservicenummer (BSN). Een BSN hoort niet in een naam, notitie, reden of ` +
        'ander tekstveld: daar zou het voor iedereen leesbaar bewaard worden. Haal het nummer weg en verstuur het ' +
        'formulier opnieuw.'
      : `${capital(named)} bevat een teken dat niet kan worden gelezen of bewaard, of kwam ` +
        'niet als UTF-8 aan. Typ de tekst opnieuw in plaats van hem te plakken, en verstuur het formulier opnieuw.';
  // Back to the form the person came from (the browser sends its address along with a form on this site).
  const referer = request.headers.referer;
  const host = request.headers.host;
  const back =
    referer && host && URL.canParse(referer) && new URL(referer).host === host
      ? new URL(referer).pathname + new URL(referer).search
      : '/';
  return {
    status: error.status,
    body: page(
      { title: 'Het formulier is niet opgeslagen', notice: { kind: 'error', text: what } },
      html`<p class="utrecht-paragraph">
          Er is niets opgeslagen. Met de knop Vorige van uw browser komt u terug bij het formulier, met wat u invulde.
        </p>
        <p class="utrecht-paragraph">
          <a class="utrecht-link" href="${back}"
            >${back === '/' ? 'Naar de startpagina' : 'Terug naar het formulier'}</a
          >
        </p>`,
    ),
  };
}
