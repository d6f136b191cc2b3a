// Frozen: the outbox. Every mail is a row with a unique key (recipient, kind, day) before it is sent, and
// its items say which participants and which reminders it carried, so escalations can count them.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('recipient_name', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    // queued → sending → sent; or failed (permanent refusal). A row left in `sending` was handed to SMTP by a
    // worker that died before it could record the outcome: it is never sent again (never twice).
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sql`status in ('queued','sending','sent','failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('outbox_status_idx').on('outbox').columns(['status', 'day']).execute();
  await db.schema.createIndex('outbox_organisation_idx').on('outbox').columns(['organisation_id', 'day']).execute();

  await db.schema
    .createTable('outbox_item')
    .addColumn('outbox_id', 'text', (c) => c.notNull().references('outbox.id'))
    .addColumn('trajectory_id', 'text', (c) => c.notNull().references('trajectory.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    /**
     * What within the trajectory: a date, a checkpoint key, 'bbl', a risk kind, or for an escalation the item it
     * escalates.
     */
    .addColumn('subject', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('outbox_item_pk', ['outbox_id', 'trajectory_id', 'kind', 'subject'])
    .execute();
  await db.schema
    .createIndex('outbox_item_trajectory_idx')
    .on('outbox_item')
    .columns(['trajectory_id', 'kind', 'subject'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outbox_item').execute();
  await db.schema.dropTable('outbox').execute();
}
