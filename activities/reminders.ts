// Reminders: each working morning every partner gets one mail with everything due for them (the digest),
// composed from each running trajectory's own open items, and delivered through the outbox. Which
// reminders exist, and when, is part of the programme template (`reminders`), with the issue's defaults.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { anyOf, type Db } from '../db/connection';
import { openFollowUps } from '../db/follow-ups';
import { alreadyRaised, claimMail, enqueueMail, markMail, markUncertain, remindersSentBefore, supersedeStale } from '../db/outbox';
import { mapLimit } from '../infra/map-limit';
import { findProgramme } from '../db/programmes';
import { findOwnedOrganisations } from '../db/ownership';
import { contactOfOffice, organisationRight } from '../api/ownership';
import type { ContactRole } from '../db/schema';
import type { ReminderRules } from '../api/schemas/programme';
import type { Mailer } from '../infra/mail';
import { addDays, isoWeekday, isWorkingDay, localDate, nextMailMoment, nextWorkingDay, workingDaysBetween } from '../workflows/calendar';
import { scheduleQuery, stateQuery } from '../workflows/trajectory';
import { dutchHolidays } from './holidays';
import { renderDigest, type Digest, type DigestItem, type ReminderKind } from './mail-texts';

export interface ReminderDeps { db: Db; mailer?: Mailer; temporal?: Client; publicUrl?: string; now?: () => number }

/** The defaults: the reminders the programme office asked for (README, "Reminders"). */
export const DEFAULT_REMINDERS: ReminderRules = {
  attendanceAfterWorkingDays: 1, checkpointDueWithinWorkingDays: 3, weekOverview: true, bblDecisionWeekly: true, escalateAfterReminders: 2, riskSignals: true, followUpWeekly: true,
};

const RUNNING = ['planned', 'active', 'paused', 'awaiting_bbl'];
/**
 * Queries in flight while composing the digest. A query to a workflow no longer in the worker's cache is
 * answered by replaying it; at 10,000 trajectories that takes the worker about 38 a second whether 20 or
 * 50 are in flight (bench/README.md), so more would only load the cluster.
 */
const QUERIES_IN_FLIGHT = 20;

interface Running {
  id: string; workflowId: string; status: string; reference: string; firstName: string; schoolId: string; officeId: string | null; jobcoachId: string | null;
  programmeId: string; programmeVersion: number; placements: { employerId: string; from: string }[];
}

/** Running trajectories, and finished ones with a follow-up question open on `date`. */
async function trajectoriesToRemind(db: Db, date: string): Promise<Running[]> {
  const rows = await db.selectFrom('trajectory as t').innerJoin('cohort as c', 'c.id', 't.cohort_id').leftJoin('covenant as v', 'v.id', 'c.covenant_id')
    .select(['t.id', 't.workflow_id', 't.status', 't.reference', 't.name', 'c.school_id', 'v.programme_office_id', 't.jobcoach_id', 'c.programme_id', 'c.programme_version'])
    .where((eb) => eb.or([
      eb('t.status', 'in', RUNNING),
      eb('t.id', 'in', eb.selectFrom('follow_up').select('trajectory_id').where('status', '=', 'open').where('due_on', '<=', date)),
    ]))
    .where('t.anonymised_at', 'is', null).orderBy('t.id').execute();
  const placements = rows.length ? await db.selectFrom('placement').selectAll().where('trajectory_id', '=', anyOf(rows.map((r) => r.id))).orderBy('from_date').execute() : [];
  return rows.map((r) => ({
    id: r.id, workflowId: r.workflow_id, status: r.status, reference: r.reference, firstName: r.name.split(/\s+/)[0] ?? r.name, schoolId: r.school_id, officeId: r.programme_office_id,
    jobcoachId: r.jobcoach_id, programmeId: r.programme_id, programmeVersion: r.programme_version,
    placements: placements.filter((p) => p.trajectory_id === r.id).map((p) => ({ employerId: p.employer_id, from: p.from_date })),
  }));
}

const employerOn = (t: Running, date: string) => (t.placements.filter((p) => p.from <= date).at(-1) ?? t.placements[0])?.employerId;

/** Who gets what: a recipient is an organisation's contact of a role, or a single contact (the jobcoach). */
type To = { organisationId: string; role: ContactRole } | { contactId: string };
interface Due { to: To; item: DigestItem; subject: string }

/** One mail per recipient per morning, grouped by address. */
interface Recipient { email: string; name: string; organisationId: string; organisation: string }

/**
 * The people a target stands for, as the participant's own office knows them: only contacts that office made
 * (or the admin's), never one another office added to the same organisation. Keyed by target and office.
 */
