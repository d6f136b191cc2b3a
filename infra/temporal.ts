// Connections to Temporal: the embedded dev server's address, or a cluster with mTLS or an API key.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config';

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
