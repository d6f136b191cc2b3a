// Frozen: a projected day off says what it is (issue 16). Until now planned_day held only the day's name, and the
// schedule read "pauze" and "ziekgemeld" back as a pause and a sick leave, so an ROC closure of that name did too.
// `off` is the kind; `reason` stays the name, to show.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('planned_day')
    .addColumn('off', 'text', (c) => c.check(sql`off in ('holiday', 'closure', 'paused', 'sick_leave', 'dropped_out')`))
    .execute();
  // A one-time data migration, not parsing at run time: the rows written before this column get their kind from the
  // words the plan used for them. A closure falls only on a school day, so a placement day off with another name is a
  // holiday; a school day is a closure when one of its school's closures of that name covers it. Words cannot tell a
  // closure called "pauze" from a pause: that guess is corrected below for every trajectory still running.
  await sql`
    update planned_day set off = case
      when reason = 'pauze' then 'paused'
      when reason = 'ziekgemeld' then 'sick_leave'
      when reason = 'uitgestroomd' then 'dropped_out'
      when kind = 'placement' then 'holiday'
      when exists (
        select 1 from trajectory t
        join cohort c on c.id = t.cohort_id
        join school_closure s on s.school_id = c.school_id
        where t.id = planned_day.trajectory_id and s.name = planned_day.reason
          and s.from_date <= planned_day.date and planned_day.date <= s.to_date
      ) then 'closure'
      else 'holiday'
    end
    where not planned`.execute(db);
  // Running trajectories whose words could be a closure's name: the plan is read again from the workflow, which
  // knows each day's kind, when the worker starts (infra/plan-backfill.ts fills every open trajectory whose plan_seq
  // is 0). Only those: every other guess is certain, and a query to each of a province's workflows is a replay each.
  await db
    .updateTable('trajectory')
    .set({ plan_seq: 0 })
    .where('status', 'in', ['active', 'paused', 'awaiting_bbl'])
    .where('anonymised_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('planned_day as d')
          .select('d.trajectory_id')
          .whereRef('d.trajectory_id', '=', 'trajectory.id')
          .where('d.planned', '=', false)
          .where('d.reason', 'in', ['pauze', 'ziekgemeld', 'uitgestroomd']),
      ),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('planned_day').dropColumn('off').execute();
}
