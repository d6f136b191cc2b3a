// Two commits at once: an update's projection still running when the main loop commits too (a BBL
// confirmation during the decision window ends the trajectory at once). The history must replay: a worker
// restart replays it, and a failed replay stalls the trajectory (found by the worker-kill drill). On the
// dev server: the real server's handling of updates, and real time (the trajectory is past its end).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { decodePayloadsIn } from '../infra/payload-codec';
import { Worker } from '@temporalio/worker';
import { devServerExecutable } from '../infra/temporal-binaries';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connectPostgres, type Db } from '../db/connection';
import { addDays } from '../domain/calendar';
import { TASK_QUEUE, trajectoryWorkflowId } from '../workflows/ids';
import { confirmBblUpdate, stateQuery, trajectoryWorkflow } from '../workflows/trajectory';
import { shortTemplate, thisMonday } from './helpers/fixtures';
import { seedTrajectory } from './helpers/seed';
import { createTestWorker, testDataConverter } from './helpers/temporal';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let db: Db;

const template = shortTemplate();

beforeAll(async () => {
  db = connectPostgres(inject('databaseUrl'), 4);
  env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: devServerExecutable(process.env),
      searchAttributes: SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error'],
    },
    client: { dataConverter: testDataConverter },
  });
  worker = await createTestWorker(env, db);
  running = worker.run();
}, 60_000);
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.destroy();
});

describe('a confirmation that ends the trajectory while its own projection runs', () => {
  it.each([
    ['BBL doorstroom', [{ by: 'employer', contractStartDate: '2027-09-01' }, { by: 'school' }]],
    ['job without BBL', [{ by: 'employer', jobWithoutBbl: true }]],
  ] as const)('%s: replays', async (_, confirmations) => {
    // Two weeks from Monday two weeks ago: past its end, waiting for the BBL decision.
    const input = await seedTrajectory(db, addDays(thisMonday(), -14), template);
    const handle = await env.client.workflow.start(trajectoryWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: trajectoryWorkflowId(input.trajectoryId),
      args: [input],
    });
    for (let i = 0; i < 50 && (await handle.query(stateQuery)).status !== 'awaiting_bbl'; i++)
      await new Promise((r) => setTimeout(r, 100));
    for (const c of confirmations) await handle.executeUpdate(confirmBblUpdate, { args: [c as never] });
    expect((await handle.result()).status).toBe('ended');
    const history = await handle.fetchHistory();
    if (process.env.RECORD_HISTORIES) {
      const name =
        confirmations.length === 2
          ? 'trajectory-bbl-confirmed-after-the-end'
          : 'trajectory-job-confirmed-after-the-end';
      writeFileSync(
        path.join(import.meta.dirname, 'histories', `${name}.json`),
        historyToJSON((await decodePayloadsIn(history, testDataConverter.payloadCodecs![0]!)) as never),
      );
    }
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: testDataConverter },
      history,
      handle.workflowId,
    );
  });
});
