// Launching a cohort: validate everything, write the cohort and its trajectories in one transaction, then
// start one workflow per trajectory. Every step is repeatable, so a launch that died halfway is completed by
// repeating the request (same Idempotency-Key, so the same cohort id).
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Db } from '../../db/connection';
import { listClosures } from '../../db/closures';
import { findCohort, insertCohort, listCohorts, markCohortLaunched } from '../../db/cohorts';
import { findContacts, findCovenant } from '../../db/covenants';
import { findProgramme } from '../../db/programmes';
import { listCohortTrajectories } from '../../db/trajectories';
import type { Cohort as CohortRow, NewTrajectory, Trajectory } from '../../db/schema';
import { dutchHolidays } from '../../activities/holidays';
import { addDays, isMonday, isValidDate, planTrajectory, WEEKDAYS, type Weekday } from '../../domain/calendar';
import { trajectoryWorkflowId } from '../../workflows/ids';
import { CohortIdKey, ProgrammeIdKey, RegionKey, TrajectoryStatusKey } from '../../workflows/search-attributes';
import { trajectoryWorkflow, type TrajectoryInput } from '../../workflows/trajectory';
import type { Principal } from '../auth';
import { BSN_FAILS_ELFPROEF, bsnHash, isBsn } from '../bsn';
import { notFound, unprocessable, type FieldProblem, says } from '../errors';
import { refusing, type Denied } from '../access';
import { actingOffice, contactOfOffice, organisationRight } from '../ownership';
import { findOwnedOrganisations } from '../../db/ownership';
import type { MemberRole } from '../../db/schema';
import type { OrganisationKind } from '../schemas/organisation';
import { instrumentAtLaunch } from './benefit';
import { programmeForOffice } from './programmes';
import { readinessGuard, recordOverrides } from './readiness';
import { creboOf } from '../../domain/readiness';
import { temporalCall } from '../temporal-calls';
import { mapLimit } from '../../infra/map-limit';
import type { Cohort, NewCohort, NewParticipant } from '../schemas/cohort';
import type { Page } from '../schemas/common';
import type { AppDeps } from '../deps';

const START_CONCURRENCY = 50;

/**
 * What a launch takes: the API's body, or the same with participants whose BSN was checked and hashed before (a
 * launch from a spreadsheet keeps only the hash between the upload and the launch).
 */
export type LaunchBody = Omit<NewCohort, 'participants'> & {
  participants: (NewParticipant & { bsnHash?: string })[];
};

/**
 * The public holidays and the ROC's closures a cohort's trajectories are planned with: the same at the launch and
 * in the plan a coordinator sees before it (a year past the planned end, so pauses and extensions stay covered).
 */
export async function cohortCalendar(
  db: Db,
  o: { startDate: string; weeks: number; schoolId: string; office: string | null },
) {
  const holidays = dutchHolidays(o.startDate, addDays(o.startDate, o.weeks * 7 + 365));
  const closures = (await listClosures(db, o.schoolId, o.office)).map((c) => ({
    from: c.from_date,
    to: c.to_date,
    name: c.name,
  }));
  return { holidays, closures };
}

