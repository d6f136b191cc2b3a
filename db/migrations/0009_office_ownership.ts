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
  await db.schema.alterTable('organisation').addColumn('office_id', 'text', (c) => c.references('organisation.id')).execute();
  // Existing data: an office owns itself; another organisation belongs to the office whose covenant took it in
  // first, and the offices whose covenants took it in later keep using it through a share (recorded below).
  // One in no covenant stays shared (the admin registered it). Nobody can tell afterwards who made which
  // contact: they go to the owner, so review contacts after this upgrade (README, "Offices").
  await sql`update organisation set office_id = id where kind = 'programme_office'`.execute(db);
  await sql`update organisation o set office_id = f.office
            from (select distinct on (m.organisation_id) m.organisation_id, c.programme_office_id office
                  from covenant_member m join covenant c on c.id = m.covenant_id order by m.organisation_id, c.created_at, c.id) f
            where f.organisation_id = o.id and o.kind <> 'programme_office'`.execute(db);
  await db.schema.createIndex('organisation_office_idx').on('organisation').column('office_id').execute();

  await db.schema
    .createTable('organisation_share')
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('organisation_share_pk', ['organisation_id', 'office_id'])
    .execute();

  await sql`insert into organisation_share (organisation_id, office_id, granted_by)
            select distinct m.organisation_id, c.programme_office_id, 'migration 0009'
            from covenant_member m join covenant c on c.id = m.covenant_id join organisation o on o.id = m.organisation_id
            where o.office_id is distinct from c.programme_office_id and o.id <> c.programme_office_id`.execute(db);

  await db.schema.alterTable('contact').addColumn('office_id', 'text', (c) => c.references('organisation.id')).execute();
  await sql`update contact k set office_id = o.office_id from organisation o where o.id = k.organisation_id`.execute(db);
  await db.schema.createIndex('contact_office_idx').on('contact').columns(['organisation_id', 'office_id']).execute();

  await db.schema.alterTable('programme').addColumn('office_id', 'text', (c) => c.references('organisation.id')).execute();
  await db.schema.alterTable('school_closure').addColumn('office_id', 'text', (c) => c.references('organisation.id')).execute();
  await db.schema.alterTable('audit_event').addColumn('office_id', 'text').execute();
  // 'denied': a request refused because the object belongs to another office, recorded for that office.
  await sql`alter table audit_event drop constraint audit_event_action_check`.execute(db);
  await sql`alter table audit_event add constraint audit_event_action_check check (action in ('read','change','export','erase','anonymise','denied'))`.execute(db);
  await db.schema.createIndex('audit_event_office_idx').on('audit_event').columns(['office_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table audit_event drop constraint audit_event_action_check`.execute(db);
  await sql`alter table audit_event add constraint audit_event_action_check check (action in ('read','change','export','erase','anonymise'))`.execute(db);
  await db.schema.alterTable('audit_event').dropColumn('office_id').execute();
  await db.schema.alterTable('school_closure').dropColumn('office_id').execute();
  await db.schema.alterTable('programme').dropColumn('office_id').execute();
  await db.schema.alterTable('contact').dropColumn('office_id').execute();
  await db.schema.dropTable('organisation_share').execute();
  await db.schema.alterTable('organisation').dropColumn('office_id').execute();
}
