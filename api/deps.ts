import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import type { Config } from '../infra/config';
import type { Mailer } from '../infra/mail';

/** What the API needs from the outside world; built by infra/api.ts, or by tests against real services. */
export interface AppDeps {
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'LOG_LEVEL'> & {
    ADMIN_TOKEN: string;
    BSN_HMAC_KEY: string;
    PUBLIC_URL?: string;
    /** Requests per minute per API key; unlimited when absent (tests that fire thousands of requests). */
    RATE_LIMIT_PER_MINUTE?: number;
    TRUST_PROXY?: string;
    /** Deadline of each call to Temporal (ms); 5000 when absent (api/temporal-calls.ts). */
    TEMPORAL_CALL_TIMEOUT_MS?: number;
    /** Months a calendar subscription link works; 12 when absent. */
    CALENDAR_LINK_MONTHS?: number;
    /** Signs the links in mails (web/links.ts); derived from BSN_HMAC_KEY when absent. */
    LINK_SIGNING_KEY?: string;
  };
  db: Db;
  temporal: Client;
  /** Transactional mail from the API process: sign-in links (web/app.ts). */
  mailer: Pick<Mailer, 'kind' | 'send'>;
  /** Where log lines go (default: stdout); tests read them back to check no personal data is logged. */
  logStream?: { write(line: string): void };
  /** The clock; defaults to Date.now. The simulator runs the API on the test server's skipped time. */
  now?: () => number;
}
