// Frozen: keeping the benefit (issue 21, part 1). Per participant the benefit payer's instrument (UWV
// proefplaatsing, or a gemeente's instrument under the Participatiewet) with the rule set it is judged by, its
// start and decision date; the payer's extension decisions, each once (by the request that recorded it); and the
// payer's confirmation, at the BBL contract start, that the benefit was adjusted or ended.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('benefit_instrument')
    .addColumn('trajectory_id', 'text', (c) => c.primaryKey().references('trajectory.id'))
    .addColumn('payer_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('instrument', 'text', (c) => c.notNull())
    .addColumn('rule_set', 'text', (c) => c.notNull())
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('decision_date', 'date', (c) => c.notNull())
    .addColumn('adjustment_outcome', 'text')
    .addColumn('adjustment_confirmed_on', 'date')
    .addColumn('adjustment_confirmed_by', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('benefit_instrument_payer_idx').on('benefit_instrument').column('payer_id').execute();
  await db.schema
    .createTable('benefit_extension')
    .addColumn('request_id', 'text', (c) => c.primaryKey())
    .addColumn('trajectory_id', 'text', (c) => c.notNull().references('trajectory.id'))
    .addColumn('until', 'date', (c) => c.notNull())
    .addColumn('decided_on', 'date', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('benefit_extension_trajectory_idx')
    .on('benefit_extension')
    .column('trajectory_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('benefit_extension').execute();
  await db.schema.dropTable('benefit_instrument').execute();
}
