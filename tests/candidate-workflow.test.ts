// A candidate's durable process on the real time-skipping Temporal server, projected into real PostgreSQL: the
// steps' outcomes go in as updates, a refusal (another step, a trial day without employer) records nothing and
// says why in both languages, a step past its deadline is marked overdue the morning after (a durable timer),
// and the process ends matched with its employer or left with its reason.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connectPostgres, type Db } from '../db/connection';
import { candidateEvents, findCandidate } from '../db/recruitment';
import { addDays, localDate, localInstant } from '../domain/calendar';
import { candidateRefusalInWords, WELSLAGEN_DRAAIBOEK, type CandidateRefusal } from '../domain/recruitment';
import {
  candidateQuery,
  candidateWorkflow,
  leaveRoundUpdate,
  proposeEmployerUpdate,
  recordStepUpdate,
} from '../workflows/candidate';
import { candidateWorkflowId, TASK_QUEUE } from '../workflows/ids';
import { uniqueId } from './helpers/fixtures';
import { createTestWorker, createTimeSkippingEnv, testDataConverter } from './helpers/temporal';
import { decodePayloadsIn } from '../infra/payload-codec';

let db: Db;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let officeId: string;
let employerId: string;
let otherEmployerId: string;
let roundId: string;

beforeAll(async () => {
  db = connectPostgres(inject('databaseUrl'), 4);
  env = await createTimeSkippingEnv();
  worker = await createTestWorker(env, db);
  running = worker.run();
  officeId = uniqueId('office');
  employerId = uniqueId('zorg');
  otherEmployerId = uniqueId('thuiszorg');
  await db
    .insertInto('organisation')
    .values([
      { id: officeId, name: 'Programmabureau', kind: 'programme_office', office_id: officeId },
      { id: employerId, name: 'Zorg West', kind: 'employer', office_id: officeId },
      { id: otherEmployerId, name: 'Thuiszorg Oost', kind: 'employer', office_id: officeId },
    ])
    .execute();
  roundId = uniqueId('ronde');
  await db
    .insertInto('recruitment_round')
    .values({
      id: roundId,
      office_id: officeId,
      programme_id: 'welslagen',
      region: 'West-Brabant',
      name: 'Voorjaar 2027',
      draaiboek: JSON.stringify(WELSLAGEN_DRAAIBOEK),
    })
    .execute();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.destroy();
});

async function startCandidate(enteredOn: string) {
  const id = uniqueId('kandidaat');
  const s = { step: 'voorlichting', dueOn: addDays(enteredOn, 21) };
  await db
    .insertInto('candidate')
    .values({
      id,
      round_id: roundId,
      reference: id,
      first_name: 'Zoë',
      last_name: 'de Vries',
      step: s.step,
      due_on: s.dueOn,
      state: JSON.stringify({}),
    })
    .execute();
  const handle = await env.client.workflow.start(candidateWorkflow, {
    taskQueue: TASK_QUEUE,
    workflowId: candidateWorkflowId(id),
    args: [{ candidateId: id, draaiboek: WELSLAGEN_DRAAIBOEK, enteredOn }],
  });
  return { id, handle };
}

