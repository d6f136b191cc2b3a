// Recordings that an organisation makes for many participants at once: a week of attendance ("all present
// except ...") and an ROC's closure periods. Everything knowable beforehand is checked before anything is
// sent, so such a refused request changes nothing; each trajectory's update carries an id derived from the
// Idempotency-Key, so a repeat after a crash completes the rest without recording anything twice.
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { insertClosure, listClosures } from '../../db/closures';
import { findOrganisation } from '../../db/organisations';
import { placementsWithEmployer, trajectoriesAtSchool } from '../../db/trajectories';
import type { Organisation, SchoolClosure } from '../../db/schema';
import type { OrganisationKind } from '../schemas/organisation';
import { addDays, isMonday, isValidDate, type DayKind } from '../../domain/calendar';
import { closuresSignal, planQuery, recordAttendanceUpdate, scheduleQuery } from '../../workflows/trajectory';
import { DomainError, notFound, unprocessable, type FieldProblem, says } from '../errors';
import type { Closure, WeekAttendance } from '../schemas/recording';
import type { WeekAttendanceResult } from '../schemas/trajectory';
import type { AppDeps } from '../deps';
import { sendUpdate, today } from './trajectories';
import { temporalCall } from '../temporal-calls';
import { mapLimit } from '../../infra/map-limit';
import { isFinal, isOpen } from '../../domain/statuses';
import { refusal, type Refusal } from '../../domain/refusals';
import { trajectoryScope } from '../access';
import type { Principal } from '../auth';
import { actingOffice } from '../ownership';

// The workflow is the truth on status (the database follows a moment later); only 'ended' is final enough
// to leave out without asking.
const FINISHED = 'ended';

/** The organisation, which must be of one of `kinds` (404 when there is none, 422 when it is of another kind). */
export async function requireOrganisation<K extends OrganisationKind>(
  deps: Pick<AppDeps, 'db'>,
  id: string,
  kinds: K[],
): Promise<Organisation & { kind: K }> {
  const org = await findOrganisation(deps.db, id);
  if (!org) throw notFound(says(`Organisation ${id}`, `Organisatie ${id}`));
  if (!kinds.includes(org.kind as K))
    throw unprocessable([
      {
        field: 'id',
        message: `organisation ${id} is a ${org.kind}; this is for ${kinds.join(' or ')} organisations`,
        nl: `organisatie ${id} is een ${org.kind}; dit is voor organisaties van de soort ${kinds.join(' of ')}`,
      },
    ]);
  return org as Organisation & { kind: K };
}

/** For each open trajectory the organisation has in the week: the dates of that week it is responsible for. */
interface InWeek {
  workflowId: string;
  reference: string;
  dates: Set<string>;
}

/** A participant an employer or ROC has, and which dates of theirs it answers for. */
export interface OrganisationParticipant {
  id: string;
  workflowId: string;
  reference: string;
  owns: (date: string) => boolean;
}

/**
 * The participants of an employer or ROC, by the same rule as everything it sees (access.ts): an ROC its
 * running students, an employer the trajectories placed with it today, from its placement on. A key made by
 * a coordinator (`officeId`) stays within that coordinator's programme office.
 */
