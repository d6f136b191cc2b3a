// Sessions of people signed in to the web pages, the contacts they are, and the sign-in links already used.
import { sql } from 'kysely';
import type { Db } from './connection';

/** A live session with the person behind it and that person's organisation. */
export async function findLiveSession(db: Db, id: string, idleMinutes: number) {
  return db
    .selectFrom('web_session as s')
    .innerJoin('contact as k', 'k.id', 's.contact_id')
    .innerJoin('organisation as o', 'o.id', 'k.organisation_id')
    .select([
      's.id',
      's.task',
      's.expires_at',
      'k.id as contact_id',
      'k.role as contact_role',
      'k.name',
      'k.email',
      'k.office_id',
      'k.organisation_id',
      'o.kind as organisation_kind',
      'o.name as organisation_name',
    ])
    .where('s.id', '=', id)
    .where('s.ended_at', 'is', null)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('s.last_seen_at', '>', sql<Date>`now() - make_interval(mins => ${idleMinutes})`)
    .executeTakeFirst();
}

export async function createSession(
  db: Db,
  s: { id: string; contactId: string; task: string | null; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('web_session')
    .values({ id: s.id, contact_id: s.contactId, task: s.task, expires_at: s.expiresAt })
    .execute();
}

export async function touchSession(db: Db, id: string): Promise<void> {
  await db
    .updateTable('web_session')
    .set({ last_seen_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function endSession(db: Db, id: string): Promise<void> {
  await db
    .updateTable('web_session')
    .set({ ended_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Marks a sign-in link used; false when it was used before (a link works once). */
export async function useLink(db: Db, tokenHash: string): Promise<boolean> {
  const row = await db
    .insertInto('used_link')
    .values({ token_hash: tokenHash })
    .onConflict((oc) => oc.doNothing())
    .returning('token_hash')
    .executeTakeFirst();
  return row !== undefined;
}

/** The invited contacts with this e-mail address (one person may be a contact of two organisations). */
export async function invitedContactsByEmail(db: Db, email: string) {
  return db
    .selectFrom('contact')
    .select(['id', 'name', 'email'])
    .where(sql<string>`lower(email)`, '=', email.trim().toLowerCase())
    .where('invited_at', 'is not', null)
    .orderBy('created_at')
    .execute();
}

export async function markInvited(db: Db, contactId: string): Promise<void> {
  await db
    .updateTable('contact')
    .set({ invited_at: sql<Date>`now()` })
    .where('id', '=', contactId)
    .execute();
}

/**
 * What signing in leaves behind, forgotten once it can no longer matter (run by retention): sessions ended or
 * expired a day ago, and the hashes of used sign-in links older than any link lives (an invitation's 7 days).
 */
export async function forgetSessions(db: Db): Promise<{ sessions: number; links: number }> {
  const sessions = await db
    .deleteFrom('web_session')
    .where((eb) =>
      eb.or([
        eb('ended_at', '<', sql<Date>`now() - interval '1 day'`),
        eb('expires_at', '<', sql<Date>`now() - interval '1 day'`),
      ]),
    )
    .executeTakeFirst();
  const links = await db
    .deleteFrom('used_link')
    .where('used_at', '<', sql<Date>`now() - interval '8 days'`)
    .executeTakeFirst();
  return { sessions: Number(sessions.numDeletedRows), links: Number(links.numDeletedRows) };
}
