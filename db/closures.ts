import type { Db } from './connection';
import type { SchoolClosure } from './schema';

/** Inserts a closure period; a repeat under the same id changes nothing. */
export async function insertClosure(
  db: Db,
  c: { id: string; school_id: string; from_date: string; to_date: string; name: string; office_id: string | null },
): Promise<void> {
  await db
    .insertInto('school_closure')
    .values(c)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/**
 * A school's closures as they apply to one office's trajectories: those published for all (office_id null)
 * and those published under that office's keys. Without `officeId` (the admin), every one.
 */
export function listClosures(db: Db, schoolId: string, officeId?: string | null): Promise<SchoolClosure[]> {
  let q = db.selectFrom('school_closure').selectAll().where('school_id', '=', schoolId);
  if (officeId !== undefined)
    q = q.where((eb) =>
      eb.or([eb('office_id', 'is', null), ...(officeId === null ? [] : [eb('office_id', '=', officeId)])]),
    );
  return q.orderBy('from_date').orderBy('id').execute();
}
