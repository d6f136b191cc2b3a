// Idempotency-Key handling for POST routes: the first request does the work under a claimed key; a repeat
// with the same body gets the stored response; a repeat with another body is refused. A request that died
// halfway left its claim unfinished, so its repeat runs the (idempotent) work again with the same resource id.
import { createHash, randomUUID } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/connection';
import { noteAudit } from './access';
import { bsnHash, withoutBsn } from './bsn';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from '../db/idempotency';
import { DomainError, says } from './errors';

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 8,
    maxLength: 200,
    description: 'A unique key per intended write, e.g. a UUID',
    examples: ['0b7e4c2d-5a19-4f6e-8c3b-71d2e9a4f605'],
  }),
});

export interface Outcome<T> {
  statusCode: number;
  body: T;
  replayed: boolean;
}

export async function idempotent<T>(
  db: Db,
  req: { scope: string; key: string; body: unknown },
  work: (resourceId: string) => Promise<{ statusCode: number; body: T }>,
  /** What of the response is kept for a replay (a new key's secret is not). */
  keep: (body: T) => T = (body) => body,
): Promise<Outcome<T>> {
  const hash = createHash('sha256')
    .update(stringify(req.body) ?? '')
    .digest('hex');
  const claim = await claimIdempotencyKey(db, req.scope, req.key, hash, randomUUID());
  if (claim.request_hash !== hash) {
    throw new DomainError(
      422,
      'idempotency-key-reused',
      says('Idempotency-Key reused', 'Idempotency-Key opnieuw gebruikt'),
      says(
        'This Idempotency-Key was used before with a different request body; use a new key for a new request',
        'Deze Idempotency-Key is eerder gebruikt met een andere body; gebruik een nieuwe sleutel voor een ' +
          'nieuw verzoek',
      ),
      [
        {
          field: 'headers.idempotency-key',
          message: 'was used before with a different body',
          nl: 'is eerder gebruikt met een andere body',
        },
      ],
    );
  }
  if (claim.status_code !== null && claim.response !== null) {
    return { statusCode: claim.status_code, body: JSON.parse(claim.response) as T, replayed: true };
  }
  try {
    const result = await work(claim.resource_id);
    await completeIdempotencyKey(db, claim, result.statusCode, JSON.stringify(keep(result.body)));
    return { ...result, replayed: false };
  } catch (e) {
    // A refused request (4xx) frees the key for a corrected body; on anything else the claim stays, so the
    // repeat resumes with the same resource id.
    if (e instanceof DomainError && e.status < 500) await releaseIdempotencyKey(db, claim);
    throw e;
  }
}

/**
 * The whole Idempotency-Key dance for a POST route: the key is scoped to the caller and the path, so two
 * partners can never replay each other's responses; a replay says so in `idempotent-replayed`.
 */
export async function idempotentReply<T>(
  deps: { db: Db; config: { BSN_HMAC_KEY: string } },
  request: FastifyRequest,
  reply: FastifyReply,
  work: (resourceId: string) => Promise<{ statusCode: number; body: T }>,
  o: {
    /** What of the response is kept for a replay (a new key's secret is not). */
    keep?: (body: T) => T;
    /** The participants the response is about: audited on the first answer and on every replay. */
    audit?: (body: T) => string[];
  } = {},
): Promise<FastifyReply> {
  const path = request.url.split('?')[0];
  // The key is stored as sent, unless it holds a BSN in any notation: then as its keyed hash, so a repeat still
  // finds it. Not refused: a UUID key (the usual kind) holds nine digits passing the elfproef now and then by chance.
  const key = withoutBsn(
    deps.config.BSN_HMAC_KEY,
    'idempotency-key',
    (request.headers as Record<string, string>)['idempotency-key']!,
  );
  // The body is kept only as a hash; a BSN in it is replaced by its keyed hash first, because a plain hash of a
  // small body with a 9-digit number in it could be reversed by trying every number.
  const body = JSON.parse(
    JSON.stringify(request.body ?? null, (k, v) =>
      k === 'bsn' && typeof v === 'string' ? bsnHash(deps.config.BSN_HMAC_KEY, v) : v,
    ),
  );
  const out = await idempotent(deps.db, { scope: `${request.principal.actor} POST ${path}`, key, body }, work, o.keep);
  if (o.audit) noteAudit(request, o.audit(out.body));
  if (out.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(out.statusCode).send(out.body);
}
