// `npx tsx bench/outcome-cells-check.ts`: checks that the outcome cells (migration 0011_outcome_cells) give
// exactly what counting the rows gives, after every kind of change the triggers must follow: statuses and
// outcomes, attendance counts, checkpoint reviews changed and deleted, follow-ups changed and deleted,
// trajectories moved to another cohort, cohorts moved to another start date or region; for the office
// (group cells) and for filters by region, period, programme and cohort. Exits 1 on a difference.
import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import { connectPostgres } from '../db/connection';
import { outcomeCounts, type FigureFilter } from '../db/outcomes';
import { createThrowawayDatabase } from '../tests/helpers/postgres';
import { benchApp } from './app';
import { seedOutcomes, countedFromRowsIn, canonical } from './outcomes';
import { injectCall } from '../tests/helpers/app';
import { seedPartners } from '../tests/helpers/partners';

const database = await createThrowawayDatabase();
const db = connectPostgres(database.url, 10);
const app = await benchApp(db, {} as Client);
let failed = false;
try {
  const p = await seedPartners(injectCall(app));
  await seedOutcomes(db, 400, p, true);
  const filters: [FigureFilter, ReturnType<typeof sql>][] = [
    [{ programmeOfficeId: p.officeId }, sql`c.covenant_id = ${p.covenantId}`],
    [
      { programmeOfficeId: p.officeId, region: 'Bench', from: '2027-02-01', to: '2027-06-01' },
      sql`c.region = 'Bench' and c.start_date between '2027-02-01' and '2027-06-01'`,
    ],
    [{ cohortId: 'bench-c-3' }, sql`c.id = 'bench-c-3'`],
    [{ region: 'Elders' }, sql`c.region = 'Elders'`],
    [
      { programmeId: 'welslagen', to: '2027-03-01' },
      sql`c.programme_id = 'welslagen' and c.start_date <= '2027-03-01'`,
    ],
  ];
  const check = async (after: string) => {
    for (const [f, where] of filters) {
      const cells = canonical(await outcomeCounts(db, f));
      const rows = canonical(
        await countedFromRowsIn(
          db,
          sql`select t.id from trajectory t join cohort c on c.id = t.cohort_id where ${where}`,
        ),
      );
      if (cells !== rows) failed = true;
      console.log(
        `${after}, ${JSON.stringify(f)}: ${cells === rows ? 'same' : `DIFFERENT\n  cells: ${cells}\n  rows:  ${rows}`}`,
      );
    }
  };
  await check('seeded');
  await sql`update trajectory set status = 'dropped_out', outcome = '{"kind":"dropout","reason":"health","week":3}'
    where id in ('bench-t-1','bench-t-4','bench-t-7')`.execute(db);
  await sql`update trajectory set days_recorded = days_recorded + 5, days_attended = days_attended + 1 where id like
    'bench-t-1%'`.execute(db);
  await check('statuses, outcomes and attendance counts changed');
  await sql`delete from checkpoint_review where trajectory_id in ('bench-t-2','bench-t-5')`.execute(db);
  await sql`update checkpoint_review set status = 'at_risk' where trajectory_id like 'bench-t-3%'`.execute(db);
  await sql`update follow_up set employed = null, status = 'open' where trajectory_id like 'bench-t-4%'`.execute(db);
  await sql`delete from follow_up where trajectory_id = 'bench-t-10'`.execute(db);
  await check('checkpoint reviews and follow-ups changed and deleted');
  await sql`update trajectory set cohort_id = 'bench-c-3' where id in ('bench-t-1','bench-t-10','bench-t-100')`.execute(
    db,
  );
  await sql`update cohort set start_date = start_date + 7 where id in ('bench-c-3','bench-c-5')`.execute(db);
  await sql`update cohort set region = 'Elders' where id = 'bench-c-7'`.execute(db);
  await check('trajectories and cohorts moved');
} finally {
  await app.close();
  await db.destroy();
  await database.drop();
}
process.exit(failed ? 1 : 0);
