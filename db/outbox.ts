// The outbox: every mail as a row before it is sent. Claiming a row (queued → sending) is committed before
// the SMTP conversation starts, so a retried or repeated delivery never sends a row twice.
import { sql, type Insertable } from 'kysely';
import { anyOf, inSlices, type Db } from './connection';
import type { Outbox, OutboxItemTable, OutboxTable } from './schema';

/**
 * Adds a mail and its items under its unique key (recipient, kind, day). If the key exists and the mail is
 * still queued, it is brought up to date (what is due now); once it is being sent or was sent it stays as it
 * was. Returns the row's id.
 */
export async function enqueueMail(
  db: Db,
  mail: Insertable<OutboxTable>,
  items: Omit<Insertable<OutboxItemTable>, 'outbox_id'>[],
): Promise<string> {
  return (await enqueueMails(db, [{ mail, items }]))[0]!;
}

/**
 * `enqueueMail` for many mails in one transaction and a few statements (a morning's digests are thousands of
 * mails): new keys are inserted at once, existing ones are handled as enqueueMail does. Keys must differ
 * within one call. Returns the ids in the order given.
 */
export async function enqueueMails(
  db: Db,
  mails: {
    mail: Insertable<OutboxTable>;
    items: Omit<Insertable<OutboxItemTable>, 'outbox_id'>[];
    /** Candidates' reminders the mail carries (activities/candidate-reminders.ts). */
    candidateItems?: { candidate_id: string; kind: string; subject: string }[];
  }[],
): Promise<string[]> {
  if (mails.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const inserted = new Map<string, string>();
    await inSlices(mails, 500, async (slice) => {
      const rows = await trx
        .insertInto('outbox')
        .values(slice.map((m) => m.mail))
        .onConflict((oc) => oc.column('key').doNothing())
        .returning(['id', 'key'])
        .execute();
      for (const r of rows) inserted.set(r.key, r.id);
    });
    const others = mails.filter((m) => !inserted.has(m.mail.key)).map((m) => m.mail.key);
    const existing = new Map(
      others.length
        ? (
            await trx
              .selectFrom('outbox')
              .select(['id', 'key', 'status'])
              .where('key', '=', anyOf(others))
              .forUpdate()
              .execute()
          ).map((e) => [e.key, e])
        : [],
    );
    const ids: string[] = [];
    const fill: { outbox_id: string; trajectory_id: string; kind: string; subject: string }[] = [];
    const candidateFill: { outbox_id: string; candidate_id: string; kind: string; subject: string }[] = [];
    for (const { mail, items, candidateItems } of mails) {
      let id = inserted.get(mail.key);
      if (!id) {
        const e = existing.get(mail.key)!;
        id = e.id;
        ids.push(id);
        if (e.status !== 'queued') continue;
        await trx
          .updateTable('outbox')
          .set({ subject: mail.subject, text: mail.text, html: mail.html })
          .where('id', '=', id)
          .execute();
        await trx.deleteFrom('outbox_item').where('outbox_id', '=', id).execute();
        await trx.deleteFrom('outbox_candidate_item').where('outbox_id', '=', id).execute();
      } else {
        ids.push(id);
      }
      for (const i of items) fill.push({ ...i, outbox_id: id });
      for (const i of candidateItems ?? []) candidateFill.push({ ...i, outbox_id: id });
    }
    await inSlices(candidateFill, 1000, (slice) =>
      trx
        .insertInto('outbox_candidate_item')
        .values(slice)
        .onConflict((oc) => oc.doNothing())
        .execute(),
    );
    await inSlices(fill, 1000, (slice) =>
      trx
        .insertInto('outbox_item')
        .values(slice)
        .onConflict((oc) => oc.doNothing())
        .execute(),
    );
    return ids;
  });
}

/** Takes a queued mail for sending; undefined when it is not queued (sent, being sent, or failed). */
export function claimMail(db: Db, id: string): Promise<Outbox | undefined> {
  return db
    .updateTable('outbox')
    .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), claimed_at: sql<Date>`now()` }))
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
}

/** `claimMail` for several at once, in one statement: the ones still queued, now `sending` (committed). */
export function claimMails(db: Db, ids: string[]): Promise<Outbox[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .updateTable('outbox')
    .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), claimed_at: sql<Date>`now()` }))
    .where('id', '=', anyOf(ids))
    .where('status', '=', 'queued')
    .returningAll()
    .execute();
}

/** Marks mails the server accepted as sent, in one statement. */
export async function markSent(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: sql<Date>`now()`, last_error: null })
    .where('id', '=', anyOf(ids))
    .where('status', '=', 'sending')
    .execute();
}

/**
 * Claims older than `minutes` belong to a worker that stopped before it knew whether the mail server took
 * the mail: they become `uncertain` (shown to the coordinator, never sent again). Returns how many.
 */
