// The coordinator's steering view, as SQL over the rows the workflows' projections write: the plan
// (planned_day, planned_checkpoint), attendance, checkpoint reviews and placements. "Overdue" and "at risk"
// are computed as of a date, with the same rules the workflow applies (domain/state.ts, RISK_RULES);
// tests/steering.test.ts checks both give the same signals for the same trajectories.
import { sql } from 'kysely';
import type { Db } from './connection';
import { figureScope, type FigureFilter } from './outcomes';
import { RISK_RULES } from '../domain/risks';
import { OPEN_STATUSES } from '../domain/statuses';

/** The open statuses as a SQL list, for the statements written out in SQL. */
const OPEN = sql`(${sql.join([...OPEN_STATUSES])})`;

export async function riskRows(db: Db, f: FigureFilter, asOf: string) {
  const open = figureScope(db, f).select('t.id').where('t.status', 'in', OPEN_STATUSES);
  const since = sql`${asOf}::date - ${RISK_RULES.unexcusedWithinDays}::int`;
  const [unexcused, atRisk, overdue, low] = await Promise.all([
    sql<{ trajectory_id: string; dates: string[] }>`
      select trajectory_id, array_agg(to_char(date, 'YYYY-MM-DD') order by date) dates from attendance
      where trajectory_id in (${open}) and not present and reason = 'unexcused' and date > ${since}
      group by trajectory_id having count(*) >= ${RISK_RULES.unexcusedAtLeast}`.execute(db),
    sql<{ trajectory_id: string; key: string; recorded_on: string }>`
      select trajectory_id, key, to_char(recorded_on, 'YYYY-MM-DD') recorded_on from checkpoint_review
      where trajectory_id in (${open}) and status = 'at_risk' order by trajectory_id, key`.execute(db),
    sql<{ trajectory_id: string; key: string; name: string; week: number; week_end: string }>`
      select pc.trajectory_id, pc.key, pc.name, pc.week, to_char(pc.week_end, 'YYYY-MM-DD') week_end from
      planned_checkpoint pc
      where pc.trajectory_id in (${open}) and pc.week_end < ${asOf}
        and not exists (select 1 from checkpoint_review r where r.trajectory_id = pc.trajectory_id and r.key = pc.key)
      order by pc.trajectory_id, pc.week_start`.execute(db),
    sql<{ trajectory_id: string; recorded: number; attended: number; threshold: number }>`
      select a.trajectory_id, count(*)::int recorded, (count(*) filter (where a.present))::int attended,
      (p.template->>'attendanceThreshold')::float threshold
      from attendance a
      join planned_day pd on pd.trajectory_id = a.trajectory_id and pd.date = a.date and pd.planned
      join trajectory t on t.id = a.trajectory_id join cohort c on c.id = t.cohort_id
      join programme p on p.id = c.programme_id and p.version = c.programme_version
      where a.trajectory_id in (${open}) and a.date < ${asOf}
      group by a.trajectory_id, p.template
      having count(*) >= ${RISK_RULES.lowAttendanceFromRecordedDays}
         and (count(*) filter (where a.present))::float / count(*) <
      (p.template->>'attendanceThreshold')::float`.execute(db),
  ]);
  return { unexcused: unexcused.rows, atRisk: atRisk.rows, overdue: overdue.rows, low: low.rows };
}

/**
 * Planned days before `asOf` nobody recorded, per organisation that should have (the employer of that day, or the ROC).
 */
export async function overdueRegistrations(db: Db, f: FigureFilter, asOf: string) {
  const open = figureScope(db, f).select('t.id').where('t.status', 'in', OPEN_STATUSES);
  const { rows } = await sql<{
    organisation_id: string;
    name: string;
    kind: 'placement' | 'school';
    days: number;
    trajectory_ids: string[];
    oldest: string;
  }>`
    select o.id organisation_id, o.name, pd.kind, count(*)::int days, array_agg(distinct pd.trajectory_id)
    trajectory_ids, to_char(min(pd.date), 'YYYY-MM-DD') oldest
    from planned_day pd
    join trajectory t on t.id = pd.trajectory_id join cohort c on c.id = t.cohort_id
    left join lateral (select p.employer_id from placement p where p.trajectory_id = pd.trajectory_id and p.from_date
    <= pd.date order by p.from_date desc limit 1) e on true
    join organisation o on o.id = case when pd.kind = 'placement' then coalesce(e.employer_id, t.employer_id) else
    c.school_id end
    where pd.trajectory_id in (${open}) and pd.planned and pd.date < ${asOf}
      and not exists (select 1 from attendance a where a.trajectory_id = pd.trajectory_id and a.date = pd.date)
    group by o.id, o.name, pd.kind`.execute(db);
  return rows;
}

