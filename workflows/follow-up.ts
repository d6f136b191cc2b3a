// After doorstroom: N months after the BBL start (or the end, for a job without BBL) the employer is asked
// whether the participant still works there and the ROC whether the participant is still enrolled. Each
// question waits on a durable timer, stays open for the programme's answer window, and is then closed:
// what was not answered counts as "no answer". A "no" is carried forward: a former employer is not asked again.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  proxyLocalActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { FollowUpRules } from '../domain/programme';
import { addDays, addMonths, localDate, localInstant } from '../domain/calendar';

export const DEFAULT_FOLLOW_UP: FollowUpRules = { months: [3, 6, 12], answerWithinDays: 28 };

export interface FollowUpInput {
  trajectoryId: string;
  /**
   * What the follow-up asks about: employment and enrolment after BBL doorstroom, employment after a job without BBL.
   */
  outcome: 'bbl_doorstroom' | 'job_without_bbl';
  /** The BBL start date, or the trajectory's end date for a job without BBL. */
  from: string;
  employerId: string;
  rules: FollowUpRules;
}

export interface FollowUpRound {
  months: number;
  dueOn: string;
  closesOn: string;
  status: 'pending' | 'open' | 'closed';
  /** Undefined: not answered (yet). */
  employed?: boolean;
  employedOn?: string;
  enrolled?: boolean;
  enrolledOn?: string;
}

/** One or both answers; which a partner may give is checked by the API (employer: employed, ROC: enrolled). */
export interface FollowUpAnswer {
  months: number;
  employed?: boolean;
  enrolled?: boolean;
}

export const followUpQuery = defineQuery<FollowUpRound[]>('followUps');
export const answerFollowUpUpdate = defineUpdate<FollowUpRound, [FollowUpAnswer]>('answerFollowUp');

export const FOLLOW_UP_REJECTION = 'Rejection';

const { projectFollowUp } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** A refused answer: its field, its message (the API's English) and the same in Dutch (Accept-Language: nl). */
const reject = (field: string, message: string, nl: string) =>
  ApplicationFailure.create({ type: FOLLOW_UP_REJECTION, message, details: [field, null, nl], nonRetryable: true });

/** The rounds planned from the input: due dates and answer windows. */
export function followUpRounds(input: Pick<FollowUpInput, 'from' | 'rules'>): FollowUpRound[] {
  return [...input.rules.months]
    .sort((a, b) => a - b)
    .map((months) => {
      const dueOn = addMonths(input.from, months);
      return { months, dueOn, closesOn: addDays(dueOn, input.rules.answerWithinDays), status: 'pending' as const };
    });
}

/** Validates an answer against the rounds as they stand; returns the round it answers. */
export function checkAnswer(
  rounds: FollowUpRound[],
  outcome: FollowUpInput['outcome'],
  today: string,
  a: FollowUpAnswer,
): FollowUpRound {
  const round = rounds.find((r) => r.months === a.months);
  if (!round)
    throw reject(
      'months',
      `no follow-up at ${a.months} months; there are: ${rounds.map((r) => r.months).join(', ')}`,
      `geen nameting na ${a.months} maanden; die zijn er na: ${rounds.map((r) => r.months).join(', ')}`,
    );
  if (round.status === 'pending')
    throw reject(
      'months',
      `the ${a.months}-month follow-up opens on ${round.dueOn}`,
      `de nameting na ${a.months} maanden gaat open op ${round.dueOn}`,
    );
  if (round.status === 'closed')
    throw reject(
      'months',
      `the ${a.months}-month follow-up closed on ${round.closesOn}`,
      `de nameting na ${a.months} maanden is gesloten op ${round.closesOn}`,
    );
  if (a.employed === undefined && a.enrolled === undefined)
    throw reject('employed', 'give employed, enrolled or both', 'geef employed, enrolled of beide');
  if (a.enrolled !== undefined && outcome !== 'bbl_doorstroom')
    throw reject('enrolled', 'is asked only after BBL doorstroom', 'wordt alleen gevraagd na BBL-doorstroom');
  return {
    ...round,
    ...(a.employed !== undefined && { employed: a.employed, employedOn: today }),
    ...(a.enrolled !== undefined && { enrolled: a.enrolled, enrolledOn: today }),
  };
}

const today = () => localDate(Date.now());

export async function followUpWorkflow(input: FollowUpInput): Promise<FollowUpRound[]> {
  const rounds = followUpRounds(input);
  const asksSchool = input.outcome === 'bbl_doorstroom';
  let seq = 0;

  async function save(round: FollowUpRound): Promise<void> {
    rounds[rounds.findIndex((r) => r.months === round.months)] = round;
    await projectFollowUp({
      trajectoryId: input.trajectoryId,
      employerId: input.employerId,
      asksSchool,
      seq: ++seq,
      round,
    });
  }

  setHandler(followUpQuery, () => rounds);
  setHandler(
    answerFollowUpUpdate,
    async (answer) => {
      const round = checkAnswer(rounds, input.outcome, today(), answer);
      await save(round);
      return round;
    },
    { validator: (answer) => void checkAnswer(rounds, input.outcome, today(), answer) },
  );

  // Each round opens at 09:00 on its due date and closes after its window; windows may overlap.
  const moments = rounds
    .flatMap((r, i) => [
      { at: localInstant(r.dueOn, 9), i, open: true },
      { at: localInstant(addDays(r.closesOn, 1)), i, open: false },
    ])
    .sort((a, b) => a.at - b.at || Number(a.open) - Number(b.open));
  for (const { at, i, open } of moments) {
    const wait = at - Date.now();
    if (wait > 0) await sleep(wait);
    const round = rounds[i]!;
    if (open) {
      // A "no" stands: the participant who left the employer or the BBL is not asked about again.
      const before = rounds[i - 1];
      await save({
        ...round,
        status: 'open',
        ...(before?.employed === false && { employed: false, employedOn: before.employedOn }),
        ...(before?.enrolled === false && { enrolled: false, enrolledOn: before.enrolledOn }),
      });
    } else {
      // Open for its whole window, so an answer can still be corrected; then whatever is missing is "no answer".
      await save({ ...round, status: 'closed' });
    }
  }
  await condition(allHandlersFinished);
  return rounds;
}
