// Frozen: covenants and their partners, contacts, API keys, the audit log, and what privacy needs on a
// trajectory (the benefit payer, a BSN only as a keyed hash, anonymisation). No deployment holds trajectories
// yet, so the free-text jobcoach columns make way for a contact reference without a data migration.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('covenant')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('programme_office_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('covenant_office_idx').on('covenant').column('programme_office_id').execute();

  await db.schema
    .createTable('covenant_member')
    .addColumn('covenant_id', 'text', (c) => c.notNull().references('covenant.id'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('employer','school','funder','jobcoaching')`))
    .addPrimaryKeyConstraint('covenant_member_pk', ['covenant_id', 'organisation_id', 'role'])
    .execute();
  await db.schema.createIndex('covenant_member_org_idx').on('covenant_member').column('organisation_id').execute();

  await db.schema
    .createTable('contact')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('coordinator','jobcoach','workplace_trainer','roc_coordinator')`),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('contact_org_idx').on('contact').column('organisation_id').execute();

  await db.schema
    .createTable('api_key')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('coordinator','employer','school','jobcoach','funder')`),
    )
    .addColumn('contact_id', 'text', (c) => c.references('contact.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    // SHA-256 of the secret: keys are 32 random bytes, so a fast hash is enough and lookups stay one index probe.
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .addCheckConstraint('api_key_jobcoach_contact', sql`(role = 'jobcoach') = (contact_id is not null)`)
    .execute();

  await db.schema
    .alterTable('cohort')
    .addColumn('covenant_id', 'text', (c) => c.references('covenant.id'))
    .execute();
  await db.schema.createIndex('cohort_covenant_idx').on('cohort').column('covenant_id').execute();
  await db.schema.createIndex('cohort_school_idx').on('cohort').column('school_id').execute();

  await db.schema.alterTable('trajectory').dropColumn('jobcoach_name').dropColumn('jobcoach_email').execute();
  await db.schema
    .alterTable('trajectory')
    .addColumn('jobcoach_id', 'text', (c) => c.references('contact.id'))
    .addColumn('benefit_payer_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('bsn_hash', 'text')
    .addColumn('anonymised_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('trajectory_jobcoach_idx').on('trajectory').column('jobcoach_id').execute();
  await db.schema.createIndex('trajectory_benefit_payer_idx').on('trajectory').column('benefit_payer_id').execute();
  await db.schema.createIndex('trajectory_bsn_hash_idx').on('trajectory').column('bsn_hash').execute();

  await db.schema
    .createTable('audit_event')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) =>
      c.notNull().check(sql`action in ('read','change','export','erase','anonymise')`),
    )
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('trajectory_id', 'text')
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .execute();
  await db.schema
    .createIndex('audit_event_trajectory_idx')
    .on('audit_event')
    .columns(['trajectory_id', 'at'])
    .execute();
  await db.schema.createIndex('audit_event_at_idx').on('audit_event').column('at').execute();
  // Append-only for everyone, the application included: the log accounts for reads, so nothing may rewrite it.
  await sql`create function audit_event_append_only() returns trigger language plpgsql as $$
    begin raise exception 'audit_event is append-only'; end $$`.execute(db);
  await sql`create trigger audit_event_no_change before update or delete on audit_event
    for each row execute function audit_event_append_only()`.execute(db);
  await sql`create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_event').execute();
  await sql`drop function audit_event_append_only()`.execute(db);
  await db.schema
    .alterTable('trajectory')
    .dropColumn('jobcoach_id')
    .dropColumn('benefit_payer_id')
    .dropColumn('bsn_hash')
    .dropColumn('anonymised_at')
    .execute();
  await db.schema
    .alterTable('trajectory')
    .addColumn('jobcoach_name', 'text')
    .addColumn('jobcoach_email', 'text')
    .execute();
  await db.schema.alterTable('cohort').dropColumn('covenant_id').execute();
  for (const t of ['api_key', 'contact', 'covenant_member', 'covenant']) await db.schema.dropTable(t).execute();
}
