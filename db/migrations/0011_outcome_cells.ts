// Frozen: the funders' outcome figures from a per-cohort summary (issue 19). Every filter of the figures
// (office, programme, region, cohort, period of the cohort's start) is a property of the cohort, so the
// counts can be kept per cohort: `outcome_cell` holds, for each cohort, one count per figure and category
// (a participant status and outcome kind; a dropout reason and week; the attendance sums; a checkpoint's key
// and status; a follow-up month and answer). The query then sums a few rows per cohort instead of reading
// every trajectory, checkpoint review and follow-up (0.4 s at 100,000 trajectories, growing with the
// region). The cells are kept by statement-level triggers on trajectory, checkpoint_review and follow_up, in
// the same transaction as the projection's write, so the figures are exactly what counting the rows gives
// (tests/outcomes.test.ts, tests/follow-up.test.ts). Each statement adds its rows' cells (+1) and takes
// away their old cells (-1), and touches only cells whose count changed, in key order (no deadlock between
// two projections of one cohort). Nothing in the application changes a trajectory's cohort, but if something
// did, its checkpoint and follow-up cells move with it.
import { sql, type Kysely } from 'kysely';

/** The cells of trajectory rows (`src` has the trajectory's columns and `sign`). */
const trajectoryCells = (src: string) => `
  select cohort_id, 'status' as figure, status as a, outcome->>'kind' as b, sign::bigint as n from ${src} x
  union all select cohort_id, 'dropout', outcome->>'reason', ((outcome->>'week')::int)::text, sign from ${src} x where outcome->>'kind' = 'dropout'
  union all select cohort_id, 'attendance', 'days', null, sign * days_recorded from ${src} x
  union all select cohort_id, 'attendance', 'attended', null, sign * days_attended from ${src} x
  union all select cohort_id, 'attendance', 'participants', null, sign * (days_recorded > 0)::int from ${src} x`;

/** The cells of checkpoint reviews (`src` has the review's columns, its trajectory's `cohort_id` and `sign`). */
const checkpointCells = (src: string) => `select cohort_id, 'checkpoint', key, status, sign::bigint from ${src} x`;

/** The cells of follow-up rows: per month, how many were asked and each kind of answer (as db/outcomes.ts had counted them). */
const followUpCells = (src: string) => `
  select x.cohort_id, 'follow_up', x.months::text, v.b, x.sign::bigint from ${src} x cross join lateral (values
    ('asked', true),
    ('employed_yes', x.employed is true), ('employed_no', x.employed is false),
    ('employed_none', x.employed is null and x.status = 'closed'), ('employed_open', x.employed is null and x.status = 'open'),
    ('enrolment_asked', x.school_id is not null),
    ('enrolled_yes', x.school_id is not null and x.enrolled is true), ('enrolled_no', x.school_id is not null and x.enrolled is false),
    ('enrolled_none', x.school_id is not null and x.enrolled is null and x.status = 'closed'),
    ('enrolled_open', x.school_id is not null and x.enrolled is null and x.status = 'open')
  ) v(b, hit) where v.hit`;

/** Adds the cells' changes, touching only cells whose count changes, in key order. */
const apply = (cells: string) => `
  insert into outcome_cell as o (cohort_id, figure, a, b, n)
  select cohort_id, figure, a, b, sum(n) from (${cells}) c (cohort_id, figure, a, b, n) group by 1, 2, 3, 4 having sum(n) <> 0 order by 1, 2, 3, 4
  on conflict (cohort_id, figure, a, b) do update set n = o.n + excluded.n`;

/** Rows of a transition table with their sign: `new_rows` +1, `old_rows` -1, or both for an update. */
const signed = (op: 'INSERT' | 'UPDATE' | 'DELETE', select: (rows: string, sign: number) => string) =>
  `(${[...(op === 'DELETE' ? [] : [select('new_rows', 1)]), ...(op === 'INSERT' ? [] : [select('old_rows', -1)])].join(' union all ')})`;

const ops = ['INSERT', 'UPDATE', 'DELETE'] as const;

function trajectoryBody(op: (typeof ops)[number]): string {
  const rows = signed(op, (r, s) => `select r.*, ${s} as sign from ${r} r`);
  let cells = trajectoryCells(rows);
  if (op === 'UPDATE') {
    // A trajectory moved to another cohort takes its checkpoint reviews and follow-ups along.
    const moved = (table: string) => `(select n.cohort_id, k.*, 1 as sign from new_rows n join old_rows o on o.id = n.id and o.cohort_id <> n.cohort_id join ${table} k on k.trajectory_id = n.id
      union all select o.cohort_id, k.*, -1 from new_rows n join old_rows o on o.id = n.id and o.cohort_id <> n.cohort_id join ${table} k on k.trajectory_id = n.id)`;
    cells += ` union all ${checkpointCells(moved('checkpoint_review'))} union all ${followUpCells(moved('follow_up'))}`;
  }
  return apply(cells);
}

const childRows = (op: (typeof ops)[number]) => signed(op, (r, s) => `select t.cohort_id, r.*, ${s} as sign from ${r} r join trajectory t on t.id = r.trajectory_id`);

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
    n bigint not null,
    constraint outcome_cell_key unique nulls not distinct (cohort_id, figure, a, b)
  )`.execute(db);
  for (const f of functions) {
    // One function per table; the branch taken decides which transition tables the statement reads.
    await sql.raw(`create function ${f.fn}() returns trigger language plpgsql as $body$
      begin
        if tg_op = 'INSERT' then ${f.body('INSERT')};
        elsif tg_op = 'UPDATE' then ${f.body('UPDATE')};
        else ${f.body('DELETE')};
        end if;
        return null;
      end $body$`).execute(db);
    await sql.raw(`create trigger ${f.fn}_insert after insert on ${f.table} referencing new table as new_rows for each statement execute function ${f.fn}()`).execute(db);
    await sql.raw(`create trigger ${f.fn}_update after update on ${f.table} referencing old table as old_rows new table as new_rows for each statement execute function ${f.fn}()`).execute(db);
    await sql.raw(`create trigger ${f.fn}_delete after delete on ${f.table} referencing old table as old_rows for each statement execute function ${f.fn}()`).execute(db);
  }
  // The rows there are now.
  await sql.raw(apply([
    trajectoryCells('(select t.*, 1 as sign from trajectory t)'),
    checkpointCells('(select t.cohort_id, k.*, 1 as sign from checkpoint_review k join trajectory t on t.id = k.trajectory_id)'),
    followUpCells('(select t.cohort_id, f.*, 1 as sign from follow_up f join trajectory t on t.id = f.trajectory_id)'),
  ].join(' union all '))).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const f of functions) {
    for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists ${f.fn}_${op} on ${f.table}`).execute(db);
    await sql.raw(`drop function if exists ${f.fn}()`).execute(db);
  }
  await sql`drop table outcome_cell`.execute(db);
}
