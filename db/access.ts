// The facts authorization decides on, one query per kind of resource. The decisions themselves are made in
// api/access.ts, so every rule sits in one place and these functions only read.
import type { Db } from './connection';

export interface TrajectoryParties {
  id: string;
  cohortId: string;
  schoolId: string;
  programmeOfficeId: string | null;
  jobcoachId: string | null;
  benefitPayerId: string | null;
  /** Every placement, oldest first: who the employer is from which date. */
  placements: { employerId: string; from: string }[];
}

export async function trajectoryParties(db: Db, id: string): Promise<TrajectoryParties | undefined> {
  const row = await db.selectFrom('trajectory as t')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .leftJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select(['t.id', 't.cohort_id', 'c.school_id', 'v.programme_office_id', 't.jobcoach_id', 't.benefit_payer_id'])
    .where('t.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const placements = await db.selectFrom('placement').select(['employer_id', 'from_date']).where('trajectory_id', '=', id).orderBy('from_date').execute();
  return {
    id: row.id,
    cohortId: row.cohort_id,
    schoolId: row.school_id,
    programmeOfficeId: row.programme_office_id,
    jobcoachId: row.jobcoach_id,
    benefitPayerId: row.benefit_payer_id,
    placements: placements.map((p) => ({ employerId: p.employer_id, from: p.from_date })),
  };
}

export interface CohortParties { id: string; schoolId: string; programmeOfficeId: string | null }

export async function cohortParties(db: Db, id: string): Promise<CohortParties | undefined> {
  const row = await db.selectFrom('cohort as c').leftJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select(['c.id', 'c.school_id', 'v.programme_office_id']).where('c.id', '=', id).executeTakeFirst();
  return row && { id: row.id, schoolId: row.school_id, programmeOfficeId: row.programme_office_id };
}
