// The funders' outcome query over N trajectories (100,000 by default; 1,000,000 with
// BENCH_OUTCOME_TRAJECTORIES=1000000) with their attendance, checkpoint reviews and follow-ups, asked the way
// a funder asks it: `GET /v1/outcomes` over real HTTP (a listening app, keep-alive fetch, the funder's own
// API key), so authentication, access scope, suppression and JSON serialisation are all in the figure.
// Baseline: the very same statements (`outcomeCounts`, db/outcomes.ts) run the same way, in parallel on the
// same pool, straight from the process: what the database needs for the figures, with nothing of the API.
// Both sides alternate (bench/stats.ts); each sample is `BENCH_OUTCOME_REQUESTS` requests in a row, its
// p50 and p95.
import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import type { Db } from '../db/connection';
import { outcomeCounts } from '../db/outcomes';
import { benchApp } from './app';
import { alternate, benchRuns, benchSize, percentile, timed } from './stats';
import { injectCall } from '../tests/helpers/app';
import { createKey, seedPartners, type Partners } from '../tests/helpers/partners';

/**
 * Seeds `n` trajectories in 20-person cohorts of the partners' covenant, in bulk (generate_series): a third
 * each active, ended with BBL doorstroom, dropped out; 60 recorded days each (attendance rows when
 * `attendanceRows`, else only the per-trajectory counts the projection keeps, which are all the query
 * reads); two checkpoint reviews each; follow-ups at 3, 6 and 12 months for every doorstroom.
 */
export async function seedOutcomes(db: Db, n: number, p: Partners, attendanceRows: boolean): Promise<void> {
  const cohorts = Math.ceil(n / 20);
  const employer = p.employerIds[0]!;
  await sql`insert into cohort (id, programme_id, programme_version, region, start_date, school_id, status,
    covenant_id)
    select 'bench-c-' || g, 'welslagen', 1, 'Bench', date '2027-01-04' + (g % 52) * 7, ${p.schoolId}, 'launched',
    ${p.covenantId} from generate_series(1, ${cohorts}) g`.execute(db);
  await sql`insert into trajectory (id, cohort_id, reference, name, email, employer_id, placement_weekdays,
    school_weekday, status, end_date, workflow_id, outcome, days_recorded, days_attended)
    select 'bench-t-' || g, 'bench-c-' || (1 + g % ${cohorts}), 'R-' || g, 'Deelnemer', 'd@example.nl', ${employer},
    '["monday","tuesday","wednesday"]', 4,
      (array['active', 'ended', 'dropped_out'])[1 + g % 3], date '2027-06-01', 'bench-wf-' || g,
      case g % 3 when 1 then '{"kind": "bbl_doorstroom", "bblStartDate": "2027-09-01"}'::jsonb
                 when 2 then jsonb_build_object('kind', 'dropout', 'reason', (array['health', 'motivation', 'moved',
    'other'])[1 + g % 4], 'week', 1 + g % 20, 'date', '2027-03-01') end,
      60, 54
    from generate_series(1, ${n}) g`.execute(db);
  if (attendanceRows) {
    // 60 days, one in ten absent ((g + d) % 10 = 0): 54 attended, as the counts above say.
    await sql`insert into attendance (trajectory_id, date, kind, present, recorded_on, seq)
      select 'bench-t-' || g, date '2027-01-04' + d, 'placement', (g + d) % 10 <> 0, date '2027-06-01', d + 1 from
      generate_series(1, ${n}) g, generate_series(0, 59) d`.execute(db);
  }
  await sql`insert into follow_up (trajectory_id, months, due_on, closes_on, employer_id, school_id, employed,
    employed_on, enrolled, enrolled_on, status, seq)
    select 'bench-t-' || g, m, date '2027-09-01' + m * 30, date '2027-09-29' + m * 30, ${employer}, ${p.schoolId},
      case when g % 7 = 0 then null else g % 5 <> 0 end, date '2027-09-02' + m * 30, case when g % 11 = 0 then null
    else g % 4 <> 0 end, date '2027-09-02' + m * 30, 'closed', 3
    from generate_series(1, ${n}) g, unnest(array[3, 6, 12]) m where g % 3 = 1`.execute(db);
  await sql`insert into checkpoint_review (trajectory_id, key, status, note, trainer_confirmed, recorded_on, seq)
    select 'bench-t-' || g, k, (array['on_track', 'concerns', 'at_risk'])[1 + (g + length(k)) % 3], '', true, date
    '2027-02-01', 100 from generate_series(1, ${n}) g, unnest(array['intake', 'pop']) k`.execute(db);
  await sql`vacuum analyze`.execute(db);
}

/**
 * The figures counted from the rows themselves, as db/outcomes.ts did before the per-cohort cells: the
 * benchmark checks that the cells give exactly these counts before it times anything.
 */
export function countedFromRows(db: Db, officeId: string) {
  return countedFromRowsIn(
    db,
    sql`select t.id from trajectory t join cohort c on c.id = t.cohort_id join covenant v on v.id = c.covenant_id
    where v.programme_office_id = ${officeId}`,
  );
}

