// Frozen: the funders' outcome figures from summaries kept by the database (issue 19). Every filter of the
// figures (office, programme, region, cohort, period of the cohort's start) is a property of the cohort, so
// the counts can be kept per cohort: `outcome_cell` holds, for each cohort, one count per figure and category
// (a participant status and outcome kind; a dropout reason and week; the attendance sums; a checkpoint's key
// and status; a follow-up month and answer), and `outcome_group_cell` the same per group of cohorts sharing
// covenant, programme, region and start date (the grain of every filter but the cohort itself). The query
// sums the cells of the groups (or, filtered by cohort, of that cohort) instead of reading every trajectory,
// checkpoint review and follow-up (0.4 s at 100,000 trajectories, growing with the region; at the cohort
// grain alone, about 50 cells a cohort, it still took 60-190 ms).
//
// Statement-level triggers on trajectory, checkpoint_review and follow_up keep the cells in the same
// transaction as the projection's write, so the figures are exactly what counting the rows gives
// (tests/outcomes.test.ts, tests/follow-up.test.ts; the benchmark compares the two at 100,000). Each
// statement adds its rows' cells (+1), takes away their old cells (-1), and touches only cells whose count
// changed, in key order: its cohort cells, then its group cells; a projection's statements touch checkpoint,
// attendance and status cells in the same order every time, so two projections cannot deadlock. The cells
// every recording changes (attendance) and every start or outcome (status) are kept in 16 stripes by
// trajectory: without them, concurrent recordings of one cohort or start date queued on those few rows'
// locks (seen in the registrations benchmark). Nothing in the application changes a trajectory's cohort or
// a cohort's covenant, programme, region or start date, but if something did, the cells move with it.
import { sql, type Kysely } from 'kysely';

/**
 * Every recording changes its trajectory's attendance cells, and a start or an outcome its status cells, so
 * those are kept in 16 stripes (by trajectory) per cohort and group: recordings of trajectories of one cohort
 * or one start date then rarely wait for each other's lock. The query sums the stripes away.
 */
const STRIPES = 16;

/** The cells of trajectory rows (`src` has the trajectory's columns and `sign`). */
const trajectoryCells = (src: string) =>
  `
  select cohort_id, 'status' as figure, status as a, outcome->>'kind' as b, abs(hashtext(id)) % ${STRIPES} ` +
  `as stripe, sign::bigint as n from ${src} x
  union all select cohort_id, 'dropout', outcome->>'reason', ((outcome->>'week')::int)::text, 0, sign ` +
  `from ${src} x where outcome->>'kind' = 'dropout'
  union all select cohort_id, 'attendance', 'days', null, abs(hashtext(id)) % ${STRIPES}, sign * ` +
  `days_recorded from ${src} x
  union all select cohort_id, 'attendance', 'attended', null, abs(hashtext(id)) % ${STRIPES}, sign * ` +
  `days_attended from ${src} x
  union all select cohort_id, 'attendance', 'participants', null, abs(hashtext(id)) % ${STRIPES}, sign * ` +
  `(days_recorded > 0)::int from ${src} x`;

/** The cells of checkpoint reviews (`src` has the review's columns, its trajectory's `cohort_id` and `sign`). */
const checkpointCells = (src: string) => `select cohort_id, 'checkpoint', key, status, 0, sign::bigint from ${src} x`;

/**
 * The cells of follow-up rows: per month, how many were asked and each kind of answer (as db/outcomes.ts had counted
 * them).
 */
const followUpCells = (src: string) =>
  `
  select x.cohort_id, 'follow_up', x.months::text, v.b, 0, x.sign::bigint from ${src} x cross join lateral (values
    ('asked', true),
    ('employed_yes', x.employed is true), ('employed_no', x.employed is false),
    ('employed_none', x.employed is null and x.status = 'closed'), ('employed_open', x.employed is null and ` +
  `x.status = 'open'),
    ('enrolment_asked', x.school_id is not null),
    ('enrolled_yes', x.school_id is not null and x.enrolled is true), ('enrolled_no', x.school_id is not ` +
  `null and x.enrolled is false),
    ('enrolled_none', x.school_id is not null and x.enrolled is null and x.status = 'closed'),
    ('enrolled_open', x.school_id is not null and x.enrolled is null and x.status = 'open')
  ) v(b, hit) where v.hit`;

