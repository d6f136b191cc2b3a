// Frozen: when a mail was claimed for sending, so a claim left by a worker that died before the mail server
// accepted the mail is found and shown as `uncertain`; and `superseded` for a digest a newer one replaced.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('claimed_at', 'timestamptz').execute();
  await sql`alter table outbox drop constraint outbox_status_check`.execute(db);
  await sql`alter table outbox add constraint outbox_status_check check (status in
    ('queued','sending','sent','failed','uncertain','superseded'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox drop constraint outbox_status_check`.execute(db);
  await sql`alter table outbox add constraint outbox_status_check check (status in
    ('queued','sending','sent','failed'))`.execute(db);
  await db.schema.alterTable('outbox').dropColumn('claimed_at').execute();
}
