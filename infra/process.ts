// Small helpers shared by the process entry points.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config';

export const isMain = (moduleUrl: string) =>
  Boolean(process.argv[1]) && fileURLToPath(moduleUrl) === path.resolve(process.argv[1]!);

export function requireDatabaseUrl(config: Config): string {
  if (!config.DATABASE_URL) {
    throw new Error(
      'DATABASE_URL is not set. Set it to your PostgreSQL, or use `npm start`, which serves the embedded ' +
        'database to the API and the worker.',
    );
  }
  return config.DATABASE_URL;
}

/** Runs `stop` once on SIGINT or SIGTERM. */
export function onShutdown(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      stop(signal).then(
        () => process.exit(0),
        (e) => {
          console.error(e);
          process.exit(1);
        },
      );
    });
  }
}
