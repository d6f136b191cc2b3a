// The coordinator's steering view and its list of participants at risk, from SQL (db/steering.ts). The
// signals are the same facts the workflow raises (domain/risks.ts), worded by the same renderer, so the mail,
// the trajectory and this view agree.
import {
  checkpointCompletion,
  cohortProgress,
  overdueCheckpointsByOrganisation,
  overdueRegistrations,
  riskRows,
} from '../../db/steering';
import { figureScope, type FigureFilter } from '../../db/outcomes';
import { addDays, isoWeekday, localDate, localInstant, weekOf } from '../../domain/calendar';
import { dutchHolidays } from '../../activities/holidays';
import { previewDigests, type ComposedMail } from '../../activities/reminders';
import type { Principal } from '../auth';
import { actingOffice } from '../ownership';
import { riskInEnglish, type RiskSignal as RiskFacts } from '../../domain/risks';
import type { RiskSignal } from '../schemas/trajectory';
import type { AtRisk, Steering } from '../schemas/steering';
import type { AppDeps } from '../deps';

type Deps = Pick<AppDeps, 'db'>;
const rate = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 1000 : null);

/** Every participant in the filter with at least one risk signal, most signals first, then by reference. */
export async function atRisk(deps: Deps, f: FigureFilter, asOf: string): Promise<AtRisk[]> {
  const rows = await riskRows(deps.db, f, asOf);
  const signals = new Map<string, RiskSignal[]>();
  const add = (id: string, facts: RiskFacts) =>
    signals.set(id, [...(signals.get(id) ?? []), { ...facts, reason: riskInEnglish(facts) }]);
  // In the workflow's order: absences, checkpoints at risk, overdue checkpoints, attendance.
  for (const r of rows.unexcused) add(r.trajectory_id, { kind: 'unexcused_absences', dates: r.dates });
  for (const r of rows.atRisk)
    add(r.trajectory_id, { kind: 'checkpoint_at_risk', key: r.key, recordedOn: r.recorded_on });
  for (const r of rows.overdue)
    add(r.trajectory_id, { kind: 'checkpoint_overdue', key: r.key, name: r.name, week: r.week, weekEnd: r.week_end });
  for (const r of rows.low)
    add(r.trajectory_id, {
      kind: 'low_attendance',
      attended: r.attended,
      recorded: r.recorded,
      threshold: r.threshold,
    });
  if (signals.size === 0) return [];
  const trajectories = await figureScope(deps.db, f)
    .select(['t.id', 't.reference', 't.cohort_id', 't.status', 't.end_date', 'c.start_date'])
    .where('t.id', 'in', [...signals.keys()])
    .execute();
  return trajectories
    .map((t) => ({
      trajectoryId: t.id,
      reference: t.reference,
      cohortId: t.cohort_id,
      status: t.status,
      week: Math.min(weekOf(t.start_date, asOf), weekOf(t.start_date, t.end_date)),
      risks: signals.get(t.id)!,
    }))
    .sort(
      (a, b) =>
        b.risks.length - a.risks.length ||
        a.reference.localeCompare(b.reference) ||
        a.trajectoryId.localeCompare(b.trajectoryId),
    );
}

export async function steering(deps: Deps, f: FigureFilter, asOf: string): Promise<Steering> {
  const [risky, days, checkpointsLate, completion, progress] = await Promise.all([
    atRisk(deps, f, asOf),
    overdueRegistrations(deps.db, f, asOf),
    overdueCheckpointsByOrganisation(deps.db, f, asOf),
    checkpointCompletion(deps.db, f, asOf),
    cohortProgress(deps.db, f, asOf),
  ]);

  const byKind: Record<string, number> = {};
  for (const t of risky) for (const k of new Set(t.risks.map((r) => r.kind))) byKind[k] = (byKind[k] ?? 0) + 1;

  // One line per organisation: its overdue days (as employer or ROC) and checkpoints (as jobcoaching organisation).
  const partners = new Map<string, Steering['partners'][number] & { ids: Set<string> }>();
  const partner = (id: string, name: string) =>
    partners.get(id) ??
    partners
      .set(id, {
        organisationId: id,
        name,
        overdueDays: 0,
        overdueCheckpoints: 0,
        participants: 0,
        oldest: null,
        ids: new Set(),
      })
      .get(id)!;
  const older = (a: string | null, b: string) => (a === null || b < a ? b : a);
  for (const r of days) {
    const p = partner(r.organisation_id, r.name);
    p.overdueDays += r.days;
    for (const id of r.trajectory_ids) p.ids.add(id);
    p.oldest = older(p.oldest, r.oldest);
  }
  for (const r of checkpointsLate) {
    const p = partner(r.organisation_id, r.name);
    p.overdueCheckpoints += r.checkpoints;
    for (const id of r.trajectory_ids) p.ids.add(id);
    p.oldest = older(p.oldest, r.oldest);
  }

  const dropouts = new Map(progress.dropouts.map((d) => [`${d.cohort_id}|${d.week}`, d.n]));
  const cohorts = new Map<string, Steering['cohorts'][number]>();
  for (const w of progress.days) {
    const c =
      cohorts.get(w.cohort_id) ?? cohorts.set(w.cohort_id, { cohortId: w.cohort_id, weeks: [] }).get(w.cohort_id)!;
    c.weeks.push({
      week: w.week,
      from: w.from,
      participants: w.participants,
      plannedDays: w.planned,
      dueDays: w.due,
      recordedDays: w.recorded,
      attendedDays: w.attended,
      attendanceRate: rate(w.attended, w.recorded),
      dropouts: dropouts.get(`${w.cohort_id}|${w.week}`) ?? 0,
    });
  }

  return {
    asOf,
    risks: { participants: risky.length, byKind },
    // Each participant once per organisation, whether its days, its checkpoints or both are overdue there.
    partners: [...partners.values()]
      .map(({ ids, ...p }) => ({ ...p, participants: ids.size }))
      .sort(
        (a, b) =>
          b.overdueDays + b.overdueCheckpoints - (a.overdueDays + a.overdueCheckpoints) || a.name.localeCompare(b.name),
      ),
    checkpoints: completion.map((c) => ({
      key: c.key,
      name: c.name,
      week: c.week,
      planned: c.planned,
      due: c.due,
      onTime: c.on_time,
      late: c.late,
      overdue: c.overdue,
      missed: c.missed,
      completion: rate(c.on_time + c.late, c.due),
    })),
    cohorts: [...cohorts.values()],
  };
}

