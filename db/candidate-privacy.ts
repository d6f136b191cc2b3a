// A candidate's personal data at the end of its life (issue 20): the export of everything held (AVG art. 15) and
// anonymisation, on request (art. 17) or by retention. Anonymisation keeps what the funnel figures need (round,
// step, status, dates, the reason for leaving from the fixed list, the employer, the source) and removes who it
// was: name, e-mail, date of birth, BSN hash, the reference, the notes typed at steps, the text of mails about
// the candidate, and the uploads waiting for a decision that show it beside a row.
import { sql, type Insertable } from 'kysely';
import type { Db } from './connection';
import { notHeld } from './legal-holds';
import type { AuditEventTable } from './schema';
import { eraseSubject } from './privacy';

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
    // Name, e-mail, date of birth, BSN hash, reference, typed notes, mail texts and waiting uploads: the columns
    // domain/personal-data.ts classifies as erased with the candidate.
    if (!(await eraseSubject(trx, 'candidate', id))) return false;
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