async function resolveRecipients(db: Db, targets: { to: To; officeId: string | null }[]): Promise<Map<string, Recipient[]>> {
  const orgIds = [...new Set(targets.flatMap(({ to }) => ('organisationId' in to ? [to.organisationId] : [])))];
  const contactIds = [...new Set(targets.flatMap(({ to }) => ('contactId' in to ? [to.contactId] : [])))];
  const [orgs, orgContacts, contacts] = await Promise.all([
    findOwnedOrganisations(db, orgIds),
    orgIds.length ? db.selectFrom('contact').selectAll().where('organisation_id', 'in', orgIds).execute() : [],
    contactIds.length
      ? db.selectFrom('contact as k').innerJoin('organisation as o', 'o.id', 'k.organisation_id').select(['k.id', 'k.name', 'k.email', 'k.organisation_id', 'k.office_id', 'o.name as organisation']).where('k.id', 'in', contactIds).execute()
      : [],
  ]);
  const ours = (officeId: string | null, c: { office_id: string | null }) => (officeId === null ? c.office_id === null : contactOfOffice(officeId, c));
  const out = new Map<string, Recipient[]>();
  for (const { to, officeId } of targets) {
    const key = toKey(to, officeId);
    if (out.has(key)) continue;
    if ('contactId' in to) {
      const c = contacts.find((x) => x.id === to.contactId);
      out.set(key, c && ours(officeId, c) ? [{ email: c.email, name: c.name, organisationId: c.organisation_id, organisation: c.organisation }] : []);
      continue;
    }
    const org = orgs.find((o) => o.id === to.organisationId);
    if (!org) { out.set(key, []); continue; }
    const people = orgContacts.filter((c) => c.organisation_id === org.id && c.role === to.role && ours(officeId, c)).map((c) => ({ email: c.email, name: c.name, organisationId: org.id, organisation: org.name }));
    // Without a contact in that role, the organisation's own address receives it, so nothing is silently dropped;
    // but only an organisation the office may use (its own, the admin's, or shared with it by consent).
    const usable = officeId !== null && organisationRight(officeId, org) !== undefined;
    out.set(key, people.length ? people : org.email && usable ? [{ email: org.email, name: org.name, organisationId: org.id, organisation: org.name }] : []);
  }
  return out;
}

const toKey = (t: To, officeId: string | null) => `${officeId ?? '-'}|${'contactId' in t ? `contact:${t.contactId}` : `${t.organisationId}:${t.role}`}`;

