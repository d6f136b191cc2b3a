// Frozen: after the round (issue 20). A matched candidate is launched into a cohort once: the launch claims it
// (launch_cohort_id, before the cohort exists, so two launches cannot both take it) and then names the trajectory
// it became. The coordinator's morning mail carries candidates' deadlines; which mail carried which reminder is kept
// beside the trajectory items (their trajectory_id stays NOT NULL), so escalations can count them. A candidate
// who never entered a cohort is anonymised after the retention period (anonymised_at).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('candidate')
    .addColumn('launch_cohort_id', 'text')
    .addColumn('trajectory_id', 'text', (c) => c.references('trajectory.id'))
    .addColumn('anonymised_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('candidate_launch_idx').on('candidate').column('launch_cohort_id').execute();
  await db.schema
    .createTable('outbox_candidate_item')
    .addColumn('outbox_id', 'text', (c) => c.notNull().references('outbox.id'))
    .addColumn('candidate_id', 'text', (c) => c.notNull().references('candidate.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // The step and its deadline the reminder was about, so a later step counts afresh.
    .addColumn('subject', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('outbox_candidate_item_pk', ['outbox_id', 'candidate_id', 'kind', 'subject'])
    .execute();
  await db.schema
    .createIndex('outbox_candidate_item_candidate_idx')
    .on('outbox_candidate_item')
    .columns(['candidate_id', 'kind', 'subject'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outbox_candidate_item').execute();
  await db.schema.dropIndex('candidate_launch_idx').execute();
  await db.schema
    .alterTable('candidate')
    .dropColumn('anonymised_at')
    .dropColumn('trajectory_id')
    .dropColumn('launch_cohort_id')
    .execute();
}
