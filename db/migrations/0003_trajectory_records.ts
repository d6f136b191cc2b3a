// Frozen: the projections of the trajectory workflow. Every row is keyed by values the workflow generated
// (trajectory id + seq, date or checkpoint key), so a retried or replayed activity never duplicates one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('trajectory')
    .addColumn('outcome', 'jsonb')
    .addColumn('projected_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('trajectory_event')
    .addColumn('trajectory_id', 'text', (c) => c.notNull().references('trajectory.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'date', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('trajectory_event_pk', ['trajectory_id', 'seq'])
    .execute();

  await db.schema
    .createTable('attendance')
    .addColumn('trajectory_id', 'text', (c) => c.notNull().references('trajectory.id'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('placement','school')`))
    .addColumn('present', 'boolean', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('correction_reason', 'text')
    .addColumn('recorded_on', 'date', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('attendance_pk', ['trajectory_id', 'date'])
    .execute();

  await db.schema
    .createTable('checkpoint_review')
    .addColumn('trajectory_id', 'text', (c) => c.notNull().references('trajectory.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('on_track','concerns','at_risk')`))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('trainer_confirmed', 'boolean', (c) => c.notNull())
    .addColumn('recorded_on', 'date', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('checkpoint_review_pk', ['trajectory_id', 'key'])
    .execute();

  // Which employer has the participant from which date: access and bulk recording follow it.
  await db.schema
    .createTable('placement')
    .addColumn('trajectory_id', 'text', (c) => c.notNull().references('trajectory.id'))
    .addColumn('from_date', 'date', (c) => c.notNull())
    .addColumn('employer_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addPrimaryKeyConstraint('placement_pk', ['trajectory_id', 'from_date'])
    .execute();
  await db.schema.createIndex('placement_employer_idx').on('placement').column('employer_id').execute();
  await sql`insert into placement (trajectory_id, from_date, employer_id)
            select t.id, c.start_date, t.employer_id from trajectory t join cohort c on c.id = t.cohort_id`.execute(db);

  await db.schema
    .createTable('school_closure')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('from_date', 'date', (c) => c.notNull())
    .addColumn('to_date', 'date', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('school_closure_range', sql`from_date <= to_date`)
    .execute();
  await db.schema.createIndex('school_closure_school_idx').on('school_closure').column('school_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['school_closure', 'placement', 'checkpoint_review', 'attendance', 'trajectory_event'])
    await db.schema.dropTable(t).execute();
  await db.schema.alterTable('trajectory').dropColumn('outcome').dropColumn('projected_seq').execute();
}
