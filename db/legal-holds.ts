// Legal holds on trajectories and candidates: placed, lifted early, and the condition retention leaves them out by.
import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { Db } from './connection';
import type { LegalHold, LegalHoldTable } from './schema';

export type HoldSubject = LegalHoldTable['subject'];

/** Places a hold once per request: a repeat of the same request is a no-op. */
export async function insertHold(db: Db, row: Insertable<LegalHoldTable>): Promise<void> {
  await db
    .insertInto('legal_hold')
    .values(row)
    .onConflict((oc) => oc.column('request_id').doNothing())
    .execute();
}

/** Every hold of a record, newest first (lifted ones too: the history is kept). */
export function holdsOf(db: Db, subject: HoldSubject, id: string): Promise<LegalHold[]> {
  return db
    .selectFrom('legal_hold')
    .selectAll()
    .where('subject', '=', subject)
    .where('subject_id', '=', id)
    .orderBy('placed_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Lifts the record's holds still in force on `on`; returns how many. */
export async function liftHolds(
  db: Db,
  subject: HoldSubject,
  id: string,
  lift: { on: string; by: string; reason: string },
): Promise<number> {
  const r = await db
    .updateTable('legal_hold')
    .set({ lifted_on: lift.on, lifted_by: lift.by, lift_reason: lift.reason })
    .where('subject', '=', subject)
    .where('subject_id', '=', id)
    .where('lifted_on', 'is', null)
    .where('until', '>=', lift.on)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * True for a record no hold keeps on `today`: retention's condition (`idColumn` the record's id, as SQL). A hold
 * whose end date passed, or that was lifted, keeps nothing.
 */
export const notHeld = (subject: HoldSubject, idColumn: string, today: string): RawBuilder<boolean> =>
  sql<boolean>`not exists (select 1 from legal_hold h where h.subject = ${subject}
    and h.subject_id = ${sql.ref(idColumn)} and h.lifted_on is null and h.until >= ${today}::date)`;