async function validate(db: Db, principal: Principal, body: LaunchBody) {
  const problems: FieldProblem[] = [];
  const found = await findCovenant(db, body.covenantId);
  // Another office's covenant is treated as unknown from here on: no later message may depend on its members.
  const covenant =
    found && (principal.role === 'admin' || found.programme_office_id === actingOffice(principal)) ? found : undefined;
  if (!covenant)
    problems.push({
      field: 'covenantId',
      message: `no covenant ${body.covenantId} that your programme office coordinates`,
      nl: `geen convenant ${body.covenantId} dat uw programmabureau coördineert`,
    });
  const office = covenant?.programme_office_id ?? actingOffice(principal);
  // What each organisation is in this covenant: a school must be its school, an employer its employer, and so on.
  const rolesOf = (orgId: string) =>
    new Set(covenant?.members.filter((m) => m.organisation_id === orgId).map((m) => m.role));
  // The office's own programme or a shared one: another office's versions never reach this launch.
  const programme = office
    ? await programmeForOffice({ db }, office, body.programmeId, body.programmeVersion)
    : undefined;
  if (!programme)
    problems.push({
      field: body.programmeVersion ? 'programmeVersion' : 'programmeId',
      message: `no programme ${body.programmeId}${body.programmeVersion ? ` version ${body.programmeVersion}` : ''}`,
      nl: `geen programma ${body.programmeId}${body.programmeVersion ? ` versie ${body.programmeVersion}` : ''}`,
    });
  if (!isValidDate(body.startDate))
    problems.push({ field: 'startDate', message: 'is not a calendar date', nl: 'is geen bestaande datum' });
  else if (body.startDate < '2000-01-01' || body.startDate > '2100-12-31')
    problems.push({
      field: 'startDate',
      message: 'must lie between 2000 and 2100',
      nl: 'moet tussen 2000 en 2100 liggen',
    });
  else if (!isMonday(body.startDate))
    problems.push({
      field: 'startDate',
      message: 'must be a Monday (the first day of week 1)',
      nl: 'moet een maandag zijn (de eerste dag van week 1)',
    });

  // The partners are checked only against a covenant of the caller's: without one nothing is looked up, so the
  // answer never tells whether an organisation or contact exists elsewhere.
  const denied: Denied[] = [];
  const orgIds = [body.schoolId, ...new Set(body.participants.flatMap((p) => [p.employerId, p.benefitPayerId]))];
  const orgs = new Map(covenant ? (await findOwnedOrganisations(db, orgIds)).map((o) => [o.id, o]) : []);
  const jobcoaches = new Map(
    covenant
      ? (await findContacts(db, [...new Set(body.participants.map((p) => p.jobcoachId))])).map((c) => [c.id, c])
      : [],
  );
  /**
   * The organisation, when it is of one of `kinds`, the office may use it, and it takes part in the covenant as `role`.
   */
  const partner = (id: string, kinds: OrganisationKind[], role: MemberRole) => {
    const org = orgs.get(id);
    if (!org || !covenant) return false;
    if (!organisationRight(covenant.programme_office_id, org)) {
      denied.push({ resource: 'organisation', id });
      return false;
    }
    return kinds.includes(org.kind) && rolesOf(id).has(role);
  };
  const inCovenant = ` in covenant ${body.covenantId}`;
  const inConvenant = ` in convenant ${body.covenantId}`;
  if (covenant && !partner(body.schoolId, ['school'], 'school'))
    problems.push({
      field: 'schoolId',
      message: `no school (ROC) ${body.schoolId}${inCovenant}`,
      nl: `geen school (ROC) ${body.schoolId}${inConvenant}`,
    });

  const seen = new Set<string>();
  body.participants.forEach((p, i) => {
    const at = `participants[${i}]`;
    if (seen.has(p.reference))
      problems.push({
        field: `${at}.reference`,
        message: `duplicate participant reference ${p.reference}`,
        nl: `deelnemerskenmerk ${p.reference} komt twee keer voor`,
      });
    seen.add(p.reference);
    if (covenant) {
      if (!partner(p.employerId, ['employer'], 'employer'))
        problems.push({
          field: `${at}.employerId`,
          message: `no employer ${p.employerId}${inCovenant}`,
          nl: `geen werkgever ${p.employerId}${inConvenant}`,
        });
      if (!partner(p.benefitPayerId, ['gemeente', 'uwv'], 'funder'))
        problems.push({
          field: `${at}.benefitPayerId`,
          message: `no gemeente or UWV ${p.benefitPayerId} funding${inCovenant}`,
          nl: `geen financierende gemeente of UWV ${p.benefitPayerId}${inConvenant}`,
        });
      const payer = orgs.get(p.benefitPayerId);
      if (p.benefit && payer && (payer.kind === 'gemeente' || payer.kind === 'uwv')) {
        const b = instrumentAtLaunch(payer.kind, covenant.region, body.startDate, p.benefit);
        if ('field' in b) problems.push({ field: `${at}.benefit.${b.field}`, message: b.en, nl: b.nl });
      }
      const coach = jobcoaches.get(p.jobcoachId);
      const ours = coach && contactOfOffice(covenant.programme_office_id, coach);
      if (coach && !ours) denied.push({ resource: 'contact', id: coach.id });
      if (
        !ours ||
        coach.role !== 'jobcoach' ||
        (coach.organisation_id !== covenant.programme_office_id && !rolesOf(coach.organisation_id).has('jobcoaching'))
      ) {
        problems.push({
          field: `${at}.jobcoachId`,
          message: `no jobcoach ${p.jobcoachId} of the programme office or a jobcoaching partner${inCovenant}`,
          nl: `geen jobcoach ${p.jobcoachId} van het programmabureau of een jobcoachingspartner${inConvenant}`,
        });
      }
    }
    // The value is never echoed: a typo'd BSN is still someone's personal data.
    if (p.bsn !== undefined && !isBsn(p.bsn)) problems.push({ field: `${at}.bsn`, ...BSN_FAILS_ELFPROEF });
    if (p.placementWeekdays.includes(body.schoolWeekday))
      problems.push({
        field: `${at}.placementWeekdays`,
        message: `includes the ROC day (${body.schoolWeekday})`,
        nl: `bevat de ROC-dag (${body.schoolWeekday})`,
      });
    if (programme && p.placementWeekdays.length !== programme.template.placementDaysPerWeek) {
      problems.push({
        field: `${at}.placementWeekdays`,
        message: `must name ${programme.template.placementDaysPerWeek} weekdays, as the programme prescribes`,
        nl: `moet ${programme.template.placementDaysPerWeek} weekdagen noemen, zoals het programma voorschrijft`,
      });
    }
  });
  if (!covenant && found) denied.push({ resource: 'covenant', id: found.id });
  if (problems.length > 0 || !programme || !covenant) throw refusing(unprocessable(problems), denied);
  const crebo = creboOf(programme.template);
  const guard = {
    officeId: covenant.programme_office_id,
    crebo,
    override: body.readinessOverride,
    placements: body.participants.map((p, i) => ({
      field: `participants[${i}].employerId`,
      reference: p.reference,
      employerId: p.employerId,
    })),
  };
  // Checked here to refuse early; checked again, under a lock, in the transaction that writes the starts.
  const overridden = await readinessGuard(db, guard);
  return { programme, covenant, crebo, guard, overridden, payerKind: (id: string) => orgs.get(id)?.kind };
}

