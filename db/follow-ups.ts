// The follow-up after doorstroom as the follow-up workflow projects it: one row per trajectory and month.
import { sql } from 'kysely';
import type { Db } from './connection';
import type { FollowUpRound } from '../workflows/follow-up';

export interface FollowUpProjection {
  trajectoryId: string;
  employerId: string;
  asksSchool: boolean;
  seq: number;
  round: FollowUpRound;
}

/** Writes one round, unless a newer write of it is there (the workflow numbers its writes). */
export async function writeFollowUp(db: Db, p: FollowUpProjection): Promise<void> {
  const r = p.round;
  if (r.status === 'pending') return;
  // After erasure nothing more is recorded about the participant (the workflow is being stopped as well).
  const t = await db
    .selectFrom('trajectory')
    .select('anonymised_at')
    .where('id', '=', p.trajectoryId)
    .executeTakeFirst();
  if (!t || t.anonymised_at) return;
  const status = r.status;
  const school = p.asksSchool
    ? sql<string>`(select c.school_id from trajectory t join cohort c on c.id = t.cohort_id where t.id =
    ${p.trajectoryId})`
    : null;
  await db
    .insertInto('follow_up')
    .values({
      trajectory_id: p.trajectoryId,
      months: r.months,
      due_on: r.dueOn,
      closes_on: r.closesOn,
      employer_id: p.employerId,
      school_id: school,
      employed: r.employed ?? null,
      employed_on: r.employedOn ?? null,
      enrolled: r.enrolled ?? null,
      enrolled_on: r.enrolledOn ?? null,
      status,
      seq: p.seq,
    })
    .onConflict((oc) =>
      oc
        .columns(['trajectory_id', 'months'])
        .doUpdateSet((eb) => ({
          employed: eb.ref('excluded.employed'),
          employed_on: eb.ref('excluded.employed_on'),
          enrolled: eb.ref('excluded.enrolled'),
          enrolled_on: eb.ref('excluded.enrolled_on'),
          status: eb.ref('excluded.status'),
          seq: eb.ref('excluded.seq'),
        }))
        .where(sql<boolean>`follow_up.seq < excluded.seq`),
    )
    .execute();
}

export function listFollowUps(db: Db, trajectoryId: string) {
  return db.selectFrom('follow_up').selectAll().where('trajectory_id', '=', trajectoryId).orderBy('months').execute();
}

/** Open questions due by `date`, with who should answer them: for the morning digest. */
export function openFollowUps(db: Db, date: string) {
  return db
    .selectFrom('follow_up as f')
    .innerJoin('trajectory as t', 't.id', 'f.trajectory_id')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .leftJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select([
      'f.trajectory_id',
      'f.months',
      'f.due_on',
      'f.closes_on',
      'f.employer_id',
      'f.school_id',
      'f.employed',
      'f.enrolled',
      't.reference',
      't.name',
      'v.programme_office_id',
    ])
    .where('f.status', '=', 'open')
    .where('f.due_on', '<=', date)
    .where('t.anonymised_at', 'is', null)
    .orderBy('f.trajectory_id')
    .orderBy('f.months')
    .execute();
}