export async function organisationParticipants(
  deps: Pick<AppDeps, 'db'>,
  org: { id: string; kind: 'employer' | 'school'; officeId: string | null },
  today: string,
): Promise<OrganisationParticipant[]> {
  const inOffice = (office: string | null) => org.officeId === null || office === org.officeId;
  if (org.kind === 'school') {
    return (await trajectoriesAtSchool(deps.db, org.id))
      .filter((t) => t.status !== FINISHED && inOffice(t.programme_office_id))
      .map((t) => ({ id: t.id, workflowId: t.workflow_id, reference: t.reference, owns: () => true }));
  }
  const rows = await placementsWithEmployer(deps.db, org.id);
  const byTrajectory = new Map<string, typeof rows>();
  for (const r of rows) byTrajectory.set(r.trajectory_id, [...(byTrajectory.get(r.trajectory_id) ?? []), r]);
  const employer: Principal = {
    actor: '',
    role: 'employer',
    organisationId: org.id,
    contactId: null,
    officeId: org.officeId,
  };
  return [...byTrajectory].flatMap(([id, placements]) => {
    const first = placements[0]!;
    if (first.status === FINISHED || !inOffice(first.programme_office_id)) return [];
    const scope = trajectoryScope(
      employer,
      {
        id,
        cohortId: '',
        schoolId: '',
        programmeOfficeId: first.programme_office_id,
        jobcoachId: null,
        benefitPayerId: null,
        placements: placements.map((x) => ({ employerId: x.employer_id, from: x.from_date })),
      },
      today,
    );
    if (!scope) return [];
    // The employer on a date is the one of the latest placement that began on or before it.
    const owns = (date: string) =>
      (!scope.from || date >= scope.from) &&
      placements.filter((x) => x.from_date <= date).at(-1)?.employer_id === org.id;
    return [{ id, workflowId: first.workflow_id, reference: first.reference, owns }];
  });
}

async function participantsInWeek(
  deps: AppDeps,
  org: { id: string; kind: 'employer' | 'school'; officeId: string | null },
  week: string[],
  today: string,
): Promise<Map<string, InWeek>> {
  const out = new Map<string, InWeek>();
  for (const p of await organisationParticipants(deps, org, today)) {
    const dates = week.filter(p.owns);
    if (dates.length > 0) out.set(p.id, { workflowId: p.workflowId, reference: p.reference, dates: new Set(dates) });
  }
  return out;
}

type Absence = { reason: WeekAttendance['absences'][number]['reason']; index: number };
type Entry = { date: string; kind: DayKind; present: boolean; reason?: Absence['reason'] };
type Refused = WeekAttendanceResult['trajectories'][number]['refused'][number];

/**
 * Records a whole week. Whatever can be known before writing (a trajectory that is not the organisation's,
 * a date outside the week or after today, a day that is not planned) refuses the whole request up front
 * with 422, recording nothing. Then each trajectory gets one update; the updates of several workflows cannot
 * be made atomic, so a trajectory that refuses a day at that moment (a pause or a recording made meanwhile)
 * refuses only that day: it is left out and the rest of that trajectory is still recorded. The answer names
 * per trajectory and day what was recorded, what already was and what was refused; it is 422 only when
 * something was refused and nothing at all was recorded.
 */
