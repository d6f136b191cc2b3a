// Reminders: each working morning every partner gets one mail with everything due for them (the digest),
// composed from every running trajectory's open items as the projection holds them (set-based SQL over the
// rows the steering view reads, db/reminders.ts), and delivered through the outbox over pooled SMTP. Which
// reminders exist, and when, is part of the programme template (`reminders`), with the issue's defaults.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { anyOf, type Db } from '../db/connection';
import { openFollowUps } from '../db/follow-ups';
import {
  alreadyRaised,
  claimMails,
  enqueueMails,
  markMail,
  markSent,
  markUncertain,
  remindersSentBefore,
  supersedeStale,
} from '../db/outbox';
import { reminderFacts } from '../db/reminders';
import { mapLimit } from '../infra/map-limit';
import { findProgramme } from '../db/programmes';
import { findOwnedOrganisations } from '../db/ownership';
import { contactOfOffice, organisationRight } from '../api/ownership';
import type { ContactRole } from '../db/schema';
import type { ProgrammeTemplate, ReminderRules } from '../domain/programme';
import { riskInDutch, riskKey, type RiskSignal } from '../domain/risks';
import { isOpen, isRunning, RUNNING_STATUSES } from '../domain/statuses';
import type { Mailer } from '../infra/mail';
import {
  addDays,
  isoWeekday,
  isWeekStart,
  localInstant,
  isWorkingDay,
  localDate,
  nextMailMoment,
  nextWorkingDay,
  weekOf,
  workingDaysBetween,
} from '../domain/calendar';
import type { OpenItems } from '../domain/state';
import { dutchHolidays } from './holidays';
import { signLink } from '../web/links';
import { taskOf, taskPath } from '../web/tasks';
import { renderDigest, type Digest, type DigestItem, type ReminderKind } from './mail-texts';
import { candidateDues } from './candidate-reminders';
import { recognitionRechecks } from './readiness-reminders';
import { deadlineDues } from './deadlines';
import { pokDue } from './pok-reminders';

/** A link signed for the recipient to a task's page; none without a signing key, a person, or a page for it. */
/** When the morning's task links stop working, in seconds; one time zone computation a morning, not one a link. */
const expiries = new WeakMap<Buffer, Map<string, number>>();
function linkExpiry(deps: ReminderDeps, date: string): number {
  const { key, days } = deps.links!;
  const byDate = expiries.get(key) ?? new Map<string, number>();
  expiries.set(key, byDate);
  const k = `${date}|${days}`;
  if (!byDate.has(k)) byDate.set(k, Math.floor(localInstant(addDays(date, days)) / 1000));
  return byDate.get(k)!;
}

function taskUrl(deps: ReminderDeps, r: Recipient, task: string, date: string): string | undefined {
  if (!deps.links || !r.contactId || !taskPath(task)) return undefined;
  const token = signLink(deps.links.key, {
    purpose: 'task',
    contactId: r.contactId,
    task,
    expires: linkExpiry(deps, date),
  });
  return `${(deps.publicUrl ?? 'http://127.0.0.1:3000').replace(/\/+$/, '')}/l/${token}`;
}

/** The task an item asks of its recipient, when it is one a page does (web/tasks.ts). */
function taskOfItem(item: DigestItem, r: Recipient): string | undefined {
  switch (item.kind) {
    case 'checkpoint_due':
    case 'checkpoint_overdue':
      return item.checkpoint && taskOf.checkpoint(item.trajectoryId, item.checkpoint.key);
    case 'bbl_decision':
      return taskOf.bbl(item.trajectoryId, r.organisationId);
    case 'follow_up':
      return item.followUp && taskOf.followUp(item.trajectoryId, item.followUp.months);
    case 'pok_due':
    case 'pok_late':
    case 'bpv_blad':
      return taskOf.pok(item.trajectoryId, r.organisationId);
    case 'subsidy_deadline':
      return item.subsidy && taskOf.subsidy(item.subsidy.employerId, item.subsidy.schoolYear);
    case 'benefit_maximum':
    case 'benefit_adjustment':
      return taskOf.benefit(item.trajectoryId, r.organisationId);
    default:
      return undefined;
  }
}

/** A person's links to the weeks with attendance still to record, each opening that week's page for them alone. */
function weekLinks(deps: ReminderDeps, r: Recipient, items: DigestItem[], date: string) {
  const mondays = new Set(
    items
      .filter((i) => i.kind === 'attendance_placement' || i.kind === 'attendance_school')
      .flatMap((i) => i.days ?? [])
      .map((d) => addDays(d.date, 1 - isoWeekday(d.date))),
  );
  const links = [...mondays]
    .sort()
    .map((weekStart) => ({ weekStart, url: taskUrl(deps, r, taskOf.week(r.organisationId, weekStart), date) }))
    .filter((l): l is { weekStart: string; url: string } => l.url !== undefined);
  return links.length ? links : undefined;
}

