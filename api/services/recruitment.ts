// Recruitment rounds and their candidates (issue 20): a round of an office for a programme and region; candidates
// come in from the gemeente's and UWV's lists, each checked against the list itself, the round and the running
// trajectories of the programme before any is added (all or nothing); each candidate's way through the draaiboek
// is a workflow (workflows/candidate.ts), whose refusals come back as 422s in the caller's language.
import { createHash } from 'node:crypto';
import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { findCandidate, findRound } from '../../db/recruitment';
import type { Candidate } from '../../db/schema';
import { localDate } from '../../domain/calendar';
import {
  candidateRefusalInWords,
  checkDraaiboek,
  matchIdentity,
  STEP_NL,
  WELSLAGEN_DRAAIBOEK,
  type CandidateIdentity,
  type CandidateRefusal,
  type StepRecorder,
  type StepResult,
} from '../../domain/recruitment';
import { OPEN_STATUSES } from '../../domain/statuses';
import { CANDIDATE_REJECTION, candidateWorkflow, leaveRoundUpdate, recordStepUpdate } from '../../workflows/candidate';
import { candidateWorkflowId } from '../../workflows/ids';
import type { Principal } from '../auth';
import { bsnHash, BSN_FAILS_ELFPROEF, isBsn } from '../bsn';
import type { AppDeps } from '../deps';
import { conflict, notFound, says, unprocessable, type FieldProblem } from '../errors';
import { actingOffice, organisationRight } from '../ownership';
import type { CandidateView, LeaveBody, NewCandidates, NewRound, RoundView } from '../schemas/recruitment';
import { temporalCall } from '../temporal-calls';
import { programmeForOffice } from './programmes';
import { findOwnedOrganisation } from '../../db/ownership';
import { mapLimit } from '../../infra/map-limit';

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'config' | 'now'>;
const today = (deps: Deps) => localDate(deps.now?.() ?? Date.now());

export const candidateView = (c: Candidate): CandidateView => ({
  id: c.id,
  reference: c.reference,
  roundId: c.round_id,
  firstName: c.first_name,
  lastName: c.last_name,
  status: c.status,
  step: c.step,
  dueOn: c.due_on,
  overdue: c.overdue,
  employerId: c.employer_id,
  leftReason: c.left_reason,
  history: (c.state.history ?? []).map((h) => ({ step: h.step, outcome: h.outcome, on: h.on, note: h.note })),
});

