// Frozen: a cohort launch from a spreadsheet (issue 18) is checked first and launched after the coordinator saw
// its dated plan. Between the two the checked rows wait here, under a random id, for the office that uploaded
// them only. A BSN is kept as its keyed hash (as trajectory.bsn_hash), never in clear. The cohort id is chosen
// once per draft, so every repeat of the launch (a double click, a reload, after a crash) is the same launch.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cohort_draft')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('programme_id', 'text', (c) => c.notNull())
    .addColumn('programme_version', 'integer', (c) => c.notNull())
    .addColumn('covenant_id', 'text', (c) => c.notNull())
    .addColumn('school_id', 'text', (c) => c.notNull())
    .addColumn('school_weekday', 'text', (c) => c.notNull())
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('participants', 'jsonb', (c) => c.notNull())
    .addColumn('cohort_id', 'uuid', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('launch_requested_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('cohort_draft_office_idx').on('cohort_draft').column('office_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cohort_draft').execute();
}
