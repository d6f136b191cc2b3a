// The languages the API's error messages come in, and which one a request asks for (Accept-Language).
// English is the default and reads exactly as it always did; Dutch is there for the people behind a partner's
// system, who read the same problem details with the same field names.

export type Language = 'en' | 'nl';
export const LANGUAGES: readonly Language[] = ['en', 'nl'];

/** One message in both languages, made where the message is made, so a reworded English text keeps its twin. */
export interface Text {
  en: string;
  nl: string;
}

/** `says('must be a Monday', 'moet een maandag zijn')` */
export const says = (en: string, nl: string): Text => ({ en, nl });

export const isText = (v: unknown): v is Text =>
  typeof v === 'object' && v !== null && typeof (v as Text).en === 'string' && typeof (v as Text).nl === 'string';

/**
 * The language to answer in, from an Accept-Language header (RFC 9110 §12.5.4): the supported language with
 * the highest weight wins, a tie goes to the one the caller named first, and English when nothing supported is
 * asked for. A range counts for its primary language (`nl-NL`, `nl-BE` are Dutch); `*` stands for any language
 * not named; `q=0` means "not this one". A malformed entry is skipped, not fatal.
 */
export function preferredLanguage(header: string | string[] | undefined): Language {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const named = new Map<string, { q: number; at: number }>();
  let wildcard: { q: number; at: number } | undefined;
  value.split(',').forEach((entry, at) => {
    const [range, ...params] = entry.split(';').map((s) => s.trim());
    if (!range || !/^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/i.test(range)) return;
    let q = 1;
    for (const param of params) {
      const m = /^q\s*=\s*(0(\.\d{0,3})?|1(\.0{0,3})?)$/i.exec(param);
      if (m) q = Number(m[1]);
      else if (/^q\s*=/i.test(param)) return; // a weight that is no weight: skip the entry
    }
    if (range === '*') {
      wildcard ??= { q, at };
      return;
    }
    const primary = range.split('-')[0]!.toLowerCase();
    const seen = named.get(primary);
    // The most favourable mention of a language counts (`nl-NL;q=0.9, nl;q=0.8` asks for Dutch at 0.9).
    if (!seen || q > seen.q) named.set(primary, { q, at: seen?.at ?? at });
  });
  let best: { language: Language; q: number; at: number } = { language: 'en', q: 0, at: Infinity };
  for (const language of LANGUAGES) {
    const weight = named.get(language) ?? wildcard;
    if (!weight || weight.q <= 0) continue;
    if (weight.q > best.q || (weight.q === best.q && weight.at < best.at)) best = { language, ...weight };
  }
  return best.language;
}
