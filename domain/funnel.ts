// The recruitment funnel: per step of a round's draaiboek how many candidates reached it, passed it, left there
// (and why) and are still at it, and how long the step took from reaching it to its outcome. Computed by replaying
// each candidate's recorded events through the draaiboek's own rules (domain/recruitment.ts), so a stopping outcome
// counts with the reason it implies, exactly as the process recorded it. For funders the same figures with the
// small cells of domain/suppression.ts hidden, none recoverable from the others in its funnel.
import { daysBetween } from './calendar';
import {
  enterRound,
  leaveRound,
  LEAVE_REASONS,
  recordStep,
  STEP_NL,
  type CandidateState,
  type Draaiboek,
  type LeaveReason,
  type StepResult,
} from './recruitment';
import { MIN_CELL, suppressGroup, suppressTotal, type Shown } from './suppression';

/** One recorded event of a candidate's process (candidate_event), as the projection wrote it. */
export interface FunnelEvent {
  type: string;
  on: string;
  data: Record<string, unknown>;
}

/** Days from reaching a step to its outcome: how many outcomes, their median, quartiles and extremes. */
export interface Durations {
  n: number;
  median: number | null;
  q1: number | null;
  q3: number | null;
  min: number | null;
  max: number | null;
}

export interface FunnelStep {
  step: string;
  name: string;
  /** Reached the step. Equals the sum of passed, left and inProgress. */
  entered: number;
  /** Its going-on outcome: the next step's entered (for the last step: matched). */
  passed: number;
  /** Left at the step: by its stopping outcome or by leaving, per reason (every reason, zero or not). */
  left: number;
  leftBy: Record<LeaveReason, number>;
  /** Still at the step, and of those past its deadline. */
  inProgress: number;
  overdue: number;
  /** Reaching the step to its recorded outcome (going on or stopping), in calendar days. */
  days: Durations;
}

export interface Funnel {
  candidates: number;
  matched: number;
  steps: FunnelStep[];
}

const LEAVE_KEYS = Object.keys(LEAVE_REASONS) as LeaveReason[];
const zeroReasons = () => Object.fromEntries(LEAVE_KEYS.map((r) => [r, 0])) as Record<LeaveReason, number>;

/** A quantile of sorted numbers by linear interpolation (the spreadsheet's PERCENTILE.INC), to one decimal. */
function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const value = sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (at - lo);
  return Math.round(value * 10) / 10;
}

export function durationsOf(days: number[]): Durations {
  if (days.length === 0) return { n: 0, median: null, q1: null, q3: null, min: null, max: null };
  const s = [...days].sort((a, b) => a - b);
  return {
    n: s.length,
    median: quantile(s, 0.5),
    q1: quantile(s, 0.25),
    q3: quantile(s, 0.75),
    min: s[0]!,
    max: s.at(-1)!,
  };
}

/** What one candidate did at each step, replayed from its events by the draaiboek's rules. */
interface Path {
  /** Per step index: when reached, and the outcome's date if any. */
  reached: { on: string; outcomeOn?: string }[];
  state: CandidateState;
  overdue: boolean;
}

function replay(d: Draaiboek, events: FunnelEvent[]): Path | undefined {
  const entered = events.find((e) => e.type === 'entered');
  if (!entered) return undefined;
  let state = enterRound(d, entered.on);
  let overdue = false;
  const reached: Path['reached'] = [{ on: entered.on }];
  for (const e of events) {
    if (e.type === 'overdue') overdue = state.status === 'in_progress';
    if (e.type === 'step_recorded') {
      const at = state.step;
      const r = recordStep(d, state, e.data as unknown as StepResult);
      // The process recorded only what the rules accepted; anything else is not part of this candidate's path.
      if (!('state' in r)) continue;
      reached[at]!.outcomeOn = e.on;
      state = r.state;
      overdue = false;
      if (state.status === 'in_progress' && state.step > at) reached[state.step] = { on: e.on };
    }
    if (e.type === 'left') {
      const r = leaveRound(d, state, e.data.reason as LeaveReason, e.on);
      if (!('state' in r)) continue;
      state = r.state;
      overdue = false;
    }
  }
  return { reached, state, overdue };
}

/** The funnel of candidates (each with its events in order) through one draaiboek. */
export function funnelOf(d: Draaiboek, candidates: FunnelEvent[][]): Funnel {
  const steps = d.steps.map((s): FunnelStep & { spans: number[] } => ({
    step: s.key,
    name: s.name || STEP_NL[s.kind],
    entered: 0,
    passed: 0,
    left: 0,
    leftBy: zeroReasons(),
    inProgress: 0,
    overdue: 0,
    days: durationsOf([]),
    spans: [],
  }));
  let counted = 0;
  for (const events of candidates) {
    const path = replay(d, events);
    if (!path) continue;
    counted++;
    path.reached.forEach((r, i) => {
      const at = steps[i]!;
      at.entered++;
      if (r.outcomeOn !== undefined) at.spans.push(daysBetween(r.on, r.outcomeOn));
    });
    const { state } = path;
    const here = steps[state.step]!;
    if (state.status === 'left') {
      here.left++;
      here.leftBy[state.left!.reason]++;
    } else if (state.status === 'in_progress') {
      here.inProgress++;
      if (path.overdue) here.overdue++;
    }
    // Passed: every step before the one the candidate stands at, and that one too once matched.
    const through = state.status === 'matched' ? state.step + 1 : state.step;
    for (let i = 0; i < through; i++) steps[i]!.passed++;
  }
  return {
    candidates: counted,
    matched: steps.at(-1)!.passed,
    steps: steps.map(({ spans, ...s }) => ({ ...s, days: durationsOf(spans) })),
  };
}

// --- for funders ---------------------------------------------------------------------------------------------

export interface ShownFunnelStep {
  step: string;
  name: string;
  entered: number | null;
  passed: number | null;
  left: number | null;
  inProgress: number | null;
  leftBy: Shown;
  /** The median days, shown when at least MIN_CELL outcomes stand behind it and the step's counts are shown. */
  medianDays: number | null;
}

export interface ShownFunnel {
  candidates: number | null;
  matched: number | null;
  steps: ShownFunnelStep[];
}

/**
 * The funnel with the one suppression rule applied: the candidates are the first step's total; each step's passed,
 * left and still-there add up to its entered, and its reasons to its left (suppressGroup). A step's passed is the
 * next step's entered: once it is hidden, the next step's total is hidden too, and so everything after it, or the
 * hidden cell would be there to read one row down (and matched is the last step's passed).
 */
export function suppressFunnel(f: Funnel): ShownFunnel {
  let total = suppressTotal(f.candidates);
  const steps: ShownFunnelStep[] = [];
  for (const s of f.steps) {
    const cells = suppressGroup({ passed: s.passed, left: s.left, inProgress: s.inProgress }, total);
    const left = cells.left ?? null;
    steps.push({
      step: s.step,
      name: s.name,
      entered: total,
      passed: cells.passed ?? null,
      left,
      inProgress: cells.inProgress ?? null,
      leftBy: suppressGroup(s.leftBy, left),
      // Only beside counts that are all shown: the median needs MIN_CELL outcomes, and knowing a step had that
      // many would bound a hidden passed or still-there count.
      medianDays:
        s.days.n >= MIN_CELL && [cells.passed, cells.left, cells.inProgress].every((v) => v !== null)
          ? s.days.median
          : null,
    });
    total = cells.passed ?? null;
  }
  return { candidates: suppressTotal(f.candidates), matched: total, steps };
}
