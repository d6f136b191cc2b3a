// Every deadline a durable timer (issue 21, part 5): the kinds of deadline, and the activities a trajectory's
// deadlines workflow (workflows/deadlines.ts) runs. A kind is its facts (a query of what it depends on, read afresh
// each time: a payer's extension decision, a rule set a region edits, a confirmation through the API), its rule
// (pure, in domain/: a Deadline, 'waiting' or 'done') and what the morning mail says of it. The workflow asks for
// the next day any kind is reached, sleeps on a timer until then (woken by `deadlinesChanged` when the API changes
// the facts), and on that day records what is reached, once per (trajectory, kind, day, recipient), in
// `deadline_reached`;
// the digest mails each recorded row once (deadlineDues).
//
// Adding a kind:
//   1. its rule in domain/ (a function of its facts returning DeadlineRule: `from`, `weekly`, `to`, `data`);
//   2. a facts query in db/ (undefined when the subject has none yet);
//   3. an entry in KINDS below, and its ReminderKind, text and subject line in activities/mail-texts.ts;
//   4. a `deadlinesChanged` signal (api/services/deadlines.ts) wherever the API changes its facts.
// The workflow, the table and the digest need nothing new.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { benefitDeadlineFacts, listExtensionsOf } from '../db/benefit';
import type { Db } from '../db/connection';
import { deadlineSubject, reachedSubject, reachedToMail, recordReached, unmailedOf, withdraw } from '../db/deadlines';
import { subsidyWeeksOf } from '../db/evidence';
import { findPokFacts, pokRecordOf } from '../db/praktijkovereenkomst';
import { benefitAdjustmentDeadline, benefitMaximumDeadline, type BenefitDeadlineFacts } from '../domain/benefit';
import { addDays } from '../domain/calendar';
import {
  isDeadline,
  nextReached,
  reachedOn,
  RECHECK_DAYS,
  type Deadline,
  type DeadlineRecipient,
  type DeadlineRule,
} from '../domain/deadlines';
import {
  pokDueDeadline,
  pokLateDeadline,
  pokTrajectoryRefusal,
  type PokDeadlineFacts,
} from '../domain/praktijkovereenkomst';
import { MAX_SUBSIDY_WEEKS, subsidyDeadline, subsidyYearDue, type SubsidyDeadlineFacts } from '../domain/subsidy';
import { BBL_DECISION_DAYS_AFTER_END } from '../domain/state';
import { isRunning } from '../domain/statuses';
import type { DeadlinesInput } from '../workflows/deadlines';
import { deadlinesWorkflowId } from '../workflows/ids';
import { dutchHolidays } from './holidays';
import type { ActivityDeps } from './index';
import type { DigestItem, ReminderKind } from './mail-texts';
import type { Due } from './reminders';

interface DeadlineKind<F> {
  kind: ReminderKind;
  /** `date`: the day the rule is asked for (the subsidy's school year is the one whose deadline comes next). */
  facts: (db: Db, trajectoryId: string, date: string) => Promise<F | undefined>;
  rule: (facts: F) => DeadlineRule;
  /** What the digest item carries of the recorded row's `data`, for the row's recipient. */
  item: (data: Record<string, unknown>, to: DeadlineRecipient) => Partial<DigestItem>;
}

const kind = <F>(k: DeadlineKind<F>) => k as DeadlineKind<unknown>;

async function benefitFacts(db: Db, trajectoryId: string): Promise<BenefitDeadlineFacts | undefined> {
  const r = await benefitDeadlineFacts(db, trajectoryId);
  if (!r) return undefined;
  const extensions = await listExtensionsOf(db, [trajectoryId]);
  return {
    benefit: {
      instrument: r.instrument,
      ruleSet: r.rule_set,
      startDate: r.start_date,
      decisionDate: r.decision_date,
      extensions: extensions.map((x) => ({ until: x.until, decidedOn: x.decided_on })),
    },
    payerId: r.payer_id,
    plannedEnd: r.end_date,
    running: isRunning(r.status),
    contractStart: r.contract_start,
    adjustmentConfirmedOn: r.adjustment_confirmed_on,
  };
}

const benefitItem = (data: Record<string, unknown>) => ({ benefit: data as unknown as DigestItem['benefit'] });