/** What every running trajectory has due on `date`, for whom. */
async function dueItems(deps: ReminderDeps, date: string, holidays: ReadonlySet<string>): Promise<{ due: Due[]; trajectories: Running[]; rulesFor: (t: Running) => ReminderRules }> {
  const temporal = deps.temporal;
  if (!temporal) throw ApplicationFailure.nonRetryable('reminders need a Temporal client in the activity dependencies');
  const trajectories = await trajectoriesToRemind(deps.db, date);
  const rulesOf = new Map<string, ReminderRules>();
  const due: Due[] = [];
  const monday = isWeekStart(date, holidays);
  for (const t of trajectories) {
    const pk = `${t.programmeId}@${t.programmeVersion}`;
    if (!rulesOf.has(pk)) rulesOf.set(pk, { ...DEFAULT_REMINDERS, ...(await findProgramme(deps.db, t.programmeId, t.programmeVersion))?.template.reminders });
  }
  // Each trajectory's own answer, QUERIES_IN_FLIGHT at a time; one that cannot answer is counted, not silently left out.
  const skipped: string[] = [];
  const lives = await mapLimit(trajectories, QUERIES_IN_FLIGHT, async (t) => {
    if (!RUNNING.includes(t.status)) return undefined; // finished: only its follow-up, from SQL
    heartbeat();
    try {
      return await temporal.workflow.getHandle(t.workflowId).query(stateQuery, date);
    } catch (e) {
      skipped.push(`${t.id}: ${(e as Error).message}`);
      return undefined;
    }
  });
  if (skipped.length) log('warn', `reminders: ${skipped.length} trajectories did not answer and are left out this morning`, { first: skipped[0] });
  // After doorstroom: each open follow-up question on its first working morning, then weekly while open.
  const firstMorning = (due: string) => { let d = due; while (!isWorkingDay(d, holidays)) d = addDays(d, 1); return d; };
  const byTrajectory = new Map(trajectories.map((t) => [t.id, t]));
  for (const f of await openFollowUps(deps.db, date)) {
    const t = byTrajectory.get(f.trajectory_id);
    if (!t || !rulesOf.get(`${t.programmeId}@${t.programmeVersion}`)!.followUpWeekly) continue;
    if (!(monday || firstMorning(f.due_on) === date)) continue;
    const base = { trajectoryId: t.id, firstName: t.firstName, reference: t.reference };
    const subject = `follow-up-${f.months}`;
    if (f.employed === null) due.push({ to: { organisationId: f.employer_id, role: 'workplace_trainer' }, subject, item: { ...base, kind: 'follow_up', followUp: { months: f.months, question: 'employed', closesOn: f.closes_on } } });
    if (f.school_id && f.enrolled === null) due.push({ to: { organisationId: f.school_id, role: 'roc_coordinator' }, subject, item: { ...base, kind: 'follow_up', followUp: { months: f.months, question: 'enrolled', closesOn: f.closes_on } } });
  }

  for (const [index, t] of trajectories.entries()) {
    const rules = rulesOf.get(`${t.programmeId}@${t.programmeVersion}`)!;
    const handle = temporal.workflow.getHandle(t.workflowId);
    const live = lives[index];
    if (!live || !RUNNING.includes(live.status)) continue;
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
      for (const d of days) due.push({ to: { organisationId: employerId, role: 'workplace_trainer' }, subject: d.date, item: { ...base, kind: 'attendance_placement', days: [d] } });
    }
    for (const d of late.filter((x) => x.kind === 'school')) {
      due.push({ to: { organisationId: t.schoolId, role: 'roc_coordinator' }, subject: d.date, item: { ...base, kind: 'attendance_school', days: [{ date: d.date, kind: 'school' }] } });
    }

    // Monday: the employer's overview of who is expected on which days this week.
    if (rules.weekOverview && monday && live.status !== 'paused') {
      const schedule = await handle.query(scheduleQuery);
      const week = schedule.weeks.flatMap((w) => w.days).filter((d) => d.kind === 'placement' && d.status === 'planned' && d.date >= date && d.date < addDays(date, 8 - isoWeekday(date)));
      const employer = employerOn(t, date);
      if (employer && week.length) due.push({ to: { organisationId: employer, role: 'workplace_trainer' }, subject: date, item: { ...base, kind: 'week_overview', days: week.map((d) => ({ date: d.date, kind: 'placement' as const })) } });
    }

    // The jobcoach: checkpoints due within N working days, and overdue ones.
    if (t.jobcoachId) {
      for (const c of live.open.checkpoints) {
        if (workingDaysBetween(date, c.weekEnd, holidays) <= rules.checkpointDueWithinWorkingDays) {
          due.push({ to: { contactId: t.jobcoachId }, subject: c.key, item: { ...base, kind: 'checkpoint_due', checkpoint: c } });
        }
      }
      for (const c of live.open.overdueCheckpoints) due.push({ to: { contactId: t.jobcoachId }, subject: c.key, item: { ...base, kind: 'checkpoint_overdue', checkpoint: c } });
    }

    // The BBL decision: weekly, each party for its own confirmation.
    if (rules.bblDecisionWeekly && monday && live.open.bbl.length) {
      const employer = employerOn(t, date);
      if (employer && live.open.bbl.includes('employer_contract')) due.push({ to: { organisationId: employer, role: 'workplace_trainer' }, subject: 'bbl', item: { ...base, kind: 'bbl_decision', missing: ['employer_contract'] } });
      if (live.open.bbl.includes('school_enrolment')) due.push({ to: { organisationId: t.schoolId, role: 'roc_coordinator' }, subject: 'bbl', item: { ...base, kind: 'bbl_decision', missing: ['school_enrolment'] } });
    }

    // The coordinator: a risk signal, once per kind of signal.
    if (rules.riskSignals && coordinator) {
      // Once per occurrence: a new run of absences or another checkpoint at risk is raised again.
      for (const r of live.risks) due.push({ to: coordinator, subject: `${r.kind}:${r.reason.match(/\d{4}-\d{2}-\d{2}/)?.[0] ?? ''}`, item: { ...base, kind: 'risk_raised', risk: dutchRisk(r) } });
    }
  }
  return { due, trajectories, rulesFor: (t) => rulesOf.get(`${t.programmeId}@${t.programmeVersion}`) ?? DEFAULT_REMINDERS };
}

/** The week's first working day: Monday, or Tuesday after Tweede Paasdag or Tweede Pinksterdag. */
function isWeekStart(date: string, holidays: ReadonlySet<string>): boolean {
  let d = addDays(date, 1 - isoWeekday(date));
  while (!isWorkingDay(d, holidays) && isoWeekday(d) < 5) d = addDays(d, 1);
  return d === date;
}

