// The digest's composition as it was before issue 19, kept (but for its export, failing loudly where it logged,
// and the risk signals now rendered from their facts instead of parsed back from English) so
// tests/digest-composition.test.ts can compare the composition from the projection (activities/reminders.ts,
// `dueItems`) with it: every running trajectory's workflow asked with a Temporal query (`stateQuery`, and on the
// week's first working day `scheduleQuery`), one per workflow. Not used by the application.
import { ApplicationFailure } from '@temporalio/activity';
import { openFollowUps } from '../../db/follow-ups';
import { findProgramme } from '../../db/programmes';
import { mapLimit } from '../../infra/map-limit';
import { riskInDutch, riskKey } from '../../domain/risks';
import { isRunning } from '../../domain/statuses';
import type { ReminderRules } from '../../api/schemas/programme';
import {
  DEFAULT_REMINDERS,
  employerOn,
  isWeekStart,
  trajectoriesToRemind,
  type Due,
  type ReminderDeps,
  type Running,
} from '../../activities/reminders';
import { addDays, isoWeekday, isWorkingDay, nextWorkingDay, workingDaysBetween } from '../../domain/calendar';
import { scheduleQuery, stateQuery } from '../../workflows/trajectory';

const QUERIES_IN_FLIGHT = 20;

/** What every running trajectory has due on `date`, for whom. */
export async function dueItemsByQuery(
  deps: ReminderDeps,
  date: string,
  holidays: ReadonlySet<string>,
): Promise<{ due: Due[]; trajectories: Running[]; rulesFor: (t: Running) => ReminderRules }> {
  const temporal = deps.temporal;
  if (!temporal) throw ApplicationFailure.nonRetryable('reminders need a Temporal client in the activity dependencies');
  const trajectories = await trajectoriesToRemind(deps.db, date);
  const rulesOf = new Map<string, ReminderRules>();
  const due: Due[] = [];
  const monday = isWeekStart(date, holidays);
  for (const t of trajectories) {
    const pk = `${t.programmeId}@${t.programmeVersion}`;
    if (!rulesOf.has(pk))
      rulesOf.set(pk, {
        ...DEFAULT_REMINDERS,
        ...(await findProgramme(deps.db, t.programmeId, t.programmeVersion))?.template.reminders,
      });
  }
  // Each trajectory's own answer, QUERIES_IN_FLIGHT at a time; one that cannot answer is counted, not silently left
  // out.
  const skipped: string[] = [];
  const lives = await mapLimit(trajectories, QUERIES_IN_FLIGHT, async (t) => {
    if (!isRunning(t.status)) return undefined; // finished: only its follow-up, from SQL
    try {
      return await temporal.workflow.getHandle(t.workflowId).query(stateQuery, date);
    } catch (e) {
      skipped.push(`${t.id}: ${(e as Error).message}`);
      return undefined;
    }
  });
  if (skipped.length) throw new Error(`${skipped.length} trajectories did not answer: ${skipped[0]}`);
  // After doorstroom: each open follow-up question on its first working morning, then weekly while open.
  const firstMorning = (due: string) => {
    let d = due;
    while (!isWorkingDay(d, holidays)) d = addDays(d, 1);
    return d;
  };
  const byTrajectory = new Map(trajectories.map((t) => [t.id, t]));
  for (const f of await openFollowUps(deps.db, date)) {
    const t = byTrajectory.get(f.trajectory_id);
    if (!t || !rulesOf.get(`${t.programmeId}@${t.programmeVersion}`)!.followUpWeekly) continue;
    if (!(monday || firstMorning(f.due_on) === date)) continue;
    const base = { trajectoryId: t.id, firstName: t.firstName, reference: t.reference };
    const subject = `follow-up-${f.months}`;
    if (f.employed === null)
      due.push({
        to: { organisationId: f.employer_id, role: 'workplace_trainer' },
        subject,
        item: {
          ...base,
          kind: 'follow_up',
          followUp: { months: f.months, question: 'employed', closesOn: f.closes_on },
        },
      });
    if (f.school_id && f.enrolled === null)
      due.push({
        to: { organisationId: f.school_id, role: 'roc_coordinator' },
        subject,
        item: {
          ...base,
          kind: 'follow_up',
          followUp: { months: f.months, question: 'enrolled', closesOn: f.closes_on },
        },
      });
  }

  for (const [index, t] of trajectories.entries()) {
    const rules = rulesOf.get(`${t.programmeId}@${t.programmeVersion}`)!;
    const handle = temporal.workflow.getHandle(t.workflowId);
    const live = lives[index];
    if (!live || !isRunning(live.status)) continue;
    const base = { trajectoryId: t.id, firstName: t.firstName, reference: t.reference };
    const coordinator = t.officeId ? { organisationId: t.officeId, role: 'coordinator' as const } : undefined;

    // Attendance not recorded by 10:00 the next working day: the employer of that day, or the ROC.
    const late = live.open.attendance.filter((d) => {
      let reminderDay = d.date;
      for (let i = 0; i < rules.attendanceAfterWorkingDays; i++) reminderDay = nextWorkingDay(reminderDay, holidays);
      return reminderDay <= date;
    });
    const byEmployer = new Map<string, { date: string; kind: 'placement' }[]>();
    for (const d of late.filter((x) => x.kind === 'placement')) {
      const e = employerOn(t, d.date);
      if (e) byEmployer.set(e, [...(byEmployer.get(e) ?? []), { date: d.date, kind: 'placement' }]);
    }
    for (const [employerId, days] of byEmployer) {
      for (const d of days)
        due.push({
          to: { organisationId: employerId, role: 'workplace_trainer' },
          subject: d.date,
          item: { ...base, kind: 'attendance_placement', days: [d] },
        });
    }
    for (const d of late.filter((x) => x.kind === 'school')) {
      due.push({
        to: { organisationId: t.schoolId, role: 'roc_coordinator' },
        subject: d.date,
        item: { ...base, kind: 'attendance_school', days: [{ date: d.date, kind: 'school' }] },
      });
    }

    // Monday: the employer's overview of who is expected on which days this week.
    if (rules.weekOverview && monday && live.status !== 'paused') {
      const schedule = await handle.query(scheduleQuery);
      const week = schedule.weeks
        .flatMap((w) => w.days)
        .filter(
          (d) =>
            d.kind === 'placement' &&
            d.status === 'planned' &&
            d.date >= date &&
            d.date < addDays(date, 8 - isoWeekday(date)),
        );
      const employer = employerOn(t, date);
      if (employer && week.length)
        due.push({
          to: { organisationId: employer, role: 'workplace_trainer' },
          subject: date,
          item: {
            ...base,
            kind: 'week_overview',
            days: week.map((d) => ({ date: d.date, kind: 'placement' as const })),
          },
        });
    }

    // The jobcoach: checkpoints due within N working days, and overdue ones.
    if (t.jobcoachId) {
      for (const c of live.open.checkpoints) {
        if (workingDaysBetween(date, c.weekEnd, holidays) <= rules.checkpointDueWithinWorkingDays) {
          due.push({
            to: { contactId: t.jobcoachId },
            subject: c.key,
            item: { ...base, kind: 'checkpoint_due', checkpoint: c },
          });
        }
      }
      for (const c of live.open.overdueCheckpoints)
        due.push({
          to: { contactId: t.jobcoachId },
          subject: c.key,
          item: { ...base, kind: 'checkpoint_overdue', checkpoint: c },
        });
    }

    // The BBL decision: weekly, each party for its own confirmation.
    if (rules.bblDecisionWeekly && monday && live.open.bbl.length) {
      const employer = employerOn(t, date);
      if (employer && live.open.bbl.includes('employer_contract'))
        due.push({
          to: { organisationId: employer, role: 'workplace_trainer' },
          subject: 'bbl',
          item: { ...base, kind: 'bbl_decision', missing: ['employer_contract'] },
        });
      if (live.open.bbl.includes('school_enrolment'))
        due.push({
          to: { organisationId: t.schoolId, role: 'roc_coordinator' },
          subject: 'bbl',
          item: { ...base, kind: 'bbl_decision', missing: ['school_enrolment'] },
        });
    }

    // The coordinator: a risk signal, once per kind of signal.
    if (rules.riskSignals && coordinator) {
      // Once per occurrence: a new run of absences or another checkpoint at risk is raised again.
      for (const r of live.risks)
        due.push({
          to: coordinator,
          subject: riskKey(r),
          item: { ...base, kind: 'risk_raised', risk: riskInDutch(r) },
        });
    }
  }
  return {
    due,
    trajectories,
    rulesFor: (t) => rulesOf.get(`${t.programmeId}@${t.programmeVersion}`) ?? DEFAULT_REMINDERS,
  };
}
