// The re-check of an employer's SBB recognition before a cohort's BBL decision (issue 20): from N days before the
// decision week (the programme's reminders.recognitionRecheckDaysBefore, 28 by default) the coordinator's morning
// digest names each employer of a running cohort whose recognition was last checked before the cohort started, or
// more than a year ago (domain/readiness.ts recheckDue), on the window's first working morning and each week start
// after it, until someone checks it again. One item per cohort and employer, carried by one of its participants.
import type { Db } from '../db/connection';
import type { ProgrammeTemplate } from '../domain/programme';
import { bblDecisionOn, creboOf, DEFAULT_RECHECK_DAYS_BEFORE, recheckDue, registerLink } from '../domain/readiness';
import { addDays, isWorkingDay } from '../domain/calendar';
import { isRunning } from '../domain/statuses';
import type { Due, Running } from './reminders';

export async function recognitionRechecks(
  db: Db,
  o: {
    date: string;
    monday: boolean;
    holidays: ReadonlySet<string>;
    trajectories: Running[];
    templateOf: (t: Running) => ProgrammeTemplate | undefined;
    employerOn: (t: Running, date: string) => string | undefined;
  },
): Promise<Due[]> {
  // Per cohort and employer: the first of its participants (by reference) carries the item.
  const groups = new Map<
    string,
    { t: Running; employerId: string; template: ProgrammeTemplate; cohortId: string; daysBefore: number }
  >();
  for (const t of [...o.trajectories].sort((a, b) => a.reference.localeCompare(b.reference))) {
    const template = o.templateOf(t);
    const employerId = o.employerOn(t, o.date);
    const cohortId = t.cohortId;
    if (!template || !employerId || !t.officeId || !isRunning(t.status)) continue;
    const decision = bblDecisionOn(t.startDate, template.bblDecisionFromWeek);
    const daysBefore = template.reminders?.recognitionRecheckDaysBefore ?? DEFAULT_RECHECK_DAYS_BEFORE;
    let first = addDays(decision, -daysBefore);
    while (!isWorkingDay(first, o.holidays)) first = addDays(first, 1);
    if (o.date < first || o.date > decision || !(o.monday || o.date === first)) continue;
    const key = `${cohortId}|${employerId}`;
    if (!groups.has(key)) groups.set(key, { t, employerId, template, cohortId, daysBefore });
  }
  if (groups.size === 0) return [];
  const employerIds = [...new Set([...groups.values()].map((g) => g.employerId))];
  const [rows, orgs] = await Promise.all([
    db.selectFrom('employer_readiness').selectAll().where('employer_id', 'in', employerIds).execute(),
    db.selectFrom('organisation').select(['id', 'name', 'kvk']).where('id', 'in', employerIds).execute(),
  ]);
  const out: Due[] = [];
  for (const { t, employerId, template, cohortId, daysBefore } of groups.values()) {
    const crebo = creboOf(template);
    const row = rows.find((r) => r.office_id === t.officeId && r.employer_id === employerId && r.crebo === crebo);
    const checkedOn = row?.recognition_checked_on ?? null;
    const decision = bblDecisionOn(t.startDate, template.bblDecisionFromWeek);
    if (!recheckDue({ checkedOn, cohortStart: t.startDate, bblDecisionOn: decision, today: o.date }, daysBefore))
      continue;
    const org = orgs.find((x) => x.id === employerId);
    out.push({
      to: { organisationId: t.officeId!, role: 'coordinator' },
      subject: `recheck:${cohortId}:${employerId}`,
      item: {
        trajectoryId: t.id,
        firstName: t.firstName,
        reference: t.reference,
        kind: 'recognition_recheck',
        recheck: {
          employer: org?.name ?? employerId,
          crebo,
          checkedOn,
          bblDecisionOn: decision,
          registerUrl: registerLink({ crebo, kvk: org?.kvk ?? null, name: org?.name ?? employerId }),
        },
      },
    });
  }
  return out;
}
