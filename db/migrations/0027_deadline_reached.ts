// Frozen: every deadline a durable timer (issue 21, part 5). A subject's deadlines workflow records here each
// deadline its timer reached, once per (trajectory, kind, day), with the recipient and what the mail says of it;
// the next morning's digest mails the rows no earlier digest carried (outbox_item, subject `<kind>:<day>`).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('deadline_reached')
    .addColumn('trajectory_id', 'text', (c) => c.notNull().references('trajectory.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('on', 'date', (c) => c.notNull())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('deadline_reached_pk', ['trajectory_id', 'kind', 'on'])
    .execute();
  await db.schema.createIndex('deadline_reached_on_idx').on('deadline_reached').column('on').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('deadline_reached').execute();
}
