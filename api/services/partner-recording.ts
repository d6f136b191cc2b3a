// Recordings that an organisation makes for many participants at once: a week of attendance ("all present
// except ...") and an ROC's closure periods. Everything is checked before anything is sent, so a refused
// request changes nothing; each trajectory's update carries an id derived from the Idempotency-Key, so a
// repeat after a crash completes the rest without recording anything twice.
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { insertClosure, listClosures } from '../../db/closures';
import { findOrganisation } from '../../db/organisations';
import { placementsWithEmployer, trajectoriesAtSchool } from '../../db/trajectories';
import type { Organisation, SchoolClosure } from '../../db/schema';
import type { OrganisationKind } from '../schemas/organisation';
import { addDays, isMonday, isValidDate, type DayKind } from '../../workflows/calendar';
import { closuresSignal, recordAttendanceUpdate, scheduleQuery } from '../../workflows/trajectory';
import { notFound, unprocessable, type FieldProblem } from '../errors';
import type { Closure, WeekAttendance } from '../schemas/recording';
import type { WeekAttendanceResult } from '../schemas/trajectory';
import type { AppDeps } from '../deps';
import { sendUpdate, today } from './trajectories';
import { temporalCall } from '../temporal-calls';
import { mapLimit } from '../../infra/map-limit';
import { trajectoryScope } from '../access';
import type { Principal } from '../auth';

// The workflow is the truth on status (the database follows a moment later); only 'ended' is final enough
// to leave out without asking.
const OPEN = new Set(['active', 'paused', 'awaiting_bbl']);
const FINISHED = 'ended';

/** The organisation, which must be of one of `kinds` (404 when there is none, 422 when it is of another kind). */
export async function requireOrganisation<K extends OrganisationKind>(deps: Pick<AppDeps, 'db'>, id: string, kinds: K[]): Promise<Organisation & { kind: K }> {
  const org = await findOrganisation(deps.db, id);
  if (!org) throw notFound(`Organisation ${id}`);
  if (!kinds.includes(org.kind as K)) throw unprocessable([{ field: 'id', message: `organisation ${id} is a ${org.kind}; this is for ${kinds.join(' or ')} organisations` }]);
  return org as Organisation & { kind: K };
}

/** For each open trajectory the organisation has in the week: the dates of that week it is responsible for. */
interface InWeek { workflowId: string; reference: string; dates: Set<string> }

/** A participant an employer or ROC has, and which dates of theirs it answers for. */
export interface OrganisationParticipant { id: string; workflowId: string; reference: string; owns: (date: string) => boolean }

/**
 * The participants of an employer or ROC, by the same rule as everything it sees (access.ts): an ROC its
 * running students, an employer the trajectories placed with it today, from its placement on. A key made by
 * a coordinator (`officeId`) stays within that coordinator's programme office.
 */
export async function organisationParticipants(deps: Pick<AppDeps, 'db'>, org: { id: string; kind: 'employer' | 'school'; officeId: string | null }, today: string): Promise<OrganisationParticipant[]> {
  const inOffice = (office: string | null) => org.officeId === null || office === org.officeId;
  if (org.kind === 'school') {
    return (await trajectoriesAtSchool(deps.db, org.id))
      .filter((t) => t.status !== FINISHED && inOffice(t.programme_office_id))
      .map((t) => ({ id: t.id, workflowId: t.workflow_id, reference: t.reference, owns: () => true }));
  }
  const rows = await placementsWithEmployer(deps.db, org.id);
  const byTrajectory = new Map<string, typeof rows>();
  for (const r of rows) byTrajectory.set(r.trajectory_id, [...(byTrajectory.get(r.trajectory_id) ?? []), r]);
  const employer: Principal = { actor: '', role: 'employer', organisationId: org.id, contactId: null, officeId: org.officeId };
  return [...byTrajectory].flatMap(([id, placements]) => {
    const first = placements[0]!;
    if (first.status === FINISHED || !inOffice(first.programme_office_id)) return [];
    const scope = trajectoryScope(employer, {
      id, cohortId: '', schoolId: '', programmeOfficeId: first.programme_office_id, jobcoachId: null, benefitPayerId: null,
      placements: placements.map((x) => ({ employerId: x.employer_id, from: x.from_date })),
    }, today);
    if (!scope) return [];
    // The employer on a date is the one of the latest placement that began on or before it.
    const owns = (date: string) => (!scope.from || date >= scope.from) && placements.filter((x) => x.from_date <= date).at(-1)?.employer_id === org.id;
    return [{ id, workflowId: first.workflow_id, reference: first.reference, owns }];
  });
}

async function participantsInWeek(deps: AppDeps, org: { id: string; kind: 'employer' | 'school'; officeId: string | null }, week: string[], today: string): Promise<Map<string, InWeek>> {
  const out = new Map<string, InWeek>();
  for (const p of await organisationParticipants(deps, org, today)) {
    const dates = week.filter(p.owns);
    if (dates.length > 0) out.set(p.id, { workflowId: p.workflowId, reference: p.reference, dates: new Set(dates) });
  }
  return out;
}

