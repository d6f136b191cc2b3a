// The world most tests run in: a migrated PostgreSQL database (the run's shared one, or one of the file's
// own when its assertions look at every row, as digests and snapshots do), a time-skipping Temporal
// server with a worker on it, and, for the API tests, buildApp on both, reached through app.inject.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
import { buildApp, type App } from '../../api/app';
import type { AppDeps } from '../../api/deps';
import { connectPostgres, type Db } from '../../db/connection';
import { injectCall, testDeps } from './app';
import type { Call } from './partners';
import { createThrowawayDatabase } from './postgres';
import { startWorkerEnv } from './temporal';

export interface TestWorld {
  databaseUrl: string;
  db: Db;
  env: TestWorkflowEnvironment;
  /** Drains the worker, stops the server, closes the pool and drops the file's own database. */
  close(): Promise<void>;
}

export interface TestApi extends TestWorld {
  app: App;
  /** JSON in and out with the admin's token (or the one given) and a fresh Idempotency-Key. */
  call: Call;
}

export async function startTestWorld(o: { ownDatabase?: boolean } = {}): Promise<TestWorld> {
  const database = o.ownDatabase ? await createThrowawayDatabase() : undefined;
  const databaseUrl = database?.url ?? inject('databaseUrl');
  const db = connectPostgres(databaseUrl, 5);
  const dispose = async () => {
    await db.destroy();
    await database?.drop();
  };
  const { env, stop } = await startWorkerEnv(db).catch(async (e) => {
    await dispose();
    throw e;
  });
  return {
    databaseUrl,
    db,
    env,
    async close() {
      await stop();
      await dispose();
    },
  };
}

export async function startTestApi(
  o: { ownDatabase?: boolean; deps?: (base: AppDeps) => Partial<AppDeps> } = {},
): Promise<TestApi> {
  const world = await startTestWorld(o);
  const base = testDeps(world.db, world.env.client);
  const app = await buildApp({ ...base, ...o.deps?.(base) }).catch(async (e) => {
    await world.close();
    throw e;
  });
  return {
    ...world,
    app,
    call: injectCall(app),
    async close() {
      await app.close();
      await world.close();
    },
  };
}