export interface ReminderDeps {
  db: Db;
  mailer?: Mailer;
  temporal?: Client;
  publicUrl?: string;
  now?: () => number;
  /** Signs the task links in the digest (web/links.ts) and how many days they work; no links without it. */
  links?: { key: Buffer; days: number };
}

/** The defaults: the reminders the programme office asked for (README, "Reminders"). */
export const DEFAULT_REMINDERS: ReminderRules = {
  attendanceAfterWorkingDays: 1,
  checkpointDueWithinWorkingDays: 3,
  weekOverview: true,
  bblDecisionWeekly: true,
  escalateAfterReminders: 2,
  riskSignals: true,
  followUpWeekly: true,
};

/** Digests queued in one transaction while composing. */
const MAILS_PER_TRANSACTION = 500;

export interface Running {
  id: string;
  cohortId: string;
  workflowId: string;
  status: string;
  reference: string;
  firstName: string;
  schoolId: string;
  officeId: string | null;
  jobcoachId: string | null;
  programmeId: string;
  programmeVersion: number;
  startDate: string;
  placements: { employerId: string; from: string }[];
}

/** Running trajectories, and finished ones with a follow-up question open on `date`. */
/**
 * One programme office's part of a morning (its id, or null for trajectories under no office's covenant): the
 * digest workflow composes and delivers each office's mails in an activity of its own, so the work spreads over
 * the worker processes and one activity's memory is bounded by the largest office, not by the whole installation.
 */
export interface Office {
  officeId: string | null;
}

export async function trajectoriesToRemind(db: Db, date: string, office?: Office): Promise<Running[]> {
  const rows = await db
    .selectFrom('trajectory as t')
    .innerJoin('cohort as c', 'c.id', 't.cohort_id')
    .leftJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select([
      't.id',
      't.cohort_id',
      't.workflow_id',
      't.status',
      't.reference',
      't.name',
      'c.school_id',
      'v.programme_office_id',
      't.jobcoach_id',
      'c.programme_id',
      'c.programme_version',
      'c.start_date',
    ])
    .where((eb) =>
      eb.or([
        eb('t.status', 'in', RUNNING_STATUSES),
        eb(
          't.id',
          'in',
          eb.selectFrom('follow_up').select('trajectory_id').where('status', '=', 'open').where('due_on', '<=', date),
        ),
      ]),
    )
    .where('t.anonymised_at', 'is', null)
    .$if(office !== undefined, (q) =>
      office!.officeId === null
        ? q.where('v.programme_office_id', 'is', null)
        : q.where('v.programme_office_id', '=', office!.officeId),
    )
    .orderBy('t.id')
    .execute();
  const placements = groupBy(
    rows.length
      ? await db
          .selectFrom('placement')
          .selectAll()
          .where('trajectory_id', '=', anyOf(rows.map((r) => r.id)))
          .orderBy('from_date')
          .execute()
      : [],
  );
  return rows.map((r) => ({
    id: r.id,
    cohortId: r.cohort_id,
    workflowId: r.workflow_id,
    status: r.status,
    reference: r.reference,
    firstName: r.name.split(/\s+/)[0] ?? r.name,
    schoolId: r.school_id,
    officeId: r.programme_office_id,
    jobcoachId: r.jobcoach_id,
    programmeId: r.programme_id,
    programmeVersion: r.programme_version,
    startDate: r.start_date,
    placements: (placements.get(r.id) ?? []).map((p) => ({ employerId: p.employer_id, from: p.from_date })),
  }));
}

export const employerOn = (t: Running, date: string) =>
  (t.placements.filter((p) => p.from <= date).at(-1) ?? t.placements[0])?.employerId;

/** Who gets what: a recipient is an organisation's contact of a role, or a single contact (the jobcoach). */
export type To = { organisationId: string; role: ContactRole } | { contactId: string };
export interface Due {
  to: To;
  item: DigestItem;
  subject: string;
  /** The participant's office, for an item about a trajectory that no longer runs (the payer's BBL task). */
  officeId?: string | null;
}

/** One mail per recipient per morning, grouped by address. */
interface Recipient {
  email: string;
  name: string;
  organisationId: string;
  organisation: string;
  /** The person (a contact), who gets links of their own; none for an organisation's general address. */
  contactId?: string;
  /** The informational kinds the person switched off on "Mijn account" (api/services/account.ts). */
  off?: readonly string[];
  /** The person chose each item in a mail of its own instead of the one digest. */
  perItem?: boolean;
}

