// Frozen: evidence for subsidy and ESF+ and the legal hold (issue 21, part 4). The subsidy and ESF+ files are read
// from what is already recorded (attendance, outcomes); the one figure nothing recorded is the staff hours an ESF+
// project declares, kept here per project (covenant), organisation and month. A legal hold keeps a trajectory or a
// candidate from anonymisation until its end date; placing and lifting it are both kept, never overwritten.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('legal_hold')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** The Idempotency-Key (scoped) of the request that placed it: a repeat places nothing twice. */
    .addColumn('request_id', 'text', (c) => c.notNull().unique())
    .addColumn('subject', 'text', (c) => c.notNull().check(sql`subject in ('trajectory', 'candidate')`))
    .addColumn('subject_id', 'text', (c) => c.notNull())
    /** The office whose coordinator placed it (null: the admin, on a record of no office). */
    .addColumn('office_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('until', 'date', (c) => c.notNull())
    .addColumn('placed_by', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('lifted_on', 'date')
    .addColumn('lifted_by', 'text')
    .addColumn('lift_reason', 'text')
    .execute();
  await db.schema.createIndex('legal_hold_subject_idx').on('legal_hold').columns(['subject', 'subject_id']).execute();
  await db.schema
    .createTable('esf_staff_hours')
    .addColumn('covenant_id', 'text', (c) => c.notNull().references('covenant.id'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('hours', 'double precision', (c) => c.notNull().check(sql`hours >= 0`))
    .addColumn('note', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('esf_staff_hours_pk', ['covenant_id', 'organisation_id', 'month'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('esf_staff_hours').execute();
  await db.schema.dropTable('legal_hold').execute();
}
