// Frozen: a gemeente's or UWV's list uploaded into a recruitment round (issue 20) is checked first and added after
// the coordinator decided on its near matches. Between the two the checked rows wait here, under a random id, for
// the office that uploaded them only; a BSN as its keyed hash, never in clear. The request id is chosen once per
// upload, so every repeat of "add" (a double click, a reload, after a crash) is the same request: nobody twice.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('candidate_upload')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('round_id', 'text', (c) => c.notNull().references('recruitment_round.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull().unique())
    .addColumn('entries', 'jsonb', (c) => c.notNull())
    .addColumn('near', 'jsonb', (c) => c.notNull())
    // The coordinator's decision per near match, kept from the first "add" on: a repeat adds the same rows.
    .addColumn('decisions', 'jsonb')
    .addColumn('added_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('candidate_upload_round_idx').on('candidate_upload').column('round_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('candidate_upload').execute();
}
