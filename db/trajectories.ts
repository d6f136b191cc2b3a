import { sql } from 'kysely';
import type { Db } from './connection';
import type { Trajectory, TrajectoryEventRow } from './schema';
import type { PlannedCheckpoint, PlannedDay } from '../domain/calendar';
import type { Outcome } from '../domain/outcomes';
import type { Attendance, CheckpointReview } from '../domain/state';
import { OPEN_STATUSES, type TrajectoryStatus } from '../domain/statuses';
import type { TrajectoryEvent } from '../workflows/trajectory';

export function findTrajectory(db: Db, id: string): Promise<Trajectory | undefined> {
  return db.selectFrom('trajectory').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listCohortTrajectories(db: Db, cohortId: string): Promise<Trajectory[]> {
  return db.selectFrom('trajectory').selectAll().where('cohort_id', '=', cohortId).orderBy('reference').execute();
}

/** Used by the first workflow version only (runs started before recording; see workflows/legacy.ts). */
export async function setTrajectoryStatus(db: Db, id: string, status: TrajectoryStatus): Promise<void> {
  await db.updateTable('trajectory').set({ status, updated_at: new Date() }).where('id', '=', id).execute();
}

export interface Projection {
  trajectoryId: string;
  events: TrajectoryEvent[];
  snapshot: {
    seq: number;
    status: TrajectoryStatus;
    endDate: string;
    outcome: Outcome | null;
    employers: { employerId: string; from: string }[];
  };
  attendance: (Attendance & { seq: number })[];
  checkpoints: (CheckpointReview & { seq: number })[];
  /** The whole plan, sent when it changed (start, pause, resume, extension, closures). */
  plan?: { seq: number; days: PlannedDay[]; checkpoints: PlannedCheckpoint[] };
}

/**
 * Writes what the workflow recorded, in one transaction. Rows are keyed by workflow-generated values and
 * guarded by seq, so a retry writes nothing twice and an older projection never overwrites a newer one.
 */
export async function writeProjection(db: Db, p: Projection): Promise<void> {
  const id = p.trajectoryId;
  const newer = (table: 'attendance' | 'checkpoint_review') => sql<boolean>`${sql.ref(`${table}.seq`)} < excluded.seq`;
  await db.transaction().execute(async (trx) => {
    // One projection of a trajectory at a time: two recordings projected at once would each recount the
    // attendance from their own snapshot, and the later commit could leave the counts one recording short.
    await trx.selectFrom('trajectory').select('id').where('id', '=', id).forUpdate().execute();
    if (p.events.length > 0) {
      await trx
        .insertInto('trajectory_event')
        .values(
          p.events.map((e) => ({
            trajectory_id: id,
            seq: e.seq,
            type: e.type,
            occurred_on: e.date,
            data: JSON.stringify(e.data),
          })),
        )
        .onConflict((oc) => oc.columns(['trajectory_id', 'seq']).doNothing())
        .execute();
    }
    for (const a of p.attendance) {
      await trx
        .insertInto('attendance')
        .values({
          trajectory_id: id,
          date: a.date,
          kind: a.kind,
          present: a.present,
          reason: a.reason ?? null,
          correction_reason: a.correctionReason ?? null,
          recorded_on: a.recordedOn,
          seq: a.seq,
        })
        .onConflict((oc) =>
          oc
            .columns(['trajectory_id', 'date'])
            .doUpdateSet((eb) => ({
              present: eb.ref('excluded.present'),
              reason: eb.ref('excluded.reason'),
              correction_reason: eb.ref('excluded.correction_reason'),
              recorded_on: eb.ref('excluded.recorded_on'),
              seq: eb.ref('excluded.seq'),
            }))
            .where(newer('attendance')),
        )
        .execute();
    }
    for (const c of p.checkpoints) {
      await trx
        .insertInto('checkpoint_review')
        .values({
          trajectory_id: id,
          key: c.key,
          status: c.status,
          note: c.note,
          trainer_confirmed: c.trainerConfirmed,
          recorded_on: c.recordedOn,
          seq: c.seq,
        })
        .onConflict((oc) =>
          oc
            .columns(['trajectory_id', 'key'])
            .doUpdateSet((eb) => ({
              status: eb.ref('excluded.status'),
              note: eb.ref('excluded.note'),
              trainer_confirmed: eb.ref('excluded.trainer_confirmed'),
              recorded_on: eb.ref('excluded.recorded_on'),
              seq: eb.ref('excluded.seq'),
            }))
            .where(newer('checkpoint_review')),
        )
        .execute();
    }
    if (p.attendance.length > 0) {
      // The counts behind the funders' attendance rate, kept here so no figure has to count attendance rows.
      await trx
        .updateTable('trajectory')
        .where('id', '=', id)
        .set({
          days_recorded: sql<number>`(select count(*) from attendance where trajectory_id = ${id})`,
          days_attended: sql<number>`(select count(*) from attendance where trajectory_id = ${id} and present)`,
        })
        .execute();
    }
    if (p.plan) await writePlan(trx, id, p.plan);
    const s = p.snapshot;
    const updated = await trx
      .updateTable('trajectory')
      .set({
        status: s.status,
        end_date: s.endDate,
        outcome: s.outcome ? JSON.stringify(s.outcome) : null,
        projected_seq: s.seq,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('projected_seq', '<', s.seq)
      .executeTakeFirst();
    if (updated.numUpdatedRows > 0n) {
      await trx
        .insertInto('placement')
        .values(s.employers.map((e) => ({ trajectory_id: id, from_date: e.from, employer_id: e.employerId })))
        .onConflict((oc) =>
          oc
            .columns(['trajectory_id', 'from_date'])
            .doUpdateSet((eb) => ({ employer_id: eb.ref('excluded.employer_id') })),
        )
        .execute();
    }
  });
}

/** Writes a plan read from a running workflow (runs that began before plans were projected). */
export async function backfillPlan(db: Db, id: string, plan: NonNullable<Projection['plan']>): Promise<void> {
  await db.transaction().execute((trx) => writePlan(trx, id, plan));
}

/** Trajectories still running whose plan was never projected. */
export async function trajectoriesWithoutPlan(db: Db) {
  return db
    .selectFrom('trajectory')
    .select(['id', 'workflow_id'])
    .where('plan_seq', '=', 0)
    .where('status', 'in', OPEN_STATUSES)
    .where('anonymised_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** Replaces the projected plan, unless a newer one is there already. */
async function writePlan(trx: Db, id: string, plan: NonNullable<Projection['plan']>): Promise<void> {
  const newer = await trx
    .updateTable('trajectory')
    .set({ plan_seq: plan.seq })
    .where('id', '=', id)
    .where('plan_seq', '<', plan.seq)
    .executeTakeFirst();
  if (newer.numUpdatedRows === 0n) return;
  await trx.deleteFrom('planned_day').where('trajectory_id', '=', id).execute();
  await trx.deleteFrom('planned_checkpoint').where('trajectory_id', '=', id).execute();
  if (plan.days.length) {
    await trx
      .insertInto('planned_day')
      .values(
        plan.days.map((d) => ({
          trajectory_id: id,
          date: d.date,
          kind: d.kind,
          week: d.week,
          planned: d.planned,
          off: d.off ?? null,
          reason: d.reason ?? null,
        })),
      )
      .execute();
  }
  if (plan.checkpoints.length) {
    await trx
      .insertInto('planned_checkpoint')
      .values(
        plan.checkpoints.map((c) => ({
          trajectory_id: id,
          key: c.key,
          name: c.name,
          week: c.week,
          week_start: c.weekStart,
          week_end: c.weekEnd,
        })),
      )
      .execute();
  }
}

export function listTrajectoryEvents(db: Db, trajectoryId: string): Promise<TrajectoryEventRow[]> {
  return db
    .selectFrom('trajectory_event')
    .selectAll()
    .where('trajectory_id', '=', trajectoryId)
    .orderBy('seq')
    .execute();
}

/** Trajectories that were placed with an employer at some time, with every placement of each. */
export async function placementsWithEmployer(db: Db, employerId: string) {
  const rows = await db
    .selectFrom('placement as p')
    .innerJoin('trajectory as t', 't.id', 'p.trajectory_id')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .leftJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select([
      'p.trajectory_id',
      'p.from_date',
      'p.employer_id',
      't.workflow_id',
      't.status',
      't.reference',
      'v.programme_office_id',
    ])
    .where('p.trajectory_id', 'in', (eb) =>
      eb.selectFrom('placement').select('trajectory_id').where('employer_id', '=', employerId),
    )
    .orderBy('p.trajectory_id')
    .orderBy('p.from_date')
    .execute();
  return rows;
}

/** Trajectories in the cohorts an ROC teaches. */
export function trajectoriesAtSchool(db: Db, schoolId: string) {
  return db
    .selectFrom('trajectory as t')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .leftJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select(['t.id', 't.workflow_id', 't.status', 't.reference', 'v.programme_office_id'])
    .where('c.school_id', '=', schoolId)
    .orderBy('t.id')
    .execute();
}

/**
 * The trajectories whose reference is `reference` (or begins with it, `prefix`; either regardless of case), of
 * `officeId`'s covenants (every office's: null), at most `limit`.
 */
export function trajectoriesByReference(
  db: Db,
  reference: string,
  officeId: string | null,
  o: { prefix?: boolean; limit?: number } = {},
) {
  let base = db
    .selectFrom('trajectory as t')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .innerJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select(['t.id', 't.reference', 't.name', 't.status', 't.anonymised_at']);
  if (officeId !== null) base = base.where('v.programme_office_id', '=', officeId);
  const escaped = reference.replace(/[\\%_]/g, (c) => `\\${c}`);
  base = o.prefix
    ? base.where('t.reference', 'ilike', `${escaped}%`)
    : base.where(sql<boolean>`lower(t.reference) = lower(${reference})`);
  return base
    .orderBy('t.reference')
    .orderBy('t.id')
    .limit(o.limit ?? 20)
    .execute();
}
