import type { Db } from './connection';
import type { Contact, ContactTable, Covenant, CovenantMember, MemberRole } from './schema';
import type { Insertable } from 'kysely';

export interface CovenantWithMembers extends Covenant {
  members: Omit<CovenantMember, 'covenant_id'>[];
}

/** A covenant and its members in one transaction; an identical repeat is a no-op, a different one returns undefined. */
export async function insertCovenant(
  db: Db,
  c: { id: string; name: string; region: string; programme_office_id: string },
  members: { organisation_id: string; role: MemberRole }[],
): Promise<CovenantWithMembers | undefined> {
  const inserted = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('covenant')
      .values(c)
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    if (members.length)
      await trx
        .insertInto('covenant_member')
        .values(members.map((m) => ({ covenant_id: c.id, ...m })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    return true;
  });
  const existing = await findCovenant(db, c.id);
  if (inserted) return existing;
  const same =
    existing &&
    existing.name === c.name &&
    existing.region === c.region &&
    existing.programme_office_id === c.programme_office_id &&
    existing.members.length === new Set(members.map((m) => `${m.organisation_id}/${m.role}`)).size &&
    members.every((m) => existing.members.some((e) => e.organisation_id === m.organisation_id && e.role === m.role));
  return same ? existing : undefined;
}

export async function addCovenantMembers(
  db: Db,
  covenantId: string,
  members: { organisation_id: string; role: MemberRole }[],
): Promise<void> {
  if (members.length)
    await db
      .insertInto('covenant_member')
      .values(members.map((m) => ({ covenant_id: covenantId, ...m })))
      .onConflict((oc) => oc.doNothing())
      .execute();
}

export async function findCovenant(db: Db, id: string): Promise<CovenantWithMembers | undefined> {
  const c = await db.selectFrom('covenant').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) return undefined;
  const members = await db
    .selectFrom('covenant_member')
    .select(['organisation_id', 'role'])
    .where('covenant_id', '=', id)
    .orderBy('role')
    .orderBy('organisation_id')
    .execute();
  return { ...c, members };
}

/**
 * Covenants visible to an organisation: those it coordinates or takes part in (all when `organisationId` is undefined).
 */
export async function listCovenants(
  db: Db,
  q: { organisationId?: string; officeId?: string; limit: number; offset: number },
) {
  let base = db.selectFrom('covenant');
  if (q.officeId !== undefined) base = base.where('programme_office_id', '=', q.officeId);
  if (q.organisationId !== undefined) {
    const org = q.organisationId;
    base = base.where((eb) =>
      eb.or([
        eb('programme_office_id', '=', org),
        eb('id', 'in', eb.selectFrom('covenant_member').select('covenant_id').where('organisation_id', '=', org)),
      ]),
    );
  }
  const [rows, count] = await Promise.all([
    base.select('id').orderBy('name').orderBy('id').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const items = await Promise.all(rows.map((r) => findCovenant(db, r.id)));
  return { items: items.filter((c): c is CovenantWithMembers => Boolean(c)), total: Number(count.n) };
}

export async function insertContact(db: Db, c: Insertable<ContactTable>): Promise<Contact | undefined> {
  const inserted = await db
    .insertInto('contact')
    .values(c)
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return inserted;
  const existing = await findContact(db, c.id);
  return existing &&
    existing.organisation_id === c.organisation_id &&
    existing.role === c.role &&
    existing.name === c.name &&
    existing.email === c.email &&
    existing.office_id === (c.office_id ?? null)
    ? existing
    : undefined;
}

export function findContact(db: Db, id: string): Promise<Contact | undefined> {
  return db.selectFrom('contact').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findContacts(db: Db, ids: string[]): Promise<Contact[]> {
  return ids.length ? db.selectFrom('contact').selectAll().where('id', 'in', ids).execute() : Promise.resolve([]);
}

/** An organisation's contacts; with `officeId`, only those that office made and the admin's. */
export async function listContacts(
  db: Db,
  q: { organisationId: string; officeId?: string; limit: number; offset: number },
) {
  let base = db.selectFrom('contact').where('organisation_id', '=', q.organisationId);
  if (q.officeId !== undefined) {
    const office = q.officeId;
    base = base.where((eb) => eb.or([eb('office_id', '=', office), eb('office_id', 'is', null)]));
  }
  const [items, count] = await Promise.all([
    base.selectAll().orderBy('name').orderBy('id').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}
