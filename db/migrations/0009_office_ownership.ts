// Frozen: every object belongs to a programme office, so one office can neither see, nor attach, nor mail
// what another office made (issue 15). Null owner: made by the admin and shared, read-only, with every office.
// - organisation.office_id: the owning office (a programme office owns itself).
// - organisation_share: the owner's consent that another office may use the organisation (an ROC serving two
//   offices); each office still sees and mails only its own participants there.
// - contact.office_id: the office that made the contact; the digest mails a contact only about that office's
//   participants.
// - programme.office_id: who may publish versions and launch with them.
// - school_closure.office_id: a closure published under a key an office made applies to that office's
//   trajectories only (the key may not be in the ROC's hands).
// - audit_event.office_id: the office whose object a request touched or tried to touch, so a refused attempt
//   shows in that office's audit log.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Who made what before this migration, where it can still be told: the stored answers of repeated-request
  // protection (kept 30 days) name the key that created an organisation, contact or programme version, and a
  // key names its office (a coordinator's own, or the office whose coordinator made it).
  await sql`create temporary table made_by as
            select split_part(i.scope, ' ', 3) path, i.response::jsonb body, coalesce(k.office_id, case when k.role =
            'coordinator' then k.organisation_id end) office
            from idempotency_key i join api_key k on k.id = split_part(i.scope, ' ', 1)
            where i.status_code between 200 and 299 and i.response is not null and split_part(i.scope, ' ', 2) =
            'POST'`.execute(db);

  await db.schema
    .alterTable('organisation')
    .addColumn('office_id', 'text', (c) => c.references('organisation.id'))
    .execute();
  // An office owns itself; an organisation registered by an office's key belongs to that office; any other to
  // the office whose covenant took it in first; one in no covenant stays shared (the admin registered it). No
  // consent is made up for the other offices whose covenants took it in: their memberships stay on record, but
  // they cannot launch with it until its owner shares it (POST /v1/organisations/{id}/shares).
  await sql`update organisation set office_id = id where kind = 'programme_office'`.execute(db);
  await sql`update organisation o set office_id = m.office from made_by m
            where m.path = '/v1/organisations' and m.body->>'id' = o.id and m.office is not null and o.kind <>
            'programme_office'`.execute(db);
  await sql`update organisation o set office_id = f.office
            from (select distinct on (m.organisation_id) m.organisation_id, c.programme_office_id office
                  from covenant_member m join covenant c on c.id = m.covenant_id order by m.organisation_id,
            c.created_at, c.id) f
            where f.organisation_id = o.id and o.office_id is null`.execute(db);
  await db.schema.createIndex('organisation_office_idx').on('organisation').column('office_id').execute();

  await db.schema
    .createTable('organisation_share')
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('organisation_share_pk', ['organisation_id', 'office_id'])
    .execute();

  // A contact belongs to the office whose key made it (the admin's: to the organisation's owner). Where that
  // cannot be told and several offices used the organisation, nobody can say whose it is: it is held back
  // ('-', no office's), so it is mailed about nobody until its office adds it again. No FK: '-' is no organisation.
  await db.schema.alterTable('contact').addColumn('office_id', 'text').execute();
  await sql`update contact k set office_id = m.office from made_by m
            where m.path like '/v1/organisations/%/contacts' and m.body->>'id' = k.id and m.office is not null`.execute(
    db,
  );
  await sql`update contact k set office_id = case when exists (select 1 from covenant_member m join covenant c on c.id
                                                             = m.covenant_id
                                                             where m.organisation_id = k.organisation_id and
                                                             c.programme_office_id is distinct from o.office_id)
                                                  then '-' else o.office_id end
            from organisation o where o.id = k.organisation_id and k.office_id is null`.execute(db);
  await db.schema.createIndex('contact_office_idx').on('contact').columns(['organisation_id', 'office_id']).execute();

  // A programme version published by an office's key belongs to that office (launches without a version take
  // an office's own or the shared versions only); the rest stays shared, the admin's.
  await db.schema
    .alterTable('programme')
    .addColumn('office_id', 'text', (c) => c.references('organisation.id'))
    .execute();
  await sql`update programme p set office_id = m.office from made_by m
            where m.path = '/v1/programmes' and m.body->>'id' = p.id and (m.body->>'version')::int = p.version and
            m.office is not null`.execute(db);
  await db.schema
    .alterTable('school_closure')
    .addColumn('office_id', 'text', (c) => c.references('organisation.id'))
    .execute();
  await db.schema.alterTable('audit_event').addColumn('office_id', 'text').execute();
  // 'denied': a request refused because the object belongs to another office, recorded for that office.
  await sql`alter table audit_event drop constraint audit_event_action_check`.execute(db);
  await sql`alter table audit_event add constraint audit_event_action_check check (action in
    ('read','change','export','erase','anonymise','denied'))`.execute(db);
  await sql`drop table made_by`.execute(db);
  await db.schema.createIndex('audit_event_office_idx').on('audit_event').columns(['office_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table audit_event drop constraint audit_event_action_check`.execute(db);
  await sql`alter table audit_event add constraint audit_event_action_check check (action in
    ('read','change','export','erase','anonymise'))`.execute(db);
  await db.schema.alterTable('audit_event').dropColumn('office_id').execute();
  await db.schema.alterTable('school_closure').dropColumn('office_id').execute();
  await db.schema.alterTable('programme').dropColumn('office_id').execute();
  await db.schema.alterTable('contact').dropColumn('office_id').execute();
  await db.schema.dropTable('organisation_share').execute();
  await db.schema.alterTable('organisation').dropColumn('office_id').execute();
}
