// Frozen: calendar subscription links become records (issue 15), so they expire, can be listed and revoked
// by who made them. A link is a feed of one trajectory or one organisation (an employer's or ROC's
// schedule), made by an API key (its id) or by the admin ('admin'), under the maker's organisation and
// office. Only a keyed hash of the link's secret is kept, never the link itself.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calendar_link')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('feed', 'text', (c) => c.notNull().check(sql`feed in ('trajectory','organisation')`))
    .addColumn('feed_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('office_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  // A caller's own links, newest first.
  await db.schema
    .createIndex('calendar_link_maker_idx')
    .on('calendar_link')
    .columns(['created_by', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendar_link').execute();
}
