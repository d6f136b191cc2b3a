// Keeping the benefit: a participant's instrument as the payer set it, the payer's extension decisions and BBL
// adjustment, the guard every change to a running trajectory passes (and its preview), and a payer's provisions of
// a month. The rules are domain/benefit.ts; the planned end after a change is the workflow's own answer.
import { QueryNotRegisteredError } from '@temporalio/client';
import {
  confirmAdjustment,
  findBenefit,
  insertExtension,
  listPayerBenefits,
  listPayerExtensions,
  upsertBenefit,
  type BenefitRecord,
} from '../../db/benefit';
import { findCohort } from '../../db/cohorts';
import { findOrganisation } from '../../db/organisations';
import { findTrajectory } from '../../db/trajectories';
import { deadlinesChanged } from './deadlines';
import type { Trajectory as TrajectoryRow } from '../../db/schema';
import {
  checkPlannedEnd,
  defaultInstrument,
  extensionProblem,
  isProblem,
  ruleOf,
  ruleSetFor,
  type BenefitCheck,
  type BenefitInstrument,
  type BenefitProblem,
  type ExtensionDecision,
  type Instrument,
  type InstrumentRule,
  type PayerKind,
} from '../../domain/benefit';
import { addDays, addMonths } from '../../domain/calendar';
import type { Change } from '../../domain/changes';
import { refusalInDutch, refusalInEnglish } from '../../domain/refusals';
import { endAfterChangeQuery, type EndAfterChange } from '../../workflows/benefit';
import { dutchCsvOf, type Column } from '../../web/spreadsheet';
import type { Principal } from '../auth';
import { notFound, says, unprocessable, type FieldProblem } from '../errors';
import { temporalCall } from '../temporal-calls';
import type {
  AdjustmentBody,
  BenefitAtLaunch,
  BenefitBody,
  BenefitView,
  ChangePreview,
  Provisions,
} from '../schemas/benefit';
import { pageOf, type Page } from '../schemas/common';
import type { AppDeps } from '../deps';
import { today } from './trajectories';

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'now' | 'config'>;

const isPayerKind = (k: string | undefined): k is PayerKind => k === 'gemeente' || k === 'uwv';

/** The instrument a launch names (or the payer kind's default), checked against the rule set it falls under. */
export function instrumentAtLaunch(
  payerKind: PayerKind,
  region: string,
  cohortStart: string,
  input: BenefitAtLaunch,
): { instrument: Instrument; rule_set: string; start_date: string; decision_date: string } | BenefitProblem {
  const ruleSet = ruleSetFor(payerKind, region).id;
  const instrument = input.instrument ?? defaultInstrument(payerKind);
  const rule = ruleOf({ instrument, ruleSet });
  if (isProblem(rule)) return rule;
  const start = input.startDate ?? cohortStart;
  return { instrument, rule_set: ruleSet, start_date: start, decision_date: input.decisionDate ?? start };
}

const instrumentOf = (r: BenefitRecord): BenefitInstrument => ({
  instrument: r.instrument,
  ruleSet: r.rule_set,
  startDate: r.start_date,
  decisionDate: r.decision_date,
  extensions: r.extensions.map((x) => ({
    until: x.until,
    decidedOn: x.decided_on,
    ...(x.reference !== null && { reference: x.reference }),
  })),
});

async function requireTrajectory(deps: Deps, id: string): Promise<TrajectoryRow> {
  const t = await findTrajectory(deps.db, id);
  if (!t) throw notFound(says(`Trajectory ${id}`, `Traject ${id}`));
  return t;
}

const noInstrument = (id: string) =>
  notFound(
    says(
      `No benefit instrument recorded for trajectory ${id}`,
      `Geen uitkeringsinstrument vastgelegd voor traject ${id}`,
    ),
  );

async function requireBenefit(deps: Deps, id: string): Promise<{ record: BenefitRecord; rule: InstrumentRule }> {
  const record = await findBenefit(deps.db, id);
  if (!record) throw noInstrument(id);
  const rule = ruleOf({ instrument: record.instrument, ruleSet: record.rule_set });
  // A rule set a region removed: the stored instrument is judged by nothing; say so rather than guess.
  if (isProblem(rule)) throw unprocessable([{ field: rule.field, message: rule.en, nl: rule.nl }]);
  return { record, rule };
}

export async function getBenefit(deps: Deps, id: string): Promise<BenefitView> {
  const t = await requireTrajectory(deps, id);
  const { record, rule } = await requireBenefit(deps, id);
  const b = instrumentOf(record);
  return {
    trajectoryId: id,
    payerId: record.payer_id,
    instrument: record.instrument,
    instrumentName: rule.nameNl,
    legalBasis: rule.legalBasis,
    ruleSet: record.rule_set,
    startDate: record.start_date,
    decisionDate: record.decision_date,
    extensions: b.extensions,
    adjustment:
      record.adjustment_outcome && record.adjustment_confirmed_on
        ? { outcome: record.adjustment_outcome, date: record.adjustment_confirmed_on }
        : null,
    check: checkPlannedEnd(b, rule, t.end_date),
  };
}

