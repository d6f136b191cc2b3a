// The funders' figures come from counts kept by triggers (migration 0011_outcome_cells), not from counting rows
// at every request. They must always equal what counting the rows gives: after seeding, and after every kind of
// change the triggers follow (statuses and outcomes, attendance counts, reviews and follow-ups changed and
// deleted, trajectories and cohorts moved), for the office's whole figure and for each filter the API offers.
// The same check as `npx tsx bench/outcome-cells-check.ts`, here so that `npm test` (and CI) enforce it.
import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchApp } from '../bench/app';
import { canonical, countedFromRowsIn, seedOutcomes } from '../bench/outcomes';
import { connectPostgres, type Db } from '../db/connection';
import { outcomeCounts, type FigureFilter } from '../db/outcomes';
import { injectCall } from './helpers/app';
import { seedPartners, type Partners } from './helpers/partners';
import { createThrowawayDatabase } from './helpers/postgres';

let db: Db;
let drop: () => Promise<void>;
let close: () => Promise<unknown>;
let p: Partners;

beforeAll(async () => {
  const database = await createThrowawayDatabase();
  drop = database.drop;
  db = connectPostgres(database.url, 5);
  const app = await benchApp(db, {} as Client);
  close = () => app.close();
  p = await seedPartners(injectCall(app));
  await seedOutcomes(db, 400, p, true);
}, 120_000);

afterAll(async () => {
  await close?.();
  await db?.destroy();
  await drop?.();
});

/** Each filter, and the same selection of trajectories written out in SQL for counting the rows. */
const filters = (): [FigureFilter, ReturnType<typeof sql>][] => [
  [{ programmeOfficeId: p.officeId }, sql`c.covenant_id = ${p.covenantId}`],
  [
    { programmeOfficeId: p.officeId, region: 'Bench', from: '2027-02-01', to: '2027-06-01' },
    sql`c.region = 'Bench' and c.start_date between '2027-02-01' and '2027-06-01'`,
  ],
  [{ cohortId: 'bench-c-3' }, sql`c.id = 'bench-c-3'`],
  [{ region: 'Elders' }, sql`c.region = 'Elders'`],
  [{ programmeId: 'welslagen', to: '2027-03-01' }, sql`c.programme_id = 'welslagen' and c.start_date <= '2027-03-01'`],
];

async function expectCellsEqualRows() {
  for (const [filter, where] of filters()) {
    const cells = canonical(await outcomeCounts(db, filter));
    const rows = canonical(
      await countedFromRowsIn(
        db,
        sql`select t.id from trajectory t join cohort c on c.id = t.cohort_id where ${where}`,
      ),
    );
    expect(cells, JSON.stringify(filter)).toBe(rows);
  }
}

describe('the outcome cells', () => {
  it('equal counting the rows once seeded', async () => {
    await expectCellsEqualRows();
  });

  it('follow statuses, outcomes and attendance counts', async () => {
    await sql`update trajectory set status = 'dropped_out', outcome = '{"kind":"dropout","reason":"health","week":3}'
      where id in ('bench-t-1','bench-t-4','bench-t-7')`.execute(db);
    await sql`update trajectory set days_recorded = days_recorded + 5, days_attended = days_attended + 1 where id like
      'bench-t-1%'`.execute(db);
    await expectCellsEqualRows();
  });

  it('follow checkpoint reviews and follow-ups changed and deleted', async () => {
    await sql`delete from checkpoint_review where trajectory_id in ('bench-t-2','bench-t-5')`.execute(db);
    await sql`update checkpoint_review set status = 'at_risk' where trajectory_id like 'bench-t-3%'`.execute(db);
    await sql`update follow_up set employed = null, status = 'open' where trajectory_id like 'bench-t-4%'`.execute(db);
    await sql`delete from follow_up where trajectory_id = 'bench-t-10'`.execute(db);
    await expectCellsEqualRows();
  });

  it('follow trajectories and cohorts that move', async () => {
    await sql`update trajectory set cohort_id = 'bench-c-3'
      where id in ('bench-t-1','bench-t-10','bench-t-100')`.execute(db);
    await sql`update cohort set start_date = start_date + 7 where id in ('bench-c-3','bench-c-5')`.execute(db);
    await sql`update cohort set region = 'Elders' where id = 'bench-c-7'`.execute(db);
    await expectCellsEqualRows();
  });
});
