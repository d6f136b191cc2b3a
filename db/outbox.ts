// The outbox: every mail as a row before it is sent. Claiming a row (queued → sending) is committed before
// the SMTP conversation starts, so a retried or repeated delivery never sends a row twice.
import { sql, type Insertable } from 'kysely';
import type { Db } from './connection';
import type { Outbox, OutboxItemTable, OutboxTable } from './schema';

/** Adds a mail and its items unless one with the same key (recipient, kind, day) exists; returns the row's id. */
export async function enqueueMail(db: Db, mail: Insertable<OutboxTable>, items: Omit<Insertable<OutboxItemTable>, 'outbox_id'>[]): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('outbox').values(mail).onConflict((oc) => oc.column('key').doNothing()).returning('id').executeTakeFirst();
    if (!inserted) return (await trx.selectFrom('outbox').select('id').where('key', '=', mail.key).executeTakeFirstOrThrow()).id;
    if (items.length) await trx.insertInto('outbox_item').values(items.map((i) => ({ ...i, outbox_id: inserted.id }))).onConflict((oc) => oc.doNothing()).execute();
    return inserted.id;
  });
}

/** Takes a queued mail for sending; undefined when it is not queued (sent, being sent, or failed). */
export function claimMail(db: Db, id: string): Promise<Outbox | undefined> {
  return db.updateTable('outbox').set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1) })).where('id', '=', id).where('status', '=', 'queued').returningAll().executeTakeFirst();
}

export async function markMail(db: Db, id: string, outcome: { status: 'sent' } | { status: 'queued' | 'failed'; error: string }): Promise<void> {
  await db.updateTable('outbox')
    .set(outcome.status === 'sent' ? { status: 'sent', sent_at: sql<Date>`now()`, last_error: null } : { status: outcome.status, last_error: outcome.error.slice(0, 500) })
    .where('id', '=', id).where('status', '=', 'sending')
    .execute();
}

/** Mails still to send: queued ones of the given days. */
export async function queuedMail(db: Db, days: string[]): Promise<string[]> {
  if (days.length === 0) return [];
  return (await db.selectFrom('outbox').select('id').where('status', '=', 'queued').where('day', 'in', days).orderBy('created_at').execute()).map((r) => r.id);
}

/** How often each reminder was sent before `day`, per trajectory, kind and subject, with the organisation reminded. */
export async function remindersSentBefore(db: Db, trajectoryIds: string[], day: string) {
  if (trajectoryIds.length === 0) return [];
  return db.selectFrom('outbox_item as i').innerJoin('outbox as o', 'o.id', 'i.outbox_id')
    .select(['i.trajectory_id', 'i.kind', 'i.subject', 'o.organisation_id', (eb) => eb.fn.count<number>('o.id').distinct().as('times')])
    .where('i.trajectory_id', 'in', trajectoryIds).where('o.day', '<', day).where('o.status', '=', 'sent')
    .groupBy(['i.trajectory_id', 'i.kind', 'i.subject', 'o.organisation_id'])
    .execute();
}

/** Escalations and risk signals already put to a coordinator, as `trajectory|kind|subject`. */
export async function alreadyRaised(db: Db, trajectoryIds: string[]): Promise<Set<string>> {
  if (trajectoryIds.length === 0) return new Set();
  const rows = await db.selectFrom('outbox_item').select(['trajectory_id', 'kind', 'subject'])
    .where('trajectory_id', 'in', trajectoryIds).where('kind', 'in', ['escalation', 'risk_raised']).execute();
  return new Set(rows.map((r) => `${r.trajectory_id}|${r.kind}|${r.subject}`));
}

export interface OutboxQuery { programmeOfficeId?: string; trajectoryId?: string; organisationId?: string; status?: string; limit: number; offset: number }

/** What was sent to whom and when, and what is queued; a coordinator's view is limited to its office's participants. */
export async function listOutbox(db: Db, q: OutboxQuery) {
  let base = db.selectFrom('outbox as o');
  if (q.programmeOfficeId !== undefined) {
    const office = q.programmeOfficeId;
    base = base.where('o.id', 'in', db.selectFrom('outbox_item as i').innerJoin('trajectory as t', 't.id', 'i.trajectory_id').innerJoin('cohort as c', 'c.id', 't.cohort_id')
      .innerJoin('covenant as v', 'v.id', 'c.covenant_id').select('i.outbox_id').where('v.programme_office_id', '=', office));
  }
  if (q.trajectoryId) base = base.where('o.id', 'in', db.selectFrom('outbox_item').select('outbox_id').where('trajectory_id', '=', q.trajectoryId));
  if (q.organisationId) base = base.where('o.organisation_id', '=', q.organisationId);
  if (q.status) base = base.where('o.status', '=', q.status as Outbox['status']);
  const [rows, count] = await Promise.all([
    base.select(['o.id', 'o.recipient', 'o.recipient_name', 'o.organisation_id', 'o.kind', 'o.day', 'o.subject', 'o.status', 'o.attempts', 'o.last_error', 'o.created_at', 'o.sent_at'])
      .orderBy('o.day', 'desc').orderBy('o.recipient').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const items = rows.length ? await db.selectFrom('outbox_item').selectAll().where('outbox_id', 'in', rows.map((r) => r.id)).execute() : [];
  return { items: rows.map((r) => ({ ...r, items: items.filter((i) => i.outbox_id === r.id) })), total: Number(count.n) };
}
