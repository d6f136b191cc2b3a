// What the morning digest needs to know about every running trajectory, read from the rows the workflows'
// projections write (the same rows the steering view reads, db/steering.ts), in a handful of set-based
// statements instead of one Temporal query per workflow. Each statement mirrors a rule of workflows/state.ts:
// `openItems` (unrecorded days, checkpoints now and overdue, the BBL confirmations), `schedule` (the days
// expected this week) and `riskSignals` (with RISK_RULES). tests/digest-composition.test.ts checks that the
// digest composed from these rows equals the one composed from the workflows' own answers.
import { sql } from 'kysely';
import { anyOf, type Db } from './connection';
import { RISK_RULES } from '../domain/risks';
import { OPEN_STATUSES, RUNNING_STATUSES } from '../domain/statuses';

/** A week overview goes out for a trajectory under way or about to start, not a paused one. */
const WEEK_OVERVIEW_STATUSES = RUNNING_STATUSES.filter((s) => s !== 'paused');

export interface ReminderFacts {
  /** Planned days before `date` that nobody recorded, per trajectory in date order. */
  unrecorded: { trajectory_id: string; date: string; kind: 'placement' | 'school' }[];
  /** Checkpoints not recorded whose week has begun by `date` (current and overdue), in plan order. */
  checkpoints: {
    trajectory_id: string;
    key: string;
    name: string;
    week: number;
    week_start: string;
    week_end: string;
  }[];
  /** Placement days of `date`'s week from `date` on that are planned and not recorded (the Monday overview). */
  week: { trajectory_id: string; date: string }[];
  /** The BBL confirmations given so far, from the trajectory's `bbl_confirmed` events. */
  bbl: { trajectory_id: string; contract: boolean; enrolment: boolean; job_without_bbl: boolean }[];
  /** Unexcused absences within the risk window before `date` (the risk rule's window, RISK_RULES). */
  unexcused: { trajectory_id: string; dates: string[] }[];
  /** Checkpoint reviews recorded as at risk, in the order they were first recorded. */
  atRisk: { trajectory_id: string; key: string; recorded_on: string }[];
  /** Recorded planned days before `date`, and how many of them attended: the low-attendance rule. */
  recorded: { trajectory_id: string; recorded: number; attended: number }[];
}

/**
 * The facts behind `ids`' reminders on `date`. `ids` are the trajectories the digest looks at; each statement
 * keeps only those whose status still expects something (the week overview also a trajectory not started yet).
 */
export async function reminderFacts(
  db: Db,
  ids: string[],
  date: string,
  o: { weekOverview: boolean },
): Promise<ReminderFacts> {
  if (ids.length === 0)
    return { unrecorded: [], checkpoints: [], week: [], bbl: [], unexcused: [], atRisk: [], recorded: [] };
  const open = sql`(select id from trajectory where id = ${anyOf(ids)} and status = ${anyOf(OPEN_STATUSES)})`;
  const since = sql`${date}::date - ${RISK_RULES.unexcusedWithinDays}::int`;
  const [unrecorded, checkpoints, week, bbl, unexcused, atRisk, recorded] = await Promise.all([
    sql<ReminderFacts['unrecorded'][number]>`
      select pd.trajectory_id, to_char(pd.date, 'YYYY-MM-DD') date, pd.kind from planned_day pd
      where pd.trajectory_id in ${open} and pd.planned and pd.date < ${date}
        and not exists (select 1 from attendance a where a.trajectory_id = pd.trajectory_id and a.date = pd.date)
      order by pd.trajectory_id, pd.date`.execute(db),
    sql<ReminderFacts['checkpoints'][number]>`
      select pc.trajectory_id, pc.key, pc.name, pc.week, to_char(pc.week_start, 'YYYY-MM-DD') week_start,
      to_char(pc.week_end, 'YYYY-MM-DD') week_end from planned_checkpoint pc
      where pc.trajectory_id in ${open} and pc.week_start <= ${date}
        and not exists (select 1 from checkpoint_review r where r.trajectory_id = pc.trajectory_id and r.key = pc.key)
      order by pc.trajectory_id, pc.week, pc.week_start`.execute(db),
    // schedule(): a day is still "planned" when it is in the plan and nobody recorded it. A paused
    // trajectory gets no overview; one that has not started has no projected plan yet (see the digest).
    o.weekOverview
      ? sql<ReminderFacts['week'][number]>`
        select pd.trajectory_id, to_char(pd.date, 'YYYY-MM-DD') date from planned_day pd
        where pd.trajectory_id in (select id from trajectory where id = ${anyOf(ids)} and status =
        ${anyOf(WEEK_OVERVIEW_STATUSES)})
          and pd.kind = 'placement' and pd.planned and pd.date >= ${date} and pd.date < ${date}::date + (8 -
        extract(isodow from ${date}::date))::int
          and not exists (select 1 from attendance a where a.trajectory_id = pd.trajectory_id and a.date = pd.date)
        order by pd.trajectory_id, pd.date`.execute(db)
      : { rows: [] },
    // The workflow's `bbl` state is the sum of its confirmations; none is ever taken back.
    sql<ReminderFacts['bbl'][number]>`
      select e.trajectory_id,
        bool_or(e.data->>'by' = 'employer' and e.data ? 'contractStartDate') contract,
        bool_or(e.data->>'by' = 'school') enrolment,
        bool_or(e.data->>'by' = 'employer' and (e.data->>'jobWithoutBbl')::boolean is true) job_without_bbl
      from trajectory_event e where e.trajectory_id in ${open} and e.type = 'bbl_confirmed'
      group by e.trajectory_id`.execute(db),
    sql<ReminderFacts['unexcused'][number]>`
      select trajectory_id, array_agg(to_char(date, 'YYYY-MM-DD') order by date) dates from attendance
      where trajectory_id in ${open} and not present and reason = 'unexcused' and date > ${since}
      group by trajectory_id having count(*) >= ${RISK_RULES.unexcusedAtLeast}`.execute(db),
    // The workflow lists its reviews in the order each key was first recorded (a correction keeps its place).
    sql<ReminderFacts['atRisk'][number]>`
      select r.trajectory_id, r.key, to_char(r.recorded_on, 'YYYY-MM-DD') recorded_on from checkpoint_review r
      where r.trajectory_id in ${open} and r.status = 'at_risk'
      order by r.trajectory_id,
        (select min(e.seq) from trajectory_event e where e.trajectory_id = r.trajectory_id and e.type =
      'checkpoint_recorded' and e.data->>'key' = r.key) nulls last, r.seq`.execute(db),
    sql<ReminderFacts['recorded'][number]>`
      select a.trajectory_id, count(*)::int recorded, (count(*) filter (where a.present))::int attended
      from attendance a join planned_day pd on pd.trajectory_id = a.trajectory_id and pd.date = a.date and pd.planned
      where a.trajectory_id in ${open} and a.date < ${date}
      group by a.trajectory_id having count(*) >= ${RISK_RULES.lowAttendanceFromRecordedDays}`.execute(db),
  ]);
  return {
    unrecorded: unrecorded.rows,
    checkpoints: checkpoints.rows,
    week: week.rows,
    bbl: bbl.rows,
    unexcused: unexcused.rows,
    atRisk: atRisk.rows,
    recorded: recorded.rows,
  };
}
