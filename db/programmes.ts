import { sql } from 'kysely';
import type { Db } from './connection';
import type { Programme } from './schema';
import type { ProgrammeTemplate } from '../domain/programme';

/**
 * Every version of every programme; with `officeId`, only that office's own and the shared ones; with null, the shared
 * ones.
 */
export function listProgrammes(db: Db, officeId?: string | null): Promise<Programme[]> {
  let q = db.selectFrom('programme').selectAll();
  if (officeId === null) q = q.where('office_id', 'is', null);
  else if (officeId !== undefined)
    q = q.where((eb) => eb.or([eb('office_id', '=', officeId), eb('office_id', 'is', null)]));
  return q.orderBy('id').orderBy('version').execute();
}

/**
 * The given version, or the newest, among the versions an office may launch with: its own and the shared ones
 * (versions of one programme can have different owners only in data from before migration 0009).
 */
export function findProgrammeFor(
  db: Db,
  officeId: string,
  id: string,
  version?: number,
): Promise<Programme | undefined> {
  let q = db
    .selectFrom('programme')
    .selectAll()
    .where('id', '=', id)
    .where((eb) => eb.or([eb('office_id', 'is', null), eb('office_id', '=', officeId)]));
  if (version !== undefined) q = q.where('version', '=', version);
  return q.orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** The given version, or the newest one when no version is given. */
export function findProgramme(db: Db, id: string, version?: number): Promise<Programme | undefined> {
  let q = db.selectFrom('programme').selectAll().where('id', '=', id);
  if (version !== undefined) q = q.where('version', '=', version);
  return q.orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/**
 * Adds the next version of a programme; running trajectories keep the copy they started with. Every new version
 * belongs to the owner of the first: undefined when `office_id` differs from it (nothing is written).
 */
export async function addProgrammeVersion(
  db: Db,
  p: { id: string; name: string; template: ProgrammeTemplate; office_id: string | null },
): Promise<Programme | undefined> {
  return db.transaction().execute(async (trx) => {
    // Serialises publications of the same programme, so two at once get consecutive versions.
    await sql`select pg_advisory_xact_lock(hashtext(${p.id}))`.execute(trx);
    const [first, newest] = await Promise.all([
      trx
        .selectFrom('programme')
        .select('office_id')
        .where('id', '=', p.id)
        .orderBy('version')
        .limit(1)
        .executeTakeFirst(),
      trx
        .selectFrom('programme')
        .select('version')
        .where('id', '=', p.id)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst(),
    ]);
    if (first && first.office_id !== p.office_id) return undefined;
    return trx
      .insertInto('programme')
      .values({
        id: p.id,
        version: (newest?.version ?? 0) + 1,
        name: p.name,
        template: JSON.stringify(p.template),
        office_id: p.office_id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