/**
 * The people a target stands for, as the participant's own office knows them: only contacts that office made
 * (or the admin's), never one another office added to the same organisation. Keyed by target and office.
 */
async function resolveRecipients(
  db: Db,
  targets: { to: To; officeId: string | null }[],
): Promise<Map<string, Recipient[]>> {
  const orgIds = [...new Set(targets.flatMap(({ to }) => ('organisationId' in to ? [to.organisationId] : [])))];
  const contactIds = [...new Set(targets.flatMap(({ to }) => ('contactId' in to ? [to.contactId] : [])))];
  const [orgs, orgContacts, contacts] = await Promise.all([
    findOwnedOrganisations(db, orgIds),
    orgIds.length ? db.selectFrom('contact').selectAll().where('organisation_id', 'in', orgIds).execute() : [],
    contactIds.length
      ? db
          .selectFrom('contact as k')
          .innerJoin('organisation as o', 'o.id', 'k.organisation_id')
          .select([
            'k.id',
            'k.name',
            'k.email',
            'k.organisation_id',
            'k.office_id',
            'k.mail_preferences',
            'o.name as organisation',
          ])
          .where('k.id', 'in', contactIds)
          .execute()
      : [],
  ]);
  const ours = (officeId: string | null, c: { office_id: string | null }) =>
    officeId === null ? c.office_id === null : contactOfOffice(officeId, c);
  // Looked up by id, not searched: a province's morning has tens of thousands of organisations and contacts.
  const contactById = new Map(contacts.map((c) => [c.id, c]));
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const contactsOf = new Map<string, typeof orgContacts>();
  for (const c of orgContacts) contactsOf.set(c.organisation_id, [...(contactsOf.get(c.organisation_id) ?? []), c]);
  const out = new Map<string, Recipient[]>();
  for (const { to, officeId } of targets) {
    const key = toKey(to, officeId);
    if (out.has(key)) continue;
    if ('contactId' in to) {
      const c = contactById.get(to.contactId);
      out.set(
        key,
        c && ours(officeId, c)
          ? [
              {
                email: c.email,
                name: c.name,
                organisationId: c.organisation_id,
                organisation: c.organisation,
                contactId: c.id,
                off: c.mail_preferences?.off,
                perItem: c.mail_preferences?.perItem,
              },
            ]
          : [],
      );
      continue;
    }
    const org = orgById.get(to.organisationId);
    if (!org) {
      out.set(key, []);
      continue;
    }
    const people = (contactsOf.get(org.id) ?? [])
      .filter((c) => c.role === to.role && ours(officeId, c))
      .map((c) => ({
        email: c.email,
        name: c.name,
        organisationId: org.id,
        organisation: org.name,
        contactId: c.id,
        off: c.mail_preferences?.off,
        perItem: c.mail_preferences?.perItem,
      }));
    // Without a contact in that role, the organisation's own address receives it, so nothing is silently dropped;
    // but only an organisation the office may use (its own, the admin's, or shared with it by consent).
    // The address the organisation's owner registered: only the owner's own participants, or any office's for an
    // organisation the admin shares; not through a share, where another office set the address.
    const usable = officeId !== null && (org.office_id === null || organisationRight(officeId, org) === 'own');
    out.set(
      key,
      people.length
        ? people
        : org.email && usable
          ? [{ email: org.email, name: org.name, organisationId: org.id, organisation: org.name }]
          : [],
    );
  }
  return out;
}

const toKey = (t: To, officeId: string | null) =>
  `${officeId ?? '-'}|${'contactId' in t ? `contact:${t.contactId}` : `${t.organisationId}:${t.role}`}`;

/** What a trajectory has open on the digest's morning: what its workflow would answer (stateQuery, scheduleQuery). */
interface OpenOnDate {
  open: OpenItems;
  /**
   * Each signal with the key it is raised under once (`kind:first date of its reason`, as before) and its Dutch text.
   */
  risks: { kind: RiskSignal['kind']; subject: string; text: string }[];
  /** Placement days expected in the rest of the week: only on the week's first working day. */
  week: string[];
}

const groupBy = <T extends { trajectory_id: string }>(rows: T[]) => {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.trajectory_id);
    if (list) list.push(r);
    else out.set(r.trajectory_id, [r]);
  }
  return out;
};

