// What every benchmark measures the API with: the app as the tests build it (tests/helpers/app.ts), logging
// only warnings, with no rate limit (a benchmark sends thousands of requests under one key).
import type { Client } from '@temporalio/client';
import { buildApp, type App } from '../api/app';
import type { Db } from '../db/connection';
import { testDeps } from '../tests/helpers/app';

export function benchApp(db: Db, temporal: Client): Promise<App> {
  const deps = testDeps(db, temporal);
  return buildApp({ ...deps, config: { ...deps.config, LOG_LEVEL: 'warn' } });
}

/**
 * The value below which `p` percent of `ms` lie (nearest rank); with the alternating-samples helper in bench/stats.ts.
 */
export { percentile } from './stats';
