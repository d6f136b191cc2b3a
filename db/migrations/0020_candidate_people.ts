// Frozen: the people who act on a candidate (issue 20). The employer proposed for the trial day is part of the
// candidate's process (workflows/candidate.ts) and projected here, so an employer's list of its candidates is one
// indexed query. The jobcoach is a plain assignment the office makes and changes at will, with no rule of the
// draaiboek on it: a column, not a step of the process.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('candidate')
    .addColumn('proposed_employer_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('jobcoach_id', 'text', (c) => c.references('contact.id'))
    .execute();
  await db.schema
    .createIndex('candidate_proposed_employer_idx')
    .on('candidate')
    .column('proposed_employer_id')
    .execute();
  await db.schema.createIndex('candidate_jobcoach_idx').on('candidate').column('jobcoach_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('candidate_jobcoach_idx').execute();
  await db.schema.dropIndex('candidate_proposed_employer_idx').execute();
  await db.schema.alterTable('candidate').dropColumn('jobcoach_id').dropColumn('proposed_employer_id').execute();
}
