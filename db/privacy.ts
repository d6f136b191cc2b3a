// Personal data at the end of its life: anonymisation (retention, or erasure on request) and the export of
// everything held about one participant. Anonymisation keeps what the figures need (dates, statuses,
// attendance, checkpoint statuses, outcomes with their reason category) and removes who it was about: exactly the
// columns domain/personal-data.ts classifies as erased with the participant (or candidate, db/candidate-privacy.ts),
// so a column classified there is erased here without a line to remember.
import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { Db } from './connection';
import { notHeld } from './legal-holds';
import type { AuditEventTable } from './schema';
import {
  CANDIDATE_EVENT_TEXT,
  erasedColumns,
  EVENT_TEXT,
  type ColumnsWhere,
  type Erasure,
  type Subject,
  type TablesErasedOn,
} from '../domain/personal-data';
import { FINAL_STATUSES } from '../domain/statuses';

export const ANONYMISED_NAME = 'Geanonimiseerd';
export const anonymisedEmail = (id: string) => `anoniem-${id.slice(0, 8)}@geanonimiseerd.invalid`;

/** A jsonb `data` column without the typed text its event type holds (one SQL `case` over the types with any). */
const withoutTypedText = (classified: Readonly<Record<string, Readonly<Record<string, unknown>>>>) => {
  const types = Object.entries(classified).filter(([, fields]) => Object.keys(fields).length > 0);
  const arms = types.map(([type, fields]) => sql`when ${type} then data - ${sql.val(Object.keys(fields))}::text[]`);
  return sql<string>`case type ${sql.join(arms, sql` `)} else data end`;
};

/** The outcome "no doorstroom" holds what was missing, in words: the kind stays, the words go. */
const outcomeWithoutWords = (outcome: RawBuilder<unknown>) =>
  sql`case when ${outcome}->>'kind' = 'no_doorstroom' then jsonb_set(${outcome}, '{reason}', '""') else ${outcome} end`;

/** What replaces each placeholder column (it may not be empty) of a subject `id`. */
const PLACEHOLDERS: Record<ColumnsWhere<{ erased: { how: 'placeholder' } }>, (id: string) => RawBuilder<unknown>> = {
  'trajectory.name': () => sql`${ANONYMISED_NAME}`,
  'trajectory.email': (id) => sql`${anonymisedEmail(id)}`,
  'trajectory.reference': () => sql`'anon-' || left(id, 8)`,
  'candidate.first_name': () => sql`${ANONYMISED_NAME}`,
  // The candidate's reference is the participant's reference in a cohort: it would still point at a person.
  'candidate.reference': () => sql`'anon-' || left(md5(id), 12)`,
};

/** Each jsonb column's document without the typed text in it (domain/personal-data.ts says which). */
const TYPED_TEXT: Record<ColumnsWhere<{ erased: { how: 'typed-text' } }>, RawBuilder<unknown>> = {
  'trajectory.outcome': outcomeWithoutWords(sql`outcome`),
  // The ended (or awaiting BBL) event carries the outcome as it was.
  'trajectory_event.data': sql`case when type in ('ended', 'awaiting_bbl') and data ? 'outcome'
    then jsonb_set(data, '{outcome}', ${outcomeWithoutWords(sql`data->'outcome'`)})
    else ${withoutTypedText(EVENT_TEXT)} end`,
  'candidate_event.data': withoutTypedText(CANDIDATE_EVENT_TEXT),
  // The history keeps each step's outcome and date, the proposal its employer and day: not what was typed.
  'candidate.state': sql`jsonb_set(state #- '{proposal,note}', '{history}', coalesce((select jsonb_agg(h - 'note')
    from jsonb_array_elements(coalesce(state->'history', '[]'::jsonb)) as h), '[]'::jsonb))`,
};

/**
 * The rows about one subject, per table holding a column its anonymisation erases: a new table in the map does not
 * compile until it says which of its rows are the subject's.
 */
