// Configuration is read here and nowhere else: parsed once from the environment, every problem reported
// at once, frozen, then passed into the factories that need it.
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { TASK_QUEUE } from '../workflows/ids';

const Port = Type.Integer({ minimum: 0, maximum: 65535 });

export const ConfigSchema = Type.Object({
  PORT: Port,
  HOST: Type.String({ minLength: 1 }),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  DATA_DIR: Type.String({ minLength: 1 }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200 }),
  TEMPORAL_ADDRESS: Type.Optional(Type.String({ minLength: 1 })),
  TEMPORAL_NAMESPACE: Type.String({ minLength: 1 }),
  TEMPORAL_TASK_QUEUE: Type.String({ minLength: 1 }),
  TEMPORAL_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  TEMPORAL_TLS: Type.Boolean(),
  TEMPORAL_TLS_CERT_PATH: Type.Optional(Type.String({ minLength: 1 })),
  TEMPORAL_TLS_KEY_PATH: Type.Optional(Type.String({ minLength: 1 })),
  TEMPORAL_TLS_CA_PATH: Type.Optional(Type.String({ minLength: 1 })),
  TEMPORAL_TLS_SERVER_NAME: Type.Optional(Type.String({ minLength: 1 })),
  TEMPORAL_DEV_PORT: Port,
  TEMPORAL_UI_PORT: Port,
  TEMPORAL_UI_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  TEMPORAL_CLI_PATH: Type.Optional(Type.String({ minLength: 1 })),
  TEMPORAL_TEST_SERVER_PATH: Type.Optional(Type.String({ minLength: 1 })),
  /** Deadline of each API call to Temporal (ms): a hung server makes a request answer 503 after this, never hang. */
  TEMPORAL_CALL_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000 }),
  /** The worker's Prometheus metrics (the Temporal runtime's) on this port; unset: none. */
  METRICS_PORT: Type.Optional(Port),
  /** OTLP/HTTP endpoint for traces (e.g. http://otel-collector:4318); unset: spans are not exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** A prebuilt workflow bundle (npm run build:workflows); without it the worker bundles workflows/ at start. */
  WORKFLOW_BUNDLE_PATH: Type.Optional(Type.String({ minLength: 1 })),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  MAIL_FROM: Type.String({ minLength: 3 }),
  /** SMTP connections the worker keeps open and sends over in parallel (a pool, reused for many mails). */
  SMTP_MAX_CONNECTIONS: Type.Integer({ minimum: 1, maximum: 100 }),
  /** At most this many mails a second per worker process, the provider's limit; 0: no limit. */
  SMTP_RATE_PER_SECOND: Type.Integer({ minimum: 0, maximum: 100_000 }),
  /**
   * Workflows the worker keeps in memory between tasks (its sticky cache); what bounds the worker's memory,
   * not the number of running trajectories. A workflow outside the cache is replayed from its history when
   * it next has work. 0: none cached, every task replays.
   */
  WORKER_MAX_CACHED_WORKFLOWS: Type.Integer({ minimum: 0, maximum: 100_000 }),
  /**
   * The morning digest's office parts (composing, delivering) one worker process takes at once from the digest
   * parts' queue (workflows/ids.ts); the rest go to the other workers, so a morning's mail uses every worker's pool.
   */
  DIGEST_PARTS_PER_WORKER: Type.Integer({ minimum: 1, maximum: 100 }),
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  /** The secret of the keyed hash (HMAC-SHA256) under which a BSN is stored; never the BSN itself. */
  BSN_HMAC_KEY: Type.Optional(Type.String({ minLength: 32 })),
  /**
   * AES-256-GCM keys for Temporal payloads, `keyId:base64key` separated by commas. The first encrypts; all
   * decrypt, so a key is rotated by putting a new one in front and keeping the old ones while histories hold them.
   */
  PAYLOAD_KEYS: Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9._-]+:[A-Za-z0-9+/=_-]{43,44}(,[A-Za-z0-9._-]+:[A-Za-z0-9+/=_-]{43,44})*$' }),
  ),
  /** Months after a trajectory's end before its personal data is anonymised. */
  RETENTION_MONTHS: Type.Integer({ minimum: 1, maximum: 240 }),
  /** Months after a candidate left a round (or was matched and never launched) before its data is anonymised. */
  CANDIDATE_RETENTION_MONTHS: Type.Integer({ minimum: 1, maximum: 60 }),
  /** Requests per minute per API key, and failed authentications per minute per address. */
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  /**
   * Signs the links in mails that open a task or sign a person in (web/links.ts); the API and the worker need the
   * same one. Unset: derived from BSN_HMAC_KEY (HKDF, its own label). Rotating it ends every link sent.
   */
  LINK_SIGNING_KEY: Type.Optional(Type.String({ minLength: 32 })),
  /** Days a task link in a reminder mail (confirm a week) works. */
  TASK_LINK_DAYS: Type.Integer({ minimum: 1, maximum: 90 }),
  /** Months a calendar subscription link (POST /v1/calendar-links) works before it must be made again. */
  CALENDAR_LINK_MONTHS: Type.Integer({ minimum: 1, maximum: 120 }),
  /**
   * Which proxies in front of the API to believe about the caller's address (X-Forwarded-For): `true`, a
   * number of hops, or addresses and CIDRs separated by commas. Unset: the connection's own address.
   */
  TRUST_PROXY: Type.Optional(Type.String({ pattern: '^(true|[0-9]{1,2}|[0-9A-Fa-f.:/]+(,[0-9A-Fa-f.:/]+)*)$' })),
  LOG_LEVEL: Type.Union([
    Type.Literal('fatal'),
    Type.Literal('error'),
    Type.Literal('warn'),
    Type.Literal('info'),
    Type.Literal('debug'),
    Type.Literal('trace'),
    Type.Literal('silent'),
  ]),
});
export type Config = Readonly<Static<typeof ConfigSchema>>;

