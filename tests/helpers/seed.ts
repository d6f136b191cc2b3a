// One trajectory written straight to the database (as a launch would) plus its workflow input, for tests
// and benchmarks that drive the workflow without the API.
import { randomUUID } from 'node:crypto';
import { dutchHolidays } from '../../activities/holidays';
import type { ProgrammeTemplate } from '../../api/schemas/programme';
import type { Db } from '../../db/connection';
import { insertCohort } from '../../db/cohorts';
import { insertOrganisation } from '../../db/organisations';
import { addDays } from '../../domain/calendar';
import { trajectoryWorkflowId } from '../../workflows/ids';
import type { TrajectoryInput } from '../../workflows/trajectory';

export async function seedTrajectory(
  db: Db,
  startDate: string,
  template: ProgrammeTemplate,
  participant: { name: string; email: string } = { name: 'Deelnemer 1', email: 'deelnemer1@example.nl' },
): Promise<TrajectoryInput> {
  const run = randomUUID().slice(0, 8);
  const school = `roc-${run}`;
  const employer = `zorg-${run}`;
  await insertOrganisation(db, { id: school, name: 'ROC', kind: 'school' });
  await insertOrganisation(db, { id: employer, name: 'Zorg', kind: 'employer' });
  const cohortId = randomUUID();
  const trajectoryId = randomUUID();
  await insertCohort(
    db,
    {
      id: cohortId,
      programme_id: 'welslagen',
      programme_version: 1,
      region: 'West-Brabant',
      start_date: startDate,
      school_id: school,
      status: 'launched',
    },
    [
      {
        id: trajectoryId,
        cohort_id: cohortId,
        reference: 'WB-001',
        name: participant.name,
        email: participant.email,
        employer_id: employer,
        placement_weekdays: JSON.stringify(['monday', 'tuesday', 'wednesday']),
        school_weekday: 4,
        status: 'planned',
        end_date: addDays(startDate, 137),
        workflow_id: trajectoryWorkflowId(trajectoryId),
      },
    ],
  );
  return {
    trajectoryId,
    cohortId,
    programme: { id: 'welslagen', version: 1, template },
    region: 'West-Brabant',
    startDate,
    employerId: employer,
    placementWeekdays: ['monday', 'tuesday', 'wednesday'],
    schoolWeekday: 'thursday',
    holidays: dutchHolidays(startDate, addDays(startDate, 365)),
    closures: [],
  };
}

/** Waits (up to 20 s) until every trajectory of a cohort whose start is past has recorded its start. */
export async function untilStarted(db: Db, cohortId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const rows = await db.selectFrom('trajectory').select('status').where('cohort_id', '=', cohortId).execute();
    if (rows.every((t) => t.status === 'active')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