export async function recordWeek(
  deps: AppDeps,
  principal: Principal,
  orgId: string,
  body: WeekAttendance,
  requestId: string,
): Promise<WeekAttendanceResult> {
  const org = await requireOrganisation(deps, orgId, ['employer', 'school']);
  const kind: DayKind = org.kind === 'school' ? 'school' : 'placement';
  if (!isValidDate(body.weekStart) || !isMonday(body.weekStart))
    throw unprocessable([{ field: 'weekStart', message: 'must be a Monday', nl: 'moet een maandag zijn' }]);
  const now = today(deps);
  if (body.weekStart > now)
    throw unprocessable([
      { field: 'weekStart', message: 'the week has not begun', nl: 'de week is nog niet begonnen' },
    ]);
  const week = [0, 1, 2, 3, 4].map((i) => addDays(body.weekStart, i));

  const participants = await participantsInWeek(
    deps,
    { id: orgId, kind: org.kind, officeId: actingOffice(principal) },
    week,
    now,
  );
  const plans = new Map(
    (
      await mapLimit([...participants], 20, async ([id, p]) => {
        const schedule = await temporalCall(deps, (c) => c.workflow.getHandle(p.workflowId).query(scheduleQuery));
        if (!isOpen(schedule.status)) return [id, undefined] as const;
        const days = schedule.weeks
          .flatMap((w) => w.days)
          .filter((d) => d.kind === kind && p.dates.has(d.date) && d.date <= now);
        return [id, days] as const;
      })
    ).flatMap(([id, days]) => (days ? [[id, days] as const] : [])),
  );

  const problems: FieldProblem[] = [];
  const absences = new Map<string, Map<string, Absence>>();
  body.absences.forEach((a, i) => {
    const days = plans.get(a.trajectoryId);
    const day = days?.find((d) => d.date === a.date);
    if (!days)
      problems.push({
        field: `absences[${i}].trajectoryId`,
        message: `is not a participant of ${orgId} in this week`,
        nl: `is deze week geen deelnemer van ${orgId}`,
      });
    else if (!day)
      problems.push({
        field: `absences[${i}].date`,
        message: `${a.date} is not a ${kind} day of this participant in this week, up to today`,
        nl:
          `${a.date} is deze week, tot en met vandaag, geen ${kind === 'school' ? 'ROC-dag' : 'stagedag'} ` +
          'van deze deelnemer',
      });
    else if (day.status === 'attended')
      problems.push({
        field: `absences[${i}].date`,
        message: `${a.date} is already recorded as present; correct it on the trajectory, with a reason`,
        nl: `${a.date} is al als aanwezig vastgelegd; corrigeer dat op het traject, met een reden`,
      });
    else if (day.status !== 'planned' && day.status !== 'absent')
      problems.push({
        field: `absences[${i}].date`,
        message: `${a.date} is not planned (${day.reason})`,
        nl: `op ${a.date} wordt de deelnemer niet verwacht (${day.reason})`,
      });
    else if (absences.get(a.trajectoryId)?.has(a.date))
      problems.push({ field: `absences[${i}].date`, message: 'appears twice', nl: 'staat er twee keer in' });
    // A day already recorded as absent (by an earlier request, say) is left as it is and listed as alreadyRecorded.
    else
      absences.set(
        a.trajectoryId,
        (absences.get(a.trajectoryId) ?? new Map()).set(a.date, { reason: a.reason, index: i }),
      );
  });
  if (problems.length > 0) throw unprocessable(problems);

  const failures: unknown[] = [];
  // The Dutch of each refused day's message, for a 422 in Dutch; the 200's `refused` list reads in English.
  const dutch = new Map<Refused, string>();
  const results = await mapLimit([...plans], 10, async ([id, days]) => {
    const absent = absences.get(id) ?? new Map<string, Absence>();
    const fieldOf = (date: string) => (absent.has(date) ? `absences[${absent.get(date)!.index}].date` : 'weekStart');
    let pending: Entry[] = days
      .filter((d) => d.status === 'planned')
      .map((d) => {
        const a = absent.get(d.date);
        return a ? { date: d.date, kind, present: false, reason: a.reason } : { date: d.date, kind, present: true };
      });
    const already = days.filter((d) => d.status === 'attended' || d.status === 'absent').map((d) => d.date);
    const refused: Refused[] = [];
    let recorded: Entry[] = [];
    // Each refusal names one entry, which is left out; the rest is sent again. At most one round per day.
    for (let attempt = 0; pending.length > 0; attempt++) {
      try {
        await sendUpdate(
          deps,
          participants.get(id)!.workflowId,
          recordAttendanceUpdate,
          { entries: pending },
          attempt === 0 ? `${requestId}:${id}` : `${requestId}:${id}:${attempt}`,
        );
        recorded = pending;
        pending = [];
      } catch (e) {
        const problem = e instanceof DomainError && e.status < 500 ? e.errors?.[0] : undefined;
        // The workflow names the refused entry by its path in the update (`entries[i].date`): looked up among the
        // paths this update has, not parsed.
        const index = problem ? pending.findIndex((_, i) => problem.field.startsWith(`entries[${i}].`)) : -1;
        const entry = index >= 0 ? pending[index] : undefined;
        if (entry && problem) {
          // 'recorded before; a correction needs a reason': someone recorded the day meanwhile.
          if (problem.field === `entries[${index}].correctionReason`) already.push(entry.date);
          else {
            const r = { date: entry.date, field: fieldOf(entry.date), message: problem.message, retryable: false };
            dutch.set(r, problem.nl);
            refused.push(r);
          }
          pending = pending.filter((x) => x !== entry);
        } else {
          // The trajectory as a whole refused (it finished meanwhile), or it did not answer: then whether its days
          // were recorded is unknown; a new request records them if they are missing.
          const domain = e instanceof DomainError && e.status < 500;
          if (!domain) failures.push(e);
          const first = domain ? (e as DomainError).errors?.[0] : undefined;
          const message = domain
            ? (first?.message ?? (e as DomainError).message)
            : 'the trajectory did not answer (the workflow service was unreachable or too slow), so these ' +
              'days may not be recorded; send the week again with a new Idempotency-Key, which records only ' +
              'what is missing';
          const nl = domain
            ? (first?.nl ?? (e as DomainError).dutch?.detail ?? message)
            : 'het traject antwoordde niet (de workflowdienst was onbereikbaar of te traag), dus deze dagen zijn ' +
              'misschien niet vastgelegd; stuur de week opnieuw met een nieuwe Idempotency-Key, dan wordt alleen ' +
              'vastgelegd wat ontbreekt';
          for (const x of pending) {
            const r = { date: x.date, field: fieldOf(x.date), message, retryable: !domain };
            dutch.set(r, nl);
            refused.push(r);
          }
          pending = [];
        }
      }
    }
    return {
      trajectoryId: id,
      reference: participants.get(id)!.reference,
      present: recorded.filter((e) => e.present).map((e) => e.date),
      absent: recorded.filter((e) => !e.present).map((e) => ({ date: e.date, reason: e.reason! })),
      alreadyRecorded: already.sort(),
      refused: refused.sort((a, b) => a.date.localeCompare(b.date)),
    };
  });
  const trajectories = results.sort((a, b) => a.reference.localeCompare(b.reference));
  const anyRecorded = trajectories.some((t) => t.present.length + t.absent.length > 0);
  const refusals = trajectories.flatMap((t) =>
    t.refused.map((r) => ({ ...r, nl: dutch.get(r) ?? r.message, reference: t.reference })),
  );
  if (!anyRecorded && refusals.length > 0) {
    // Nothing changed: a trajectory that could not be reached makes it a 503 (a repeat with the same key
    // resumes); refusals alone a 422 naming every refused day.
    if (failures.length > 0) throw failures[0];
    throw unprocessable(
      refusals.map((r) => ({
        field: r.field,
        message: `${r.reference}, ${r.date}: ${r.message}`,
        nl: `${r.reference}, ${r.date}: ${r.nl}`,
      })),
    );
  }
  return { organisationId: orgId, weekStart: body.weekStart, kind, complete: refusals.length === 0, trajectories };
}

