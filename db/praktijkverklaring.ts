// The praktijkverklaring route's records (migration 0024): which work processes a placement offers, when the
// praktijkopleider saw each shown, and the ROC's confirmed statement; and the count the outcome figures add.
import { sql } from 'kysely';
import type { Db } from './connection';
import { figureScope, type FigureFilter } from './outcomes';

/** Replaces the work processes an employer's placement offers in a programme; all of them or none. */
export async function setPlacementWorkProcesses(
  db: Db,
  o: { employerId: string; programmeId: string; codes: string[]; setBy: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('placement_work_process')
      .where('employer_id', '=', o.employerId)
      .where('programme_id', '=', o.programmeId)
      .execute();
    if (o.codes.length > 0)
      await trx
        .insertInto('placement_work_process')
        .values(
          o.codes.map((code) => ({ employer_id: o.employerId, programme_id: o.programmeId, code, set_by: o.setBy })),
        )
        .execute();
  });
}

/** The codes an employer's placement offers in a programme, in code order. */
export async function offeredCodes(db: Db, employerId: string, programmeId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('placement_work_process')
    .select('code')
    .where('employer_id', '=', employerId)
    .where('programme_id', '=', programmeId)
    .orderBy('code')
    .execute();
  return rows.map((r) => r.code);
}

/** A trajectory with what the route needs of it: its programme's template copy, start, ROC and ending. */
export function trajectoryWithProgramme(db: Db, id: string) {
  return db
    .selectFrom('trajectory as t')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .innerJoin('programme as p', (j) =>
      j.onRef('p.id', '=', 'c.programme_id').onRef('p.version', '=', 'c.programme_version'),
    )
    .leftJoin('organisation as s', 's.id', 'c.school_id')
    .select([
      't.id',
      't.reference',
      't.name',
      't.status',
      't.outcome',
      't.end_date',
      't.employer_id',
      't.anonymised_at',
      'c.programme_id',
      'c.programme_version',
      'c.start_date',
      'c.school_id',
      's.name as school_name',
      'p.template',
    ])
    .where('t.id', '=', id)
    .executeTakeFirst();
}

/** Records (or records again, replacing) that the participant showed a work process. */
export async function recordEvidence(
  db: Db,
  e: {
    trajectory_id: string;
    code: string;
    shown_on: string;
    note: string;
    assessor: string;
    employer_id: string;
    recorded_by: string;
  },
): Promise<void> {
  await db
    .insertInto('work_process_evidence')
    .values(e)
    .onConflict((oc) =>
      oc.columns(['trajectory_id', 'code']).doUpdateSet({
        shown_on: e.shown_on,
        note: e.note,
        assessor: e.assessor,
        employer_id: e.employer_id,
        recorded_by: e.recorded_by,
        recorded_at: sql<Date>`now()`,
      }),
    )
    .execute();
}

/** What was shown, per work process, with the employer's name; only one employer's records with `employerId`. */
export function evidenceOf(db: Db, trajectoryId: string, employerId?: string) {
  let q = db
    .selectFrom('work_process_evidence as e')
    .innerJoin('organisation as o', 'o.id', 'e.employer_id')
    .select([
      'e.code',
      sql<string>`to_char(e.shown_on, 'YYYY-MM-DD')`.as('shown_on'),
      'e.note',
      'e.assessor',
      'e.employer_id',
      'o.name as employer_name',
    ])
    .where('e.trajectory_id', '=', trajectoryId);
  if (employerId !== undefined) q = q.where('e.employer_id', '=', employerId);
  return q.orderBy('e.code').execute();
}

export async function findPraktijkverklaring(db: Db, trajectoryId: string) {
  return db
    .selectFrom('praktijkverklaring')
    .select([
      'trajectory_id',
      'school_id',
      'codes',
      sql<string>`to_char(confirmed_on, 'YYYY-MM-DD')`.as('confirmed_on'),
      'confirmed_by',
    ])
    .where('trajectory_id', '=', trajectoryId)
    .executeTakeFirst();
}

/** Stores the ROC's confirmation; false when the trajectory already had one (the first stays). */
export async function insertPraktijkverklaring(
  db: Db,
  p: { trajectory_id: string; school_id: string; codes: string[]; confirmed_on: string; confirmed_by: string },
): Promise<boolean> {
  const done = await db
    .insertInto('praktijkverklaring')
    .values({ ...p, codes: JSON.stringify(p.codes) })
    .onConflict((oc) => oc.column('trajectory_id').doNothing())
    .executeTakeFirst();
  return Number(done.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Confirmed praktijkverklaringen within a figure filter, by the outcome they followed. */
export async function praktijkverklaringCounts(db: Db, f: FigureFilter) {
  return figureScope(db, f)
    .innerJoin('praktijkverklaring as v', 'v.trajectory_id', 't.id')
    .select([sql<string>`t.outcome->>'kind'`.as('kind'), (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy(sql`t.outcome->>'kind'`)
    .execute();
}