export async function recordWeek(deps: AppDeps, principal: Principal, orgId: string, body: WeekAttendance, requestId: string, onRecorded: (trajectoryIds: string[]) => Promise<void>): Promise<WeekAttendanceResult> {
  const org = await requireOrganisation(deps, orgId, ['employer', 'school']);
  const kind: DayKind = org.kind === 'school' ? 'school' : 'placement';
  if (!isValidDate(body.weekStart) || !isMonday(body.weekStart)) throw unprocessable([{ field: 'weekStart', message: 'must be a Monday' }]);
  const now = today(deps);
  if (body.weekStart > now) throw unprocessable([{ field: 'weekStart', message: 'the week has not begun' }]);
  const week = [0, 1, 2, 3, 4].map((i) => addDays(body.weekStart, i));

  const participants = await participantsInWeek(deps, { id: orgId, kind: org.kind, officeId: principal.officeId }, week, now);
  const plans = new Map((await mapLimit([...participants], 20, async ([id, p]) => {
    const schedule = await temporalCall(deps, (c) => c.workflow.getHandle(p.workflowId).query(scheduleQuery));
    if (!OPEN.has(schedule.status)) return [id, undefined] as const;
    const days = schedule.weeks.flatMap((w) => w.days).filter((d) => d.kind === kind && p.dates.has(d.date) && d.date <= now);
    return [id, days] as const;
  })).flatMap(([id, days]) => (days ? [[id, days] as const] : [])));

  const problems: FieldProblem[] = [];
  const absences = new Map<string, Map<string, WeekAttendance['absences'][number]['reason']>>();
  body.absences.forEach((a, i) => {
    const days = plans.get(a.trajectoryId);
    const day = days?.find((d) => d.date === a.date);
    if (!days) problems.push({ field: `absences[${i}].trajectoryId`, message: `is not a participant of ${orgId} in this week` });
    else if (!day) problems.push({ field: `absences[${i}].date`, message: `${a.date} is not a ${kind} day of this participant in this week, up to today` });
    else if (day.status !== 'planned') problems.push({ field: `absences[${i}].date`, message: `${a.date} is ${day.status === 'attended' || day.status === 'absent' ? 'already recorded; correct it on the trajectory, with a reason' : `not planned (${day.reason})`}` });
    else if (absences.get(a.trajectoryId)?.has(a.date)) problems.push({ field: `absences[${i}].date`, message: 'appears twice' });
    else absences.set(a.trajectoryId, (absences.get(a.trajectoryId) ?? new Map()).set(a.date, a.reason));
  });
  if (problems.length > 0) throw unprocessable(problems);

  const recorded: string[] = [];
  const failures: unknown[] = [];
  const results = await mapLimit([...plans], 10, async ([id, days]) => {
    const open = days.filter((d) => d.status === 'planned');
    const absent = absences.get(id) ?? new Map();
    const entries = open.map((d) => (absent.has(d.date) ? { date: d.date, kind, present: false, reason: absent.get(d.date)! } : { date: d.date, kind, present: true }));
    if (entries.length > 0) {
      try {
        await sendUpdate(deps, participants.get(id)!.workflowId, recordAttendanceUpdate, { entries }, `${requestId}:${id}`);
        recorded.push(id);
      } catch (e) {
        failures.push(e);
      }
    }
    return {
      trajectoryId: id,
      reference: participants.get(id)!.reference,
      present: entries.filter((e) => e.present).map((e) => e.date),
      absent: entries.filter((e) => !e.present).map((e) => ({ date: e.date, reason: e.reason! })),
      alreadyRecorded: days.filter((d) => d.status === 'attended' || d.status === 'absent').map((d) => d.date),
    };
  });
  // A change that landed between the check and the update can still refuse one participant after others
  // were recorded: those are audited now (the refusal answers 4xx, which the audit hook skips), and a
  // repeat with the same Idempotency-Key records the rest without recording anything twice.
  if (failures.length > 0) {
    await onRecorded(recorded);
    throw failures[0];
  }
  return { organisationId: orgId, weekStart: body.weekStart, kind, trajectories: results.sort((a, b) => a.reference.localeCompare(b.reference)) };
}

const closureView = (c: SchoolClosure) => ({ id: c.id, schoolId: c.school_id, from: c.from_date, to: c.to_date, name: c.name });

export async function listSchoolClosures(deps: AppDeps, schoolId: string) {
  await requireOrganisation(deps, schoolId, ['school']);
  return (await listClosures(deps.db, schoolId)).map(closureView);
}

/**
 * Publishes a closure period and sends the school's full list to every running trajectory it teaches; each
 * applies it from its own today on, so days already behind a participant keep their meaning.
 */
export async function publishClosure(deps: AppDeps, schoolId: string, body: Closure, id: string = randomUUID()) {
  await requireOrganisation(deps, schoolId, ['school']);
  const problems: FieldProblem[] = [];
  if (!isValidDate(body.from)) problems.push({ field: 'from', message: 'is not a calendar date' });
  if (!isValidDate(body.to)) problems.push({ field: 'to', message: 'is not a calendar date' });
  else if (body.to < body.from) problems.push({ field: 'to', message: 'must not be before from' });
  else if (addDays(body.from, 366) < body.to) problems.push({ field: 'to', message: 'a closure lasts at most a year' });
  if (problems.length > 0) throw unprocessable(problems);

  await insertClosure(deps.db, { id, school_id: schoolId, from_date: body.from, to_date: body.to, name: body.name });
  const rows = await listClosures(deps.db, schoolId);
  const closures = rows.map((c) => ({ from: c.from_date, to: c.to_date, name: c.name }));
  const running = (await trajectoriesAtSchool(deps.db, schoolId)).filter((t) => t.status !== 'ended' && t.status !== 'dropped_out');
  const notified = await mapLimit(running, 20, async (t) => {
    try {
      await temporalCall(deps, (c) => c.workflow.getHandle(t.workflow_id).signal(closuresSignal, closures));
      return 1;
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return 0; // finished meanwhile: nothing to apply
      throw e;
    }
  });
  return { ...closureView(rows.find((c) => c.id === id)!), trajectoriesNotified: notified.reduce<number>((n, x) => n + x, 0) };
}
