import type { Db } from './connection';
import type { IdempotencyKey } from './schema';

/**
 * Claims an idempotency key. The first caller inserts the row (with a fresh resource id the handler uses for
 * what it creates); later callers get the same row back, so a retried request reuses the same resource id.
 */
export async function claimIdempotencyKey(
  db: Db,
  scope: string,
  key: string,
  requestHash: string,
  resourceId: string,
): Promise<IdempotencyKey> {
  await db
    .insertInto('idempotency_key')
    .values({ scope, key, request_hash: requestHash, resource_id: resourceId })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .execute();
  return db
    .selectFrom('idempotency_key')
    .selectAll()
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
}

export async function completeIdempotencyKey(
  db: Db,
  claim: IdempotencyKey,
  statusCode: number,
  response: string,
): Promise<void> {
  await db
    .updateTable('idempotency_key')
    .set({ status_code: statusCode, response })
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .where('resource_id', '=', claim.resource_id)
    .execute();
}

/** Releases a claim whose request failed, so the key can be used again with a corrected body. */
export async function releaseIdempotencyKey(db: Db, claim: IdempotencyKey): Promise<void> {
  // Only our own unfinished claim: a concurrent request may have released and re-claimed the key meanwhile.
  await db
    .deleteFrom('idempotency_key')
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .where('resource_id', '=', claim.resource_id)
    .where('status_code', 'is', null)
    .execute();
}
