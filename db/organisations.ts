import type { Db } from './connection';
import type { NewOrganisation, Organisation } from './schema';
import type { OrganisationKind } from '../domain/roles';

/** Inserts an organisation; an identical repeat is a no-op, a different one under the same id returns undefined. */
export async function insertOrganisation(db: Db, org: NewOrganisation): Promise<Organisation | undefined> {
  const inserted = await db
    .insertInto('organisation')
    .values(org)
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return inserted;
  const existing = await findOrganisation(db, org.id);
  const same =
    existing &&
    existing.name === org.name &&
    existing.kind === org.kind &&
    existing.region === (org.region ?? null) &&
    existing.email === (org.email ?? null) &&
    existing.office_id === (org.office_id ?? null);
  return same ? existing : undefined;
}

export function findOrganisation(db: Db, id: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findOrganisations(db: Db, ids: string[]): Promise<Organisation[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('organisation').selectAll().where('id', 'in', ids).execute();
}

/**
 * Organisations, all of them or (with `officeId`) those the office owns, the admin shared, or another office shared
 * with it.
 */
export async function listOrganisations(
  db: Db,
  q: { kind?: OrganisationKind; officeId?: string; limit: number; offset: number },
) {
  let base = db.selectFrom('organisation');
  if (q.kind) base = base.where('kind', '=', q.kind);
  if (q.officeId !== undefined) {
    const office = q.officeId;
    base = base.where((eb) =>
      eb.or([
        eb('id', '=', office),
        eb('office_id', '=', office),
        eb('office_id', 'is', null),
        eb('id', 'in', eb.selectFrom('organisation_share').select('organisation_id').where('office_id', '=', office)),
      ]),
    );
  }
  const [items, count] = await Promise.all([
    base.selectAll().orderBy('name').orderBy('id').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: count.n };
}
