// Text that is not text: a body that is not valid UTF-8, a body declared in another charset, JSON with a lone
// surrogate escaped in it ("\ud800"), a query with a %-escape that is no UTF-8. Each is refused with 400 naming
// the problem, so nothing is stored with U+FFFD where a letter was, or with half a character.
import type { FastifyInstance } from 'fastify';
import { DomainError, says, type Text } from './errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const malformed = (field: string, message: Text) =>
  new DomainError(
    400,
    'malformed-text',
    says('Malformed text', 'Onleesbare tekst'),
    says(`${field}: ${message.en}`, `${field}: ${message.nl}`),
    [{ field, message: message.en, nl: message.nl }],
  );

/** The charset a Content-Type declares, lower-cased; undefined when it declares none. */
export function declaredCharset(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*"?([^";,\s]*)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
}

/** The body as a string, when it is UTF-8 and says so (or says nothing); a 400 otherwise. */
export function utf8Body(body: Buffer, contentType: string | undefined): string {
  const charset = declaredCharset(contentType);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw malformed(
      'headers.content-type',
      says(
        `declares charset ${JSON.stringify(charset.slice(0, 40))}; send the body as UTF-8 ` +
          '(charset=utf-8, or no charset)',
        `noemt tekenset ${JSON.stringify(charset.slice(0, 40))}; stuur de body als UTF-8 ` +
          '(charset=utf-8, of geen charset)',
      ),
    );
  }
  try {
    return utf8.decode(body);
  } catch {
    throw malformed(
      'body',
      says('is not valid UTF-8; send the body as UTF-8', 'is geen geldige UTF-8; stuur de body als UTF-8'),
    );
  }
}

// In a `u` regex a surrogate pair is one character, so this finds only lone surrogates, and U+FFFD.
const NOT_TEXT = /[\uD800-\uDFFF\uFFFD]/u;

/** The path of the first string (a value or a key) in parsed JSON that is not whole text; undefined when all are. */
export function damagedText(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return NOT_TEXT.test(value) ? path || 'body' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = damagedText(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      if (NOT_TEXT.test(k)) return path || 'body';
      const found = damagedText(v, at);
      if (found) return found;
    }
  }
  return undefined;
}

/** A 400 for JSON holding a lone surrogate or U+FFFD (text that was damaged before it was sent). */
export function checkWholeText(value: unknown): void {
  const field = damagedText(value);
  if (field)
    throw malformed(
      field,
      says(
        'holds a lone surrogate (\\ud800-\\udfff) or U+FFFD, the replacement character: it is not whole text; ' +
          'send the original text as UTF-8',
        'bevat een losse surrogaat (\\ud800-\\udfff) of U+FFFD, het vervangingsteken: het is geen hele tekst; ' +
          'stuur de oorspronkelijke tekst als UTF-8',
      ),
    );
}

/**
 * A 400 when the query string has a %-escape run that is not UTF-8 (%C3%28, an encoded surrogate %ED%A0%80).
 * Fastify's query parser leaves such a value as it came, so it would reach validation, or a filter, as "%C3%28".
 * (A path parameter like that is refused by the router already.)
 */
export function checkQuery(url: string): void {
  const q = url.indexOf('?');
  if (q < 0) return;
  for (const run of url.slice(q + 1).match(/(?:%[0-9a-f]{2})+/gi) ?? []) {
    const bytes = Buffer.from(run.replace(/%/g, ''), 'hex');
    try {
      utf8.decode(bytes);
    } catch {
      throw malformed(
        'query',
        says(
          'has a %-escape that is not UTF-8; encode the query as UTF-8',
          'heeft een %-escape die geen UTF-8 is; codeer de query als UTF-8',
        ),
      );
    }
  }
}

/**
 * JSON bodies decoded strictly (Fastify's own parser decodes invalid UTF-8 to U+FFFD and ignores the declared
 * charset), then parsed by Fastify's parser (prototype-poisoning checks included) and checked for lone
 * surrogates; and every query string checked for %-escapes that are not UTF-8.
 */
export function installTextChecks(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8Body(body as Buffer, request.headers['content-type']);
    } catch (e) {
      return done(e as Error, undefined);
    }
    // The default parser answers through `done` (its type also allows a promise, which it returns only when
    // called without one): nothing to await.
    void parseJson(request, text, (error: Error | null, value?: unknown) => {
      if (error) return done(error, undefined);
      try {
        checkWholeText(value);
      } catch (e) {
        return done(e as Error, undefined);
      }
      done(null, value);
    });
  });
  app.addHook('onRequest', async (request) => checkQuery(request.url));
}