const ROWS: { [S in Subject]: Record<TablesErasedOn<S>, (id: string) => RawBuilder<boolean>> } = {
  trajectory: {
    trajectory: (id) => sql`id = ${id}`,
    trajectory_event: (id) => sql`trajectory_id = ${id}`,
    attendance: (id) => sql`trajectory_id = ${id}`,
    checkpoint_review: (id) => sql`trajectory_id = ${id}`,
    work_process_evidence: (id) => sql`trajectory_id = ${id}`,
    readiness_override: (id) => sql`trajectory_id = ${id}`,
    benefit_extension: (id) => sql`trajectory_id = ${id}`,
    legal_hold: (id) => sql`subject = 'trajectory' and subject_id = ${id}`,
    // Mails that will not be sent (again) by the outbox on its own.
    outbox: (id) =>
      sql`id in (select outbox_id from outbox_item where trajectory_id = ${id}) and status in ('sent', 'failed')`,
  },
  candidate: {
    candidate: (id) => sql`id = ${id}`,
    candidate_event: (id) => sql`candidate_id = ${id}`,
    legal_hold: (id) => sql`subject = 'candidate' and subject_id = ${id}`,
    // Every mail that will not be sent (again) by the outbox on its own: not a queued one (it would go out empty,
    // or a digest about others would be lost) and not one being sent now (its text is the SMTP conversation's).
    outbox: (id) => sql`id in (select outbox_id from outbox_candidate_item where candidate_id = ${id})
      and status in ('sent', 'failed', 'uncertain', 'superseded')`,
    // A list waiting for its near-match decisions holds a copy of the candidate (name, date of birth, e-mail) to
    // show beside a row: the whole upload goes, not just that near match. The decisions are kept by position
    // (keuze-0, keuze-1, ...), so dropping one entry would pair a page already open with the wrong matches; a
    // deleted upload answers "not found" and the coordinator uploads the list again. (Read before the candidate's
    // reference is replaced: the rows are deleted first.)
    candidate_upload: (id) => sql`added_at is null
      and round_id = (select round_id from candidate where id = ${id} and anonymised_at is null)
      and near @> (select jsonb_build_array(jsonb_build_object('other',
        jsonb_build_object('kind', 'round', 'reference', reference))) from candidate where id = ${id})`,
  },
};

/**
 * Erases, in `trx`, every column domain/personal-data.ts says the anonymisation of `subject` erases, in every row
 * about it, and marks the subject anonymised; false (and nothing changed) when it was anonymised before.
 */
export async function eraseSubject(trx: Db, subject: Subject, id: string): Promise<boolean> {
  const rows: Record<string, (id: string) => RawBuilder<boolean>> = ROWS[subject];
  const tables = Object.keys(rows).filter((t) => t !== subject);
  const columnsOf = (table: string) => erasedColumns(subject, table);
  // Rows that are a copy of the subject go first, while they can still be found by what the subject was.
  for (const table of tables.filter((t) => columnsOf(t).some(([, how]) => how === 'row')))
    await sql`delete from ${sql.table(table)} where ${rows[table]!(id)}`.execute(trx);
  const set = (table: string) =>
    sql.join(
      columnsOf(table)
        .filter(([, how]) => how !== 'row')
        .map(([column, how]) => sql`${sql.id(column)} = ${valueOf(table, column, how, id)}`),
    );
  const done = await sql`update ${sql.table(subject)} set ${set(subject)}, anonymised_at = now()
    where ${rows[subject]!(id)} and anonymised_at is null`.execute(trx);
  if (done.numAffectedRows === 0n) return false;
  for (const table of tables.filter((t) => columnsOf(t).some(([, how]) => how !== 'row')))
    await sql`update ${sql.table(table)} set ${set(table)} where ${rows[table]!(id)}`.execute(trx);
  return true;
}

function valueOf(table: string, column: string, how: Erasure, id: string): RawBuilder<unknown> {
  const key = `${table}.${column}`;
  switch (how) {
    case 'blank':
      return sql`case when ${sql.ref(column)} is null then null else '' end`;
    case 'null':
      return sql`null`;
    case 'placeholder':
      return (PLACEHOLDERS as Record<string, (id: string) => RawBuilder<unknown>>)[key]!(id);
    case 'typed-text':
      return (TYPED_TEXT as Record<string, RawBuilder<unknown>>)[key]!;
    case 'row':
      throw new Error(`${key} is erased by deleting its rows`);
  }
}

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
    if (!(await eraseSubject(trx, 'trajectory', id))) return false;
    // No more questions about this participant: open follow-ups close (unanswered counts as no answer).
    await trx
      .updateTable('follow_up')
      .set({ status: 'closed' })
      .where('trajectory_id', '=', id)
      .where('status', '=', 'open')
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