/**
 * Checks corrections of recorded days, before any is sent, as each trajectory's attendance update will check them
 * (domain/state.ts recordAttendance: the trajectory running, the date not after today, a day of the organisation's
 * kind that is still planned), and that the organisation still answers for the participant on that date. The
 * updates of several workflows cannot be made atomic; checked first, a correction of several participants that
 * one of them would refuse is refused whole, and nothing is half-saved. What is refused, per trajectory and date.
 */
export async function correctionRefusals(
  deps: AppDeps,
  principal: Principal,
  orgId: string,
  changes: { trajectoryId: string; dates: string[] }[],
): Promise<{ trajectoryId: string; date: string; refusal: Refusal }[]> {
  const org = await requireOrganisation(deps, orgId, ['employer', 'school']);
  const kind: DayKind = org.kind === 'school' ? 'school' : 'placement';
  const now = today(deps);
  const participants = new Map(
    (await organisationParticipants(deps, { id: orgId, kind: org.kind, officeId: actingOffice(principal) }, now)).map(
      (p) => [p.id, p],
    ),
  );
  const refused = await mapLimit(changes, 20, async ({ trajectoryId, dates }) => {
    const p = participants.get(trajectoryId);
    const [schedule, plan] = p
      ? await Promise.all([
          temporalCall(deps, (c) => c.workflow.getHandle(p.workflowId).query(scheduleQuery)),
          temporalCall(deps, (c) => c.workflow.getHandle(p.workflowId).query(planQuery)),
        ])
      : [undefined, undefined];
    return dates.flatMap((date) => {
      const day = plan?.days.find((d) => d.date === date && d.kind === kind);
      const r: Refusal | undefined =
        !p || !schedule || !p.owns(date) || !day
          ? refusal('not_a_day', { date, kind })
          : schedule.status === 'planned'
            ? refusal('not_started', {})
            : schedule.status === 'dropped_out' || schedule.status === 'ended'
              ? refusal('not_open', { status: schedule.status })
              : date > now
                ? refusal('in_future', { date })
                : !day.planned
                  ? refusal('not_planned', { date, reason: day.reason ?? '' })
                  : undefined;
      return r ? [{ trajectoryId, date, refusal: r }] : [];
    });
  });
  return refused.flat();
}