export const DEFAULTS = {
  PORT: '3000',
  HOST: '127.0.0.1',
  DATA_DIR: 'data',
  DATABASE_POOL_SIZE: '10',
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_TASK_QUEUE: TASK_QUEUE,
  TEMPORAL_TLS: 'false',
  TEMPORAL_DEV_PORT: '7233',
  TEMPORAL_UI_PORT: '8233',
  TEMPORAL_CALL_TIMEOUT_MS: '5000',
  MAIL_FROM: 'Toeleiding <noreply@toeleiding.local>',
  SMTP_MAX_CONNECTIONS: '4',
  SMTP_RATE_PER_SECOND: '20',
  // Measured at 10,000 running trajectories with the 1 GiB heap ceiling of infra/k8s (bench/README.md): with 100
  // the worker peaked at 1,458 MiB during the digest, under the 1536Mi limit; with 250 at 1,825 MiB, with the
  // SDK's own default (510 at that ceiling) at 1,708 MiB. At 10,000 running a cache of 250 or 100 holds the
  // same few per cent of them, so the smaller one costs few extra replays.
  WORKER_MAX_CACHED_WORKFLOWS: '100',
  // Two: one office's mail keeps a worker's pool busy (bench/README.md), and with four lanes two workers share a
  // morning; a single worker still composes one part while delivering another.
  DIGEST_PARTS_PER_WORKER: '2',
  LOG_LEVEL: 'info',
  RETENTION_MONTHS: '24',
  // Long enough to recognise a re-application in the next round (rounds run about twice a year) and to answer a
  // question about a selection; a candidate who did not enter has no outcome a funder needs (README, Privacy).
  CANDIDATE_RETENTION_MONTHS: '6',
  RATE_LIMIT_PER_MINUTE: '600',
  CALENDAR_LINK_MONTHS: '12',
  TASK_LINK_DAYS: '14',
} as const;

const SECRETS = new Set([
  'ADMIN_TOKEN',
  'BSN_HMAC_KEY',
  'LINK_SIGNING_KEY',
  'PAYLOAD_KEYS',
  'TEMPORAL_API_KEY',
  'SMTP_URL',
  'DATABASE_URL',
]);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = { ...DEFAULTS };
  for (const key of Object.keys(ConfigSchema.properties)) {
    const v = env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const converted = Value.Convert(ConfigSchema, raw);
  const errors = Value.Errors(ConfigSchema, converted);
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => {
        const key = e.instancePath.slice(1);
        // Secrets are never echoed: a malformed key in an error message ends up in logs.
        const got = SECRETS.has(key) ? 'a value, not shown' : JSON.stringify(raw[key] ?? null);
        return `${key || 'config'}: ${e.message} (got ${got})`;
      }),
    );
  }
  const config = converted as Static<typeof ConfigSchema>;
  if (Boolean(config.TEMPORAL_TLS_CERT_PATH) !== Boolean(config.TEMPORAL_TLS_KEY_PATH)) {
    throw new ConfigError([
      'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together (mTLS client certificate and key)',
    ]);
  }
  return Object.freeze(config);
}

/** The URL partners use to reach the API (links in mails, printed at start). */
export function publicUrl(config: Config): string {
  return config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;
}
