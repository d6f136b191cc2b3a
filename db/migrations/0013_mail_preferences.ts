// Frozen: a person's mail preferences (issue 17, "my account"): which of the informational reminders they get
// (the employer's week overview, the coordinator's risk signals). Null: the programme's defaults, everything on.
// Tasks (attendance, checkpoints, BBL, follow-up) are always sent; the column holds only what was switched off.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contact').addColumn('mail_preferences', 'jsonb').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contact').dropColumn('mail_preferences').execute();
}
