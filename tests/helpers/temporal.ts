// One time-skipping Temporal test server per test file, and a worker on the bundle built once per run.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities } from '../../activities';
import type { Db } from '../../db/connection';
import { testServerExecutable } from '../../infra/temporal-binaries';
import { ensureSearchAttributes } from '../../infra/temporal';
import { TASK_QUEUE } from '../../workflows/ids';

let runtimeInstalled = false;

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable(process.env) } });
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

export function createTestWorker(env: TestWorkflowEnvironment, db: Db, taskQueue = TASK_QUEUE): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities({ db }),
  });
}