/** A POK's facts once the employer confirmed the BBL contract's start and the trajectory did not end otherwise. */
async function pokFacts(db: Db, trajectoryId: string): Promise<PokDeadlineFacts | undefined> {
  const r = await findPokFacts(db, trajectoryId);
  if (!r || r.anonymised_at || pokTrajectoryRefusal({ outcome: r.outcome, contractStart: r.contract_start }))
    return undefined;
  return {
    record: pokRecordOf(r),
    contractStart: r.contract_start!,
    currentEmployer: r.current_employer_id,
    schoolId: r.school_id,
    officeId: r.programme_office_id,
  };
}

const pokItem = (data: Record<string, unknown>) => ({ pok: data as unknown as DigestItem['pok'] });

async function subsidyFacts(db: Db, trajectoryId: string, date: string): Promise<SubsidyDeadlineFacts | undefined> {
  const subject = await deadlineSubject(db, trajectoryId);
  if (!subject) return undefined;
  const { schoolYear, deadline } = subsidyYearDue(date);
  const { weeks, later } = await subsidyWeeksOf(db, trajectoryId, schoolYear.from, schoolYear.to);
  return {
    schoolYear,
    deadline,
    weeks: weeks.map((w) => ({ employerId: w.employer_id, weeks: w.weeks })),
    more: later || isRunning(subject.status),
  };
}

/** Each employer's mail shows its own weeks with the participant. */
function subsidyItem(data: Record<string, unknown>, to: DeadlineRecipient): Partial<DigestItem> {
  const d = data as { schoolYear: string; deadline: string; weeks: Record<string, number> };
  const weeks = d.weeks[to.organisationId] ?? 0;
  return {
    subsidy: {
      schoolYear: d.schoolYear,
      deadline: d.deadline,
      weeks,
      counted: Math.min(weeks, MAX_SUBSIDY_WEEKS),
      employerId: to.organisationId,
    },
  };
}

/**
 * The kinds of deadline: the benefit payer's two (Keeping the benefit), the POK's due item and its escalation (The
 * praktijkovereenkomst) and the employer's subsidy reminders (Evidence for subsidy and ESF+), README.
 */
export const KINDS: DeadlineKind<unknown>[] = [
  kind({ kind: 'benefit_maximum', facts: benefitFacts, rule: benefitMaximumDeadline, item: benefitItem }),
  kind({ kind: 'benefit_adjustment', facts: benefitFacts, rule: benefitAdjustmentDeadline, item: benefitItem }),
  kind({ kind: 'pok_due', facts: pokFacts, rule: pokDueDeadline, item: pokItem }),
  kind({ kind: 'pok_late', facts: pokFacts, rule: pokLateDeadline, item: pokItem }),
  kind({ kind: 'subsidy_deadline', facts: subsidyFacts, rule: subsidyDeadline, item: subsidyItem }),
];

/** The public holidays around `today`, for the working days deadlines are reached on. */
const holidaysAround = (today: string) =>
  new Set(dutchHolidays(addDays(today, -14), addDays(today, 400)).map((h) => h.date));

interface Rules {
  rules: { kind: string; rule: DeadlineRule; facts: boolean }[];
  /** The trajectory's planned end; undefined once it is anonymised or unknown. */
  endDate?: string;
}

/** Every kind's rule for a trajectory as the facts stand; done for all once it is anonymised or unknown. */
async function rulesOf(db: Db, trajectoryId: string, date: string): Promise<Rules> {
  const subject = await deadlineSubject(db, trajectoryId);
  if (!subject) return { rules: KINDS.map((k) => ({ kind: k.kind, rule: 'done' as const, facts: false })) };
  const rules = await Promise.all(
    KINDS.map(async (k) => {
      const facts = await k.facts(db, trajectoryId, date);
      // No facts yet (no instrument recorded): one may still come while the trajectory runs.
      const rule: DeadlineRule = facts === undefined ? (isRunning(subject.status) ? 'waiting' : 'done') : k.rule(facts);
      if (isDeadline(rule) && rule.kind !== k.kind) throw new Error(`rule of ${k.kind} answered ${rule.kind}`);
      return { kind: k.kind, rule, facts: facts !== undefined };
    }),
  );
  return { rules, endDate: subject.end_date };
}

