import { sql } from 'kysely';
import type { Db } from './connection';
import type { Programme } from './schema';
import type { ProgrammeTemplate } from '../api/schemas/programme';

export function listProgrammes(db: Db): Promise<Programme[]> {
  return db.selectFrom('programme').selectAll().orderBy('id').orderBy('version').execute();
}

/** The given version, or the newest one when no version is given. */
export function findProgramme(db: Db, id: string, version?: number): Promise<Programme | undefined> {
  let q = db.selectFrom('programme').selectAll().where('id', '=', id);
  if (version !== undefined) q = q.where('version', '=', version);
  return q.orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** Adds the next version of a programme; running trajectories keep the copy they started with. */
export async function addProgrammeVersion(db: Db, p: { id: string; name: string; template: ProgrammeTemplate }): Promise<Programme> {
  return db.transaction().execute(async (trx) => {
    // Serialises publications of the same programme, so two at once get consecutive versions.
    await sql`select pg_advisory_xact_lock(hashtext(${p.id}))`.execute(trx);
    const row = await trx
      .selectFrom('programme')
      .select((eb) => eb.fn.max('version').as('max'))
      .where('id', '=', p.id)
      .executeTakeFirst();
    return trx
      .insertInto('programme')
      .values({ id: p.id, version: (row?.max ?? 0) + 1, name: p.name, template: JSON.stringify(p.template) })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
