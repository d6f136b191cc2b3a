// The Temporal worker process: runs trajectory workflows and their activities. `npm run worker`; scale by
// running more of them against the same Temporal namespace, task queue and database.
import { Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { connectPostgres } from '../db/connection';
import { loadConfig, type Config } from './config';
import { isMain, requireDatabaseUrl } from './process';
import { connectWorker, ensureSearchAttributes } from './temporal';
import { workflowsPath } from './workflows-path';

export async function runWorker(config: Config): Promise<void> {
  const db = connectPostgres(requireDatabaseUrl(config), config.DATABASE_POOL_SIZE);
  const connection = await connectWorker(config);
  try {
    await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
    const worker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowsPath,
      activities: createActivities({ db }),
    });
    console.log(`worker: polling task queue ${config.TEMPORAL_TASK_QUEUE}`);
    // Resolves once SIGINT/SIGTERM (installed by the SDK's Runtime) has drained the worker.
    await worker.run();
  } finally {
    await connection.close();
    await db.destroy();
  }
}

if (isMain(import.meta.url)) {
  runWorker(loadConfig()).then(
    () => process.exit(0),
    (e) => {
      console.error('worker: stopped with an error:', e);
      process.exit(1);
    },
  );
}
