// A cohort whose funders' figures are known, written as the workflows' projections write it (the trajectory rows, the
// attendance through writeProjection, checkpoint reviews, a follow-up round), so the counts the database keeps
// (migration 0011_outcome_cells) are exactly what a real cohort would give. Fourteen participants whose benefit
// `benefitPayerId` pays: nine active, three dropouts (two for motivation in week 2, one for health in week 3), two
// in BBL; seven with ten recorded days, 61 of 70 attended (87.1 %); intake reviews 6 on track, 3 concerns, 1 at
// risk; at 3 months six asked, five still employed and one not, all six still enrolled.
import { randomUUID } from 'node:crypto';
import { insertCohort } from '../../db/cohorts';
import type { Db } from '../../db/connection';
import { writeFollowUp } from '../../db/follow-ups';
import { writeProjection } from '../../db/trajectories';
import type { TrajectoryStatus } from '../../domain/statuses';

const STANDING: { status: TrajectoryStatus; outcome?: object }[] = [
  ...Array.from({ length: 9 }, () => ({ status: 'active' as const })),
  { status: 'dropped_out', outcome: { kind: 'dropout', reason: 'motivation', week: 2, date: '2027-04-14' } },
  { status: 'dropped_out', outcome: { kind: 'dropout', reason: 'motivation', week: 2, date: '2027-04-15' } },
  { status: 'dropped_out', outcome: { kind: 'dropout', reason: 'health', week: 3, date: '2027-04-20' } },
  { status: 'ended', outcome: { kind: 'bbl_doorstroom', bblStartDate: '2027-09-01' } },
  { status: 'ended', outcome: { kind: 'bbl_doorstroom', bblStartDate: '2027-09-01' } },
];
/** Absent days of the seven participants with attendance: 9 of 70. */
const ABSENT = [1, 2, 1, 2, 1, 1, 1];

export interface FigureCohort {
  covenantId: string;
  schoolId: string;
  employerId: string;
  benefitPayerId: string;
  region: string;
  /** The cohort's start date (default 2027-04-05). */
  startDate?: string;
}

/** Writes the cohort; returns its id. */
export async function seedFigureCohort(db: Db, c: FigureCohort): Promise<string> {
  const cohortId = randomUUID();
  const ids = STANDING.map(() => randomUUID());
  const start = c.startDate ?? '2027-04-05';
  await insertCohort(
    db,
    {
      id: cohortId,
      programme_id: 'welslagen',
      programme_version: 1,
      covenant_id: c.covenantId,
      region: c.region,
      start_date: start,
      school_id: c.schoolId,
      status: 'launched',
    },
    STANDING.map((s, i) => ({
      id: ids[i]!,
      cohort_id: cohortId,
      reference: `U-${cohortId.slice(0, 4)}-${i}`,
      name: `Deelnemer ${i}`,
      email: `u${i}-${cohortId.slice(0, 8)}@example.nl`,
      employer_id: c.employerId,
      placement_weekdays: '["monday","tuesday","wednesday"]',
      school_weekday: 4,
      status: s.status,
      end_date: '2027-08-20',
      workflow_id: `trajectory-${ids[i]}`,
      outcome: s.outcome ? JSON.stringify(s.outcome) : null,
      benefit_payer_id: c.benefitPayerId,
    })),
  );
  for (const [n, t] of ids.slice(0, ABSENT.length).entries()) {
    await writeProjection(db, {
      trajectoryId: t,
      events: [],
      checkpoints: [],
      snapshot: {
        seq: 10,
        status: 'active',
        endDate: '2027-08-20',
        outcome: null,
        employers: [{ employerId: c.employerId, from: start }],
      },
      attendance: Array.from({ length: 10 }, (_, d) => ({
        date: `2027-04-${String(5 + d).padStart(2, '0')}`,
        kind: 'placement' as const,
        present: d >= ABSENT[n]!,
        recordedOn: '2027-04-20',
        seq: 10,
      })),
    });
  }
  await db
    .insertInto('checkpoint_review')
    .values(
      ids.slice(0, 10).map((t, i) => ({
        trajectory_id: t,
        key: 'intake',
        status: i < 6 ? ('on_track' as const) : i < 9 ? ('concerns' as const) : ('at_risk' as const),
        note: '',
        trainer_confirmed: true,
        recorded_on: '2027-04-08',
        seq: 20,
      })),
    )
    .execute();
  for (const [i, t] of ids.slice(0, 6).entries()) {
    await writeFollowUp(db, {
      trajectoryId: t,
      employerId: c.employerId,
      asksSchool: true,
      seq: 3,
      round: {
        months: 3,
        dueOn: '2027-12-01',
        closesOn: '2027-12-29',
        status: 'closed',
        employed: i < 5,
        employedOn: '2027-12-02',
        enrolled: true,
        enrolledOn: '2027-12-03',
      },
    });
  }
  return cohortId;
}
