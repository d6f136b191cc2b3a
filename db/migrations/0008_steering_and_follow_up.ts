// Frozen: what the coordinator's steering view, the follow-up after doorstroom and fast funder figures need.
// - The plan (planned days and checkpoints) as the workflow last computed it, so "overdue" is SQL.
// - Per-trajectory attendance counts kept by the projection, so the funders' figures never count the
//   attendance table (6 million rows at 100,000 trajectories).
// - One follow-up row per trajectory and month (3, 6, 12) after doorstroom, with the partners' answers.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('trajectory')
    .addColumn('days_recorded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('days_attended', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('plan_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update trajectory t set days_recorded = a.recorded, days_attended = a.attended
            from (select trajectory_id, count(*)::int recorded, (count(*) filter (where present))::int attended from
            attendance group by trajectory_id) a
            where a.trajectory_id = t.id`.execute(db);
  // The funders' and the coordinator's filters: cohort by programme, region and start; trajectories by cohort.
  await db.schema.createIndex('trajectory_cohort_idx').on('trajectory').column('cohort_id').execute();
  await db.schema
    .createIndex('cohort_programme_start_idx')
    .on('cohort')
    .columns(['programme_id', 'start_date'])
    .execute();
  await db.schema.createIndex('cohort_region_start_idx').on('cohort').columns(['region', 'start_date']).execute();

  await db.schema
    .createTable('planned_day')
    .addColumn('trajectory_id', 'text', (c) => c.notNull().references('trajectory.id'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('placement','school')`))
    .addColumn('week', 'integer', (c) => c.notNull())
    .addColumn('planned', 'boolean', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('planned_day_pk', ['trajectory_id', 'date'])
    .execute();

  await db.schema
    .createTable('planned_checkpoint')
    .addColumn('trajectory_id', 'text', (c) => c.notNull().references('trajectory.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('week', 'integer', (c) => c.notNull())
    .addColumn('week_start', 'date', (c) => c.notNull())
    .addColumn('week_end', 'date', (c) => c.notNull())
    .addPrimaryKeyConstraint('planned_checkpoint_pk', ['trajectory_id', 'key'])
    .execute();

  await db.schema
    .createTable('follow_up')
    .addColumn('trajectory_id', 'text', (c) => c.notNull().references('trajectory.id'))
    .addColumn('months', 'integer', (c) => c.notNull())
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('closes_on', 'date', (c) => c.notNull())
    .addColumn('employer_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('school_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('employed', 'boolean')
    .addColumn('employed_on', 'date')
    .addColumn('enrolled', 'boolean')
    .addColumn('enrolled_on', 'date')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','closed')`))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('follow_up_pk', ['trajectory_id', 'months'])
    .execute();
  await db.schema.createIndex('follow_up_open_idx').on('follow_up').columns(['status', 'due_on']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['follow_up', 'planned_checkpoint', 'planned_day']) await db.schema.dropTable(t).execute();
  for (const i of ['trajectory_cohort_idx', 'cohort_programme_start_idx', 'cohort_region_start_idx'])
    await db.schema.dropIndex(i).execute();
  await db.schema
    .alterTable('trajectory')
    .dropColumn('days_recorded')
    .dropColumn('days_attended')
    .dropColumn('plan_seq')
    .execute();
}