/**
 * The payer's page (web/benefit.ts): the instrument exactly as GET /v1/trajectories/{id}/benefit gives it, with the
 * participant's pseudonymous reference the payer already has from its provisions, and today. Nothing else of the
 * trajectory: the payer sees no more of it than through the API.
 */
export async function benefitSheet(
  deps: Deps,
  id: string,
): Promise<{ view: BenefitView; reference: string; today: string }> {
  const t = await requireTrajectory(deps, id);
  return { view: await getBenefit(deps, id), reference: t.reference, today: today(deps) };
}

/** The coordinator or the payer sets the instrument; the rule set follows the payer (UWV) or the cohort's region. */
export async function setBenefit(deps: Deps, id: string, body: BenefitBody): Promise<BenefitView> {
  const t = await requireTrajectory(deps, id);
  const payer = t.benefit_payer_id ? await findOrganisation(deps.db, t.benefit_payer_id) : undefined;
  const cohort = await findCohort(deps.db, t.cohort_id);
  if (!payer || !isPayerKind(payer.kind) || !cohort)
    throw unprocessable([
      {
        field: 'instrument',
        message: 'the participant has no gemeente or UWV as benefit payer',
        nl: 'de deelnemer heeft geen gemeente of UWV als uitkeringsverstrekker',
      },
    ]);
  const b = instrumentAtLaunch(payer.kind, cohort.region, body.startDate, body);
  if ('field' in b) throw unprocessable([{ field: b.field, message: b.en, nl: b.nl }]);
  await upsertBenefit(deps.db, { ...b, trajectory_id: id, payer_id: payer.id });
  await deadlinesChanged(deps, id);
  return getBenefit(deps, id);
}

const recorder = (p: Principal) => (p.role === 'admin' ? 'admin' : `${p.role}:${p.organisationId ?? p.actor}`);

/** The payer's extension decision, once per request id; one past the rule's ceiling is refused naming `until`. */
export async function recordExtension(
  deps: Deps,
  principal: Principal,
  id: string,
  body: ExtensionDecision,
  requestId: string,
): Promise<BenefitView> {
  const { record, rule } = await requireBenefit(deps, id);
  const problem = extensionProblem(instrumentOf(record), rule, body);
  if (problem) throw unprocessable([{ field: problem.field, message: problem.en, nl: problem.nl }]);
  await insertExtension(deps.db, {
    request_id: requestId,
    trajectory_id: id,
    until: body.until,
    decided_on: body.decidedOn,
    reference: body.reference ?? null,
    recorded_by: recorder(principal),
  });
  await deadlinesChanged(deps, id);
  return getBenefit(deps, id);
}

/** The payer confirms the benefit was adjusted or ended for the BBL contract: the task is done. */
export async function recordAdjustment(
  deps: Deps,
  principal: Principal,
  id: string,
  body: AdjustmentBody,
): Promise<BenefitView> {
  await requireBenefit(deps, id);
  await confirmAdjustment(deps.db, id, { outcome: body.outcome, date: body.date, by: recorder(principal) });
  await deadlinesChanged(deps, id);
  return getBenefit(deps, id);
}

/** The changes that move the planned end or continue the placement: each is held against the instrument. */
const GUARDED: Partial<Record<Change['type'], string>> = {
  pause: 'from',
  resume: 'date',
  extension: 'weeks',
  employer_change: 'from',
};

/** The workflow's answer to "what would this change do"; undefined from a run too old to answer it. */
async function endAfter(deps: Deps, t: TrajectoryRow, change: Change): Promise<EndAfterChange | undefined> {
  try {
    return await temporalCall(deps, (c) =>
      c.workflow.getHandle(t.workflow_id).query(endAfterChangeQuery, change, today(deps)),
    );
  } catch (e) {
    // A run on the frozen first version has no such query; the update itself still decides. Anything else (Temporal
    // unreachable or late: a 503) is answered as it is, never taken as "no check".
    if (e instanceof QueryNotRegisteredError || /did not register a handler for endAfterChange/.test(String(e)))
      return undefined;
    throw e;
  }
}

/**
 * The one check, for a change and for its preview: the planned end after the change against the instrument's
 * maximum with the payer's recorded extension decisions. Null when nothing is recorded or the change moves no end.
 */
async function benefitCheck(
  deps: Deps,
  t: TrajectoryRow,
  change: Change,
  after: EndAfterChange | undefined,
): Promise<BenefitCheck | null> {
  if (!GUARDED[change.type] || !after || 'refused' in after) return null;
  const record = await findBenefit(deps.db, t.id);
  const rule = record && ruleOf({ instrument: record.instrument, ruleSet: record.rule_set });
  if (!record || !rule || isProblem(rule)) return null;
  return checkPlannedEnd(instrumentOf(record), rule, after.endDate);
}

