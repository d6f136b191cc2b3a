// The Temporal worker process: runs trajectory workflows and their activities. `npm run worker`; scale by
// running more of them against the same Temporal namespace, task queue and database.
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { connectPostgres } from '../db/connection';
import { loadConfig, type Config } from './config';
import { payloadDataConverter } from './payload-codec';
import { isMain, requireDatabaseUrl } from './process';
import { ensureRetentionSchedule } from './schedules';
import { connectWorker, ensureSearchAttributes, temporalConnectionOptions } from './temporal';
import { workflowsPath } from './workflows-path';

/** Housekeeping Schedules (retention) exist, with this configuration's settings, before any work is taken. */
async function ensureSchedules(config: Config, dataConverter: DataConverter): Promise<void> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
    await ensureRetentionSchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, months: config.RETENTION_MONTHS });
  } finally {
    await connection.close();
  }
}

export async function runWorker(config: Config): Promise<void> {
  const dataConverter = payloadDataConverter(config);
  const db = connectPostgres(requireDatabaseUrl(config), config.DATABASE_POOL_SIZE);
  const connection = await connectWorker(config);
  try {
    await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
    await ensureSchedules(config, dataConverter);
    const worker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowsPath,
      activities: createActivities({ db }),
      dataConverter,
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
