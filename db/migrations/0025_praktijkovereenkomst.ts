// Frozen: the praktijkovereenkomst (issue 21, part 2). One row per participant entering BBL: when the ROC drew the
// POK up and when each party signed (with who recorded it), the employer that signed, and the last bpv-blad the ROC
// recorded after an employer change (with the employer it is for). Kept beside the workflow, like the
// praktijkverklaring: signatures come in around the BBL start, after the trajectory's workflow may have finished.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('praktijkovereenkomst')
    .addColumn('trajectory_id', 'text', (c) => c.primaryKey().references('trajectory.id'))
    .addColumn('drawn_up_on', 'date')
    .addColumn('drawn_up_by', 'text')
    .addColumn('participant_on', 'date')
    .addColumn('participant_by', 'text')
    .addColumn('employer_on', 'date')
    .addColumn('employer_by', 'text')
    .addColumn('employer_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('school_on', 'date')
    .addColumn('school_by', 'text')
    .addColumn('bpv_blad_on', 'date')
    .addColumn('bpv_blad_by', 'text')
    .addColumn('bpv_blad_employer_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('praktijkovereenkomst').execute();
}
