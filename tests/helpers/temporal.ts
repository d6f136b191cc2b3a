// One time-skipping Temporal test server per test file, and a worker on the bundle built once per run.
// Clients and workers encrypt payloads as in production, under a random key made once per test process.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities } from '../../activities';
import type { Db } from '../../db/connection';
import { newPayloadKey, payloadDataConverter } from '../../infra/payload-codec';
import { testServerExecutable } from '../../infra/temporal-binaries';
import { ensureSearchAttributes } from '../../infra/temporal';
import { localInstant } from '../../domain/calendar';
import { deadlinesWorkflowId, TASK_QUEUE } from '../../workflows/ids';
import { untracedWorkerOptions } from '../../infra/telemetry';

export const testPayloadKeys = newPayloadKey();
export const testDataConverter = payloadDataConverter({ PAYLOAD_KEYS: testPayloadKeys });

let runtimeInstalled = false;

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: testServerExecutable(process.env) },
    client: { dataConverter: testDataConverter },
  });
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

export function createTestWorker(env: TestWorkflowEnvironment, db: Db, taskQueue = TASK_QUEUE): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    ...untracedWorkerOptions(true),
    activities: createActivities({ db, temporal: env.client }),
    dataConverter: testDataConverter,
  });
}

/** A time-skipping server with a worker polling it; `stop` drains the worker and tears the server down. */
export async function startWorkerEnv(
  db: Db,
): Promise<{ env: TestWorkflowEnvironment; worker: Worker; stop: () => Promise<void> }> {
  const env = await createTimeSkippingEnv();
  const worker = await createTestWorker(env, db);
  const running = worker.run();
  return {
    env,
    worker,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/**
 * Moves the test server's clock to 10:00 on `date` (Amsterdam), so the deadlines' timers on the way fire
 * (workflows/deadlines.ts), and waits (in real time) until each trajectory's deadlines workflow has no activity or
 * workflow task pending: what the timers brought is recorded by then.
 */
export async function skipToMorning(env: TestWorkflowEnvironment, date: string, trajectoryIds: readonly string[]) {
  const wait = localInstant(date, 10) - (await env.currentTimeMs());
  if (wait > 0) await env.sleep(wait);
  for (const id of trajectoryIds) {
    const handle = env.client.workflow.getHandle(deadlinesWorkflowId(id));
    for (let i = 0; i < 100; i++) {
      const { raw } = await handle.describe();
      if (!raw.pendingActivities?.length && !raw.pendingWorkflowTask) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