/** The same, for the trajectories `scope` selects (a query of trajectory ids). */
export async function countedFromRowsIn(db: Db, scope: ReturnType<typeof sql>) {
  const q = async (s: ReturnType<typeof sql>) => (await s.execute(db)).rows as Record<string, unknown>[];
  const [statuses, dropouts, attendance, checkpoints, followUps] = await Promise.all([
    q(
      sql`select t.status, t.outcome->>'kind' as kind, count(*) n from trajectory t where t.id in (${scope}) group by
    1, 2`,
    ),
    q(
      sql`select t.outcome->>'reason' as reason, (t.outcome->>'week')::int as week, count(*) n from trajectory t where
    t.id in (${scope}) and t.outcome->>'kind' = 'dropout' group by 1, 2`,
    ),
    q(
      sql`select coalesce(sum(days_recorded), 0) days, coalesce(sum(days_attended), 0) attended, count(*) filter
    (where days_recorded > 0) participants from trajectory t where t.id in (${scope})`,
    ),
    q(sql`select key, status, count(*) n from checkpoint_review where trajectory_id in (${scope}) group by 1, 2`),
    q(sql`select months, count(*) asked, count(*) filter (where employed) employed_yes, count(*) filter (where not
      employed) employed_no, count(*) filter (where employed is null and status = 'closed') employed_none,
      count(*) filter (where employed is null and status = 'open') employed_open, count(*) filter (where school_id is
      not null) enrolment_asked, count(*) filter (where school_id is not null and enrolled) enrolled_yes,
      count(*) filter (where school_id is not null and not enrolled) enrolled_no, count(*) filter (where school_id is
      not null and enrolled is null and status = 'closed') enrolled_none,
      count(*) filter (where school_id is not null and enrolled is null and status = 'open') enrolled_open from
      follow_up where trajectory_id in (${scope}) group by 1 order by 1`),
  ]);
  return { statuses, dropouts, attendance: attendance[0]!, checkpoints, followUps };
}

/** A canonical text of a set of counts (numbers as numbers, rows sorted), to compare two ways of counting. */
export const canonical = (x: unknown): string =>
  JSON.stringify(x, (_k, v) => {
    if (Array.isArray(v)) return v.map((r) => canonical(r)).sort();
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
    if (typeof v === 'bigint') return Number(v);
    return v;
  });

export async function benchOutcomes(
  db: Db,
  temporal: Client,
  n = benchSize('BENCH_OUTCOME_TRAJECTORIES', 100_000, 20_000),
) {
  const requests = benchSize('BENCH_OUTCOME_REQUESTS', 20, 10);
  const attendanceRows = process.env.BENCH_OUTCOME_ATTENDANCE_ROWS
    ? process.env.BENCH_OUTCOME_ATTENDANCE_ROWS === '1'
    : n <= 100_000;
  const app = await benchApp(db, temporal);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const call = injectCall(app);
    const partners = await seedPartners(call);
    const coordinator = await createKey(call, partners.officeId, 'coordinator');
    const created = await call(
      'POST',
      '/v1/api-keys',
      { organisationId: partners.gemeenteId, role: 'funder', label: 'bench funder' },
      coordinator,
    );
    const funder = created.json.secret as string;
    if (!funder) throw new Error(`no funder key: ${created.status} ${JSON.stringify(created.json)}`);

    const t0 = performance.now();
    await seedOutcomes(db, n, partners, attendanceRows);
    const seedMs = performance.now() - t0;

    const ask = async () => {
      const res = await fetch(`${url}/v1/outcomes`, { headers: { authorization: `Bearer ${funder}` } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`GET /v1/outcomes: ${res.status} ${body}`);
      return body;
    };
    const [cells, counted] = await Promise.all([
      outcomeCounts(db, { programmeOfficeId: partners.officeId }),
      countedFromRows(db, partners.officeId),
    ]);
    if (canonical(cells) !== canonical(counted))
      throw new Error(`the outcome cells disagree with the rows:\n${canonical(cells)}\n${canonical(counted)}`);
    const first = JSON.parse(await ask());
    if (first.started !== n) throw new Error(`expected ${n} trajectories, the figures say ${first.started}`);

    const sample = async (work: () => Promise<unknown>) => {
      const ms: number[] = [];
      for (let i = 0; i < requests; i++) ms.push(await timed(work));
      return { p50: percentile(ms, 50), p95: percentile(ms, 95), all: ms };
    };
    const pooled = { baseline: [] as number[], measured: [] as number[] };
    const r = await alternate({
      runs: benchRuns(),
      warmup: 1,
      log: 'outcomes',
      baseline: async (run) => {
        const s = await sample(() => outcomeCounts(db, { programmeOfficeId: partners.officeId }));
        if (run > 0) pooled.baseline.push(...s.all);
        return { p50: s.p50, p95: s.p95 };
      },
      measured: async (run) => {
        const s = await sample(ask);
        if (run > 0) pooled.measured.push(...s.all);
        return { p50: s.p50, p95: s.p95 };
      },
    });
    const all = (xs: number[]) => ({ p50: percentile(xs, 50), p95: percentile(xs, 95) });
    return {
      n,
      seedMs,
      attendanceRows,
      requests,
      ...r,
      pooled: { baseline: all(pooled.baseline), measured: all(pooled.measured) },
    };
  } finally {
    await app.close();
  }
}
