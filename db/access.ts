// The facts authorization decides on, one query per kind of resource. The decisions themselves are made in
// api/access.ts, so every rule sits in one place and these functions only read.
import { sql } from 'kysely';
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
  // One query, placements included, so the check takes as long for a trajectory that exists as for one that does not.
  const row = await db
    .selectFrom('trajectory as t')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .leftJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select(['t.id', 't.cohort_id', 'c.school_id', 'v.programme_office_id', 't.jobcoach_id', 't.benefit_payer_id'])
    .select(
      sql<
        { employer_id: string; from_date: string }[]
      >`coalesce((select json_agg(json_build_object('employer_id', p.employer_id, 'from_date', to_char(p.from_date,
      'YYYY-MM-DD')) order by p.from_date)
      from placement p where p.trajectory_id = t.id), '[]'::json)`.as('placements'),
    )
    .where('t.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const placements = row.placements;
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

export interface CohortParties {
  id: string;
  schoolId: string;
  programmeOfficeId: string | null;
}

export async function cohortParties(db: Db, id: string): Promise<CohortParties | undefined> {
  const row = await db
    .selectFrom('cohort as c')
    .leftJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select(['c.id', 'c.school_id', 'v.programme_office_id'])
    .where('c.id', '=', id)
    .executeTakeFirst();
  return row && { id: row.id, schoolId: row.school_id, programmeOfficeId: row.programme_office_id };
}
