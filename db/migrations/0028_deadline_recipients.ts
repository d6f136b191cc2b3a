// Frozen: a deadline reached can go to several recipients (issue 21 part 5: the POK's escalation to the ROC and the
// office, the subsidy reminder to each employer the participant had supervised weeks with): one row per recipient.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deadline_reached').dropConstraint('deadline_reached_pk').execute();
  await db.schema
    .alterTable('deadline_reached')
    .addPrimaryKeyConstraint('deadline_reached_pk', ['trajectory_id', 'kind', 'on', 'organisation_id', 'role'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deadline_reached').dropConstraint('deadline_reached_pk').execute();
  await db.schema
    .alterTable('deadline_reached')
    .addPrimaryKeyConstraint('deadline_reached_pk', ['trajectory_id', 'kind', 'on'])
    .execute();
}