/**
 * Every running trajectory's open items and risk signals on `date`, from the projection's rows in a few
 * set-based statements (db/reminders.ts), by the rules of workflows/state.ts (`openItems`, `schedule`,
 * `riskSignals`); no workflow is asked.
 *
 * The projection lags its workflow by a moment: an update answers only after its projection (a local
 * activity) is written, and a timer's change (the start at 00:00, the end, the close of the BBL decision)
 * is projected as the timer fires, hours before 10:00. So what partners recorded before 10:00 is in these
 * rows at 10:00; only a recording that arrives while the digest reads them may be missed or not, exactly as
 * one arriving a moment after a workflow answered its query was. A projection still retrying because
 * PostgreSQL is unreachable cannot lag a digest that reads the same PostgreSQL: that digest fails and is retried.
 * A run on the first workflow version (workflows/legacy.ts) projects no plan and had no open items anyway.
 */
async function openOnDate(
  db: Db,
  trajectories: Running[],
  date: string,
  monday: boolean,
  templateOf: (t: Running) => ProgrammeTemplate | undefined,
): Promise<Map<string, OpenOnDate>> {
  const running = trajectories.filter((t) => isRunning(t.status));
  const facts = await reminderFacts(
    db,
    running.map((t) => t.id),
    date,
    { weekOverview: monday },
  );
  const unrecorded = groupBy(facts.unrecorded);
  const checkpoints = groupBy(facts.checkpoints);
  const week = groupBy(facts.week);
  const bbl = new Map(facts.bbl.map((b) => [b.trajectory_id, b]));
  const unexcused = new Map(facts.unexcused.map((u) => [u.trajectory_id, u.dates]));
  const atRisk = groupBy(facts.atRisk);
  const recorded = new Map(facts.recorded.map((r) => [r.trajectory_id, r]));
  const out = new Map<string, OpenOnDate>();
  for (const t of running) {
    const template = templateOf(t);
    const open = isOpen(t.status);
    const cps = checkpoints.get(t.id) ?? [];
    const pick = (c: (typeof cps)[number]) => ({ key: c.key, name: c.name, weekEnd: c.week_end });
    const confirmed = bbl.get(t.id);
    const bblOpen =
      open &&
      template !== undefined &&
      weekOf(t.startDate, date) >= template.bblDecisionFromWeek &&
      !confirmed?.job_without_bbl;
    const risks: OpenOnDate['risks'] = [];
    if (open) {
      const raise = (signal: RiskSignal) =>
        risks.push({ kind: signal.kind, subject: riskKey(signal), text: riskInDutch(signal) });
      const dates = unexcused.get(t.id);
      if (dates) raise({ kind: 'unexcused_absences', dates });
      for (const r of atRisk.get(t.id) ?? [])
        raise({ kind: 'checkpoint_at_risk', key: r.key, recordedOn: r.recorded_on });
      for (const c of cps.filter((x) => x.week_end < date))
        raise({ kind: 'checkpoint_overdue', key: c.key, name: c.name, week: c.week, weekEnd: c.week_end });
      const days = recorded.get(t.id);
      if (days && template && days.attended / days.recorded < template.attendanceThreshold)
        raise({
          kind: 'low_attendance',
          attended: days.attended,
          recorded: days.recorded,
          threshold: template.attendanceThreshold,
        });
    }
    out.set(t.id, {
      open: {
        attendance: open ? (unrecorded.get(t.id) ?? []).map((d) => ({ date: d.date, kind: d.kind })) : [],
        checkpoints: open ? cps.filter((c) => c.week_start <= date && date <= c.week_end).map(pick) : [],
        overdueCheckpoints: open ? cps.filter((c) => c.week_end < date).map(pick) : [],
        bbl: bblOpen
          ? [
              ...(confirmed?.contract ? [] : ['employer_contract' as const]),
              ...(confirmed?.enrolment ? [] : ['school_enrolment' as const]),
            ]
          : [],
      },
      risks,
      week: t.status === 'paused' ? [] : (week.get(t.id) ?? []).map((d) => d.date),
    });
  }
  return out;
}