function toView(cohort: CohortRow, trajectories: Trajectory[]): Cohort {
  return {
    id: cohort.id,
    programmeId: cohort.programme_id,
    programmeVersion: cohort.programme_version,
    covenantId: cohort.covenant_id,
    region: cohort.region,
    startDate: cohort.start_date,
    schoolId: cohort.school_id,
    status: cohort.status,
    createdAt: cohort.created_at.toISOString(),
    trajectories: trajectories.map((t) => ({
      id: t.id,
      reference: t.reference,
      workflowId: t.workflow_id,
      employerId: t.employer_id,
      status: t.status,
      endDate: t.end_date,
    })),
  };
}

/**
 * Starts every trajectory's workflow, each start under the call deadline. After the first failure (Temporal
 * hung or unreachable) the rest are not tried: the launch answers 503 and its repeat, with the same
 * Idempotency-Key, starts what is missing (a start that did reach the server is then already started).
 */
async function startAll(deps: Pick<AppDeps, 'temporal' | 'config'>, inputs: TrajectoryInput[]): Promise<void> {
  let failed = false;
  await mapLimit(inputs, START_CONCURRENCY, async (input) => {
    if (failed) return;
    try {
      await temporalCall(deps, (client) =>
        client.workflow.start(trajectoryWorkflow, {
          taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
          workflowId: trajectoryWorkflowId(input.trajectoryId),
          args: [input],
          typedSearchAttributes: [
            { key: CohortIdKey, value: input.cohortId },
            { key: ProgrammeIdKey, value: input.programme.id },
            { key: RegionKey, value: input.region },
            { key: TrajectoryStatusKey, value: 'planned' },
          ],
          // A finished trajectory must never be started again by a repeated launch.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
    } catch (e) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) return;
      failed = true;
      throw e;
    }
  });
}

export async function launchCohort(
  deps: AppDeps,
  principal: Principal,
  cohortId: string,
  body: LaunchBody,
): Promise<Cohort> {
  const { db } = deps;
  if (!(await findCohort(db, cohortId))) {
    const { programme, covenant, crebo, guard, payerKind, ...checked } = await validate(db, principal, body);
    let overridden = checked.overridden;
    const endDate = planTrajectory({
      ...programme.template,
      startDate: body.startDate,
      placementWeekdays: [],
      schoolWeekday: body.schoolWeekday,
      holidays: [],
      closures: [],
    }).endDate;
    const trajectories: NewTrajectory[] = body.participants.map((p) => {
      const id = randomUUID();
      return {
        id,
        cohort_id: cohortId,
        reference: p.reference,
        name: p.name,
        email: p.email,
        employer_id: p.employerId,
        placement_weekdays: JSON.stringify(p.placementWeekdays),
        school_weekday: weekdayNumber(body.schoolWeekday),
        jobcoach_id: p.jobcoachId,
        benefit_payer_id: p.benefitPayerId,
        bsn_hash: p.bsn === undefined ? (p.bsnHash ?? null) : bsnHash(deps.config.BSN_HMAC_KEY, p.bsn),
        status: 'planned',
        end_date: endDate,
        workflow_id: trajectoryWorkflowId(id),
      };
    });
    await insertCohort(
      db,
      {
        id: cohortId,
        programme_id: programme.id,
        programme_version: programme.version,
        covenant_id: covenant.id,
        region: covenant.region,
        start_date: body.startDate,
        school_id: body.schoolId,
        status: 'launching',
      },
      trajectories,
      body.participants.flatMap((p, i) => {
        const kind = payerKind(p.benefitPayerId);
        if (!p.benefit || (kind !== 'gemeente' && kind !== 'uwv')) return [];
        const b = instrumentAtLaunch(kind, covenant.region, body.startDate, p.benefit);
        return 'field' in b ? [] : [{ ...b, trajectory_id: trajectories[i]!.id, payer_id: p.benefitPayerId }];
      }),
      (trx) =>
        recordOverrides(
          trx,
          principal,
          {
            officeId: covenant.programme_office_id,
            crebo,
            reason: body.readinessOverride?.reason ?? '',
            route: 'POST /v1/cohorts',
          },
          overridden.map((o) => ({
            trajectoryId: trajectories.find((t) => t.reference === o.placement.reference)!.id,
            employerId: o.placement.employerId,
            missing: o.missing,
          })),
        ),
      // Two launches at once must not both take an employer's last place: the guard again, under a lock per
      // (office, employer) held until the starts are written; what it finds now is what is refused or recorded.
      async (trx) => {
        overridden = await readinessGuard(trx, guard);
      },
    );
  }
  // From here on everything comes from the database, so a resumed launch starts exactly what the first one meant to.
  const cohort = (await findCohort(db, cohortId))!;
  const trajectories = await listCohortTrajectories(db, cohortId);
  if (cohort.status === 'launching') {
    const programme = (await findProgramme(db, cohort.programme_id, cohort.programme_version))!;
    const office = cohort.covenant_id
      ? ((await findCovenant(db, cohort.covenant_id))?.programme_office_id ?? null)
      : null;
    const { holidays, closures } = await cohortCalendar(db, {
      startDate: cohort.start_date,
      weeks: programme.template.weeks,
      schoolId: cohort.school_id,
      office,
    });
    const inputs = trajectories.map((t): TrajectoryInput => ({
      trajectoryId: t.id,
      cohortId,
      programme: { id: programme.id, version: programme.version, template: programme.template },
      region: cohort.region,
      startDate: cohort.start_date,
      employerId: t.employer_id,
      placementWeekdays: t.placement_weekdays,
      schoolWeekday: weekdayName(t.school_weekday),
      holidays,
      closures,
    }));
    await startAll(deps, inputs);
    await markCohortLaunched(db, cohortId);
    cohort.status = 'launched';
  }
  return toView(cohort, trajectories);
}

const weekdayNumber = (w: Weekday) => WEEKDAYS.indexOf(w) + 1;
const weekdayName = (n: number): Weekday => WEEKDAYS[n - 1]!;

export async function getCohort(db: Db, id: string): Promise<Cohort> {
  const cohort = await findCohort(db, id);
  if (!cohort) throw notFound(says(`Cohort ${id}`, `Cohort ${id}`));
  return toView(cohort, await listCohortTrajectories(db, id));
}

/** The cohorts a caller may see: a coordinator its programme office's, an ROC those it teaches. */
export async function pageCohorts(db: Db, principal: Principal, page: Page) {
  const actingFor = actingOffice(principal);
  const office = actingFor === null ? {} : { programmeOfficeId: actingFor };
  const filter = principal.role === 'school' ? { schoolId: principal.organisationId!, ...office } : office;
  const { items, total } = await listCohorts(db, { ...page, ...filter });
  return {
    items: items.map((c) => {
      const { trajectories: _, ...rest } = toView(c, []);
      return rest;
    }),
    total,
    ...page,
  };
}
