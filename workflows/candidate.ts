// One candidate's way through the draaiboek, as a durable process: each step's outcome is an update the
// draaiboek's rules (domain/recruitment.ts) accept or refuse, each step's deadline a durable timer. A step still
// open the morning after its deadline is marked overdue (the coordinator's pipeline and morning mail show it);
// the process ends when the candidate is matched with a placement (then launched into the cohort) or leaves.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { addDays, localDate, localInstant } from '../domain/calendar';
import {
  candidateRefusalInWords,
  enterRound,
  leaveRound,
  proposeEmployer,
  recordStep,
  type CandidateRefusal,
  type Proposal,
  type StepRecorder,
  type CandidateState,
  type Draaiboek,
  type LeaveReason,
  type StepResult,
} from '../domain/recruitment';

export interface CandidateInput {
  candidateId: string;
  draaiboek: Draaiboek;
  /** The day the candidate entered the round: the first step's deadline counts from it. */
  enteredOn: string;
}

export interface CandidateView extends CandidateState {
  /** The current step went past its deadline. */
  overdue: boolean;
}

export interface Leaving {
  reason: LeaveReason;
  on: string;
  note?: string;
}

export const candidateQuery = defineQuery<CandidateView>('candidate');
export const recordStepUpdate = defineUpdate<CandidateView, [StepResult & { by?: StepRecorder }]>('recordStep');
export const leaveRoundUpdate = defineUpdate<CandidateView, [Leaving]>('leaveRound');
/** The office proposes an employer for the trial day; that employer then judges the meeloopdag step. */
export const proposeEmployerUpdate = defineUpdate<CandidateView, [Proposal]>('proposeEmployer');

/** A refused step: the API turns it into a 422 naming the field, in the caller's language. */
export const CANDIDATE_REJECTION = 'CandidateRejection';

const { projectCandidate } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const FIELD_OF: Record<CandidateRefusal['kind'], string> = {
  not_in_progress: 'step',
  not_current_step: 'step',
  unknown_outcome: 'outcome',
  needs_employer: 'employerId',
  before_reached: 'on',
  no_trial_day: 'employerId',
  trial_day_done: 'employerId',
  not_proposed_employer: 'employerId',
  trial_day_before_proposal: 'trialDayOn',
};

function applied(r: { state: CandidateState } | { refusal: CandidateRefusal }): CandidateState {
  if ('state' in r) return r.state;
  throw ApplicationFailure.create({
    type: CANDIDATE_REJECTION,
    message: candidateRefusalInWords(r.refusal).en,
    details: [FIELD_OF[r.refusal.kind], r.refusal],
    nonRetryable: true,
  });
}

export async function candidateWorkflow(input: CandidateInput): Promise<CandidateView> {
  const d = input.draaiboek;
  let state = enterRound(d, input.enteredOn);
  let overdue = false;
  let seq = 0;
  const view = (): CandidateView => ({ ...state, overdue });

  async function save(type: string, on: string, data: Record<string, unknown>) {
    await projectCandidate({ candidateId: input.candidateId, seq: ++seq, state, overdue, event: { type, on, data } });
  }

  setHandler(candidateQuery, view);
  setHandler(
    recordStepUpdate,
    async (r) => {
      state = applied(recordStep(d, state, r));
      overdue = false;
      await save('step_recorded', r.on, { ...r });
      return view();
    },
    { validator: (r) => void applied(recordStep(d, state, r)) },
  );
  setHandler(
    leaveRoundUpdate,
    async (l) => {
      state = applied(leaveRound(d, state, l.reason, l.on));
      overdue = false;
      await save('left', l.on, { reason: l.reason, ...(l.note && { note: l.note }) });
      return view();
    },
    { validator: (l) => void applied(leaveRound(d, state, l.reason, l.on)) },
  );
  // A new update: histories recorded before it never hold one, so they replay as they were (no patch needed).
  // It does not touch the deadline or the overdue mark: a proposal is no step.
  setHandler(
    proposeEmployerUpdate,
    async (p) => {
      state = applied(proposeEmployer(d, state, p));
      await save('proposed', p.on, { ...p });
      return view();
    },
    { validator: (p) => void applied(proposeEmployer(d, state, p)) },
  );

  await save('entered', input.enteredOn, { step: state.stepKey, dueOn: state.dueOn });
  while (state.status === 'in_progress') {
    const at = seq;
    // The morning after the deadline: a step done on its last day is on time.
    const late = localInstant(addDays(state.dueOn, 1), 9) - Date.now();
    // Once overdue, only a change moves the process on (condition without a timeout resolves to nothing).
    if (overdue) await condition(() => seq !== at);
    else if (!(await condition(() => seq !== at, Math.max(late, 1))) && state.status === 'in_progress') {
      overdue = true;
      await save('overdue', localDate(Date.now()), { step: state.stepKey, dueOn: state.dueOn });
    }
  }
  await condition(allHandlersFinished);
  return view();
}
