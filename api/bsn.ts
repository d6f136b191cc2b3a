// The citizen service number (BSN): accepted only to match a participant with the benefit payer, kept only
// as a keyed hash, and kept out of every other field, header and log line, where it would end up in clear.
import { createHmac } from 'node:crypto';

/** The elfproef: 9×d1 + 8×d2 + … + 2×d8 − d9 is a multiple of 11 (and not all zeros). */
export function isBsn(s: string): boolean {
  if (!/^[0-9]{9}$/.test(s) || s === '000000000') return false;
  const d = [...s].map(Number);
  const sum = d.slice(0, 8).reduce((acc, x, i) => acc + x * (9 - i), 0) - d[8]!;
  return sum % 11 === 0;
}

/** HMAC-SHA256 under the configured secret: the same BSN always gives the same hash, which nobody can reverse. */
export const bsnHash = (secret: string, bsn: string) => createHmac('sha256', secret).update(bsn).digest('hex');

/**
 * A keyed hash of a value that holds a BSN somewhere (a header a caller chose), for one purpose: the purpose
 * goes into the hash, so it never equals a participant's `bsn_hash` and cannot link a request to them.
 */
export const keyedHash = (secret: string, purpose: string, value: string) =>
  createHmac('sha256', secret).update(`${purpose}\u0000${value}`).digest('hex');

// ---------------------------------------------------------------------------------------------------------
// Finding a BSN in text, however it is written.

const ND = /\p{Nd}/u;
/** The value of a decimal digit of any script: Unicode encodes each script's digits as a run of 0 to 9. */
function digitValue(d: string): string {
  const cp = d.codePointAt(0)!;
  let start = cp;
  while (start > 0 && ND.test(String.fromCodePoint(start - 1))) start--;
  return String((cp - start) % 10);
}

/**
 * The text with every digit in ASCII: NFKC first (fullwidth ０, superscript ², circled ①, mathematical 𝟗; and
 * NBSP, thin and other spaces become a plain space), then the decimal digits of every other script (Arabic-Indic
 * ٣, Devanagari ३, Bengali, Thai, ...) by their value. Invisible characters (zero-width spaces and joiners, the
 * soft hyphen, combining marks) are dropped, so they separate nothing.
 */
export function asciiDigits(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\p{Cf}\p{M}]/gu, '')
    .replace(/[^\P{Nd}0-9]/gu, digitValue);
}

/** Digit groups are one number when at most this many separators (a run of white space counts as one) part them. */
const MAX_GAP = 3;
const TOKEN = /([0-9]+)|([^\p{L}\p{N}]+)|[\p{L}\p{N}]/gu;

/**
 * True when `text` holds nine digits that pass the elfproef, written in any notation: together, or in groups
 * parted by spaces, dots, hyphens, dashes, slashes, underscores or any mix of them ("123 45 6782",
 * "12.34.56.782", "1234-56-782", "123/456/782"), in any script's digits. The nine digits are whole groups of such
 * a chain, so a longer number (a phone number, an IBAN) is only refused when some of its groups together are
 * one; a letter ends a chain. An 8-digit number is never taken for a BSN with its leading zero dropped: the
 * `bsn` field takes nine digits only, and every 8-digit date (20260504) would be suspect.
 */
export function containsBsn(text: string): boolean {
  let chain: string[] = [];
  for (const m of asciiDigits(text).matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      chain.push(m[1]);
      continue;
    }
    if (m[2] !== undefined && chain.length && m[2].replace(/\s+/gu, ' ').length <= MAX_GAP) continue;
    if (chainHoldsBsn(chain)) return true;
    chain = [];
  }
  return chainHoldsBsn(chain);
}

