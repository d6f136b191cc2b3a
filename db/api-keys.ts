import { sql } from 'kysely';
import type { Db } from './connection';
import type { ApiKey, ApiKeyTable } from './schema';
import type { Insertable } from 'kysely';

export async function insertApiKey(db: Db, key: Insertable<ApiKeyTable>): Promise<ApiKey> {
  return db.insertInto('api_key').values(key).returningAll().executeTakeFirstOrThrow();
}

/** The live (unrevoked) key with this secret hash. */
export function findLiveKey(db: Db, secretHash: string): Promise<ApiKey | undefined> {
  return db
    .selectFrom('api_key')
    .selectAll()
    .where('secret_hash', '=', secretHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export function findApiKey(db: Db, id: string): Promise<ApiKey | undefined> {
  return db.selectFrom('api_key').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records a use; at most one write per key per minute, so busy keys do not turn every read into a write. */
export async function touchApiKey(db: Db, id: string): Promise<void> {
  await db
    .updateTable('api_key')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]),
    )
    .execute();
}

export async function revokeApiKey(db: Db, id: string): Promise<ApiKey | undefined> {
  await db
    .updateTable('api_key')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  return findApiKey(db, id);
}

/**
 * Keys a programme office made, and the admin's keys of the office itself (every key when `officeId` is undefined),
 * newest first.
 */
export async function listApiKeys(db: Db, q: { officeId?: string; limit: number; offset: number }) {
  let base = db.selectFrom('api_key');
  if (q.officeId !== undefined) {
    const office = q.officeId;
    base = base.where((eb) =>
      eb.or([eb('office_id', '=', office), eb.and([eb('office_id', 'is', null), eb('organisation_id', '=', office)])]),
    );
  }
  const [items, count] = await Promise.all([
    base.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}
