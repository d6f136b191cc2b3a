// Employer readiness per office, employer and crebo, the places in use, and the log of overridden starts. Only
// reads and writes: the rules are in domain/readiness.ts, the decisions in api/services/readiness.ts.
import type { Insertable } from 'kysely';
import { anyOf, type Db } from './connection';
import type { EmployerReadiness, EmployerReadinessTable, ReadinessOverrideTable } from './schema';
import { RUNNING_STATUSES } from '../domain/statuses';

export function findReadiness(
  db: Db,
  k: { officeId: string; employerId: string; crebo: string },
): Promise<EmployerReadiness | undefined> {
  return db
    .selectFrom('employer_readiness')
    .selectAll()
    .where('office_id', '=', k.officeId)
    .where('employer_id', '=', k.employerId)
    .where('crebo', '=', k.crebo)
    .executeTakeFirst();
}

/** An employer's readiness records: of one office, or (null) of every office. */
export function listReadiness(db: Db, employerId: string, officeId: string | null): Promise<EmployerReadiness[]> {
  let q = db.selectFrom('employer_readiness').selectAll().where('employer_id', '=', employerId);
  if (officeId !== null) q = q.where('office_id', '=', officeId);
  return q.orderBy('office_id').orderBy('crebo').execute();
}

export async function upsertReadiness(db: Db, row: Insertable<EmployerReadinessTable>): Promise<void> {
  await db
    .insertInto('employer_readiness')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['office_id', 'employer_id', 'crebo']).doUpdateSet((eb) => ({
        recognition_number: eb.ref('excluded.recognition_number'),
        recognised_on: eb.ref('excluded.recognised_on'),
        recognition_checked_on: eb.ref('excluded.recognition_checked_on'),
        recognition_checked_by: eb.ref('excluded.recognition_checked_by'),
        mentor_contact_id: eb.ref('excluded.mentor_contact_id'),
        mentor_hours_per_week: eb.ref('excluded.mentor_hours_per_week'),
        mentor_confirmed_on: eb.ref('excluded.mentor_confirmed_on'),
        checklist: eb.ref('excluded.checklist'),
        places: eb.ref('excluded.places'),
        updated_by: eb.ref('excluded.updated_by'),
        updated_at: new Date(),
      })),
    )
    .execute();
}

/** Running trajectories of the office's cohorts placed at each employer: the places they take. */
export async function placesInUse(db: Db, officeId: string, employerIds: string[]): Promise<Map<string, number>> {
  if (employerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('trajectory as t')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .innerJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select(['t.employer_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('v.programme_office_id', '=', officeId)
    .where('t.employer_id', '=', anyOf(employerIds))
    .where('t.status', 'in', [...RUNNING_STATUSES])
    .groupBy('t.employer_id')
    .execute();
  return new Map(rows.map((r) => [r.employer_id, Number(r.n)]));
}

export async function insertOverrides(db: Db, rows: Insertable<ReadinessOverrideTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('readiness_override').values(rows).execute();
}

export function findEmployersByKvk(db: Db, kvks: string[]) {
  if (kvks.length === 0) return Promise.resolve([]);
  return db.selectFrom('organisation').select(['id', 'kvk']).where('kvk', '=', anyOf(kvks)).execute();
}

export async function setKvk(db: Db, organisationId: string, kvk: string): Promise<void> {
  await db.updateTable('organisation').set({ kvk }).where('id', '=', organisationId).execute();
}
