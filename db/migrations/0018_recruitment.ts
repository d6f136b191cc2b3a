// Frozen: before the cohort (issue 20). A recruitment round of an office for a programme and region, with its
// draaiboek (the steps as data); candidates come in from the gemeente's and UWV's lists or through the API. A
// candidate's row is the projection of its durable process (workflows/candidate.ts), guarded by seq; its
// pseudonymous reference stays with it into the cohort. The BSN only as its keyed hash, as everywhere.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('recruitment_round')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('programme_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('draaiboek', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('candidate')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('recruitment_round.id'))
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('date_of_birth', 'date')
    .addColumn('bsn_hash', 'text')
    // Who handed the candidate over: a gemeente or UWV organisation (its benefit payer), or null (the office).
    .addColumn('source_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('in_progress'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('overdue', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('employer_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('left_reason', 'text')
    .addColumn('left_on', 'date')
    .addColumn('state', 'jsonb', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('candidate_round_idx').on('candidate').columns(['round_id', 'status']).execute();
  // One person once per round, where the list gave a BSN.
  await db.schema
    .createIndex('candidate_round_bsn_idx')
    .on('candidate')
    .columns(['round_id', 'bsn_hash'])
    .unique()
    .where(sql.ref('bsn_hash'), 'is not', null)
    .execute();
  await db.schema
    .createTable('candidate_event')
    .addColumn('candidate_id', 'text', (c) => c.notNull().references('candidate.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'date', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('candidate_event_pk', ['candidate_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('candidate_event').execute();
  await db.schema.dropTable('candidate').execute();
  await db.schema.dropTable('recruitment_round').execute();
}
