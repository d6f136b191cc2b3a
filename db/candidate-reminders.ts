// What the coordinator's morning mail needs about candidates (issue 20): who is in progress near or past a step's
// deadline, and which candidate reminders mails carried before (outbox_candidate_item), to escalate and to raise
// an escalation once.
import { sql } from 'kysely';
import { anyOf, type Db } from './connection';

/** Candidates in progress whose step's deadline is at most 30 days (the longest reminder) after `date`. */
export function candidatesNearDeadline(db: Db, date: string) {
  return db
    .selectFrom('candidate as c')
    .innerJoin('recruitment_round as r', 'r.id', 'c.round_id')
    .select([
      'c.id',
      'c.reference',
      'c.first_name',
      'c.step',
      'c.due_on',
      'r.office_id',
      'r.name as round',
      'r.draaiboek',
    ])
    .where('c.status', '=', 'in_progress')
    .where('c.anonymised_at', 'is', null)
    .where('c.due_on', '<=', sql<string>`(${date}::date + 30)`)
    .orderBy('c.id')
    .execute();
}

/** Per candidate, kind and subject: on how many working mornings of the last eight weeks a sent mail carried it. */
export function candidateRemindersSentBefore(db: Db, candidateIds: string[], day: string) {
  if (candidateIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('outbox_candidate_item as i')
    .innerJoin('outbox as o', 'o.id', 'i.outbox_id')
    .select(['i.candidate_id', 'i.kind', 'i.subject', (eb) => eb.fn.count<number>('o.day').distinct().as('times')])
    .where('i.candidate_id', '=', anyOf(candidateIds))
    .where('o.day', '<', day)
    .where('o.day', '>=', sql<string>`(${day}::date - 56)`)
    .where('o.status', '=', 'sent')
    .where(sql<boolean>`extract(isodow from o.day) < 6`)
    .groupBy(['i.candidate_id', 'i.kind', 'i.subject'])
    .execute();
}

/** The escalations about these candidates any mail carried already, as `id|kind|subject`. */
export async function candidateEscalationsRaised(db: Db, candidateIds: string[]): Promise<Set<string>> {
  if (candidateIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('outbox_candidate_item')
    .select(['candidate_id', 'kind', 'subject'])
    .where('candidate_id', '=', anyOf(candidateIds))
    .where('kind', '=', 'candidate_escalation')
    .execute();
  return new Set(rows.map((r) => `${r.candidate_id}|${r.kind}|${r.subject}`));
}