const closureView = (c: SchoolClosure) => ({
  id: c.id,
  schoolId: c.school_id,
  from: c.from_date,
  to: c.to_date,
  name: c.name,
});

/** A school's closures as the caller's office sees them (the admin and the ROC's own key: all). */
export async function listSchoolClosures(deps: AppDeps, principal: Principal, schoolId: string) {
  await requireOrganisation(deps, schoolId, ['school']);
  return (await listClosures(deps.db, schoolId, actingOffice(principal) ?? undefined)).map(closureView);
}

/**
 * Publishes a closure period and sends the school's full list to every running trajectory it teaches; each
 * applies it from its own today on, so days already behind a participant keep their meaning.
 */
/**
 * Publishes a closure. Under a key an office made it applies to that office's trajectories only: the key may
 * be in the office's hands rather than the ROC's, and one office must not change another's plans.
 */
export async function publishClosure(
  deps: AppDeps,
  principal: Principal,
  schoolId: string,
  body: Closure,
  id: string = randomUUID(),
) {
  await requireOrganisation(deps, schoolId, ['school']);
  const problems: FieldProblem[] = [];
  if (!isValidDate(body.from))
    problems.push({ field: 'from', message: 'is not a calendar date', nl: 'is geen bestaande datum' });
  if (!isValidDate(body.to))
    problems.push({ field: 'to', message: 'is not a calendar date', nl: 'is geen bestaande datum' });
  else if (body.to < body.from)
    problems.push({ field: 'to', message: 'must not be before from', nl: 'mag niet vóór from liggen' });
  else if (addDays(body.from, 366) < body.to)
    problems.push({
      field: 'to',
      message: 'a closure lasts at most a year',
      nl: 'een sluiting duurt hoogstens een jaar',
    });
  if (problems.length > 0) throw unprocessable(problems);

  const office = actingOffice(principal);
  await insertClosure(deps.db, {
    id,
    school_id: schoolId,
    from_date: body.from,
    to_date: body.to,
    name: body.name,
    office_id: office,
  });
  const rows = await listClosures(deps.db, schoolId);
  // Each trajectory gets the closures that apply to its own office.
  const closuresFor = (trajectoryOffice: string | null) =>
    rows
      .filter((c) => c.office_id === null || c.office_id === trajectoryOffice)
      .map((c) => ({ from: c.from_date, to: c.to_date, name: c.name }));
  const running = (await trajectoriesAtSchool(deps.db, schoolId)).filter(
    (t) => !isFinal(t.status) && (office === null || t.programme_office_id === office),
  );
  const notified = await mapLimit(running, 20, async (t) => {
    try {
      await temporalCall(deps, (c) =>
        c.workflow.getHandle(t.workflow_id).signal(closuresSignal, closuresFor(t.programme_office_id)),
      );
      return 1;
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return 0; // finished meanwhile: nothing to apply
      throw e;
    }
  });
  return {
    ...closureView(rows.find((c) => c.id === id)!),
    trajectoriesNotified: notified.reduce<number>((n, x) => n + x, 0),
  };
}
