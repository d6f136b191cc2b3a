// Frozen: people sign in to the web pages (issue 17). A person is a contact of an organisation (a workplace
// trainer, an ROC coordinator, a jobcoach, a coordinator): invited by whoever manages the organisation, signing
// in by a one-time link sent by mail. A session is a record behind an HttpOnly cookie; only a hash of the
// cookie's secret is kept. A sign-in link is used once: its hash is written when it is.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contact').addColumn('invited_at', 'timestamptz').execute();
  await db.schema
    .createTable('web_session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contact.id'))
    // A session opened by a task link reaches that task only; null: everything the person may do.
    .addColumn('task', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('web_session_contact_idx').on('web_session').column('contact_id').execute();
  await db.schema
    .createTable('used_link')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('used_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('used_link').execute();
  await db.schema.dropTable('web_session').execute();
  await db.schema.alterTable('contact').dropColumn('invited_at').execute();
}
