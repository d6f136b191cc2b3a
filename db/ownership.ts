// Who owns what: the facts the office rule in api/ownership.ts decides on. Every object belongs to a programme
// office, or (null) to the admin, who shares it read-only with every office. These functions only read and
// record; the decisions are made in one place (api/ownership.ts).
import { sql } from 'kysely';
import type { Db } from './connection';
import type { Organisation } from './schema';

export interface OwnedOrganisation extends Organisation {
  /** Offices the owner has consented may use the organisation in their covenants. */
  sharedWith: string[];
}

/** One query, whether the organisation exists or not: the authorization check takes as long for either. */
export async function findOwnedOrganisation(db: Db, id: string): Promise<OwnedOrganisation | undefined> {
  const row = await db
    .selectFrom('organisation as o')
    .selectAll('o')
    .select(
      sql<
        string[]
      >`coalesce((select array_agg(s.office_id order by s.office_id) from organisation_share s where s.organisation_id
    = o.id), '{}')`.as('shared_with'),
    )
    .where('o.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { shared_with, ...org } = row;
  return { ...org, sharedWith: shared_with };
}

export async function findOwnedOrganisations(db: Db, ids: string[]): Promise<OwnedOrganisation[]> {
  if (ids.length === 0) return [];
  const [orgs, shares] = await Promise.all([
    db.selectFrom('organisation').selectAll().where('id', 'in', ids).execute(),
    db
      .selectFrom('organisation_share')
      .select(['organisation_id', 'office_id'])
      .where('organisation_id', 'in', ids)
      .execute(),
  ]);
  return orgs.map((o) => ({
    ...o,
    sharedWith: shares.filter((s) => s.organisation_id === o.id).map((s) => s.office_id),
  }));
}

/** Records the owner's consent; a repeat changes nothing. */
export async function insertShare(
  db: Db,
  s: { organisation_id: string; office_id: string; granted_by: string },
): Promise<void> {
  await db
    .insertInto('organisation_share')
    .values(s)
    .onConflict((oc) => oc.columns(['organisation_id', 'office_id']).doNothing())
    .execute();
}

export function listShares(db: Db, organisationId: string) {
  return db
    .selectFrom('organisation_share')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('office_id')
    .execute();
}

/** The office that owns an object of a kind, for recording a refused attempt in that office's audit log. */
export async function ownerOffice(db: Db, kind: string, id: string): Promise<string | null | undefined> {
  switch (kind) {
    case 'organisation':
      return (await db.selectFrom('organisation').select('office_id').where('id', '=', id).executeTakeFirst())
        ?.office_id;
    case 'covenant':
      return (await db.selectFrom('covenant').select('programme_office_id').where('id', '=', id).executeTakeFirst())
        ?.programme_office_id;
    case 'cohort':
      return (
        await db
          .selectFrom('cohort as c')
          .innerJoin('covenant as v', 'v.id', 'c.covenant_id')
          .select('v.programme_office_id')
          .where('c.id', '=', id)
          .executeTakeFirst()
      )?.programme_office_id;
    case 'trajectory':
    case 'benefit':
      return (
        await db
          .selectFrom('trajectory as t')
          .innerJoin('cohort as c', 'c.id', 't.cohort_id')
          .innerJoin('covenant as v', 'v.id', 'c.covenant_id')
          .select('v.programme_office_id')
          .where('t.id', '=', id)
          .executeTakeFirst()
      )?.programme_office_id;
    case 'mail':
      // A mail belongs to the office of the participants it is about (a digest is per office).
      return (
        await db
          .selectFrom('outbox_item as i')
          .innerJoin('trajectory as t', 't.id', 'i.trajectory_id')
          .innerJoin('cohort as c', 'c.id', 't.cohort_id')
          .innerJoin('covenant as v', 'v.id', 'c.covenant_id')
          .select('v.programme_office_id')
          .where('i.outbox_id', '=', id)
          .executeTakeFirst()
      )?.programme_office_id;
    case 'recruitment-round':
      return (await db.selectFrom('recruitment_round').select('office_id').where('id', '=', id).executeTakeFirst())
        ?.office_id;
    case 'candidate':
      return (
        await db
          .selectFrom('candidate as c')
          .innerJoin('recruitment_round as r', 'r.id', 'c.round_id')
          .select('r.office_id')
          .where('c.id', '=', id)
          .executeTakeFirst()
      )?.office_id;
    case 'api-key': {
      const k = await db
        .selectFrom('api_key as k')
        .innerJoin('organisation as o', 'o.id', 'k.organisation_id')
        .select(['k.office_id', 'o.office_id as org_office'])
        .where('k.id', '=', id)
        .executeTakeFirst();
      return k && (k.office_id ?? k.org_office);
    }
    case 'contact':
      return (await db.selectFrom('contact').select('office_id').where('id', '=', id).executeTakeFirst())?.office_id;
    case 'calendar-link':
      return (await db.selectFrom('calendar_link').select('office_id').where('id', '=', id).executeTakeFirst())
        ?.office_id;
    case 'programme':
      return (
        await db
          .selectFrom('programme')
          .select('office_id')
          .where('id', '=', id)
          .orderBy('version', 'desc')
          .limit(1)
          .executeTakeFirst()
      )?.office_id;
    default:
      return undefined;
  }
}
