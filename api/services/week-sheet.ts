// An employer's or ROC's week as a sheet: its participants that week, each day planned, recorded (present or
// absent with its reason) or not expected (and why). The same participants as the whole-week recording
// (organisationParticipants: by the rule of access.ts), from the projection's rows.
import { unrecordedDays, weekDays } from '../../db/week-days';
import { addDays, isMonday, isoWeekday, isValidDate } from '../../domain/calendar';
import type { AbsenceReason } from '../../domain/statuses';
import type { Principal } from '../auth';
import type { AppDeps } from '../deps';
import { unprocessable } from '../errors';
import { actingOffice } from '../ownership';
import { organisationParticipants, requireOrganisation } from './partner-recording';
import { today } from './trajectories';

export type SheetDay =
  | { date: string; state: 'open' }
  | { date: string; state: 'present' }
  | { date: string; state: 'absent'; reason: AbsenceReason }
  | { date: string; state: 'not_expected'; reason: string };

export interface WeekSheet {
  organisation: { id: string; name: string; kind: 'employer' | 'school' };
  weekStart: string;
  /** The week's working days, Monday to Friday. */
  dates: string[];
  participants: { trajectoryId: string; firstName: string; reference: string; days: SheetDay[] }[];
  /** Days that can be recorded now: planned, not recorded, not after today. */
  open: number;
}

export async function weekSheet(
  deps: AppDeps,
  principal: Principal,
  orgId: string,
  weekStart: string,
): Promise<WeekSheet> {
  const org = await requireOrganisation(deps, orgId, ['employer', 'school']);
  if (!isValidDate(weekStart) || !isMonday(weekStart))
    throw unprocessable([{ field: 'weekStart', message: 'must be a Monday', nl: 'moet een maandag zijn' }]);
  const now = today(deps);
  const dates = [0, 1, 2, 3, 4].map((i) => addDays(weekStart, i));
  const participants = await organisationParticipants(
    deps,
    { id: orgId, kind: org.kind, officeId: actingOffice(principal) },
    now,
  );
  const owned = new Map(participants.map((p) => [p.id, p]));
  const rows = await weekDays(
    deps.db,
    participants.map((p) => p.id),
    org.kind === 'school' ? 'school' : 'placement',
    dates[0]!,
    dates[4]!,
  );
  const byTrajectory = new Map<string, WeekSheet['participants'][number]>();
  let open = 0;
  for (const r of rows) {
    // An employer sees a day only while the participant is placed with it.
    if (!owned.get(r.trajectory_id)?.owns(r.date)) continue;
    const entry = byTrajectory.get(r.trajectory_id) ?? {
      trajectoryId: r.trajectory_id,
      firstName: r.name.trim().split(/\s+/)[0] ?? '',
      reference: r.reference,
      days: [],
    };
    byTrajectory.set(r.trajectory_id, entry);
    const day: SheetDay =
      r.present === true
        ? { date: r.date, state: 'present' }
        : r.present === false
          ? { date: r.date, state: 'absent', reason: (r.absence_reason ?? 'other') as AbsenceReason }
          : r.planned
            ? { date: r.date, state: 'open' }
            : { date: r.date, state: 'not_expected', reason: r.off_reason ?? '' };
    if (day.state === 'open' && day.date <= now) open++;
    entry.days.push(day);
  }
  return {
    organisation: { id: org.id, name: org.name, kind: org.kind },
    weekStart,
    dates,
    participants: [...byTrajectory.values()],
    open,
  };
}

/**
 * The weeks in which the organisation's participants still have days to record (planned, before today, nobody
 * recorded them), newest first, with how many: what the morning mail reminds of, so a week left open long ago is
 * found from the start page too. The same participants, and for an employer the same days, as the week sheet.
 */
export async function openWeeks(
  deps: AppDeps,
  principal: Principal,
  orgId: string,
): Promise<{ weekStart: string; open: number }[]> {
  const org = await requireOrganisation(deps, orgId, ['employer', 'school']);
  const now = today(deps);
  const participants = await organisationParticipants(
    deps,
    { id: orgId, kind: org.kind, officeId: actingOffice(principal) },
    now,
  );
  const owned = new Map(participants.map((p) => [p.id, p]));
  const days = await unrecordedDays(
    deps.db,
    participants.map((p) => p.id),
    org.kind === 'school' ? 'school' : 'placement',
    now,
  );
  const weeks = new Map<string, number>();
  for (const d of days) {
    if (!owned.get(d.trajectory_id)?.owns(d.date)) continue;
    const monday = addDays(d.date, 1 - isoWeekday(d.date));
    weeks.set(monday, (weeks.get(monday) ?? 0) + 1);
  }
  return [...weeks]
    .map(([weekStart, open]) => ({ weekStart, open }))
    .sort((a, b) => b.weekStart.localeCompare(a.weekStart));
}