describe('a candidate through the draaiboek', () => {
  it('goes from the information session to a match, every step projected in order', async () => {
    const today = localDate(await env.currentTimeMs());
    const { id, handle } = await startCandidate(today);
    const steps: [string, string, string?][] = [
      ['voorlichting', 'attended'],
      ['groepsintake', 'passed'],
      ['meeloopdag', 'positive', employerId],
      ['vog', 'received'],
      ['selectie', 'selected'],
      ['match', 'matched', employerId],
    ];
    for (const [step, outcome, employer] of steps)
      await handle.executeUpdate(recordStepUpdate, {
        args: [{ step, outcome, on: today, ...(employer && { employerId: employer }) }],
      });
    const result = await handle.result();
    expect(result.status).toBe('matched');
    const row = await findCandidate(db, id);
    expect(row).toMatchObject({ status: 'matched', employer_id: employerId, step: 'match', overdue: false });
    const events = await candidateEvents(db, id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual(['entered', ...steps.map(() => 'step_recorded')]);
  });

  it('refuses an outcome for another step: nothing recorded, the reason a fact the pages word in Dutch', async () => {
    const today = localDate(await env.currentTimeMs());
    const { id, handle } = await startCandidate(today);
    const refused = await handle
      .executeUpdate(recordStepUpdate, { args: [{ step: 'selectie', outcome: 'selected', on: today }] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    const failure = (refused as WorkflowUpdateFailedError).cause as { details?: unknown[]; message: string };
    expect(failure.message).toBe('the candidate is at step voorlichting, not selectie');
    expect(failure.details?.[0]).toBe('step');
    expect(candidateRefusalInWords(failure.details?.[1] as CandidateRefusal).nl).toBe(
      'De kandidaat is bij de stap voorlichting, niet bij selectie.',
    );
    expect((await handle.query(candidateQuery)).history).toEqual([]);
    expect((await candidateEvents(db, id)).map((e) => e.type)).toEqual(['entered']);
    await handle.executeUpdate(leaveRoundUpdate, { args: [{ reason: 'found_work', on: today }] });
    expect(await findCandidate(db, id)).toMatchObject({
      status: 'left',
      left_reason: 'found_work',
      step: 'voorlichting',
    });
    await handle.result();
  });

  it('is marked overdue the morning after a deadline, and no longer once the step is done', async () => {
    const today = localDate(await env.currentTimeMs());
    const { id, handle } = await startCandidate(today);
    // The information session is due 21 days after entering; the morning after, it is overdue.
    await env.sleep(localInstant(addDays(today, 21), 12) - (await env.currentTimeMs()));
    expect((await handle.query(candidateQuery)).overdue).toBe(false);
    await env.sleep(localInstant(addDays(today, 22), 10) - (await env.currentTimeMs()));
    expect((await handle.query(candidateQuery)).overdue).toBe(true);
    expect(await findCandidate(db, id)).toMatchObject({ overdue: true, step: 'voorlichting' });
    const on = localDate(await env.currentTimeMs());
    await handle.executeUpdate(recordStepUpdate, { args: [{ step: 'voorlichting', outcome: 'attended', on }] });
    expect(await findCandidate(db, id)).toMatchObject({
      overdue: false,
      step: 'groepsintake',
      due_on: addDays(on, 14),
    });
    expect((await candidateEvents(db, id)).map((e) => e.type)).toEqual(['entered', 'overdue', 'step_recorded']);
    await handle.executeUpdate(leaveRoundUpdate, { args: [{ reason: 'health', on }] });
    await handle.result();
    if (process.env.RECORD_HISTORIES) {
      const history = await decodePayloadsIn(await handle.fetchHistory(), testDataConverter.payloadCodecs![0]!);
      writeFileSync(
        path.join(import.meta.dirname, 'histories', 'candidate-overdue-then-leaves.json'),
        historyToJSON(history as never),
      );
    }
  });

  it('takes a proposed employer for the trial day, whose judgement then is the meeloopdag outcome', async () => {
    const today = localDate(await env.currentTimeMs());
    const { id, handle } = await startCandidate(today);
    const refusal = async (p: Promise<unknown>) => {
      const e = (await p.catch((x: unknown) => x)) as WorkflowUpdateFailedError;
      expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
      const [field, fact] = (e.cause as unknown as { details: [string, CandidateRefusal] }).details;
      return { field, kind: fact.kind, nl: candidateRefusalInWords(fact).nl };
    };
    // A trial day planned before the proposal itself is refused; nothing is recorded.
    expect(
      await refusal(
        handle.executeUpdate(proposeEmployerUpdate, {
          args: [{ employerId, on: today, trialDayOn: addDays(today, -1) }],
        }),
      ),
    ).toEqual({
      field: 'trialDayOn',
      kind: 'trial_day_before_proposal',
      nl: 'De meeloopdag ligt voor de dag van het voorstel.',
    });
    expect((await handle.query(candidateQuery)).proposal).toBeUndefined();
    // Proposed ahead of the trial day, then replaced by another employer (the first could not).
    await handle.executeUpdate(proposeEmployerUpdate, { args: [{ employerId: otherEmployerId, on: today }] });
    const trialDayOn = addDays(today, 10);
    const proposed = await handle.executeUpdate(proposeEmployerUpdate, {
      args: [{ employerId, on: today, trialDayOn }],
    });
    expect(proposed.proposal).toEqual({ employerId, on: today, trialDayOn });
    expect(proposed).toMatchObject({ stepKey: 'voorlichting', dueOn: addDays(today, 21), overdue: false });
    expect(await findCandidate(db, id)).toMatchObject({ proposed_employer_id: employerId, step: 'voorlichting' });
    for (const [step, outcome] of [
      ['voorlichting', 'attended'],
      ['groepsintake', 'passed'],
    ] as const)
      await handle.executeUpdate(recordStepUpdate, { args: [{ step, outcome, on: today }] });
    // Another employer's judgement of the trial day is refused: the day is at the proposed one.
    expect(
      await refusal(
        handle.executeUpdate(recordStepUpdate, {
          args: [{ step: 'meeloopdag', outcome: 'positive', on: trialDayOn, employerId: otherEmployerId }],
        }),
      ),
    ).toMatchObject({ field: 'employerId', kind: 'not_proposed_employer' });
    // The employer's own judgement, without naming itself: the proposal says who it is.
    const judged = await handle.executeUpdate(recordStepUpdate, {
      args: [{ step: 'meeloopdag', outcome: 'positive', on: trialDayOn, by: 'employer', note: 'Goede dag' }],
    });
    expect(judged).toMatchObject({ stepKey: 'vog', employerId, dueOn: addDays(trialDayOn, 28) });
    expect(judged.history.at(-1)).toEqual({
      step: 'meeloopdag',
      outcome: 'positive',
      on: trialDayOn,
      by: 'employer',
      note: 'Goede dag',
    });
    // The trial day is behind the candidate: no new proposal.
    expect(
      await refusal(
        handle.executeUpdate(proposeEmployerUpdate, { args: [{ employerId: otherEmployerId, on: today }] }),
      ),
    ).toMatchObject({ kind: 'trial_day_done', nl: 'De meeloopdag ligt al achter de kandidaat.' });
    expect((await candidateEvents(db, id)).map((e) => e.type)).toEqual([
      'entered',
      'proposed',
      'proposed',
      'step_recorded',
      'step_recorded',
      'step_recorded',
    ]);
    await handle.executeUpdate(leaveRoundUpdate, { args: [{ reason: 'found_work', on: trialDayOn }] });
    await handle.result();
    if (process.env.RECORD_HISTORIES) {
      const history = await decodePayloadsIn(await handle.fetchHistory(), testDataConverter.payloadCodecs![0]!);
      writeFileSync(
        path.join(import.meta.dirname, 'histories', 'candidate-proposal-then-judged.json'),
        historyToJSON(history as never),
      );
    }
  });
});
