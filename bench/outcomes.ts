// The funders' outcome query over 100,000 trajectories with their attendance rows (60 recorded days each,
// 6 million rows) and follow-ups, through the service the API runs (five queries in parallel, and
// suppression), against the same five aggregates as plain SQL run one after the other, in the same database.
// p50 and p95 of each; and, for comparison, counting the attendance rows themselves (what it did before the
// projection kept per-trajectory counts).
import { sql } from 'kysely';
import type { Db } from '../db/connection';
import { outcomeFigures } from '../api/services/outcomes';
import type { Principal } from '../api/auth';
import { percentile } from './app';

const OFFICE = 'bench-office';

async function seed(db: Db, n: number): Promise<void> {
  await sql`insert into organisation (id, name, kind) values (${OFFICE}, 'Bench', 'programme_office'), ('bench-roc', 'Bench ROC', 'school'), ('bench-zorg', 'Bench Zorg', 'employer') on conflict do nothing`.execute(db);
  await sql`insert into covenant (id, name, region, programme_office_id) values ('bench-cov', 'Bench', 'Bench', ${OFFICE}) on conflict do nothing`.execute(db);
  await sql`insert into cohort (id, programme_id, programme_version, region, start_date, school_id, status, covenant_id)
    select 'bench-c-' || g, 'welslagen', 1, 'Bench', date '2027-01-04' + (g % 52) * 7, 'bench-roc', 'launched', 'bench-cov' from generate_series(1, ${Math.ceil(n / 20)}) g`.execute(db);
  await sql`insert into trajectory (id, cohort_id, reference, name, email, employer_id, placement_weekdays, school_weekday, status, end_date, workflow_id, outcome)
    select 'bench-t-' || g, 'bench-c-' || (1 + g % ${Math.ceil(n / 20)}), 'R-' || g, 'Deelnemer', 'd@example.nl', 'bench-zorg', '["monday","tuesday","wednesday"]', 4,
      (array['active', 'ended', 'dropped_out'])[1 + g % 3], date '2027-06-01', 'bench-wf-' || g,
      case g % 3 when 1 then '{"kind": "bbl_doorstroom", "bblStartDate": "2027-09-01"}'::jsonb
                 when 2 then jsonb_build_object('kind', 'dropout', 'reason', (array['health', 'motivation', 'moved', 'other'])[1 + g % 4], 'week', 1 + g % 20, 'date', '2027-03-01') end
    from generate_series(1, ${n}) g`.execute(db);
  await sql`insert into attendance (trajectory_id, date, kind, present, recorded_on, seq)
    select 'bench-t-' || g, date '2027-01-04' + d, 'placement', (g + d) % 10 <> 0, date '2027-06-01', d + 1 from generate_series(1, ${n}) g, generate_series(0, 59) d`.execute(db);
  // The per-trajectory counts the projection keeps (db/trajectories.ts), as it would have left them.
  await sql`update trajectory t set days_recorded = a.recorded, days_attended = a.attended
    from (select trajectory_id, count(*)::int recorded, (count(*) filter (where present))::int attended from attendance where trajectory_id like 'bench-t-%' group by 1) a
    where a.trajectory_id = t.id`.execute(db);
  // The follow-up of every BBL doorstroom at 3, 6 and 12 months.
  await sql`insert into follow_up (trajectory_id, months, due_on, closes_on, employer_id, school_id, employed, employed_on, enrolled, enrolled_on, status, seq)
    select 'bench-t-' || g, m, date '2027-09-01' + m * 30, date '2027-09-29' + m * 30, 'bench-zorg', 'bench-roc',
      case when g % 7 = 0 then null else g % 5 <> 0 end, date '2027-09-02' + m * 30, case when g % 11 = 0 then null else g % 4 <> 0 end, date '2027-09-02' + m * 30, 'closed', 3
    from generate_series(1, ${n}) g, unnest(array[3, 6, 12]) m where g % 3 = 1`.execute(db);
  await sql`insert into checkpoint_review (trajectory_id, key, status, note, trainer_confirmed, recorded_on, seq)
    select 'bench-t-' || g, k, (array['on_track', 'concerns', 'at_risk'])[1 + (g + length(k)) % 3], '', true, date '2027-02-01', 100 from generate_series(1, ${n}) g, unnest(array['intake', 'pop']) k`.execute(db);
  await sql`analyze`.execute(db);
}

/**
 * The same aggregates as the service, as plain SQL run one after the other on one connection: what the
 * database itself needs, without the query builder, the pool's parallelism or the suppression.
 */
async function direct(db: Db): Promise<void> {
  const scope = sql`select t.id from trajectory t join cohort c on c.id = t.cohort_id join covenant v on v.id = c.covenant_id where v.programme_office_id = ${OFFICE}`;
  await sql`select t.status, t.outcome->>'kind', count(*) from trajectory t join cohort c on c.id = t.cohort_id join covenant v on v.id = c.covenant_id where v.programme_office_id = ${OFFICE} group by 1, 2`.execute(db);
  await sql`select t.outcome->>'reason', (t.outcome->>'week')::int, count(*) from trajectory t join cohort c on c.id = t.cohort_id join covenant v on v.id = c.covenant_id where v.programme_office_id = ${OFFICE} and t.outcome->>'kind' = 'dropout' group by 1, 2`.execute(db);
  await sql`select sum(t.days_recorded), sum(t.days_attended), count(*) filter (where t.days_recorded > 0) from trajectory t join cohort c on c.id = t.cohort_id join covenant v on v.id = c.covenant_id where v.programme_office_id = ${OFFICE}`.execute(db);
  await sql`select key, status, count(*) from checkpoint_review where trajectory_id in (${scope}) group by 1, 2`.execute(db);
  await sql`select months, count(*), count(*) filter (where employed), count(*) filter (where not employed), count(*) filter (where employed is null and status = 'closed'),
    count(*) filter (where employed is null and status = 'open'), count(*) filter (where school_id is not null), count(*) filter (where school_id is not null and enrolled),
    count(*) filter (where school_id is not null and not enrolled), count(*) filter (where school_id is not null and enrolled is null and status = 'closed'),
    count(*) filter (where school_id is not null and enrolled is null and status = 'open')
    from follow_up where trajectory_id in (${scope}) group by 1`.execute(db);
}

/** What the attendance figure cost before the projection kept per-trajectory counts: counting every attendance row. */
async function attendanceScan(db: Db): Promise<void> {
  const scope = sql`select t.id from trajectory t join cohort c on c.id = t.cohort_id join covenant v on v.id = c.covenant_id where v.programme_office_id = ${OFFICE}`;
  await sql`select count(*), count(*) filter (where present), count(distinct trajectory_id) from attendance where trajectory_id in (${scope})`.execute(db);
}

async function time(runs: number, work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await work(); // warm the cache once
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    ms.push(performance.now() - t0);
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

export async function benchOutcomes(db: Db, n = 100_000, runs = 9) {
  const t0 = performance.now();
  await seed(db, n);
  const seedMs = performance.now() - t0;
  const funder: Principal = { actor: 'bench', role: 'funder', organisationId: 'bench-gemeente', contactId: null, officeId: OFFICE };
  const figures = await outcomeFigures({ db }, funder, {});
  if (figures.started !== n) throw new Error(`expected ${n} trajectories, the figures say ${figures.started}`);
  const service = await time(runs, () => outcomeFigures({ db }, funder, {}));
  const baseline = await time(runs, () => direct(db));
  const scan = await time(3, () => attendanceScan(db));
  return { n, seedMs, service, baseline, scan };
}
