// The Temporal worker process: runs trajectory workflows and their activities, and the morning digest's office
// parts on a queue of their own. `npm run worker`; scale by running more of them against the same Temporal
// namespace, task queues and database.
import { Client, Connection } from '@temporalio/client';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import { linkKey } from '../web/links';
import { connectPostgres } from '../db/connection';
import { loadConfig, publicUrl, type Config } from './config';
import { createMailer } from './mail';
import { payloadDataConverter } from './payload-codec';
import { isMain, requireDatabaseUrl } from './process';
import { startMissingDeadlines } from './deadlines-backfill';
import { backfillPlans } from './plan-backfill';
import { ensureDigestSchedule, ensureRetentionSchedule } from './schedules';
import { connectWorker, ensureSearchAttributes, temporalConnectionOptions } from './temporal';
import { workflowSource } from './workflow-bundle';
import { digestPartsQueue } from '../workflows/ids';
import { installWorkerRuntime, startTracing, tracingClientInterceptors, tracingWorkerOptions } from './telemetry';

export async function runWorker(config: Config): Promise<void> {
  installWorkerRuntime(config);
  const tracing = startTracing('toeleiding-worker', config);
  const dataConverter = payloadDataConverter(config);
  const db = connectPostgres(requireDatabaseUrl(config), config.DATABASE_POOL_SIZE);
  const connection = await connectWorker(config);
  // A client for the Schedules and for the reminder activities, which read each trajectory's open items.
  const clientConnection = await Connection.connect(temporalConnectionOptions(config));
  const mailer = createMailer(config, db);
  try {
    await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
    const temporal = new Client({
      connection: clientConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      dataConverter,
      interceptors: tracingClientInterceptors(),
    });
    // Housekeeping Schedules exist, with this configuration's settings, before any work is taken.
    await ensureRetentionSchedule(temporal, {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      months: config.RETENTION_MONTHS,
      candidateMonths: config.CANDIDATE_RETENTION_MONTHS,
    });
    await ensureDigestSchedule(temporal, { taskQueue: config.TEMPORAL_TASK_QUEUE });
    const activities = createActivities({
      db,
      mailer,
      temporal,
      publicUrl: publicUrl(config),
      // The digest's personal links (confirm a week in one click), signed with the key the API checks them with.
      links:
        config.LINK_SIGNING_KEY || config.BSN_HMAC_KEY
          ? {
              key: linkKey({ LINK_SIGNING_KEY: config.LINK_SIGNING_KEY, BSN_HMAC_KEY: config.BSN_HMAC_KEY ?? '' }),
              days: config.TASK_LINK_DAYS,
            }
          : undefined,
    });
    const worker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      ...workflowSource(config.WORKFLOW_BUNDLE_PATH),
      ...tracingWorkerOptions(tracing, Boolean(config.WORKFLOW_BUNDLE_PATH)),
      activities,
      dataConverter,
      // Bounds the worker's memory: each cached workflow holds its state and isolate context (README, "Sizing").
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    });
    const parts = await digestPartsWorker(connection, config, activities, {
      dataConverter,
      interceptors: tracingWorkerOptions(tracing, true).interceptors,
    });
    console.log(
      `worker: polling task queues ${config.TEMPORAL_TASK_QUEUE} and ${digestPartsQueue(config.TEMPORAL_TASK_QUEUE)}`,
    );
    // Resolves once SIGINT/SIGTERM (installed by the SDK's Runtime) has drained both workers; one that stops with an
    // error stops the other, so the process ends (and is restarted) instead of working half.
    const running = runTogether([worker, parts]);
    // Once polling, so the workflows can answer: plans of runs older than plan projection (usually none).
    backfillPlans(db, temporal).then(
      ({ filled, failed }) => {
        if (filled || failed)
          console.log(`worker: filled in the plan of ${filled} running trajectories (${failed} could not answer)`);
      },
      (e: Error) => console.warn(`worker: plan backfill failed: ${e.message}`),
    );
    // Finished trajectories whose deadlines workflow never started (closed before the patch deadline-timers).
    startMissingDeadlines(db, temporal, config.TEMPORAL_TASK_QUEUE).then(
      ({ started, failed }) => {
        if (started || failed)
          console.log(`worker: started the deadlines of ${started} finished trajectories (${failed} failed)`);
      },
      (e: Error) => console.warn(`worker: deadlines backfill failed: ${e.message}`),
    );
    await running;
  } finally {
    mailer.close();
    await clientConnection.close();
    // A worker created but never run still holds the connection; that must not hide the error that got us here.
    await connection.close().catch((e: Error) => console.warn(`worker: ${e.message}`));
    await db.destroy();
  }
}

/** Runs the workers until all have stopped; the first error stops the others and is thrown once they have. */
async function runTogether(workers: Worker[]): Promise<void> {
  const results = await Promise.allSettled(
    workers.map((w) =>
      w.run().catch((e: unknown) => {
        for (const other of workers) if (other.getState() === 'RUNNING') other.shutdown();
        throw e;
      }),
    ),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * The digest's office parts on their own queue (workflows/ids.ts), at most DIGEST_PARTS_PER_WORKER at once in
 * this process: with every activity on one queue, one worker's pollers took all of a morning's parts while the
 * others idled, and that worker's mail rate capped the morning (bench/README.md, the province digest).
 */
export function digestPartsWorker(
  connection: NativeConnection,
  config: Pick<Config, 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'DIGEST_PARTS_PER_WORKER'>,
  activities: ReturnType<typeof createActivities>,
  options: Pick<WorkerOptions, 'dataConverter' | 'interceptors' | 'identity'> = {},
): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: digestPartsQueue(config.TEMPORAL_TASK_QUEUE),
    activities: { composeDigests: activities.composeDigests, deliverMail: activities.deliverMail },
    maxConcurrentActivityTaskExecutions: config.DIGEST_PARTS_PER_WORKER,
    ...options,
  });
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
