// Frozen: the praktijkverklaring route (issue 21, part 3). WelSlagen gets a new template version naming the work
// processes of the qualification it leads to (version 1 stays as it was: running trajectories keep their copy);
// which of them each placement can offer, per employer and programme, set by the coordinator; when the
// praktijkopleider saw the participant show each one; and the ROC's confirmed praktijkverklaring, kept beside the
// workflow's outcome (the outcome says how the 20 weeks ended, the statement is what the ROC issues after them).
import { sql, type Kysely } from 'kysely';

// Helpende Zorg en Welzijn, mbo niveau 2 (SBB kwalificatiedossier Helpende zorg en welzijn, crebo 25498): the
// work processes of its basisdeel, by code and name as the public dossier on kwalificaties.s-bb.nl words them to
// the best of our knowledge; check them against the dossier in force before a statement is requested.
const HELPENDE_ZORG_EN_WELZIJN = [
  { code: 'B1-K1-W1', name: 'Ondersteunt bij persoonlijke verzorging' },
  { code: 'B1-K1-W2', name: 'Ondersteunt bij wonen en huishouden' },
  { code: 'B1-K1-W3', name: 'Ondersteunt bij dagbesteding en activiteiten' },
  { code: 'B1-K2-W1', name: 'Stemt de werkzaamheden af en werkt samen' },
  { code: 'B1-K2-W2', name: 'Werkt aan de eigen deskundigheid en de kwaliteit van het werk' },
];

export async function up(db: Kysely<any>): Promise<void> {
  // The next version of the shared WelSlagen line only: where an office already published its own newer version
  // (before migration 0009 anyone could), that office's line stays as it is and it adds the work processes itself.
  const newest = await db
    .selectFrom('programme')
    .selectAll()
    .where('id', '=', 'welslagen')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (newest && newest.office_id === null) {
    const template = typeof newest.template === 'string' ? JSON.parse(newest.template) : newest.template;
    if (!template.workProcesses)
      await db
        .insertInto('programme')
        .values({
          id: 'welslagen',
          version: newest.version + 1,
          name: newest.name,
          template: JSON.stringify({ ...template, workProcesses: HELPENDE_ZORG_EN_WELZIJN }),
          office_id: null,
        })
        .execute();
  }
  await db.schema
    .createTable('placement_work_process')
    .addColumn('employer_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('programme_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('placement_work_process_pk', ['employer_id', 'programme_id', 'code'])
    .execute();
  await db.schema
    .createTable('work_process_evidence')
    .addColumn('trajectory_id', 'text', (c) => c.notNull().references('trajectory.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('shown_on', 'date', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('assessor', 'text', (c) => c.notNull())
    .addColumn('employer_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('work_process_evidence_pk', ['trajectory_id', 'code'])
    .execute();
  await db.schema
    .createTable('praktijkverklaring')
    .addColumn('trajectory_id', 'text', (c) => c.primaryKey().references('trajectory.id'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('codes', 'jsonb', (c) => c.notNull())
    .addColumn('confirmed_on', 'date', (c) => c.notNull())
    .addColumn('confirmed_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('praktijkverklaring').execute();
  await db.schema.dropTable('work_process_evidence').execute();
  await db.schema.dropTable('placement_work_process').execute();
  await db
    .deleteFrom('programme')
    .where('id', '=', 'welslagen')
    .where(sql<boolean>`template ? 'workProcesses'`)
    .where('office_id', 'is', null)
    .execute();
}
