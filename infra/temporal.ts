// Connections to Temporal: the embedded dev server's address, or a cluster with mTLS or an API key.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

export function temporalAddress(config: Config): string {
  return config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_DEV_PORT}`;
}

export function temporalConnectionOptions(config: Config) {
  const useTls = config.TEMPORAL_TLS || Boolean(config.TEMPORAL_TLS_CERT_PATH) || Boolean(config.TEMPORAL_API_KEY);
  const tls = useTls
    ? {
        serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME,
        serverRootCACertificate: config.TEMPORAL_TLS_CA_PATH ? readFileSync(config.TEMPORAL_TLS_CA_PATH) : undefined,
        clientCertPair: config.TEMPORAL_TLS_CERT_PATH
          ? { crt: readFileSync(config.TEMPORAL_TLS_CERT_PATH), key: readFileSync(config.TEMPORAL_TLS_KEY_PATH!) }
          : undefined,
      }
    : undefined;
  return { address: temporalAddress(config), tls, apiKey: config.TEMPORAL_API_KEY } satisfies ConnectionOptions;
}

export function connectWorker(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(temporalConnectionOptions(config));
}

interface OperatorConnection {
  operatorService: {
    listSearchAttributes(r: { namespace: string }): Promise<{ customAttributes?: Record<string, unknown> | null }>;
    addSearchAttributes(r: { namespace: string; searchAttributes: Record<string, number> }): Promise<unknown>;
  };
}

// proto IndexedValueType: KEYWORD = 2. All of ours are keywords.
const KEYWORD = 2;

/**
 * Makes sure the namespace knows our search attributes. Without them every workflow task that sets one
 * fails and trajectories stall, so the worker refuses to start instead. On Temporal Cloud, where the
 * operator API is not open to API keys, register them once with `tcld` (README, "Deploy").
 */
export async function ensureSearchAttributes(connection: OperatorConnection, namespace: string): Promise<void> {
  const wanted = SEARCH_ATTRIBUTES.map((k) => k.name);
  let missing = wanted;
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    missing = wanted.filter((name) => !(name in (customAttributes ?? {})));
  } catch {
    // The time-skipping test server cannot list them; adding is then the only check.
  }
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((n) => [n, KEYWORD])),
    });
  } catch (e) {
    throw new Error(
      `search attributes ${missing.join(', ')} are not registered in namespace ${namespace} and could not ` +
        `be added (${(e as Error).message}); register them as keywords (README, "Deploy")`,
      { cause: e },
    );
  }
}