/** Refuses a change that would carry the participant past the instrument's maximum (422, the field named). */
export async function guardBenefit(deps: Deps, t: TrajectoryRow, change: Change): Promise<void> {
  if (!GUARDED[change.type]) return;
  const check = await benefitCheck(deps, t, change, await endAfter(deps, t, change));
  if (check?.pastMaximum && check.explanation)
    throw unprocessable([{ field: GUARDED[change.type]!, message: check.explanation.en, nl: check.explanation.nl }]);
}

/** What /changes would do with the change, recording nothing: the workflow's own checks and the benefit check. */
export async function previewChange(deps: Deps, id: string, change: Change): Promise<ChangePreview> {
  const t = await requireTrajectory(deps, id);
  const after = await endAfter(deps, t, change);
  const benefit = await benefitCheck(deps, t, change, after);
  const errors: Pick<FieldProblem, 'field' | 'message' | 'nl'>[] = [];
  if (after && 'refused' in after)
    errors.push({
      field: after.refused.field,
      message: refusalInEnglish(after.refused.refusal),
      nl: refusalInDutch(after.refused.refusal),
    });
  if (benefit?.pastMaximum && benefit.explanation)
    errors.push({ field: GUARDED[change.type]!, message: benefit.explanation.en, nl: benefit.explanation.nl });
  return {
    accepted: errors.length === 0,
    endBefore: after && !('refused' in after) ? after.endBefore : null,
    endAfter: after && !('refused' in after) ? after.endDate : null,
    errors,
    benefit,
  };
}

interface ProvisionRow {
  trajectoryId: string;
  reference: string;
  instrument: Instrument;
  legalBasis: string;
  startDate: string;
  endDate: string;
  decisionDate: string;
}

/**
 * A payer's provisions that ran on a day of `month`: per participant the instrument, its start, its end (the
 * planned end, or the maximum when that comes first, or the day the trajectory ended early) and the decision date,
 * in the shape of the monthly SRG delivery to CBS (one row per provision, dates, no names). Only the caller's own.
 */
export async function provisionsOf(
  deps: Deps,
  principal: Principal,
  month: string,
): Promise<{ payerId: string; month: string; items: ProvisionRow[] }> {
  const payerId = principal.organisationId!;
  const first = `${month}-01`;
  const last = addDays(addMonths(first, 1), -1);
  const [rows, extensions] = await Promise.all([
    listPayerBenefits(deps.db, payerId, last),
    listPayerExtensions(deps.db, payerId),
  ]);
  const items: ProvisionRow[] = [];
  for (const r of rows) {
    const rule = ruleOf({ instrument: r.instrument, ruleSet: r.rule_set });
    if (isProblem(rule)) continue;
    const b: BenefitInstrument = {
      instrument: r.instrument,
      ruleSet: r.rule_set,
      startDate: r.start_date,
      decisionDate: r.decision_date,
      extensions: extensions
        .filter((x) => x.trajectory_id === r.trajectory_id)
        .map((x) => ({ until: x.until, decidedOn: x.decided_on })),
    };
    const check = checkPlannedEnd(b, rule, r.end_date);
    const dropout = r.outcome?.kind === 'dropout' ? r.outcome.date : null;
    const ends = [r.end_date, check.maximumEnd, dropout].filter((d): d is string => d !== null).sort();
    const endDate = ends[0]!;
    if (endDate < first) continue;
    items.push({
      trajectoryId: r.trajectory_id,
      reference: r.reference,
      instrument: r.instrument,
      legalBasis: rule.legalBasis,
      startDate: r.start_date,
      endDate,
      decisionDate: r.decision_date,
    });
  }
  return { payerId, month, items };
}

const PROVISION_COLUMNS: Column<ProvisionRow>[] = [
  { header: 'Kenmerk deelnemer', value: (r) => r.reference },
  { header: 'Instrument', value: (r) => r.instrument },
  { header: 'Wettelijke grondslag', value: (r) => r.legalBasis, width: 60 },
  { header: 'Begindatum voorziening', value: (r) => r.startDate },
  { header: 'Einddatum voorziening', value: (r) => r.endDate },
  { header: 'Datum besluit', value: (r) => r.decisionDate },
];

/** The same rows as CSV for Dutch Excel (web/spreadsheet.ts: semicolons, a byte-order mark). */
export const provisionsCsv = (rows: ProvisionRow[]) => dutchCsvOf(PROVISION_COLUMNS, rows);

/** A page of them as JSON, without the trajectory ids (the audit log gets those). */
export const provisionsPage = (
  p: { payerId: string; month: string; items: ProvisionRow[] },
  page: Page,
): Provisions => {
  const { items, ...rest } = pageOf(p.items, page);
  return { payerId: p.payerId, month: p.month, items: items.map(({ trajectoryId: _, ...i }) => i), ...rest };
};
