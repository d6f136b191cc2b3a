// Personal data at the end of its life: anonymisation (retention, or erasure on request) and the export of
// everything held about one participant. Anonymisation keeps what the figures need (dates, statuses,
// attendance, checkpoint statuses, outcomes with their reason category) and removes who it was about.
import { sql, type Insertable } from 'kysely';
import type { Db } from './connection';
import { notHeld } from './legal-holds';
import type { AuditEventTable } from './schema';
import { EVENT_TEXT } from '../domain/personal-data';
import { FINAL_STATUSES } from '../domain/statuses';

/**
 * Event data without its typed text, per event type as domain/personal-data.ts classifies it: one SQL `case` over
 * the types that hold any (everything typed is erased, whoever could read it).
 */
const withoutTypedText = () => {
  const types = Object.entries(EVENT_TEXT).filter(([, fields]) => Object.keys(fields).length > 0);
  const arms = types.map(([type, fields]) => sql`when ${type} then data - ${sql.val(Object.keys(fields))}::text[]`);
  return sql<string>`case type ${sql.join(arms, sql` `)} else data end`;
};

export const ANONYMISED_NAME = 'Geanonimiseerd';
export const anonymisedEmail = (id: string) => `anoniem-${id.slice(0, 8)}@geanonimiseerd.invalid`;

/**
 * Anonymises one trajectory and records it in the audit log, in one transaction (so no anonymisation goes
 * unrecorded); returns false when it was anonymised before.
 */
export async function anonymiseTrajectory(
  db: Db,
  id: string,
  audit: Omit<Insertable<AuditEventTable>, 'resource' | 'resource_id' | 'trajectory_id'>,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('trajectory')
      .set({
        name: ANONYMISED_NAME,
        email: anonymisedEmail(id),
        reference: sql<string>`'anon-' || left(id, 8)`,
        bsn_hash: null,
        anonymised_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .where('anonymised_at', 'is', null)
      .executeTakeFirst();
    if (done.numUpdatedRows === 0n) return false;
    await trx.updateTable('checkpoint_review').set({ note: '' }).where('trajectory_id', '=', id).execute();
    // The praktijkopleider's evidence notes are typed text about the participant; which work process was shown
    // when stays (the statement's facts), not what was written.
    await trx.updateTable('work_process_evidence').set({ note: '' }).where('trajectory_id', '=', id).execute();
    await trx
      .updateTable('attendance')
      .set({ correction_reason: sql<string | null>`case when correction_reason is null then null else '' end` })
      .where('trajectory_id', '=', id)
      .execute();
    await trx
      .updateTable('trajectory_event')
      .set({ data: withoutTypedText() })
      .where('trajectory_id', '=', id)
      .execute();
    // No more questions about this participant: open follow-ups close (unanswered counts as no answer).
    await trx
      .updateTable('follow_up')
      .set({ status: 'closed' })
      .where('trajectory_id', '=', id)
      .where('status', '=', 'open')
      .execute();
    // Mails that named the participant keep who got them and when, not what they said.
    await trx
      .updateTable('outbox')
      .set({ text: '', html: '' })
      .where('id', 'in', trx.selectFrom('outbox_item').select('outbox_id').where('trajectory_id', '=', id))
      .where('status', 'in', ['sent', 'failed'])
      .execute();
    await trx
      .insertInto('audit_event')
      .values({ ...audit, resource: 'trajectory', resource_id: id, trajectory_id: id })
      .execute();
    return true;
  });
}

/**
 * Trajectories whose end lies more than `months` before `today` and that still hold personal data, except those a
 * legal hold keeps (db/legal-holds.ts).
 */
export async function trajectoriesPastRetention(db: Db, today: string, months: number, limit = 500): Promise<string[]> {
  const rows = await db
    .selectFrom('trajectory')
    .select('id')
    .where('anonymised_at', 'is', null)
    .where('status', 'in', FINAL_STATUSES)
    .where(notHeld('trajectory', 'trajectory.id', today))
    .where('end_date', '<', sql<string>`(${today}::date - make_interval(months => ${months}))::date`)
    .orderBy('end_date')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Stored responses to repeated requests are kept for replay only; after `days` they go (they may name people). */
export async function forgetIdempotencyKeys(db: Db, days: number): Promise<number> {
  const r = await db
    .deleteFrom('idempotency_key')
    .where('created_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Mail bodies name participants; once sent (or refused) and `days` old, only who got what kind of mail when is kept.
 */
export async function forgetMailBodies(db: Db, days: number): Promise<number> {
  const r = await db
    .updateTable('outbox')
    .set({ text: '', html: '' })
    .where('status', 'in', ['sent', 'failed'])
    .where('created_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .where('text', '!=', '')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Everything held about one participant (AVG article 15). */
export async function personalDataOf(db: Db, id: string) {
  const [trajectory, events, attendance, checkpoints, placements, followUps, audit, workProcesses, statement, pok] =
    await Promise.all([
      db.selectFrom('trajectory').selectAll().where('id', '=', id).executeTakeFirst(),
      db.selectFrom('trajectory_event').selectAll().where('trajectory_id', '=', id).orderBy('seq').execute(),
      db.selectFrom('attendance').selectAll().where('trajectory_id', '=', id).orderBy('date').execute(),
      db.selectFrom('checkpoint_review').selectAll().where('trajectory_id', '=', id).orderBy('key').execute(),
      db.selectFrom('placement').selectAll().where('trajectory_id', '=', id).orderBy('from_date').execute(),
      db.selectFrom('follow_up').selectAll().where('trajectory_id', '=', id).orderBy('months').execute(),
      db.selectFrom('audit_event').selectAll().where('trajectory_id', '=', id).orderBy('at').orderBy('id').execute(),
      db.selectFrom('work_process_evidence').selectAll().where('trajectory_id', '=', id).orderBy('code').execute(),
      db.selectFrom('praktijkverklaring').selectAll().where('trajectory_id', '=', id).execute(),
      db.selectFrom('praktijkovereenkomst').selectAll().where('trajectory_id', '=', id).execute(),
    ]);
  return (
    trajectory && {
      trajectory,
      events,
      attendance,
      checkpoints,
      placements,
      followUps,
      audit,
      workProcesses,
      praktijkverklaring: statement[0] ?? null,
      praktijkovereenkomst: pok[0] ?? null,
    }
  );
}
