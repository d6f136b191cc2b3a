// Frozen seed: version 1 of the WelSlagen toeleiding template, present from the first start.
// A later change to the template is a new version (a new row), never an edit of this one.
import type { Kysely } from 'kysely';

const welslagen = {
  weeks: 20,
  placementDaysPerWeek: 3,
  schoolDaysPerWeek: 1,
  checkpoints: [
    { key: 'intake', name: 'Intake (0-meting)', week: 1 },
    { key: 'pop', name: 'Persoonlijk ontwikkelplan (POP)', week: 3 },
    { key: 'midterm', name: 'Tussenevaluatie', week: 10 },
    { key: 'pre-bbl', name: 'Voorbereiding BBL', week: 18 },
  ],
  attendanceThreshold: 0.8,
  bblDecisionFromWeek: 16,
  intendedOutcome: 'bbl_doorstroom',
};

export async function up(db: Kysely<any>): Promise<void> {
  await db
    .insertInto('programme')
    .values({
      id: 'welslagen',
      version: 1,
      name: 'WelSlagen toeleidingstraject zorg en welzijn',
      template: JSON.stringify(welslagen),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('programme').where('id', '=', 'welslagen').where('version', '=', 1).execute();
}
