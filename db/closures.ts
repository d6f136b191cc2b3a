import type { Db } from './connection';
import type { SchoolClosure } from './schema';

/** Inserts a closure period; a repeat under the same id changes nothing. */
export async function insertClosure(db: Db, c: { id: string; school_id: string; from_date: string; to_date: string; name: string }): Promise<void> {
  await db.insertInto('school_closure').values(c).onConflict((oc) => oc.column('id').doNothing()).execute();
}

export function listClosures(db: Db, schoolId: string): Promise<SchoolClosure[]> {
  return db.selectFrom('school_closure').selectAll().where('school_id', '=', schoolId).orderBy('from_date').orderBy('id').execute();
}