/** Whether consecutive groups of the chain together make nine digits that pass the elfproef. */
function chainHoldsBsn(groups: string[]): boolean {
  for (let i = 0; i < groups.length; i++) {
    let digits = '';
    for (let j = i; j < groups.length && digits.length < 9; j++) {
      digits += groups[j];
      if (digits.length === 9 && isBsn(digits)) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// Keeping it out of request bodies.

/** Fields meant for a BSN: checked with the elfproef and hashed by their route. */
const BSN_FIELDS = new Set(['bsn']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Paths of the fields in a (validated) request body that hold a BSN, in any notation. Every string is checked,
 * whatever its field is called (names, notes, reasons, labels, references, e-mail addresses, client-chosen ids,
 * and fields added later), and every integer; only `bsn` itself is left out, and an id (`id`, `...Id`) that is a
 * UUID, because a generated UUID holds nine digits that pass the elfproef now and then by chance.
 */
export function bsnLeaks(body: unknown, path = ''): string[] {
  if (Array.isArray(body)) return body.flatMap((v, i) => bsnLeaks(v, `${path}[${i}]`));
  if (!body || typeof body !== 'object') return [];
  return Object.entries(body).flatMap(([k, v]) => {
    const at = path ? `${path}.${k}` : k;
    if (BSN_FIELDS.has(k)) return [];
    if (typeof v === 'string') return (/^id$|Id$/.test(k) && UUID.test(v)) || !containsBsn(v) ? [] : [at];
    if (typeof v === 'number') return Number.isInteger(v) && isBsn(String(v)) ? [at] : [];
    return bsnLeaks(v, at);
  });
}

/** The answer to a BSN that fails the elfproef (the value is never echoed: a typo'd BSN is still personal data). */
export const BSN_FAILS_ELFPROEF = {
  message: 'is not a valid BSN (it fails the elfproef)',
  nl: 'is geen geldig BSN (het voldoet niet aan de elfproef)',
};

/** The answer for each such field: in words for the person who typed it, and without the number. */
export const BSN_LEAK_MESSAGE =
  'bevat een burgerservicenummer (BSN); laat dat weg: een BSN hoort alleen in het veld bsn van een deelnemer';

// ---------------------------------------------------------------------------------------------------------
// Keeping it out of headers and log lines.

/**
 * What is kept of a header value a caller chose (`x-request-id`, `Idempotency-Key`): the value itself, or, when
 * it holds a BSN in any notation, a keyed hash of it under its purpose. The same value always gives the same
 * hash, so the caller can still repeat it and find it back, but nobody reads the number from it.
 */
export function withoutBsn(secret: string, purpose: string, value: string): string {
  return containsBsn(value) ? `bsn-hmac-${keyedHash(secret, purpose, value).slice(0, 40)}` : value;
}

/** %XX escapes decoded where they are UTF-8, left alone where not: a URL in a log line is searched as text. */
function percentDecoded(s: string): string {
  return s.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

const REDACTED = '[weggelaten: bevat een BSN]';
const redact = (v: unknown): unknown => {
  if (typeof v === 'string')
    return containsBsn(v) || (v.includes('%') && containsBsn(percentDecoded(v))) ? REDACTED : v;
  if (typeof v === 'number') return Number.isInteger(v) && isBsn(String(v)) ? REDACTED : v;
  if (Array.isArray(v)) return v.map(redact);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redact(x)]));
  return v;
};

/**
 * One log line (pino's JSON) with every value that holds a BSN replaced. It runs on the whole line, after the
 * serializers, so it covers what they take from headers (the url, `host` and `accept-version`, the request id)
 * and whatever an error message quotes, including fields added later. A line that is not JSON is replaced
 * whole when it holds one.
 */
export function redactLogLine(line: string): string {
  return line
    .split('\n')
    .map((l) => {
      if (!l) return l;
      try {
        return JSON.stringify(redact(JSON.parse(l)));
      } catch {
        return containsBsn(l) || containsBsn(percentDecoded(l)) ? REDACTED : l;
      }
    })
    .join('\n');
}

/** The request id: the caller's own `x-request-id` (without a BSN in it), or a fresh UUID. */
export function requestId(header: string | string[] | undefined, secret: string): string {
  const own = Array.isArray(header) ? header.join(', ') : header;
  return own ? withoutBsn(secret, 'x-request-id', own) : crypto.randomUUID();
}