/** What every running trajectory has due on `date`, for whom. */
export async function dueItems(
  db: Db,
  date: string,
  holidays: ReadonlySet<string>,
  office?: Office,
): Promise<{ due: Due[]; trajectories: Running[]; rulesFor: (t: Running) => ReminderRules }> {
  const trajectories = await trajectoriesToRemind(db, date, office);
  const programmes = new Map<string, ProgrammeTemplate | undefined>();
  const due: Due[] = [];
  const monday = isWeekStart(date, holidays);
  const pk = (t: Running) => `${t.programmeId}@${t.programmeVersion}`;
  for (const t of trajectories) {
    if (!programmes.has(pk(t)))
      programmes.set(pk(t), (await findProgramme(db, t.programmeId, t.programmeVersion))?.template);
  }
  const rulesOf = new Map(
    [...programmes].map(([k, template]) => [k, { ...DEFAULT_REMINDERS, ...template?.reminders }]),
  );
  heartbeat();
  const lives = await openOnDate(db, trajectories, date, monday, (t) => programmes.get(pk(t)));
  heartbeat();
  // After doorstroom: each open follow-up question on its first working morning, then weekly while open.
  const firstMorning = (due: string) => {
    let d = due;
    while (!isWorkingDay(d, holidays)) d = addDays(d, 1);
    return d;
  };
  const byTrajectory = new Map(trajectories.map((t) => [t.id, t]));
  for (const f of await openFollowUps(db, date)) {
    const t = byTrajectory.get(f.trajectory_id);
    if (!t || !rulesOf.get(pk(t))!.followUpWeekly) continue;
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

  for (const t of trajectories) {
    const rules = rulesOf.get(pk(t))!;
    const live = lives.get(t.id);
    if (!live) continue; // finished: only its follow-up, above
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
    if (rules.weekOverview && monday && live.week.length) {
      const employer = employerOn(t, date);
      if (employer)
        due.push({
          to: { organisationId: employer, role: 'workplace_trainer' },
          subject: date,
          item: {
            ...base,
            kind: 'week_overview',
            days: live.week.map((d) => ({ date: d, kind: 'placement' as const })),
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

    // The coordinator: a risk signal, once per occurrence (a new run of absences or another checkpoint at risk is
    // raised again).
    if (rules.riskSignals && coordinator) {
      for (const r of live.risks)
        due.push({ to: coordinator, subject: r.subject, item: { ...base, kind: 'risk_raised', risk: r.text } });
    }
  }
  // The coordinator: employers' SBB recognitions to re-check before a cohort's BBL decision.
  due.push(
    ...(await recognitionRechecks(db, {
      date,
      monday,
      holidays,
      trajectories,
      templateOf: (t) => programmes.get(pk(t)),
      employerOn,
    })),
  );
  // The deadlines the trajectories' timers reached (issue 21: the benefit payer's, the POK's due item and its
  // escalation, the employer's subsidy reminders), each mailed once.
  due.push(...(await deadlineDues(db, date)));
  // The bpv-blad after an employer change (issue 21), a condition rather than a deadline: from the projections.
  due.push(...(await pokDue(db, date, holidays, monday)));
  return { due, trajectories, rulesFor: (t) => rulesOf.get(pk(t)) ?? DEFAULT_REMINDERS };
}

export { isWeekStart };

/** Reminders that escalate when ignored (a checkpoint merely due is not late yet). */
const PARTNER_KINDS: ReminderKind[] = [
  'attendance_placement',
  'attendance_school',
  'checkpoint_overdue',
  'bbl_decision',
  'follow_up',
];

/** Keeps a long compose alive with Temporal; outside an activity (the simulator, tests) there is nothing to tell. */
function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    /* not in an activity */
  }
}

/**
 * Whether a send failed for good: the receiving server refused this address (5xx on the envelope). Any other
 * refusal (authentication, a server-wide 554) is the server's and waits for it to be fixed.
 */
export function refusedAddress(e: unknown): boolean {
  const err = e as { responseCode?: number; code?: string; command?: string };
  return !!err.responseCode && err.responseCode >= 500 && (err.code === 'EENVELOPE' || /RCPT/i.test(err.command ?? ''));
}

/** A digest as composed: the outbox row it becomes, its items' keys, and the office whose participants it is about. */
export interface ComposedMail {
  officeId: string | null;
  mail: {
    id: string;
    key: string;
    recipient: string;
    recipient_name: string;
    organisation_id: string;
    kind: 'digest';
    day: string;
    subject: string;
    text: string;
    html: string;
  };
  items: { trajectory_id: string; kind: string; subject: string }[];
  /** The candidates' items it carries (activities/candidate-reminders.ts), kept apart from the trajectories'. */
  candidateItems?: { candidate_id: string; kind: string; subject: string }[];
}

/**
 * The morning's digests of `date` as they would be queued, without writing anything: composeDigests queues
 * these, and the coordinator's preview (web/steering.ts, previewDigests) shows them. Reads the outbox (what was
 * sent and raised before) but never writes it.
 */
export async function composeMails(
  deps: ReminderDeps,
  date: string,
  holidays: ReadonlySet<string>,
  office?: Office,
): Promise<ComposedMail[]> {
  const morning = await dueItems(deps.db, date, holidays, office);
  const { trajectories, rulesFor } = morning;
  const byId = new Map(trajectories.map((t) => [t.id, t]));
  const officeOf = (d: Due) =>
    d.item.candidate?.officeId ?? byId.get(d.item.trajectoryId)?.officeId ?? d.officeId ?? null;
  // One office's part of the morning: its trajectories were read alone; what the other sources (deadlines, POKs,
  // candidates) give is kept only when it is about this office's participants. Every mail is one office's anyway.
  const ofOffice = (d: Due) => office === undefined || officeOf(d) === office.officeId;
  const due = morning.due.filter(ofOffice);

  // Escalation: a partner's reminder about the same thing sent (at least) twice before, and still due.
  const sent = new Map(
    (
      await remindersSentBefore(
        deps.db,
        trajectories.map((t) => t.id),
        date,
      )
    ).map((s) => [`${s.trajectory_id}|${s.kind}|${s.subject}|${s.organisation_id}`, s]),
  );
  const raised = await alreadyRaised(
    deps.db,
    trajectories.map((t) => t.id),
  );
  // Names of the organisations reminded before, and the organisation of each jobcoach: one query each.
  const remindedOrgs = [...new Set([...sent.values()].map((x) => x.organisation_id))];
  const orgNames = new Map(
    remindedOrgs.length
      ? (await deps.db.selectFrom('organisation').select(['id', 'name']).where('id', 'in', remindedOrgs).execute()).map(
          (o) => [o.id, o.name],
        )
      : [],
  );
  const contactIds = [...new Set(due.flatMap((d) => ('contactId' in d.to ? [d.to.contactId] : [])))];
  const contactOrg = new Map(
    contactIds.length
      ? (
          await deps.db.selectFrom('contact').select(['id', 'organisation_id']).where('id', 'in', contactIds).execute()
        ).map((c) => [c.id, c.organisation_id])
      : [],
  );
  const all: Due[] = [];
  for (const d of due) {
    if (d.item.kind === 'risk_raised') {
      if (!raised.has(`${d.item.trajectoryId}|risk_raised|${d.subject}`)) all.push(d);
      continue;
    }
    all.push(d);
    if (!PARTNER_KINDS.includes(d.item.kind)) continue;
    // Counted per organisation reminded: the employer and the ROC each answer for their own BBL part.
    const orgOf = 'organisationId' in d.to ? d.to.organisationId : contactOrg.get(d.to.contactId);
    const previous = sent.get(`${d.item.trajectoryId}|${d.item.kind}|${d.subject}|${orgOf}`);
    const trajectory = byId.get(d.item.trajectoryId)!;
    const officeId = trajectory.officeId;
    const escalation = `${d.item.kind}:${d.subject}`;
    if (
      previous &&
      Number(previous.times) >= rulesFor(trajectory).escalateAfterReminders &&
      officeId &&
      !raised.has(`${d.item.trajectoryId}|escalation|${escalation}`)
    ) {
      raised.add(`${d.item.trajectoryId}|escalation|${escalation}`);
      all.push({
        to: { organisationId: officeId, role: 'coordinator' },
        subject: escalation,
        item: {
          ...d.item,
          kind: 'escalation',
          ignored: {
            kind: d.item.kind,
            organisation: orgNames.get(previous.organisation_id) ?? previous.organisation_id,
            times: Number(previous.times),
          },
        },
      });
    }
  }

  // Candidates' deadlines go to their office's coordinators, in the same one mail.
  all.push(...(await candidateDues(deps.db, date, DEFAULT_REMINDERS.escalateAfterReminders)).filter(ofOffice));

  const recipients = await resolveRecipients(
    deps.db,
    all.map((d) => ({ to: d.to, officeId: officeOf(d) })),
  );
  const digests = new Map<
    string,
    {
      recipient: Recipient;
      officeId: string | null;
      items: DigestItem[];
      keys: { trajectory_id: string; kind: string; subject: string }[];
      /** The item each key went into (an attendance line takes several days' keys). */
      owners: DigestItem[];
      /** Each participant's attendance line of each kind, to add the next day to. */
      lines: Map<string, DigestItem>;
    }
  >();
  for (const d of all) {
    for (const r of recipients.get(toKey(d.to, officeOf(d))) ?? []) {
      // A kind the person switched off (only informational ones can be: the week overview, risk signals) is
      // left out of their digest, and not counted as sent to them.
      if (r.off?.includes(d.item.kind)) continue;
      // One digest per office too: a person two offices work with gets each office's mail apart, so no mail
      // (nor its subject's count in the outbox view) carries anything of another office.
      const key = `${r.email.toLowerCase()}|${r.organisationId}|${officeOf(d) ?? '-'}`;
      const digest = digests.get(key) ?? {
        recipient: r,
        officeId: officeOf(d),
        items: [],
        keys: [],
        owners: [],
        lines: new Map<string, DigestItem>(),
      };
      // One attendance line per participant, with all the days still to record (found by a map: a coordinator's
      // or an ROC's digest holds thousands of items at a province's size, so searching the list was quadratic).
      const attendance = d.item.kind === 'attendance_placement' || d.item.kind === 'attendance_school';
      const line = `${d.item.trajectoryId}|${d.item.kind}`;
      const same = attendance ? digest.lines.get(line) : undefined;
      if (same) same.days = [...(same.days ?? []), ...(d.item.days ?? [])];
      else {
        digest.items.push({ ...d.item, days: d.item.days && [...d.item.days] });
        if (attendance) digest.lines.set(line, digest.items.at(-1)!);
      }
      digest.keys.push({ trajectory_id: d.item.trajectoryId, kind: d.item.kind, subject: d.subject });
      digest.owners.push(same ?? digest.items.at(-1)!);
      digests.set(key, digest);
    }
  }
  // A few hundred mails to a transaction, each under its own key (so composing again still adds nothing).
  // A person who chose each item in a mail of its own gets one mail per item (an attendance line with all its
  // days is one item) instead of the digest, each under a key of its own, so composing again adds nothing.
  const parts = [...digests.values()].flatMap((g) => {
    if (!(g.recipient.perItem && g.items.length > 1)) return [{ ...g, part: '' }];
    const keysOf = new Map<DigestItem, typeof g.keys>();
    g.keys.forEach((k, j) => keysOf.set(g.owners[j]!, [...(keysOf.get(g.owners[j]!) ?? []), k]));
    return g.items.map((item) => {
      const keys = keysOf.get(item)!;
      return { ...g, items: [item], keys, part: `|${item.kind}|${item.trajectoryId}|${keys[0]!.subject}` };
    });
  });
  const mails = parts.map(({ recipient, officeId, items, keys: all, part }): ComposedMail => {
    // A candidate item's key names the candidate (in trajectory_id), kept in a table of its own.
    const ofCandidate = (k: { kind: string }) => k.kind.startsWith('candidate_');
    const keys = all.filter((k) => !ofCandidate(k));
    const candidateItems = all
      .filter(ofCandidate)
      .map((k) => ({ candidate_id: k.trajectory_id, kind: k.kind, subject: k.subject }));
    const digest: Digest = {
      recipient: { name: recipient.name, email: recipient.email },
      organisation: recipient.organisation,
      date,
      items: items.map((i) => {
        const task = taskOfItem(i, recipient);
        const url = task && taskUrl(deps, recipient, task, date);
        return url ? { ...i, taskUrl: url } : i;
      }),
      baseUrl: deps.publicUrl ?? 'http://127.0.0.1:3000',
      weekLinks: weekLinks(deps, recipient, items, date),
    };
    const mail = renderDigest(digest);
    return {
      officeId,
      mail: {
        id: crypto.randomUUID(),
        key: `${recipient.email.toLowerCase()}|${recipient.organisationId}|${officeId ?? '-'}|digest|${date}` + part,
        recipient: recipient.email,
        recipient_name: recipient.name,
        organisation_id: recipient.organisationId,
        kind: 'digest' as const,
        day: date,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        // (recipient, office, kind, day): the recipient is a person at an organisation, so one address with two
        // roles gets two digests.
      },
      items: keys,
      ...(candidateItems.length ? { candidateItems } : {}),
    };
  });
  return mails;
}

/**
 * What the morning mail of `date` will send, composed by the same code as composeDigests but queued nowhere, and
 * without the signed task links (they would let the reader act as the recipient). Nothing on Sundays and holidays.
 */
export async function previewDigests(deps: ReminderDeps, date: string): Promise<ComposedMail[]> {
  const holidays = new Set(dutchHolidays(addDays(date, -30), addDays(date, 60)).map((h) => h.date));
  if (isoWeekday(date) === 7 || holidays.has(date)) return [];
  return composeMails({ ...deps, links: undefined }, date, holidays);
}

export function createReminderActivities(deps: ReminderDeps) {
  const now = () => deps.now?.() ?? Date.now();
  const holidaysAround = (date: string) =>
    new Set(dutchHolidays(addDays(date, -30), addDays(date, 60)).map((h) => h.date));

  return {
    /**
     * The offices whose parts the morning's digest composes one by one: every programme office, and null for
     * what is under no office's covenant. An office with nothing due costs a few empty queries.
     */
    async digestOffices(): Promise<(string | null)[]> {
      // Every programme office, and whatever a covenant names as its office: no trajectory's part is left out.
      const offices = await deps.db
        .selectFrom('organisation')
        .select('id')
        .where('kind', '=', 'programme_office')
        .union(
          deps.db
            .selectFrom('covenant')
            .select('programme_office_id as id')
            .where('programme_office_id', 'is not', null)
            .$narrowType<{ id: string }>(),
        )
        .execute();
      const ids: (string | null)[] = [...new Set(offices.map((o) => o.id))].sort();
      return [...ids, null];
    },

    /**
     * Composes the morning's digests into the outbox: one row per recipient and day, so composing again
     * (a retried activity, a second run) adds nothing. Returns the ids of the day's queued mails.
     */
    async composeDigests(input: { date: string; officeId?: string | null }): Promise<string[]> {
      const { date } = input;
      const holidays = holidaysAround(date);
      if (isoWeekday(date) === 7 || holidays.has(date)) return [];
      // Without an office (a digest run started before the morning was split per office): every office at once.
      const office = input.officeId !== undefined ? { officeId: input.officeId } : undefined;
      const mails = await composeMails(deps, date, holidays, office);
      const ids: string[] = [];
      for (let i = 0; i < mails.length; i += MAILS_PER_TRANSACTION) {
        heartbeat();
        ids.push(...(await enqueueMails(deps.db, mails.slice(i, i + MAILS_PER_TRANSACTION))));
      }
      return ids;
    },

    /**
     * Sends queued mails. Never on Sundays or holidays or between 20:00 and 07:00: then it asks Temporal to
     * retry at 07:00 on the next allowed morning. A refusal by the receiving server (5xx, e.g. an unknown
     * address) is permanent: recorded as failed, not retried. Anything else (server down) leaves the mail
     * queued and fails the activity, so Temporal retries it with backoff until the server is back.
     *
     * As many mails are in flight as the mailer has connections (its SMTP pool), each on its own: claimed
     * (committed) before its SMTP conversation and marked after it, so a retried or concurrent delivery skips
     * what another sent or is sending, and a mail whose worker died mid-way becomes `uncertain`, never resent.
     */
    async deliverMail(input: { ids: string[] }): Promise<{ sent: number; failed: number }> {
      const mailer = deps.mailer;
      if (!mailer) throw ApplicationFailure.nonRetryable('no mailer configured for the worker');
      const t = now();
      const at = nextMailMoment(t, holidaysAround(localDate(t)));
      if (at > t)
        throw ApplicationFailure.create({
          message: `outside mail hours; next attempt at ${new Date(at).toISOString()}`,
          type: 'OutsideMailHours',
          nextRetryDelay: at - t,
        });
      await markUncertain(deps.db, 15);
      await supersedeStale(deps.db);
      let sent = 0;
      let failed = 0;
      let transient: string | undefined;
      // In groups of as many mails as the pool has connections, two groups at a time: one group is claimed
      // (one statement, committed before any of its mails is sent) or marked while the other is being sent,
      // so no connection waits for PostgreSQL. The pool holds at most `connections` SMTP conversations at
      // once. A worker that dies leaves at most two groups `sending` (sent or not), which become `uncertain`.
      const group = Math.max(1, mailer.connections ?? 1);
      const groups = Array.from({ length: Math.ceil(input.ids.length / group) }, (_, i) =>
        input.ids.slice(i * group, (i + 1) * group),
      );
      await mapLimit(groups, 2, async (ids) => {
        heartbeat();
        // Not claimed: sent, being sent (by another attempt, or a worker that died mid-way), or failed: never again.
        const mails = await claimMails(deps.db, ids);
        const accepted: string[] = [];
        await Promise.all(
          mails.map(async (mail) => {
            try {
              await mailer.send({
                to: mail.recipient,
                subject: mail.subject,
                text: mail.text,
                html: mail.html,
                messageId: `<${mail.id}@toeleiding>`,
              });
              accepted.push(mail.id);
            } catch (e) {
              const err = e as { responseCode?: number; message?: string };
              if (refusedAddress(e)) {
                await markMail(deps.db, mail.id, {
                  status: 'failed',
                  error: `${err.responseCode} ${err.message ?? ''}`,
                });
                failed++;
              } else {
                await markMail(deps.db, mail.id, { status: 'queued', error: err.message ?? String(e) });
                transient = err.message ?? String(e);
              }
            }
          }),
        );
        await markSent(deps.db, accepted);
        sent += accepted.length;
      });
      if (transient)
        throw ApplicationFailure.create({
          message: `mail server unavailable (${transient}); the rest stays queued`,
          type: 'MailUnavailable',
        });
      return { sent, failed };
    },
  };
}
