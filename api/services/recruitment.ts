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
  enterRound,
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

/** A candidate as the checks and the insert see it: the BSN already as its keyed hash, never in clear. */
export interface CandidateEntry {
  firstName: string;
  lastName: string;
  email?: string;
  dateOfBirth?: string;
  bsnHash?: string | null;
  /** A BSN was given but fails the elfproef (its hash is then not made). */
  bsnFailsElfproef?: boolean;
  sourceId?: string;
  /** References of candidates in the round a person found to be someone else. */
  distinctFrom?: string[];
  /** Earlier entries of the same list (by index) a person found to be someone else. */
  distinctFromEntries?: number[];
}

/** A candidate already in the round, as a near match is shown to the person who decides. */
export interface RoundCandidate {
  reference: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string | null;
  email: string | null;
}

/** What the check found about entry `index` of a list; the API and the upload each put it in their words. */
export type CandidateFinding =
  | { index: number; kind: 'bsn_elfproef' }
  | { index: number; kind: 'unknown_source'; sourceId: string }
  | { index: number; kind: 'running' }
  | { index: number; kind: 'in_round'; match: 'same' | 'near'; other: RoundCandidate }
  | { index: number; kind: 'in_list'; match: 'same' | 'near'; other: number };

/** A finding as the API words it: the field of the request body, English and Dutch. */
function findingProblem(f: CandidateFinding): FieldProblem {
  const at = `candidates[${f.index}]`;
  switch (f.kind) {
    case 'bsn_elfproef':
      return { field: `${at}.bsn`, ...BSN_FAILS_ELFPROEF };
    case 'unknown_source':
      return {
        field: `${at}.sourceId`,
        message: `${f.sourceId} is not a gemeente or UWV your office works with`,
        nl: `${f.sourceId} is geen gemeente of UWV waarmee uw programmabureau werkt`,
      };
    case 'running':
      return {
        field: `${at}.bsn`,
        message: 'this person already takes part in a running trajectory of this programme',
        nl: 'deze persoon doet al mee aan een lopend traject van dit programma',
      };
    case 'in_round': {
      const o = f.other;
      return f.match === 'same'
        ? {
            field: at,
            message: `is already in this round as ${o.reference}`,
            nl: `staat al in deze ronde als ${o.reference}`,
          }
        : {
            field: at,
            message:
              `looks like ${o.reference} in this round (${o.firstName} ${o.lastName}); if it is ` +
              `someone else, add it with distinctFrom: ["${o.reference}"]`,
            nl:
              `lijkt op ${o.reference} in deze ronde (${o.firstName} ${o.lastName}); is het iemand ` +
              `anders, voeg dan toe met distinctFrom: ["${o.reference}"]`,
          };
    }
    case 'in_list':
      return {
        field: at,
        message:
          f.match === 'same'
            ? `is the same person as candidates[${f.other}]`
            : `looks like candidates[${f.other}]; add one of them first, then the other with distinctFrom`,
        nl:
          f.match === 'same'
            ? `is dezelfde persoon als candidates[${f.other}]`
            : `lijkt op candidates[${f.other}]; voeg eerst een van beiden toe, dan de ander met distinctFrom`,
      };
  }
}

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
  const entries = body.candidates.map(({ bsn, ...c }): CandidateEntry => {
    if (!bsn) return c;
    return isBsn(bsn) ? { ...c, bsnHash: bsnHash(deps.config.BSN_HMAC_KEY, bsn) } : { ...c, bsnFailsElfproef: true };
  });
  return addCandidateEntries(deps, roundId, requestId, entries);
}

/**
 * The one way candidates enter a round, from the API and from an uploaded list alike: all the entries after
 * `checkCandidates` found nothing, or none (a 422 naming each). Candidate `i` gets the id `${requestId}-${i + 1}`.
 */