export async function markUncertain(db: Db, minutes: number): Promise<number> {
  const r = await db
    .updateTable('outbox')
    .set({ status: 'uncertain' })
    .where('status', '=', 'sending')
    .where('claimed_at', '<', sql<Date>`now() - make_interval(mins => ${minutes})`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** A queued digest of an earlier day that a newer one for the same recipient replaces is not sent any more. */
export async function supersedeStale(db: Db): Promise<void> {
  await sql`update outbox o set status = 'superseded'
    where o.status = 'queued' and exists (select 1 from outbox n where n.recipient = o.recipient and n.organisation_id
    = o.organisation_id and n.kind = o.kind and n.day > o.day)`.execute(db);
}

export async function markMail(
  db: Db,
  id: string,
  outcome: { status: 'sent' } | { status: 'queued' | 'failed'; error: string },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set(
      outcome.status === 'sent'
        ? { status: 'sent', sent_at: sql<Date>`now()`, last_error: null }
        : { status: outcome.status, last_error: outcome.error.slice(0, 500) },
    )
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/**
 * On how many working-day mornings each reminder was sent to an organisation before `day` (an organisation
 * with two contacts was still reminded once that morning), within the last eight weeks.
 */
export async function remindersSentBefore(db: Db, trajectoryIds: string[], day: string) {
  if (trajectoryIds.length === 0) return [];
  return db
    .selectFrom('outbox_item as i')
    .innerJoin('outbox as o', 'o.id', 'i.outbox_id')
    .select([
      'i.trajectory_id',
      'i.kind',
      'i.subject',
      'o.organisation_id',
      (eb) => eb.fn.count<number>('o.day').distinct().as('times'),
    ])
    .where('i.trajectory_id', '=', anyOf(trajectoryIds))
    .where('o.day', '<', day)
    .where('o.day', '>=', sql<string>`(${day}::date - 56)`)
    .where('o.status', '=', 'sent')
    .where(sql<boolean>`extract(isodow from o.day) < 6`)
    .groupBy(['i.trajectory_id', 'i.kind', 'i.subject', 'o.organisation_id'])
    .execute();
}

/** Escalations and risk signals already put to a coordinator, as `trajectory|kind|subject`. */
export async function alreadyRaised(db: Db, trajectoryIds: string[]): Promise<Set<string>> {
  if (trajectoryIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('outbox_item')
    .select(['trajectory_id', 'kind', 'subject'])
    .where('trajectory_id', '=', anyOf(trajectoryIds))
    .where('kind', 'in', ['escalation', 'risk_raised'])
    .execute();
  return new Set(rows.map((r) => `${r.trajectory_id}|${r.kind}|${r.subject}`));
}

export interface OutboxQuery {
  programmeOfficeId?: string;
  trajectoryId?: string;
  organisationId?: string;
  status?: string;
  limit: number;
  offset: number;
}

/** The ids of the mails about an office's participants: what its coordinators may see and resend. */
const mailsAboutOffice = (db: Db, office: string) =>
  db
    .selectFrom('outbox_item as i')
    .innerJoin('trajectory as t', 't.id', 'i.trajectory_id')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .innerJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select('i.outbox_id')
    .where('v.programme_office_id', '=', office);

/** What was sent to whom and when, and what is queued; a coordinator's view is limited to its office's participants. */
export async function listOutbox(db: Db, q: OutboxQuery) {
  let base = db.selectFrom('outbox as o');
  if (q.programmeOfficeId !== undefined) {
    const office = q.programmeOfficeId;
    base = base.where('o.id', 'in', mailsAboutOffice(db, office));
  }
  if (q.trajectoryId)
    base = base.where(
      'o.id',
      'in',
      db.selectFrom('outbox_item').select('outbox_id').where('trajectory_id', '=', q.trajectoryId),
    );
  if (q.organisationId) base = base.where('o.organisation_id', '=', q.organisationId);
  if (q.status) base = base.where('o.status', '=', q.status as Outbox['status']);
  const [rows, count] = await Promise.all([
    base
      .select([
        'o.id',
        'o.recipient',
        'o.recipient_name',
        'o.organisation_id',
        'o.kind',
        'o.day',
        'o.subject',
        'o.status',
        'o.attempts',
        'o.last_error',
        'o.created_at',
        'o.sent_at',
      ])
      .orderBy('o.day', 'desc')
      .orderBy('o.recipient')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  // A mail to a partner that works with several offices also names other offices' participants: those stay out.
  let itemQuery = db
    .selectFrom('outbox_item as i')
    .selectAll('i')
    .where('i.outbox_id', 'in', rows.length ? rows.map((r) => r.id) : ['']);
  if (q.programmeOfficeId !== undefined) {
    itemQuery = itemQuery.where(
      'i.trajectory_id',
      'in',
      db
        .selectFrom('trajectory as t')
        .innerJoin('cohort as c', 'c.id', 't.cohort_id')
        .innerJoin('covenant as v', 'v.id', 'c.covenant_id')
        .select('t.id')
        .where('v.programme_office_id', '=', q.programmeOfficeId),
    );
  }
  const items = rows.length ? await itemQuery.execute() : [];
  return {
    items: rows.map((r) => ({ ...r, items: items.filter((i) => i.outbox_id === r.id) })),
    total: Number(count.n),
  };
}

/**
 * Whether a mail is in an office's view of the outbox (about one of its participants); every mail for the admin
 * (no office). Undefined when it is not there at all, as for an unknown id.
 */
export function findOutboxMail(db: Db, id: string, programmeOfficeId: string | undefined) {
  let q = db.selectFrom('outbox as o').select(['o.id', 'o.status', 'o.recipient']).where('o.id', '=', id);
  if (programmeOfficeId !== undefined) q = q.where('o.id', 'in', mailsAboutOffice(db, programmeOfficeId));
  return q.executeTakeFirst();
}

/**
 * A failed mail queued again, in one statement: only while it is `failed`, so of two requests at once (a double
 * click) one requeues it and the other finds it queued already. True when this call requeued it.
 */
export async function requeueFailed(db: Db, id: string): Promise<boolean> {
  const row = await db
    .updateTable('outbox')
    .set({ status: 'queued' })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** A mail's status and the last error sending it. */
export function mailStatus(db: Db, id: string) {
  return db.selectFrom('outbox').select(['status', 'last_error']).where('id', '=', id).executeTakeFirstOrThrow();
}
