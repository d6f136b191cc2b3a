// The employer's reminder before the praktijkleren subsidy's application deadline (issue 21, part 4): which
// reminder is due on a date is domain/subsidy.ts (a pure rule, the deadline configurable per school year); this
// module only fires it from the morning digest, one item per participant with supervised weeks in the school year
// that ended, to the employer's workplace trainers in the participant's office's mail. Kept apart from the facts and
// the texts so that it can move onto a durable timer without them changing.
import { subsidyReminderFacts } from '../db/evidence';
import type { Db } from '../db/connection';
import { MAX_SUBSIDY_WEEKS, subsidyReminderDue } from '../domain/subsidy';
import type { DigestItem } from './mail-texts';

export interface SubsidyDue {
  to: { organisationId: string; role: 'workplace_trainer' };
  officeId: string | null;
  subject: string;
  item: DigestItem;
}

export async function subsidyDue(db: Db, date: string, holidays: ReadonlySet<string>): Promise<SubsidyDue[]> {
  const due = subsidyReminderDue(date, holidays);
  if (!due) return [];
  const rows = await subsidyReminderFacts(db, due.schoolYear.from, due.schoolYear.to);
  return rows.map((r) => ({
    to: { organisationId: r.employer_id, role: 'workplace_trainer' as const },
    officeId: r.programme_office_id,
    subject: `subsidy-${due.schoolYear.label}-${due.daysBefore}`,
    item: {
      kind: 'subsidy_deadline' as const,
      trajectoryId: r.trajectory_id,
      firstName: r.name.split(/\s+/)[0] ?? r.name,
      reference: r.reference,
      subsidy: {
        schoolYear: due.schoolYear.label,
        deadline: due.deadline,
        weeks: r.weeks,
        counted: Math.min(r.weeks, MAX_SUBSIDY_WEEKS),
        employerId: r.employer_id,
      },
    },
  }));
}
