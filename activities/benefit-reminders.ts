// The benefit payer's part of the morning mail (issue 21): a reminder before the instrument's maximum is reached
// while the trajectory runs past it, and the task "uitkering aanpassen of beëindigen" from the BBL contract start
// until the payer confirms it. Composed by the digest from the projections, set-based, rather than kept on durable
// timers in each trajectory's workflow: the deadlines move with data the workflow never holds (the payer's
// extension decisions, a rule set a region edits, the payer's confirmation through the API), the task outlives the
// trajectory's workflow (the BBL contract starts after its end), and no running history has to change (no patch).
import { benefitReminderFacts, listExtensionsOf } from '../db/benefit';
import type { Db } from '../db/connection';
import { checkPlannedEnd, isProblem, ruleOf, RULE_SETS } from '../domain/benefit';
import { addDays, isWorkingDay } from '../domain/calendar';
import { RUNNING_STATUSES } from '../domain/statuses';
import type { DigestItem } from './mail-texts';

/** As activities/reminders.ts Due, with the office the participant belongs to (also after the trajectory ended). */
export interface BenefitDue {
  to: { organisationId: string; role: 'funder_analyst' };
  officeId: string | null;
  subject: string;
  item: DigestItem;
}

const running: readonly string[] = RUNNING_STATUSES;

/** The payer's reminders of `date`: on the first working morning of each, then every week's first morning. */
export async function benefitDue(
  db: Db,
  date: string,
  holidays: ReadonlySet<string>,
  weekStart: boolean,
): Promise<BenefitDue[]> {
  const rows = await benefitReminderFacts(db, RUNNING_STATUSES);
  const extensions = await listExtensionsOf(
    db,
    rows.map((r) => r.trajectory_id),
  );
  const firstMorning = (from: string) => {
    let d = from;
    while (!isWorkingDay(d, holidays)) d = addDays(d, 1);
    return d;
  };
  const due: BenefitDue[] = [];
  for (const r of rows) {
    const rule = ruleOf({ instrument: r.instrument, ruleSet: r.rule_set });
    if (isProblem(rule)) continue;
    const to = { organisationId: r.payer_id, role: 'funder_analyst' as const };
    const base = {
      trajectoryId: r.trajectory_id,
      firstName: r.name.split(/\s+/)[0] ?? r.name,
      reference: r.reference,
    };
    const officeId = r.programme_office_id;
    if (running.includes(r.status)) {
      const check = checkPlannedEnd(
        {
          instrument: r.instrument,
          ruleSet: r.rule_set,
          startDate: r.start_date,
          decisionDate: r.decision_date,
          extensions: extensions
            .filter((x) => x.trajectory_id === r.trajectory_id)
            .map((x) => ({ until: x.until, decidedOn: x.decided_on })),
        },
        rule,
        r.end_date,
      );
      const from = addDays(check.maximumEnd, -(RULE_SETS[r.rule_set]?.reminderDaysBefore ?? 14));
      // Only when the trajectory runs past the maximum: one that ends within it needs nothing of the payer.
      if (check.pastMaximum && date >= from && (date === firstMorning(from) || weekStart))
        due.push({
          to,
          officeId,
          subject: `benefit-maximum-${check.maximumEnd}`,
          item: {
            ...base,
            kind: 'benefit_maximum',
            benefit: { instrument: rule.nameNl, maximumEnd: check.maximumEnd, plannedEnd: r.end_date },
          },
        });
    }
    const start = r.contract_start;
    if (start && !r.adjustment_confirmed_on && date >= start && (date === firstMorning(start) || weekStart))
      due.push({
        to,
        officeId,
        subject: 'benefit-adjustment',
        item: { ...base, kind: 'benefit_adjustment', benefit: { instrument: rule.nameNl, contractStart: start } },
      });
  }
  return due;
}