export async function addCandidateEntries(
  deps: Deps,
  roundId: string,
  requestId: string,
  entries: CandidateEntry[],
): Promise<{ candidates: CandidateView[] }> {
  const { db } = deps;
  const round = await findRound(db, roundId);
  if (!round) throw notFound(says(`Recruitment round ${roundId}`, `Wervingsronde ${roundId}`));
  const ids = entries.map((_, i) => `${requestId}-${i + 1}`);
  const known = new Set(
    (await db.selectFrom('candidate').select('id').where('id', 'in', ids).execute()).map((c) => c.id),
  );
  const enteredOn = today(deps);
  const entered = enterRound(round.draaiboek, enteredOn);
  if (known.size === 0) {
    const problems = (await checkCandidates(deps, round, entries)).map(findingProblem);
    if (problems.length > 0) throw unprocessable(problems);
    await db
      .insertInto('candidate')
      .values(
        entries.map((c, i) => ({
          id: ids[i]!,
          round_id: roundId,
          reference: referenceOf(ids[i]!),
          first_name: c.firstName,
          last_name: c.lastName,
          email: c.email ?? null,
          date_of_birth: c.dateOfBirth ?? null,
          bsn_hash: c.bsnHash ?? null,
          source_id: c.sourceId ?? null,
          // Where the process starts it, so the page shows the right deadline before the first projection.
          step: entered.stepKey,
          due_on: entered.dueOn,
          state: JSON.stringify(entered),
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
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

/**
 * Every entry of a list checked at once, before any is added: the BSN's elfproef, the source (a gemeente or UWV
 * the office works with), someone in a running trajectory of the office's programme, someone already in the round
 * (same, or near: a person decides) and the same person twice in the list. Empty when the list can be added.
 */
export async function checkCandidates(
  deps: Pick<Deps, 'db'>,
  round: { id: string; office_id: string; programme_id: string },
  entries: CandidateEntry[],
): Promise<CandidateFinding[]> {
  const { db } = deps;
  const findings: CandidateFinding[] = [];
  const inRound = await db
    .selectFrom('candidate')
    .select(['reference', 'first_name', 'last_name', 'email', 'date_of_birth', 'bsn_hash'])
    .where('round_id', '=', round.id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const hashes = entries.map((c) => c.bsnHash).filter((h): h is string => !!h);
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
  const identity = (c: CandidateEntry): CandidateIdentity => ({
    bsnHash: c.bsnHash ?? null,
    firstName: c.firstName,
    lastName: c.lastName,
    dateOfBirth: c.dateOfBirth,
    email: c.email,
  });
  const sources = new Map<string, boolean>();
  for (const [index, c] of entries.entries()) {
    if (c.bsnFailsElfproef) findings.push({ index, kind: 'bsn_elfproef' });
    if (c.sourceId) {
      if (!sources.has(c.sourceId)) {
        const org = await findOwnedOrganisation(db, c.sourceId);
        sources.set(
          c.sourceId,
          !!org && !!organisationRight(round.office_id, org) && ['gemeente', 'uwv'].includes(org.kind),
        );
      }
      if (!sources.get(c.sourceId)) findings.push({ index, kind: 'unknown_source', sourceId: c.sourceId });
    }
    const me = identity(c);
    if (me.bsnHash && running.has(me.bsnHash)) findings.push({ index, kind: 'running' });
    for (const o of inRound) {
      const other: RoundCandidate = {
        reference: o.reference,
        firstName: o.first_name,
        lastName: o.last_name,
        dateOfBirth: o.date_of_birth,
        email: o.email,
      };
      const match = matchIdentity(me, { ...other, bsnHash: o.bsn_hash });
      if (match === 'same' || (match === 'near' && !c.distinctFrom?.includes(o.reference)))
        findings.push({ index, kind: 'in_round', match, other });
    }
    for (const [j, earlier] of entries.slice(0, index).entries()) {
      const match = matchIdentity(me, identity(earlier));
      if (match === 'same' || (match === 'near' && !c.distinctFromEntries?.includes(j)))
        findings.push({ index, kind: 'in_list', match, other: j });
    }
  }
  return findings;
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

/** The rounds a caller may see: its office's (the admin every office's), newest first, with their counts. */
export async function listRounds(
  deps: Pick<Deps, 'db'>,
  p: Principal,
): Promise<
  {
    id: string;
    name: string;
    region: string;
    programmeId: string;
    candidates: number;
    inProgress: number;
    overdue: number;
    matched: number;
  }[]
> {
  const office = actingOffice(p);
  let q = deps.db
    .selectFrom('recruitment_round as r')
    .leftJoin('candidate as c', 'c.round_id', 'r.id')
    .select((eb) => [
      'r.id',
      'r.name',
      'r.region',
      'r.programme_id',
      eb.fn.count<string>('c.id').as('candidates'),
      eb.fn.count<string>('c.id').filterWhere('c.status', '=', 'in_progress').as('in_progress'),
      eb.fn
        .count<string>('c.id')
        .filterWhere((w) => w.and([w('c.status', '=', 'in_progress'), w('c.overdue', '=', true)]))
        .as('overdue'),
      eb.fn.count<string>('c.id').filterWhere('c.status', '=', 'matched').as('matched'),
    ])
    .groupBy(['r.id', 'r.name', 'r.region', 'r.programme_id', 'r.created_at'])
    .orderBy('r.created_at', 'desc');
  if (p.role !== 'admin') q = q.where('r.office_id', '=', office ?? '');
  return (await q.execute()).map((r) => ({
    id: r.id,
    name: r.name,
    region: r.region,
    programmeId: r.programme_id,
    candidates: Number(r.candidates),
    inProgress: Number(r.in_progress),
    overdue: Number(r.overdue),
    matched: Number(r.matched),
  }));
}

/** A round's row (the route's resource check found it). */
export const roundRow = (deps: Pick<AppDeps, 'db'>, id: string) => findRound(deps.db, id);