/** A partner that lags behind: what it has overdue (as employer, ROC or jobcoaching organisation), and for whom. */
export interface LaggingPartner {
  organisationId: string;
  name: string;
  placementDays: number;
  schoolDays: number;
  checkpoints: number;
  oldest: string;
  participants: { trajectoryId: string; reference: string }[];
}

/**
 * The partners with overdue registrations or checkpoints (the steering view's `partners`), each with the
 * participants it has them for: the coordinator's list of who lags behind. Most overdue first.
 */
export async function laggingPartners(deps: Deps, f: FigureFilter, asOf: string): Promise<LaggingPartner[]> {
  const [days, checkpointsLate] = await Promise.all([
    overdueRegistrations(deps.db, f, asOf),
    overdueCheckpointsByOrganisation(deps.db, f, asOf),
  ]);
  const ids = [...new Set([...days, ...checkpointsLate].flatMap((r) => r.trajectory_ids))];
  const references = new Map(
    ids.length
      ? (await figureScope(deps.db, f).select(['t.id', 't.reference']).where('t.id', 'in', ids).execute()).map((t) => [
          t.id,
          t.reference,
        ])
      : [],
  );
  const out = new Map<string, LaggingPartner & { ids: Set<string> }>();
  const partner = (id: string, name: string) =>
    out.get(id) ??
    out
      .set(id, {
        organisationId: id,
        name,
        placementDays: 0,
        schoolDays: 0,
        checkpoints: 0,
        oldest: '9999-12-31',
        participants: [],
        ids: new Set(),
      })
      .get(id)!;
  for (const r of days) {
    const p = partner(r.organisation_id, r.name);
    if (r.kind === 'placement') p.placementDays += r.days;
    else p.schoolDays += r.days;
    if (r.oldest < p.oldest) p.oldest = r.oldest;
    for (const id of r.trajectory_ids) p.ids.add(id);
  }
  for (const r of checkpointsLate) {
    const p = partner(r.organisation_id, r.name);
    p.checkpoints += r.checkpoints;
    if (r.oldest < p.oldest) p.oldest = r.oldest;
    for (const id of r.trajectory_ids) p.ids.add(id);
  }
  const total = (p: LaggingPartner) => p.placementDays + p.schoolDays + p.checkpoints;
  return [...out.values()]
    .map(({ ids: set, ...p }) => ({
      ...p,
      participants: [...set]
        .filter((id) => references.has(id))
        .map((id) => ({ trajectoryId: id, reference: references.get(id)! }))
        .sort((a, b) => a.reference.localeCompare(b.reference)),
    }))
    .sort((a, b) => total(b) - total(a) || a.name.localeCompare(b.name));
}

/**
 * The morning whose digest is next: today before 10:00 (when the Schedule composes it, infra/schedules.ts),
 * else the next day; Sundays and public holidays have none.
 */
export function nextDigestDate(now: number): string {
  let date = localDate(now);
  if (now >= localInstant(date, 10)) date = addDays(date, 1);
  const holidays = new Set(dutchHolidays(date, addDays(date, 30)).map((h) => h.date));
  while (isoWeekday(date) === 7 || holidays.has(date)) date = addDays(date, 1);
  return date;
}

/**
 * What the morning mail of `date` will send to whom, as composeDigests composes it (activities/reminders.ts
 * previewDigests: the same code, nothing queued): for a coordinator only the mails about its office's participants.
 */
export async function morningPreview(
  deps: Pick<AppDeps, 'db' | 'config'>,
  p: Principal,
  date: string,
): Promise<ComposedMail[]> {
  const office = actingOffice(p);
  const mails = await previewDigests({ db: deps.db, publicUrl: deps.config.PUBLIC_URL }, date);
  return mails
    .filter((m) => office === null || m.officeId === office)
    .sort((a, b) => a.mail.recipient.localeCompare(b.mail.recipient) || a.mail.key.localeCompare(b.mail.key));
}
