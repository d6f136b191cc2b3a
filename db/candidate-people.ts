// The people who act on a candidate, as the projection knows them: the employer proposed for the trial day (from
// the process) and the assigned jobcoach (a column the office sets). These functions only read and record; who may
// see or do what is decided in api/access.ts.
import { sql } from 'kysely';
import type { Db } from './connection';

/** Days the employer proposed for the trial day still sees the candidate after its judgement: what it recorded. */
export const EMPLOYER_AFTER_JUDGEMENT_DAYS = 14;

/** The facts the access policy decides a candidate on: its office, proposed employer and jobcoach. */
export function candidateParties(db: Db, id: string) {
  return db
    .selectFrom('candidate as c')
    .innerJoin('recruitment_round as r', 'r.id', 'c.round_id')
    .select(['r.office_id', 'c.proposed_employer_id', 'c.jobcoach_id', 'r.draaiboek', 'c.status', 'c.step', 'c.state'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export async function assignJobcoach(db: Db, id: string, jobcoachId: string): Promise<void> {
  await db
    .updateTable('candidate')
    .set({ jobcoach_id: jobcoachId, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Candidates in a round now, proposed to an employer or assigned to a jobcoach; the office's own only. */
export function candidatesOf(db: Db, who: { employerId: string } | { jobcoachId: string }, officeId: string | null) {
  let q = db
    .selectFrom('candidate as c')
    .innerJoin('recruitment_round as r', 'r.id', 'c.round_id')
    .selectAll('c')
    .select(['r.draaiboek', 'r.name as round_name', 'r.office_id']);
  // An employer's candidates are filtered further by the access policy (api/access.ts, employerSeesCandidate); here
  // only what it could possibly still see: in progress, or changed in the last EMPLOYER_AFTER_JUDGEMENT_DAYS days.
  q =
    'employerId' in who
      ? q
          .where('c.proposed_employer_id', '=', who.employerId)
          .where((eb) =>
            eb.or([
              eb('c.status', '=', 'in_progress'),
              eb('c.updated_at', '>=', sql<Date>`now() - make_interval(days => ${EMPLOYER_AFTER_JUDGEMENT_DAYS + 1})`),
            ]),
          )
      : q.where('c.jobcoach_id', '=', who.jobcoachId);
  if (officeId !== null) q = q.where('r.office_id', '=', officeId);
  return q.orderBy('c.status').orderBy('c.due_on').orderBy('c.reference').execute();
}

/** The jobcoaches an office may assign: contacts it made or the admin made, of organisations it may use. */
export function jobcoachesOfOffice(db: Db, officeId: string) {
  return db
    .selectFrom('contact as c')
    .innerJoin('organisation as o', 'o.id', 'c.organisation_id')
    .select(['c.id', 'c.name', 'o.name as organisation_name'])
    .where('c.role', '=', 'jobcoach')
    .where((eb) => eb.or([eb('c.office_id', '=', officeId), eb('c.office_id', 'is', null)]))
    .where((eb) =>
      eb.or([
        eb('o.id', '=', officeId),
        eb('o.office_id', '=', officeId),
        eb('o.office_id', 'is', null),
        eb(
          'o.id',
          'in',
          eb.selectFrom('organisation_share').select('organisation_id').where('office_id', '=', officeId),
        ),
      ]),
    )
    .orderBy('c.name')
    .orderBy('c.id')
    .execute();
}
