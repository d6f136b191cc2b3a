// The audit log: inserted by the API, read by coordinators, changed by nobody (a trigger refuses UPDATE,
// DELETE and TRUNCATE). It holds ids, never personal data itself.
import { sql, type Insertable } from 'kysely';
import { inSlices, type Db } from './connection';
import type { AuditEventTable } from './schema';

export async function insertAuditEvents(db: Db, rows: Insertable<AuditEventTable>[]): Promise<void> {
  await inSlices(rows, 1000, (slice) => db.insertInto('audit_event').values(slice).execute());
}

export interface AuditQuery {
  /** Only events about this programme office's cohorts and their trajectories (undefined: everything). */
  programmeOfficeId?: string;
  trajectoryId?: string;
  actor?: string;
  organisationId?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export async function listAuditEvents(db: Db, q: AuditQuery) {
  let base = db.selectFrom('audit_event');
  if (q.programmeOfficeId !== undefined) {
    const office = q.programmeOfficeId;
    const cohorts = db
      .selectFrom('cohort as c')
      .innerJoin('covenant as v', 'v.id', 'c.covenant_id')
      .select('c.id')
      .where('v.programme_office_id', '=', office);
    base = base.where((eb) =>
      eb.or([
        eb('trajectory_id', 'in', db.selectFrom('trajectory').select('id').where('cohort_id', 'in', cohorts)),
        eb.and([eb('resource', '=', 'cohort'), eb('resource_id', 'in', cohorts)]),
        // Attempts on the office's objects, refused or not, by whoever made them.
        eb('office_id', '=', office),
      ]),
    );
  }
  if (q.trajectoryId) base = base.where('trajectory_id', '=', q.trajectoryId);
  if (q.actor) base = base.where('actor', '=', q.actor);
  if (q.organisationId) base = base.where('organisation_id', '=', q.organisationId);
  if (q.from) base = base.where('at', '>=', sql<Date>`${q.from}::timestamptz`);
  if (q.to) base = base.where('at', '<', sql<Date>`${q.to}::timestamptz`);
  const [items, count] = await Promise.all([
    base.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}