/** Adds the cells' changes, touching only cells whose count changes, in key order: the cohort's, then its group's. */
const applyStatements = (cells: string) => [
  `
  insert into outcome_cell as o (cohort_id, figure, a, b, stripe, n)
  select cohort_id, figure, a, b, stripe, sum(n) from (${cells}) c (cohort_id, figure, a, b, stripe, n) ` +
    `group by 1, 2, 3, 4, 5 having sum(n) <> 0 order by 1, 2, 3, 4, 5
  on conflict (cohort_id, figure, a, b, stripe) do update set n = o.n + excluded.n`,
  `
  insert into outcome_group_cell as o (covenant_id, programme_id, region, start_date, figure, a, b, ` +
    `stripe, n)
  select h.covenant_id, h.programme_id, h.region, h.start_date, c.figure, c.a, c.b, c.stripe, sum(c.n) ` +
    `from (${cells}) c (cohort_id, figure, a, b, stripe, n) join cohort h on h.id = c.cohort_id
  group by 1, 2, 3, 4, 5, 6, 7, 8 having sum(c.n) <> 0 order by 1, 2, 3, 4, 5, 6, 7, 8
  on conflict (covenant_id, programme_id, region, start_date, figure, a, b, stripe) do update set n = o.n ` +
    `+ excluded.n`,
];
const apply = (cells: string) => applyStatements(cells).join(';\n');

/** Rows of a transition table with their sign: `new_rows` +1, `old_rows` -1, or both for an update. */
const signed = (op: 'INSERT' | 'UPDATE' | 'DELETE', select: (rows: string, sign: number) => string) => {
  const rows = [
    ...(op === 'DELETE' ? [] : [select('new_rows', 1)]),
    ...(op === 'INSERT' ? [] : [select('old_rows', -1)]),
  ];
  return `(${rows.join(' union all ')})`;
};

const ops = ['INSERT', 'UPDATE', 'DELETE'] as const;

function trajectoryBody(op: (typeof ops)[number]): string {
  const rows = signed(op, (r, s) => `select r.*, ${s} as sign from ${r} r`);
  let cells = trajectoryCells(rows);
  if (op === 'UPDATE') {
    // A trajectory moved to another cohort takes its checkpoint reviews and follow-ups along.
    const moved = (table: string) =>
      `(select n.cohort_id, k.*, 1 as sign from new_rows n join old_rows o on o.id = n.id and o.cohort_id <> ` +
      `n.cohort_id join ${table} k on k.trajectory_id = n.id
      union all select o.cohort_id, k.*, -1 from new_rows n join old_rows o on o.id = n.id and ` +
      `o.cohort_id <> n.cohort_id join ${table} k on k.trajectory_id = n.id)`;
    cells += ` union all ${checkpointCells(moved('checkpoint_review'))} union all ${followUpCells(moved('follow_up'))}`;
  }
  return apply(cells);
}

const childRows = (op: (typeof ops)[number]) =>
  signed(op, (r, s) => `select t.cohort_id, r.*, ${s} as sign from ${r} r join trajectory t on t.id = r.trajectory_id`);