export interface NextDeadline {
  /** The next day a deadline is reached; undefined: none known now. */
  on?: string;
  /**
   * When to compute again without a signal, should none come: within a week while a kind has facts (a signal lost
   * costs at most that); with none at all (no instrument recorded), once the trajectory's own workflow will have
   * ended, when `done` can be told.
   */
  recheckOn: string;
  /** Nothing of any kind can come anymore: the workflow ends. */
  done: boolean;
}

export function createDeadlineActivities({ db, temporal }: ActivityDeps) {
  return {
    /**
     * The next day a deadline of the trajectory is reached after `after`; withdraws what was recorded but not
     * mailed yet that the facts no longer bring (the payer confirmed this morning, an extension moved the maximum).
     */
    async nextDeadline(input: { trajectoryId: string; after: string; today: string }): Promise<NextDeadline> {
      const holidays = holidaysAround(input.today);
      const { rules, endDate } = await rulesOf(db, input.trajectoryId, input.today);
      const byKind = new Map(rules.map((r) => [r.kind, r.rule]));
      const stale = (await unmailedOf(db, input.trajectoryId, input.today)).filter((row) => {
        const rule = byKind.get(row.kind);
        return !rule || !isDeadline(rule) || !reachedOn(rule, row.on, holidays);
      });
      await withdraw(db, stale);
      const days = rules
        .map((r) => r.rule)
        .filter(isDeadline)
        .map((d) => nextReached(d, input.after, input.today, holidays))
        .filter((d): d is string => d !== undefined)
        .sort();
      const week = addDays(input.today, RECHECK_DAYS);
      const afterItsEnd = endDate && addDays(endDate, BBL_DECISION_DAYS_AFTER_END + 1);
      const recheckOn = rules.some((r) => r.facts) || !afterItsEnd || afterItsEnd < week ? week : afterItsEnd;
      return { on: days[0], recheckOn, done: rules.every((r) => r.rule === 'done') };
    },
    /** Records every deadline of the trajectory reached on `on`, as the facts stand now; once per kind and day. */
    async reachDeadlines(input: { trajectoryId: string; on: string }): Promise<string[]> {
      const holidays = holidaysAround(input.on);
      const reached = (await rulesOf(db, input.trajectoryId, input.on)).rules
        .map((r) => r.rule)
        .filter((r): r is Deadline => isDeadline(r) && reachedOn(r, input.on, holidays));
      await recordReached(
        db,
        reached.flatMap((d) =>
          d.to.map((to) => ({
            trajectory_id: input.trajectoryId,
            kind: d.kind,
            on: input.on,
            organisation_id: to.organisationId,
            role: to.role,
            data: d.data,
          })),
        ),
      );
      return reached.map((d) => d.kind);
    },
    /** Starts the trajectory's deadlines workflow, once: a workflow of its own, it outlives the trajectory's. */
    async startDeadlines(input: DeadlinesInput): Promise<void> {
      if (!temporal)
        throw ApplicationFailure.retryable(
          'the worker has no Temporal client in its activity dependencies',
          'NoTemporalClient',
        );
      try {
        await temporal.workflow.start('deadlinesWorkflow', {
          taskQueue: Context.current().info.taskQueue,
          workflowId: deadlinesWorkflowId(input.trajectoryId),
          args: [input],
        });
      } catch (e) {
        if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
      }
    },
  };
}

/** The morning mail's part of `date`: every deadline reached by then that no earlier morning's mail carried. */
export async function deadlineDues(db: Db, date: string): Promise<Due[]> {
  const rows = await reachedToMail(db, date);
  const items = new Map<string, DeadlineKind<unknown>['item']>(KINDS.map((k) => [k.kind, k.item]));
  return rows.flatMap((r) => {
    const item = items.get(r.kind);
    if (!item) return [];
    return [
      {
        to: { organisationId: r.organisation_id, role: r.role },
        officeId: r.programme_office_id,
        subject: reachedSubject(r),
        item: {
          trajectoryId: r.trajectory_id,
          firstName: r.name.split(/\s+/)[0] ?? r.name,
          reference: r.reference,
          kind: r.kind as ReminderKind,
          ...item(r.data, { organisationId: r.organisation_id, role: r.role }),
        },
      },
    ];
  });
}