export async function createRound(deps: Deps, p: Principal, id: string, body: NewRound): Promise<RoundView> {
  const office = actingOffice(p);
  const problems: FieldProblem[] = [];
  if (office === null)
    problems.push({
      field: 'body',
      message: 'a recruitment round belongs to a programme office: use a key of the office',
      nl: 'een wervingsronde hoort bij een programmabureau: gebruik een sleutel van het programmabureau',
    });
  else if (!(await programmeForOffice(deps, office, body.programmeId)))
    problems.push({
      field: 'programmeId',
      message: `programme ${body.programmeId} does not exist or is not visible to you`,
      nl: `programma ${body.programmeId} bestaat niet of is niet zichtbaar voor u`,
    });
  const draaiboek = body.draaiboek ?? WELSLAGEN_DRAAIBOEK;
  for (const d of checkDraaiboek(draaiboek)) problems.push({ field: d.field, message: d.en, nl: d.nl });
  if (problems.length > 0) throw unprocessable(problems);
  await deps.db
    .insertInto('recruitment_round')
    .values({
      id,
      office_id: office!,
      programme_id: body.programmeId,
      region: body.region,
      name: body.name,
      draaiboek: JSON.stringify(draaiboek),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return getRound(deps, id);
}

export async function getRound(deps: Pick<Deps, 'db'>, id: string): Promise<RoundView> {
  const round = await findRound(deps.db, id);
  if (!round) throw notFound(says(`Recruitment round ${id}`, `Wervingsronde ${id}`));
  const candidates = await deps.db
    .selectFrom('candidate')
    .selectAll()
    .where('round_id', '=', id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const d = round.draaiboek;
  return {
    id: round.id,
    programmeId: round.programme_id,
    region: round.region,
    name: round.name,
    draaiboek: d,
    pipeline: d.steps.map((s) => {
      const at = candidates.filter((c) => c.step === s.key);
      return {
        step: s.key,
        name: s.name || STEP_NL[s.kind],
        inProgress: at.filter((c) => c.status === 'in_progress').length,
        overdue: at.filter((c) => c.status === 'in_progress' && c.overdue).length,
        left: at.filter((c) => c.status === 'left').length,
      };
    }),
    matched: candidates.filter((c) => c.status === 'matched').length,
    candidates: candidates.map(candidateView),
  };
}

/** A pseudonymous reference from the candidate's id: the same on a repeat, meaningless outside the system. */
const referenceOf = (id: string) => `K-${createHash('sha256').update(id).digest('hex').slice(0, 10).toUpperCase()}`;

/**
 * Adds the list's candidates to the round, all or none: every row is checked first (BSN, source, duplicates in the
 * list, in the round, and among the programme's running trajectories). Ids derive from the request's id, so a
 * repeat of an interrupted request adds nobody twice and starts the processes still missing.
 */
export async function addCandidates(
  deps: Deps,
  roundId: string,
  requestId: string,
  body: NewCandidates,
): Promise<{ candidates: CandidateView[] }> {
  const { db, config } = deps;
  const round = await findRound(db, roundId);
  if (!round) throw notFound(says(`Recruitment round ${roundId}`, `Wervingsronde ${roundId}`));
  const ids = body.candidates.map((_, i) => `${requestId}-${i + 1}`);
  const known = new Set(
    (await db.selectFrom('candidate').select('id').where('id', 'in', ids).execute()).map((c) => c.id),
  );
  if (known.size === 0) {
    const problems = await candidateProblems(deps, round, body);
    if (problems.length > 0) throw unprocessable(problems);
    await db
      .insertInto('candidate')
      .values(
        body.candidates.map((c, i) => ({
          id: ids[i]!,
          round_id: roundId,
          reference: referenceOf(ids[i]!),
          first_name: c.firstName,
          last_name: c.lastName,
          email: c.email ?? null,
          date_of_birth: c.dateOfBirth ?? null,
          bsn_hash: c.bsn ? bsnHash(config.BSN_HMAC_KEY, c.bsn) : null,
          source_id: c.sourceId ?? null,
          step: round.draaiboek.steps[0]!.key,
          due_on: today(deps),
          state: JSON.stringify({ history: [] }),
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  const enteredOn = today(deps);
  await mapLimit(ids, 8, (id) =>
    temporalCall(deps, (client) =>
      client.workflow
        .start(candidateWorkflow, {
          taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
          workflowId: candidateWorkflowId(id),
          args: [{ candidateId: id, draaiboek: round.draaiboek, enteredOn }],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        })
        .catch((e: unknown) => {
          if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
        }),
    ),
  );
  const rows = await db.selectFrom('candidate').selectAll().where('id', 'in', ids).orderBy('id').execute();
  const order = new Map(ids.map((id, i) => [id, i]));
  return { candidates: rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!).map(candidateView) };
}

async function candidateProblems(
  deps: Deps,
  round: { id: string; office_id: string; programme_id: string },
  body: NewCandidates,
): Promise<FieldProblem[]> {
  const { db, config } = deps;
  const problems: FieldProblem[] = [];
  const hashOf = (bsn?: string) => (bsn && isBsn(bsn) ? bsnHash(config.BSN_HMAC_KEY, bsn) : null);
  const inRound = await db
    .selectFrom('candidate')
    .select(['reference', 'first_name', 'last_name', 'email', 'date_of_birth', 'bsn_hash'])
    .where('round_id', '=', round.id)
    .execute();
  const hashes = body.candidates.map((c) => hashOf(c.bsn)).filter((h): h is string => h !== null);
  const running = new Set(
    hashes.length === 0
      ? []
      : (
          await db
            .selectFrom('trajectory as t')
            .innerJoin('cohort as c', 'c.id', 't.cohort_id')
            .innerJoin('covenant as v', 'v.id', 'c.covenant_id')
            .select('t.bsn_hash')
            // The office's own trajectories only: another office's would make this an oracle of who runs there.
            .where('v.programme_office_id', '=', round.office_id)
            .where('c.programme_id', '=', round.programme_id)
            .where('t.status', 'in', OPEN_STATUSES)
            .where('t.bsn_hash', 'in', hashes)
            .execute()
        ).map((t) => t.bsn_hash),
  );
  const identity = (c: NewCandidates['candidates'][number]): CandidateIdentity => ({
    bsnHash: hashOf(c.bsn),
    firstName: c.firstName,
    lastName: c.lastName,
    dateOfBirth: c.dateOfBirth,
    email: c.email,
  });
  for (const [i, c] of body.candidates.entries()) {
    const at = `candidates[${i}]`;
    if (c.bsn && !isBsn(c.bsn)) problems.push({ field: `${at}.bsn`, ...BSN_FAILS_ELFPROEF });
    if (c.sourceId) {
      const org = await findOwnedOrganisation(db, c.sourceId);
      if (!org || !organisationRight(round.office_id, org) || !['gemeente', 'uwv'].includes(org.kind))
        problems.push({
          field: `${at}.sourceId`,
          message: `${c.sourceId} is not a gemeente or UWV your office works with`,
          nl: `${c.sourceId} is geen gemeente of UWV waarmee uw programmabureau werkt`,
        });
    }
    const me = identity(c);
    if (me.bsnHash && running.has(me.bsnHash))
      problems.push({
        field: `${at}.bsn`,
        message: 'this person already takes part in a running trajectory of this programme',
        nl: 'deze persoon doet al mee aan een lopend traject van dit programma',
      });
    for (const other of inRound) {
      const match = matchIdentity(me, {
        bsnHash: other.bsn_hash,
        firstName: other.first_name,
        lastName: other.last_name,
        dateOfBirth: other.date_of_birth,
        email: other.email,
      });
      if (match === 'same')
        problems.push({
          field: at,
          message: `is already in this round as ${other.reference}`,
          nl: `staat al in deze ronde als ${other.reference}`,
        });
      else if (match === 'near' && !c.distinctFrom?.includes(other.reference))
        problems.push({
          field: at,
          message:
            `looks like ${other.reference} in this round (${other.first_name} ${other.last_name}); if it is ` +
            `someone else, add it with distinctFrom: ["${other.reference}"]`,
          nl:
            `lijkt op ${other.reference} in deze ronde (${other.first_name} ${other.last_name}); is het iemand ` +
            `anders, voeg dan toe met distinctFrom: ["${other.reference}"]`,
        });
    }
    for (const [j, earlier] of body.candidates.slice(0, i).entries()) {
      const match = matchIdentity(me, identity(earlier));
      if (match !== 'different')
        problems.push({
          field: at,
          message:
            match === 'same'
              ? `is the same person as candidates[${j}]`
              : `looks like candidates[${j}]; add one of them first, then the other with distinctFrom`,
          nl:
            match === 'same'
              ? `is dezelfde persoon als candidates[${j}]`
              : `lijkt op candidates[${j}]; voeg eerst een van beiden toe, dan de ander met distinctFrom`,
        });
    }
  }
  return problems;
}

export async function getCandidate(deps: Pick<Deps, 'db'>, id: string): Promise<CandidateView> {
  const c = await findCandidate(deps.db, id);
  if (!c) throw notFound(says(`Candidate ${id}`, `Kandidaat ${id}`));
  return candidateView(c);
}

/** The process's refusal as a 422 in the caller's language; a finished process a 409. */
export function candidateProblem(e: unknown): unknown {
  if (
    e instanceof WorkflowUpdateFailedError &&
    e.cause instanceof ApplicationFailure &&
    e.cause.type === CANDIDATE_REJECTION
  ) {
    // [the field, the refusal as a fact], as the workflow sends them (workflows/candidate.ts names the field).
    const [field, refusal] = (e.cause.details ?? []) as [string, CandidateRefusal];
    const words = candidateRefusalInWords(refusal);
    return unprocessable([{ field, message: words.en, nl: words.nl }]);
  }
  const err = e as { name?: string; message?: string };
  if (err?.name === 'WorkflowNotFoundError' || /already completed/i.test(err?.message ?? ''))
    return conflict(
      says(
        'This candidate is matched or has left; the process takes no more steps',
        'Deze kandidaat is gematcht of doet niet meer mee; er kunnen geen stappen meer worden vastgelegd',
      ),
    );
  return e;
}

export async function update<A>(
  deps: Deps,
  id: string,
  run: (h: ReturnType<Deps['temporal']['workflow']['getHandle']>) => Promise<A>,
) {
  await getCandidate(deps, id);
  try {
    await temporalCall(deps, (client) => run(client.workflow.getHandle(candidateWorkflowId(id))));
  } catch (e) {
    throw candidateProblem(e);
  }
  return getCandidate(deps, id);
}

export async function recordCandidateStep(
  deps: Deps,
  id: string,
  body: StepResult & { by?: StepRecorder },
  updateId?: string,
): Promise<CandidateView> {
  if (body.employerId) {
    const org = await findOwnedOrganisation(deps.db, body.employerId);
    const round = await deps.db
      .selectFrom('candidate as c')
      .innerJoin('recruitment_round as r', 'r.id', 'c.round_id')
      .select('r.office_id')
      .where('c.id', '=', id)
      .executeTakeFirst();
    if (!org || org.kind !== 'employer' || !round || !organisationRight(round.office_id, org))
      throw unprocessable([
        {
          field: 'employerId',
          message: `${body.employerId} is not an employer your office works with`,
          nl: `${body.employerId} is geen werkgever waarmee uw programmabureau werkt`,
        },
      ]);
  }
  return update(deps, id, (h) => h.executeUpdate(recordStepUpdate, { args: [body], updateId }));
}

export async function candidateLeaves(
  deps: Deps,
  id: string,
  body: LeaveBody,
  updateId?: string,
): Promise<CandidateView> {
  return update(deps, id, (h) => h.executeUpdate(leaveRoundUpdate, { args: [body], updateId }));
}

/** The rounds a caller may see: its office's (the admin every office's), newest first. */
export async function listRounds(
  deps: Pick<Deps, 'db'>,
  p: Principal,
): Promise<{ id: string; name: string; region: string; programmeId: string; candidates: number }[]> {
  const office = actingOffice(p);
  let q = deps.db
    .selectFrom('recruitment_round as r')
    .leftJoin('candidate as c', 'c.round_id', 'r.id')
    .select((eb) => ['r.id', 'r.name', 'r.region', 'r.programme_id', eb.fn.count<string>('c.id').as('candidates')])
    .groupBy(['r.id', 'r.name', 'r.region', 'r.programme_id', 'r.created_at'])
    .orderBy('r.created_at', 'desc');
  if (p.role !== 'admin') q = q.where('r.office_id', '=', office ?? '');
  return (await q.execute()).map((r) => ({
    id: r.id,
    name: r.name,
    region: r.region,
    programmeId: r.programme_id,
    candidates: Number(r.candidates),
  }));
}
