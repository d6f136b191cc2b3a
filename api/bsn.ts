// The citizen service number (BSN): accepted only to match a participant with the benefit payer, kept only
// as a keyed hash, and kept out of every free-text field, where it would end up in clear.
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

/** True when `text` holds a 9-digit run (spaces or dots allowed between digits) that passes the elfproef. */
export function containsBsn(text: string): boolean {
  for (const m of text.matchAll(/(?<![0-9])[0-9](?:[ .]?[0-9]){8}(?![0-9])/g)) {
    if (isBsn(m[0].replace(/[ .]/g, ''))) return true;
  }
  return false;
}

// Fields people type into: sentences and names, and the participant's reference and e-mail address, where
// a BSN is a tempting shortcut. Generated ids and dates are not checked: an id may hold nine digits by chance.
const FREE_TEXT = new Set(['name', 'note', 'text', 'reason', 'correctionReason', 'label', 'reference', 'email']);

/** Paths of free-text fields in a request body that look like they hold a BSN. */
export function bsnLeaks(body: unknown, path = ''): string[] {
  if (Array.isArray(body)) return body.flatMap((v, i) => bsnLeaks(v, `${path}[${i}]`));
  if (!body || typeof body !== 'object') return [];
  return Object.entries(body).flatMap(([k, v]) => {
    const at = path ? `${path}.${k}` : k;
    return typeof v === 'string' ? (FREE_TEXT.has(k) && containsBsn(v) ? [at] : []) : bsnLeaks(v, at);
  });
}
