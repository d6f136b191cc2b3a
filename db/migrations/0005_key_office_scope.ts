// Frozen: an API key made by a coordinator is bound to that coordinator's programme office, so it never
// sees another office's participants, even for a partner (UWV, an ROC) that works with several offices.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('api_key')
    .addColumn('office_id', 'text', (c) => c.references('organisation.id'))
    .execute();
  await db.schema.createIndex('api_key_office_idx').on('api_key').column('office_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_key').dropColumn('office_id').execute();
}