/** Reminders that escalate when ignored (a checkpoint merely due is not late yet). */
const PARTNER_KINDS: ReminderKind[] = ['attendance_placement', 'attendance_school', 'checkpoint_overdue', 'bbl_decision', 'follow_up'];

/** A risk signal's reason in Dutch, for the coordinator's mail (the API gives it in English). */
export function dutchRisk(r: { kind: string; reason: string }): string {
  const dates = r.reason.match(/\d{4}-\d{2}-\d{2}/g) ?? [];
  const numbers = r.reason.match(/\d+(?=\D)/g) ?? [];
  switch (r.kind) {
    case 'unexcused_absences': return `${numbers[0] ?? 'meerdere'} keer ongeoorloofd afwezig binnen twee weken (${dates.join(', ')})`;
    case 'checkpoint_at_risk': return `checkpoint ${r.reason.match(/checkpoint (\S+)/)?.[1] ?? ''} is op ${dates[0] ?? ''} vastgelegd als "risico"`;
    case 'checkpoint_overdue': return `checkpoint ${r.reason.match(/checkpoint (.+?) \(week/)?.[1] ?? ''} moest uiterlijk ${dates[0] ?? ''} vastgelegd zijn en is dat niet`;
    case 'low_attendance': {
      const m = r.reason.match(/attended (\d+) of (\d+) recorded days \((\d+)%\), below the programme's (\d+)%/);
      return m ? `aanwezig op ${m[1]} van ${m[2]} geregistreerde dagen (${m[3]}%), onder de norm van ${m[4]}%` : 'aanwezigheid onder de norm van het programma';
    }
    default: return r.reason;
  }
}

/** Keeps a long compose alive with Temporal; outside an activity (the simulator, tests) there is nothing to tell. */
function heartbeat(): void {
  try { Context.current().heartbeat(); } catch { /* not in an activity */ }
}
function log(level: 'warn' | 'info', message: string, attrs: Record<string, unknown>): void {
  try { Context.current().log[level](message, attrs); } catch { console.warn(message, attrs); }
}

export function createReminderActivities(deps: ReminderDeps) {
  const now = () => deps.now?.() ?? Date.now();
  const holidaysAround = (date: string) => new Set(dutchHolidays(addDays(date, -30), addDays(date, 60)).map((h) => h.date));

  return {
    /**
     * Composes the morning's digests into the outbox: one row per recipient and day, so composing again
     * (a retried activity, a second run) adds nothing. Returns the ids of the day's queued mails.
     */
    async composeDigests(input: { date: string }): Promise<string[]> {
      const { date } = input;
      const holidays = holidaysAround(date);
      if (isoWeekday(date) === 7 || holidays.has(date)) return [];
      const { due, trajectories, rulesFor } = await dueItems(deps, date, holidays);

      // Escalation: a partner's reminder about the same thing sent (at least) twice before, and still due.
      const sent = new Map((await remindersSentBefore(deps.db, trajectories.map((t) => t.id), date)).map((s) => [`${s.trajectory_id}|${s.kind}|${s.subject}|${s.organisation_id}`, s]));
      const raised = await alreadyRaised(deps.db, trajectories.map((t) => t.id));
      const byId = new Map(trajectories.map((t) => [t.id, t]));
      // Names of the organisations reminded before, and the organisation of each jobcoach: one query each.
      const remindedOrgs = [...new Set([...sent.values()].map((x) => x.organisation_id))];
      const orgNames = new Map(remindedOrgs.length ? (await deps.db.selectFrom('organisation').select(['id', 'name']).where('id', 'in', remindedOrgs).execute()).map((o) => [o.id, o.name]) : []);
      const contactIds = [...new Set(due.flatMap((d) => ('contactId' in d.to ? [d.to.contactId] : [])))];
      const contactOrg = new Map(contactIds.length ? (await deps.db.selectFrom('contact').select(['id', 'organisation_id']).where('id', 'in', contactIds).execute()).map((c) => [c.id, c.organisation_id]) : []);
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
        if (previous && Number(previous.times) >= rulesFor(trajectory).escalateAfterReminders && officeId && !raised.has(`${d.item.trajectoryId}|escalation|${escalation}`)) {
          raised.add(`${d.item.trajectoryId}|escalation|${escalation}`);
          all.push({
            to: { organisationId: officeId, role: 'coordinator' }, subject: escalation,
            item: { ...d.item, kind: 'escalation', ignored: { kind: d.item.kind, organisation: orgNames.get(previous.organisation_id) ?? previous.organisation_id, times: Number(previous.times) } },
          });
        }
      }

      const officeOf = (d: Due) => byId.get(d.item.trajectoryId)?.officeId ?? null;
      const recipients = await resolveRecipients(deps.db, all.map((d) => ({ to: d.to, officeId: officeOf(d) })));
      const digests = new Map<string, { recipient: Recipient; items: DigestItem[]; keys: { trajectory_id: string; kind: string; subject: string }[] }>();
      for (const d of all) {
        for (const r of recipients.get(toKey(d.to, officeOf(d))) ?? []) {
          const key = `${r.email.toLowerCase()}|${r.organisationId}`;
          const digest = digests.get(key) ?? { recipient: r, items: [], keys: [] };
          // One attendance line per participant, with all the days still to record.
          const same = digest.items.find((i) => i.trajectoryId === d.item.trajectoryId && i.kind === d.item.kind && (i.kind === 'attendance_placement' || i.kind === 'attendance_school'));
          if (same) same.days = [...(same.days ?? []), ...(d.item.days ?? [])];
          else digest.items.push({ ...d.item, days: d.item.days && [...d.item.days] });
          digest.keys.push({ trajectory_id: d.item.trajectoryId, kind: d.item.kind, subject: d.subject });
          digests.set(key, digest);
        }
      }
      const ids: string[] = [];
      for (const { recipient, items, keys } of digests.values()) {
        const digest: Digest = { recipient: { name: recipient.name, email: recipient.email }, organisation: recipient.organisation, date, items, baseUrl: deps.publicUrl ?? 'http://127.0.0.1:3000' };
        const mail = renderDigest(digest);
        ids.push(await enqueueMail(deps.db, {
          id: crypto.randomUUID(), key: `${recipient.email.toLowerCase()}|${recipient.organisationId}|digest|${date}`, recipient: recipient.email, recipient_name: recipient.name,
          organisation_id: recipient.organisationId, kind: 'digest', day: date, subject: mail.subject, text: mail.text, html: mail.html,
          // (recipient, kind, day): the recipient is a person at an organisation, so one address with two roles gets two digests.
        }, keys));
      }
      return ids;
    },

    /**
     * Sends queued mails. Never on Sundays or holidays or between 20:00 and 07:00: then it asks Temporal to
     * retry at 07:00 on the next allowed morning. A refusal by the receiving server (5xx, e.g. an unknown
     * address) is permanent: recorded as failed, not retried. Anything else (server down) leaves the mail
     * queued and fails the activity, so Temporal retries it with backoff until the server is back.
     */
    async deliverMail(input: { ids: string[] }): Promise<{ sent: number; failed: number }> {
      const mailer = deps.mailer;
      if (!mailer) throw ApplicationFailure.nonRetryable('no mailer configured for the worker');
      const t = now();
      const at = nextMailMoment(t, holidaysAround(localDate(t)));
      if (at > t) throw ApplicationFailure.create({ message: `outside mail hours; next attempt at ${new Date(at).toISOString()}`, type: 'OutsideMailHours', nextRetryDelay: at - t });
      await markUncertain(deps.db, 15);
      await supersedeStale(deps.db);
      let sent = 0;
      let failed = 0;
      let transient: string | undefined;
      for (const id of input.ids) {
        heartbeat();
        const mail = await claimMail(deps.db, id);
        if (!mail) continue; // sent, being sent by a worker that died mid-way, or failed: never again
        try {
          await mailer.send({ to: mail.recipient, subject: mail.subject, text: mail.text, html: mail.html, messageId: `<${mail.id}@toeleiding>` });
        } catch (e) {
          // Permanent only when the receiving server refused this address; any other refusal (authentication,
          // a server-wide 554) is the server's and waits for it to be fixed.
          const err = e as { responseCode?: number; message?: string; code?: string; command?: string };
          if (err.responseCode && err.responseCode >= 500 && (err.code === 'EENVELOPE' || /RCPT/i.test(err.command ?? ''))) {
            await markMail(deps.db, id, { status: 'failed', error: `${err.responseCode} ${err.message ?? ''}` });
            failed++;
          } else {
            await markMail(deps.db, id, { status: 'queued', error: err.message ?? String(e) });
            transient = err.message ?? String(e);
          }
          continue;
        }
        await markMail(deps.db, id, { status: 'sent' });
        sent++;
      }
      if (transient) throw ApplicationFailure.create({ message: `mail server unavailable (${transient}); the rest stays queued`, type: 'MailUnavailable' });
      return { sent, failed };
    },
  };
}
