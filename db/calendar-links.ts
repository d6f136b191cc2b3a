// Calendar subscription links: one row per link, with a keyed hash of its secret, never the link itself.
import type { Insertable } from 'kysely';
import type { Db } from './connection';
import type { CalendarLink, CalendarLinkTable } from './schema';

export function insertCalendarLink(db: Db, link: Insertable<CalendarLinkTable>): Promise<CalendarLink> {
  // A repeat of a request that died before answering (same Idempotency-Key, so same id and maker) made a
  // link nobody ever saw: it gets the new secret.
  return db
    .insertInto('calendar_link')
    .values(link)
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet((eb) => ({ token_hash: eb.ref('excluded.token_hash') }))
        .where('calendar_link.created_by', '=', link.created_by),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findCalendarLink(db: Db, id: string): Promise<CalendarLink | undefined> {
  return db.selectFrom('calendar_link').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Ends a link (a repeat changes nothing) and answers it as it is now. */
export async function revokeCalendarLink(db: Db, id: string, at: Date): Promise<CalendarLink | undefined> {
  await db
    .updateTable('calendar_link')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  return findCalendarLink(db, id);
}

/** The links one maker made (every link when `createdBy` is undefined), newest first. */
export async function listCalendarLinks(db: Db, q: { createdBy?: string; limit: number; offset: number }) {
  let base = db.selectFrom('calendar_link');
  if (q.createdBy !== undefined) base = base.where('created_by', '=', q.createdBy);
  const [items, count] = await Promise.all([
    base.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}