/** Checkpoints not recorded by the end of their week, per jobcoaching organisation. */
export async function overdueCheckpointsByOrganisation(db: Db, f: FigureFilter, asOf: string) {
  const open = figureScope(db, f).select('t.id').where('t.status', 'in', OPEN_STATUSES);
  const { rows } = await sql<{
    organisation_id: string;
    name: string;
    checkpoints: number;
    trajectory_ids: string[];
    oldest: string;
  }>`
    select o.id organisation_id, o.name, count(*)::int checkpoints, array_agg(distinct pc.trajectory_id)
    trajectory_ids, to_char(min(pc.week_end), 'YYYY-MM-DD') oldest
    from planned_checkpoint pc
    join trajectory t on t.id = pc.trajectory_id join contact k on k.id = t.jobcoach_id join organisation o on o.id =
    k.organisation_id
    where pc.trajectory_id in (${open}) and pc.week_end < ${asOf}
      and not exists (select 1 from checkpoint_review r where r.trajectory_id = pc.trajectory_id and r.key = pc.key)
    group by o.id, o.name`.execute(db);
  return rows;
}

/**
 * Checkpoint completion per checkpoint: due (its week is over, or it is recorded already), recorded on time, recorded
 * late, overdue (still expected), missed (the trajectory ended without it). A dropout's checkpoints after it are not
 * due.
 */
export async function checkpointCompletion(db: Db, f: FigureFilter, asOf: string) {
  const ids = figureScope(db, f).select('t.id');
  const { rows } = await sql<{
    key: string;
    name: string;
    week: number;
    planned: number;
    due: number;
    on_time: number;
    late: number;
    overdue: number;
    missed: number;
  }>`
    select pc.key, min(pc.name) name, min(pc.week) week, count(*)::int planned,
      (count(*) filter (where pc.week_end < ${asOf} or r.key is not null))::int due,
      (count(*) filter (where r.recorded_on <= pc.week_end))::int on_time,
      (count(*) filter (where r.recorded_on > pc.week_end))::int late,
      (count(*) filter (where r.key is null and pc.week_end < ${asOf} and t.status in ${OPEN}))::int overdue,
      (count(*) filter (where r.key is null and pc.week_end < ${asOf} and t.status not in ${OPEN}))::int missed
    from planned_checkpoint pc
    join trajectory t on t.id = pc.trajectory_id
    left join checkpoint_review r on r.trajectory_id = pc.trajectory_id and r.key = pc.key
    where pc.trajectory_id in (${ids})
      and not coalesce(t.outcome->>'kind' = 'dropout' and pc.week_start > (t.outcome->>'date')::date and r.key is
    null, false)
    group by pc.key order by min(pc.week), pc.key`.execute(db);
  return rows;
}

/** Each cohort week by week: participants, planned and due days, recorded and attended, dropouts in that week. */
export async function cohortProgress(db: Db, f: FigureFilter, asOf: string) {
  const ids = figureScope(db, f).select('t.id');
  const [days, dropouts] = await Promise.all([
    sql<{
      cohort_id: string;
      week: number;
      from: string;
      participants: number;
      planned: number;
      due: number;
      recorded: number;
      attended: number;
    }>`
      select t.cohort_id, pd.week, to_char(min(pd.date), 'YYYY-MM-DD') "from", count(distinct pd.trajectory_id)::int
      participants,
        (count(*) filter (where pd.planned))::int planned,
        (count(*) filter (where pd.planned and pd.date < ${asOf}))::int due,
        count(a.date)::int recorded, (count(*) filter (where a.present))::int attended
      from planned_day pd
      join trajectory t on t.id = pd.trajectory_id
      left join attendance a on a.trajectory_id = pd.trajectory_id and a.date = pd.date
      where pd.trajectory_id in (${ids})
        and not coalesce(t.outcome->>'kind' = 'dropout' and pd.date > (t.outcome->>'date')::date and a.date is null,
      false)
      group by t.cohort_id, pd.week order by t.cohort_id, pd.week`.execute(db),
    sql<{ cohort_id: string; week: number; n: number }>`
      select t.cohort_id, (t.outcome->>'week')::int week, count(*)::int n from trajectory t
      where t.id in (${ids}) and t.outcome->>'kind' = 'dropout' group by 1, 2`.execute(db),
  ]);
  return { days: days.rows, dropouts: dropouts.rows };
}

/** All overdue registrations (planned days before `asOf` without a recording, running trajectories): a metric. */
export async function countOverdueRegistrations(db: Db, asOf: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int n from planned_day pd join trajectory t on t.id = pd.trajectory_id
    where t.status in ${OPEN} and pd.planned and pd.date < ${asOf}
      and not exists (select 1 from attendance a where a.trajectory_id = pd.trajectory_id and a.date =
    pd.date)`.execute(db);
  return rows[0]?.n ?? 0;
}
