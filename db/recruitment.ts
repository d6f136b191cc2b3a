// Recruitment rounds and their candidates. A candidate's process is a workflow; its row here is the projection,
// written in one transaction and guarded by seq, so a retried or late projection never overwrites a newer one.
import type { Db } from './connection';
import type { Candidate, RecruitmentRound } from './schema';
import type { CandidateState } from '../domain/recruitment';

export interface CandidateProjection {
  candidateId: string;
  seq: number;
  state: CandidateState;
  overdue: boolean;
  event: { type: string; on: string; data: Record<string, unknown> };
}

export async function writeCandidate(db: Db, p: CandidateProjection): Promise<void> {
  const s = p.state;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('candidate_event')
      .values({
        candidate_id: p.candidateId,
        seq: p.seq,
        type: p.event.type,
        occurred_on: p.event.on,
        data: JSON.stringify(p.event.data),
      })
      .onConflict((oc) => oc.columns(['candidate_id', 'seq']).doNothing())
      .execute();
    await trx
      .updateTable('candidate')
      .set({
        status: s.status,
        step: s.stepKey,
        due_on: s.dueOn,
        overdue: p.overdue,
        employer_id: s.employerId ?? null,
        proposed_employer_id: s.proposal?.employerId ?? null,
        left_reason: s.left?.reason ?? null,
        left_on: s.left?.on ?? null,
        state: JSON.stringify(s),
        seq: p.seq,
        updated_at: new Date(),
      })
      .where('id', '=', p.candidateId)
      .where('seq', '<', p.seq)
      .execute();
  });
}

export function findRound(db: Db, id: string): Promise<RecruitmentRound | undefined> {
  return db.selectFrom('recruitment_round').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findCandidate(db: Db, id: string): Promise<Candidate | undefined> {
  return db.selectFrom('candidate').selectAll().where('id', '=', id).executeTakeFirst();
}

export function candidateEvents(db: Db, id: string) {
  return db.selectFrom('candidate_event').selectAll().where('candidate_id', '=', id).orderBy('seq').execute();
}

/** Candidates whose reference starts with `prefix`, of `officeId`'s rounds (every office's: null), with that office. */
export function candidatesByReference(db: Db, prefix: string, officeId: string | null, limit = 50) {
  let q = db
    .selectFrom('candidate as c')
    .innerJoin('recruitment_round as r', 'r.id', 'c.round_id')
    .selectAll('c')
    .select('r.office_id')
    .where('c.reference', 'like', `${prefix.replace(/[\\%_]/g, '\\$&')}%`)
    .orderBy('c.reference')
    .limit(limit);
  if (officeId !== null) q = q.where('r.office_id', '=', officeId);
  return q.execute();
}

/** The candidates of a round that a launch took into cohort `cohortId`, by last name. */
export function candidatesLaunchedInto(db: Db, roundId: string, cohortId: string) {
  return db
    .selectFrom('candidate')
    .select(['reference', 'first_name', 'last_name'])
    .where('round_id', '=', roundId)
    .where('launch_cohort_id', '=', cohortId)
    .orderBy('last_name')
    .execute();
}
