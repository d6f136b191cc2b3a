// Frozen: employer readiness (issue 20). Per programme office, employer and BBL qualification (crebo): the SBB
// recognition as erkend leerbedrijf (checked by whom, when), the praktijkopleider, the checklist of randvoorwaarden
// and the number of places. An employer without a row is "not checked": a placement there needs an override. Every
// override of a refused start is kept in readiness_override with its reason and the person. An employer's KvK
// number lets SBB's data (which names leerbedrijven by KvK) be matched to it.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisation').addColumn('kvk', 'text').execute();
  await db.schema
    .createIndex('organisation_kvk_idx')
    .on('organisation')
    .column('kvk')
    .unique()
    .where(sql.ref('kvk'), 'is not', null)
    .execute();
  await db.schema
    .createTable('employer_readiness')
    .addColumn('office_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('employer_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('crebo', 'text', (c) => c.notNull())
    .addColumn('recognition_number', 'text')
    .addColumn('recognised_on', 'date')
    .addColumn('recognition_checked_on', 'date')
    .addColumn('recognition_checked_by', 'text')
    .addColumn('mentor_contact_id', 'text', (c) => c.references('contact.id'))
    .addColumn('mentor_hours_per_week', 'integer')
    .addColumn('mentor_confirmed_on', 'date')
    .addColumn('checklist', 'jsonb', (c) => c.notNull())
    .addColumn('places', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('employer_readiness_pk', ['office_id', 'employer_id', 'crebo'])
    .execute();
  await db.schema
    .createTable('readiness_override')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('employer_id', 'text', (c) => c.notNull())
    .addColumn('crebo', 'text', (c) => c.notNull())
    .addColumn('trajectory_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('missing', 'jsonb', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('readiness_override_employer_idx')
    .on('readiness_override')
    .columns(['employer_id', 'office_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('readiness_override').execute();
  await db.schema.dropTable('employer_readiness').execute();
  await db.schema.dropIndex('organisation_kvk_idx').execute();
  await db.schema.alterTable('organisation').dropColumn('kvk').execute();
}
