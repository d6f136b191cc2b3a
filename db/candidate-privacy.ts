// A candidate's personal data at the end of its life (issue 20): the export of everything held (AVG art. 15) and
// anonymisation, on request (art. 17) or by retention. Anonymisation keeps what the funnel figures need (round,
// step, status, dates, the reason for leaving from the fixed list, the employer, the source) and removes who it
// was: name, e-mail, date of birth, BSN hash, the reference, the notes typed at steps, the text of mails about
// the candidate, and the uploads waiting for a decision that show it beside a row.
import { sql, type Insertable } from 'kysely';
import type { Db } from './connection';
import { notHeld } from './legal-holds';
import type { AuditEventTable } from './schema';
import { ANONYMISED_NAME } from './privacy';

/** Everything held about one candidate. */
export async function personalDataOfCandidate(db: Db, id: string) {
  const [candidate, events, audit] = await Promise.all([
    db.selectFrom('candidate').selectAll().where('id', '=', id).executeTakeFirst(),
    db.selectFrom('candidate_event').selectAll().where('candidate_id', '=', id).orderBy('seq').execute(),
    db
      .selectFrom('audit_event')
      .selectAll()
      .where('resource', '=', 'candidate')
      .where('resource_id', '=', id)
      .orderBy('at')
      .orderBy('id')
      .execute(),
  ]);
  return candidate && { candidate, events, audit };
}

/**
 * Anonymises one candidate and records it in the audit log, in one transaction; false when it was anonymised before.
 * The reference goes too: it is the participant's reference in a cohort, so it would still point at a person.
 */
export async function anonymiseCandidate(
  db: Db,
  id: string,
  audit: Omit<Insertable<AuditEventTable>, 'resource' | 'resource_id' | 'trajectory_id'>,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    // Read before the reference is replaced: waiting uploads name the candidate by it.
    const before = await trx
      .selectFrom('candidate')
      .select(['round_id', 'reference'])
      .where('id', '=', id)
      .where('anonymised_at', 'is', null)
      .executeTakeFirst();
    const done = await trx
      .updateTable('candidate')
      .set({
        first_name: ANONYMISED_NAME,
        last_name: '',
        email: null,
        date_of_birth: null,
        bsn_hash: null,
        reference: sql<string>`'anon-' || left(md5(id), 12)`,
        // The history keeps each step's outcome and date, not what was typed about the candidate.
        state: sql<string>`jsonb_set(state, '{history}', coalesce((select jsonb_agg(h - 'note') from
          jsonb_array_elements(coalesce(state->'history', '[]'::jsonb)) as h), '[]'::jsonb))`,
        anonymised_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .where('anonymised_at', 'is', null)
      .executeTakeFirst();
    if (done.numUpdatedRows === 0n) return false;
    await trx
      .updateTable('candidate_event')
      .set({ data: sql<string>`data - 'note'` })
      .where('candidate_id', '=', id)
      .execute();
    // A list waiting for its near-match decisions holds a copy of the candidate (name, date of birth, e-mail) to show
    // beside a row: the whole upload goes, not just that near match. The decisions are kept by position (keuze-0,
    // keuze-1, ...), so dropping one entry would pair a page already open with the wrong matches; a deleted upload
    // answers "not found" and the coordinator uploads the list again, checked against the round as it is now.
    if (before)
      await trx
        .deleteFrom('candidate_upload')
        .where('round_id', '=', before.round_id)
        .where('added_at', 'is', null)
        .where(
          sql<boolean>`near @> ${JSON.stringify([{ other: { kind: 'round', reference: before.reference } }])}::jsonb`,
        )
        .execute();
    // Mails that named the candidate keep who got them and when, not what they said: every mail that will not be
    // sent (again) by the outbox on its own. Not a queued one (it would go out empty, or a digest about others would
    // be lost) and not one being sent now (its text is the SMTP conversation's).
    await trx
      .updateTable('outbox')
      .set({ text: '', html: '' })
      .where('id', 'in', trx.selectFrom('outbox_candidate_item').select('outbox_id').where('candidate_id', '=', id))
      .where('status', 'in', ['sent', 'failed', 'uncertain', 'superseded'])
      .execute();
    const office = await trx
      .selectFrom('candidate as c')
      .innerJoin('recruitment_round as r', 'r.id', 'c.round_id')
      .select('r.office_id')
      .where('c.id', '=', id)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('audit_event')
      .values({ ...audit, resource: 'candidate', resource_id: id, trajectory_id: null, office_id: office.office_id })
      .execute();
    return true;
  });
}

/**
 * Candidates whose data has served its purpose: left the round, or matched but never launched, more than `months`
 * before `today`; and those launched whose trajectory was anonymised (the trajectory held them since). Never one a
 * legal hold keeps (db/legal-holds.ts).
 */
export async function candidatesPastRetention(db: Db, today: string, months: number, limit = 500): Promise<string[]> {
  const before = sql<string>`(${today}::date - make_interval(months => ${months}))::date`;
  const rows = await db
    .selectFrom('candidate as c')
    .leftJoin('trajectory as t', 't.id', 'c.trajectory_id')
    .select('c.id')
    .where('c.anonymised_at', 'is', null)
    .where(notHeld('candidate', 'c.id', today))
    .where((eb) =>
      eb.or([
        eb.and([eb('c.status', '=', 'left'), eb('c.left_on', '<', before)]),
        eb.and([
          eb('c.status', '=', 'matched'),
          eb('c.launch_cohort_id', 'is', null),
          eb(sql<string>`c.updated_at::date`, '<', before),
        ]),
        eb('t.anonymised_at', 'is not', null),
      ]),
    )
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
