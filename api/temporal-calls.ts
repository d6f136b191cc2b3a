// Every call the API makes to Temporal goes through here, so that each has a deadline: a hung or unreachable
// Temporal server makes a request answer 503 (with Retry-After) after TEMPORAL_CALL_TIMEOUT_MS, never hang.
// An update the server aborts (it does so with many concurrent updates to one workflow) is retried within
// that same deadline; the update id, derived from the Idempotency-Key, keeps a retry from recording twice.
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { DomainError, RETRY_AFTER_SECONDS, says } from './errors';

/** The default of TEMPORAL_CALL_TIMEOUT_MS (infra/config.ts). */
export const DEFAULT_TEMPORAL_CALL_TIMEOUT_MS = 5000;

export interface TemporalDeps {
  temporal: Client;
  config?: { TEMPORAL_CALL_TIMEOUT_MS?: number };
}

const timeoutOf = (deps: TemporalDeps) => deps.config?.TEMPORAL_CALL_TIMEOUT_MS ?? DEFAULT_TEMPORAL_CALL_TIMEOUT_MS;

// gRPC status codes (the numbers are the protocol's).
const CANCELLED = 1;
const DEADLINE_EXCEEDED = 4;
const FAILED_PRECONDITION = 9;
const ABORTED = 10;
const UNAVAILABLE = 14;

/** The gRPC status codes and messages in an error and its causes (the client wraps the gRPC error). */
function grpcStatuses(e: unknown): { code?: number; text: string }[] {
  const out: { code?: number; text: string }[] = [];
  for (
    let err = e as { code?: unknown; details?: unknown; message?: unknown; cause?: unknown } | undefined, i = 0;
    err && typeof err === 'object' && i < 5;
    err = err.cause as typeof err, i++
  ) {
    out.push({
      code: typeof err.code === 'number' ? err.code : undefined,
      text: `${String(err.details ?? '')} ${String(err.message ?? '')}`,
    });
  }
  return out;
}

/**
 * An update that never took effect because of other updates to the same workflow at the same moment, so
 * sending it again (same update id) is safe and likely to work. Found on the dev server with 32 concurrent
 * recordings on one trajectory: the server aborts some ("workflow update was aborted", UNAVAILABLE), and
 * rejects others that reached the worker in a workflow task it completed without them (failure type
 * `UnprocessedUpdate`, "wasn't processed by worker"); neither enters the workflow's history.
 */
export function isAbortedUpdate(e: unknown): boolean {
  if (
    e instanceof WorkflowUpdateFailedError &&
    e.cause instanceof ApplicationFailure &&
    e.cause.type === 'UnprocessedUpdate'
  )
    return true;
  return grpcStatuses(e).some(
    (s) =>
      s.code === ABORTED ||
      (s.code === UNAVAILABLE && /update was aborted/i.test(s.text)) ||
      /unexpected workflow task failure/i.test(s.text),
  );
}

/**
 * The workflow's current task failed, most often because the worker running it died mid-task (found by the
 * worker-kill drill: 'Workflow Task in failed state'); Temporal retries the task on another worker, so a repeat
 * of the request shortly after works. A task that keeps failing (a bug) shows in the worker's log.
 */
const isWorkflowTaskFailed = (e: unknown) =>
  grpcStatuses(e).some((s) => s.code === FAILED_PRECONDITION && /workflow task in failed state/i.test(s.text));

/** No worker polls the task queue (all down, or starting again): a query cannot be answered until one does. */
const isWithoutWorker = (e: unknown) =>
  grpcStatuses(e).some((s) => s.code === FAILED_PRECONDITION && /no poller seen/i.test(s.text));

const isDeadline = (e: unknown) =>
  e instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
  grpcStatuses(e).some((s) => s.code === DEADLINE_EXCEEDED || s.code === CANCELLED);
const isUnreachable = (e: unknown) =>
  (e as { name?: string })?.name === 'TransportError' || grpcStatuses(e).some((s) => s.code === UNAVAILABLE);

