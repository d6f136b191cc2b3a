// The deadlines a subject's timers reached (workflows/deadlines.ts), each once, and which of them the next morning's
// digest still has to mail: those no digest of an earlier day carried (a superseded digest does not count).
import { sql } from 'kysely';
import { FINAL_STATUSES } from '../domain/statuses';
import type { Db } from './connection';
import type { ContactRole } from './schema';

export interface Reached {
  trajectory_id: string;
  kind: string;
  on: string;
  organisation_id: string;
  role: ContactRole;
  data: Record<string, unknown>;
}

/** The subject of a trajectory's deadlines: gone (undefined) once anonymised. */
export function deadlineSubject(db: Db, trajectoryId: string) {
  return db
    .selectFrom('trajectory')
    .select(['id', 'status', 'end_date'])
    .where('id', '=', trajectoryId)
    .where('anonymised_at', 'is', null)
    .executeTakeFirst();
}

/** Records reached deadlines; one already recorded for the same trajectory, kind and day stays as it was. */
export async function recordReached(db: Db, rows: Reached[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('deadline_reached')
    .values(rows.map((r) => ({ ...r, data: JSON.stringify(r.data) })))
    .onConflict((oc) => oc.columns(['trajectory_id', 'kind', 'on', 'organisation_id', 'role']).doNothing())
    .execute();
}

/** The outbox item's subject of a reached deadline: one per day it was reached. */
export const reachedSubject = (r: Pick<Reached, 'kind' | 'on'>) => `${r.kind}:${r.on}`;

const mailedBefore = (date: string) => sql<boolean>`exists (select 1 from outbox_item i
  join outbox o on o.id = i.outbox_id
  where i.trajectory_id = r.trajectory_id and i.kind = r.kind
    and i.subject = r.kind || ':' || to_char(r.on, 'YYYY-MM-DD') and o.day < ${date} and o.status <> 'superseded')`;

/** A trajectory's reached deadlines no digest mailed yet: withdrawn when the facts no longer bring them. */
export function unmailedOf(db: Db, trajectoryId: string, date: string): Promise<Reached[]> {
  return db
    .selectFrom('deadline_reached as r')
    .select(['r.trajectory_id', 'r.kind', 'r.on', 'r.organisation_id', 'r.role', 'r.data'])
    .where('r.trajectory_id', '=', trajectoryId)
    .where(sql<boolean>`not ${mailedBefore(date)}`)
    .execute();
}

export async function withdraw(db: Db, rows: Pick<Reached, 'trajectory_id' | 'kind' | 'on'>[]): Promise<void> {
  for (const r of rows)
    await db
      .deleteFrom('deadline_reached')
      .where('trajectory_id', '=', r.trajectory_id)
      .where('kind', '=', r.kind)
      .where('on', '=', r.on)
      .execute();
}

/** What the morning mail of `date` carries: reached by then, of a trajectory not anonymised, not mailed before. */
export function reachedToMail(db: Db, date: string) {
  return db
    .selectFrom('deadline_reached as r')
    .innerJoin('trajectory as t', 't.id', 'r.trajectory_id')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .leftJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select(['r.trajectory_id', 'r.kind', 'r.on', 'r.organisation_id', 'r.role', 'r.data'])
    .select(['t.reference', 't.name', 'v.programme_office_id'])
    .where('r.on', '<=', date)
    .where('t.anonymised_at', 'is', null)
    .where(sql<boolean>`not ${mailedBefore(date)}`)
    .orderBy('r.trajectory_id')
    .orderBy('r.kind')
    .orderBy('r.on')
    .execute();
}

/**
 * Finished trajectories, not anonymised, that ended on or after `since`: their own workflow may have closed before
 * deadlines were timers, so nothing started their deadlines workflow (infra/deadlines-backfill.ts).
 */
export function finishedSince(db: Db, since: string) {
  return db
    .selectFrom('trajectory')
    .select('id')
    .where('status', 'in', FINAL_STATUSES)
    .where('anonymised_at', 'is', null)
    .where('end_date', '>=', since)
    .orderBy('id')
    .execute();
}
