import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import type { Config } from '../infra/config';
import type { Mailer } from '../infra/mail';

/** What the API needs from the outside world; built by infra/api.ts, or by tests against real services. */
export interface AppDeps {
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'LOG_LEVEL'> & { ADMIN_TOKEN: string; PUBLIC_URL?: string };
  db: Db;
  temporal: Client;
  mailer: Pick<Mailer, 'kind'>;
  /** The clock; defaults to Date.now. The simulator runs the API on the test server's skipped time. */
  now?: () => number;
}