/**
 * A missed deadline, an unreachable server or an aborted update as the 503 problem it is for the caller; anything else
 * as it was.
 */
/** These details were written in Dutch for every caller; an English request gets them as they always read. */
const dutchOnly = (text: string) => says(text, text);

export function temporalProblem(e: unknown, timeoutMs: number): unknown {
  if (e instanceof DomainError) return e;
  // For the people behind a partner's system, in Dutch, like the other texts they may read.
  const again =
    `Er is niets verloren: probeer het over ${RETRY_AFTER_SECONDS} seconden opnieuw, een POST met dezelfde ` +
    `Idempotency-Key, dan wordt niets dubbel vastgelegd.`;
  const seconds = String(Math.round(timeoutMs / 100) / 10).replace('.', ',');
  if (isAbortedUpdate(e))
    return new DomainError(
      503,
      'temporal-busy',
      says('Service unavailable', 'Dienst niet beschikbaar'),
      dutchOnly(`Er kwamen te veel registraties tegelijk binnen voor dit traject. ${again}`),
    );
  if (isWorkflowTaskFailed(e))
    return new DomainError(
      503,
      'temporal-retrying',
      says('Service unavailable', 'Dienst niet beschikbaar'),
      dutchOnly(`De workflow van dit traject wordt net hervat (een worker viel weg). ${again}`),
    );
  if (isWithoutWorker(e))
    return new DomainError(
      503,
      'temporal-no-worker',
      says('Service unavailable', 'Dienst niet beschikbaar'),
      dutchOnly(`Er draait op dit moment geen worker die dit traject kan lezen (hij start net opnieuw). ${again}`),
    );
  if (isDeadline(e))
    return new DomainError(
      503,
      'temporal-timeout',
      says('Service unavailable', 'Dienst niet beschikbaar'),
      dutchOnly(`De workflowdienst (Temporal) antwoordde niet binnen ${seconds} s. ${again}`),
    );
  if (isUnreachable(e))
    return new DomainError(
      503,
      'temporal-unavailable',
      says('Service unavailable', 'Dienst niet beschikbaar'),
      dutchOnly(`De workflowdienst (Temporal) is niet bereikbaar. ${again}`),
    );
  return e;
}

/**
 * Runs `fn`'s calls to Temporal under one deadline of TEMPORAL_CALL_TIMEOUT_MS; a missed deadline or an
 * unreachable server becomes a 503 problem.
 */
export async function temporalCall<T>(deps: TemporalDeps, fn: (client: Client) => Promise<T>): Promise<T> {
  const ms = timeoutOf(deps);
  try {
    return await deps.temporal.withDeadline(Date.now() + ms, () => fn(deps.temporal));
  } catch (e) {
    throw temporalProblem(e, ms);
  }
}

const MAX_ATTEMPTS = 5;

/**
 * Executes a workflow update and waits for its result, under the same deadline as every other call. An update
 * the server aborted is sent again (same `updateId`, so Temporal runs it at most once) after a short jittered
 * pause, as long as the deadline allows; then it is a 503.
 */
export async function temporalUpdate<Ret, Arg>(
  deps: TemporalDeps,
  workflowId: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  updateId: string,
): Promise<Ret> {
  const ms = timeoutOf(deps);
  const deadline = Date.now() + ms;
  const handle = deps.temporal.workflow.getHandle(workflowId);
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.temporal.withDeadline(deadline, () => handle.executeUpdate(update, { args: [arg], updateId }));
    } catch (e) {
      // 50-100 ms, then 100-200, 200-400, ...
      const pause = 50 * 2 ** (attempt - 1) * (1 + Math.random());
      if (!isAbortedUpdate(e) || attempt >= MAX_ATTEMPTS || Date.now() + pause >= deadline)
        throw temporalProblem(e, ms);
      await sleep(pause);
    }
  }
}