const functions: { table: string; fn: string; body: (op: (typeof ops)[number]) => string }[] = [
  { table: 'trajectory', fn: 'outcome_cells_trajectory', body: trajectoryBody },
  { table: 'checkpoint_review', fn: 'outcome_cells_checkpoint', body: (op) => apply(checkpointCells(childRows(op))) },
  { table: 'follow_up', fn: 'outcome_cells_follow_up', body: (op) => apply(followUpCells(childRows(op))) },
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table outcome_cell (
    cohort_id text not null references cohort (id),
    figure text not null,
    a text,
    b text,
    stripe smallint not null,
    n bigint not null,
    constraint outcome_cell_key unique nulls not distinct (cohort_id, figure, a, b, stripe)
  )`.execute(db);
  await sql`create table outcome_group_cell (
    covenant_id text references covenant (id),
    programme_id text not null,
    region text not null,
    start_date date not null,
    figure text not null,
    a text,
    b text,
    stripe smallint not null,
    n bigint not null,
    constraint outcome_group_cell_key unique nulls not distinct (covenant_id, programme_id, region, start_date,
    figure, a, b, stripe)
  )`.execute(db);
  for (const f of functions) {
    // One function per table; the branch taken decides which transition tables the statement reads.
    await sql
      .raw(
        `create function ${f.fn}() returns trigger language plpgsql as $body$
      begin
        if tg_op = 'INSERT' then ${f.body('INSERT')};
        elsif tg_op = 'UPDATE' then ${f.body('UPDATE')};
        else ${f.body('DELETE')};
        end if;
        return null;
      end $body$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${f.fn}_insert after insert on ${f.table} referencing new table as new_rows for ` +
          `each statement execute function ${f.fn}()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${f.fn}_update after update on ${f.table} referencing old table as old_rows new ` +
          `table as new_rows for each statement execute function ${f.fn}()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${f.fn}_delete after delete on ${f.table} referencing old table as old_rows for ` +
          `each statement execute function ${f.fn}()`,
      )
      .execute(db);
  }
  // A cohort whose covenant, programme, region or start date changes takes its cells to its new group.
  const regroup = (rows: string, sign: number) =>
    `select r.covenant_id, r.programme_id, r.region, r.start_date, k.figure, k.a, k.b, k.stripe, ${sign} * ` +
    `k.n from ${rows} r join outcome_cell k on k.cohort_id = r.id
    join new_rows n2 on n2.id = r.id join old_rows o2 on o2.id = r.id where (n2.covenant_id, ` +
    `n2.programme_id, n2.region, n2.start_date) is distinct from (o2.covenant_id, o2.programme_id, ` +
    `o2.region, o2.start_date)`;
  await sql
    .raw(
      `create function outcome_cells_cohort() returns trigger language plpgsql as $body$
    begin
      insert into outcome_group_cell as o (covenant_id, programme_id, region, start_date, figure, a, ` +
        `b, stripe, n)
      select c1, c2, c3, c4, c5, c6, c7, c8, sum(c9) from (${regroup('new_rows', 1)} union ` +
        `all ${regroup('old_rows', -1)}) x (c1, c2, c3, c4, c5, c6, c7, c8, c9)
      group by 1, 2, 3, 4, 5, 6, 7, 8 having sum(c9) <> 0 order by 1, 2, 3, 4, 5, 6, 7, 8
      on conflict (covenant_id, programme_id, region, start_date, figure, a, b, stripe) do update set ` +
        `n = o.n + excluded.n;
      return null;
    end $body$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger outcome_cells_cohort_update after update on cohort referencing old table as old_rows ` +
        `new table as new_rows for each statement execute function outcome_cells_cohort()`,
    )
    .execute(db);
  // The rows there are now.
  const existing = [
    trajectoryCells('(select t.*, 1 as sign from trajectory t)'),
    checkpointCells(
      '(select t.cohort_id, k.*, 1 as sign from checkpoint_review k join trajectory t on t.id = k.trajectory_id)',
    ),
    followUpCells('(select t.cohort_id, f.*, 1 as sign from follow_up f join trajectory t on t.id = f.trajectory_id)'),
  ].join(' union all ');
  for (const statement of applyStatements(existing)) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists outcome_cells_cohort_update on cohort`.execute(db);
  await sql`drop function if exists outcome_cells_cohort()`.execute(db);
  for (const f of functions) {
    for (const op of ['insert', 'update', 'delete'])
      await sql.raw(`drop trigger if exists ${f.fn}_${op} on ${f.table}`).execute(db);
    await sql.raw(`drop function if exists ${f.fn}()`).execute(db);
  }
  await sql`drop table outcome_group_cell`.execute(db);
  await sql`drop table outcome_cell`.execute(db);
}
