// The whole `npm start` stack as a child process (infra/start.ts with embedded Temporal and PostgreSQL), on
// free ports and a data folder of its own, for tests that need the real start path.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './processes';

const root = path.resolve(import.meta.dirname, '..', '..');

export interface Stack {
  child: ChildProcess;
  dataDir: string;
  /** The API's base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  token: string;
  /** The embedded database's URL as printed (no password in it). */
  databaseUrl: string;
  output(): string;
  /** Resolves when output written after `since` (a length of output()) matches; rejects on exit or after `ms`. */
  waitFor(pattern: RegExp, since?: number, ms?: number): Promise<RegExpExecArray>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startStack(
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'toeleiding-stack-')),
  extraEnv: Record<string, string> = {},
): Promise<Stack> {
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    DATABASE_URL: '',
    TEMPORAL_ADDRESS: '',
    ADMIN_TOKEN: '',
    BSN_HMAC_KEY: '',
    PAYLOAD_KEYS: '',
    SMTP_URL: '',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'infra/start.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const waitFor = (pattern: RegExp, since = 0, ms = 120_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const done = () => {
        listeners.delete(check);
        clearTimeout(timer);
      };
      const check = () => {
        const m = pattern.exec(out.slice(since));
        if (m) {
          done();
          resolve(m);
        }
      };
      const timer = setTimeout(
        () => (done(), reject(new Error(`npm start: no ${pattern} within ${ms} ms:\n${out}`))),
        ms,
      );
      listeners.add(check);
      void exited.then((code) => (done(), reject(new Error(`npm start exited (${code}) before ${pattern}:\n${out}`))));
      check();
    });

  try {
    await waitFor(/Toeleiding is running\./, 0, 180_000);
  } catch (e) {
    if (child.exitCode === null) child.kill('SIGINT');
    throw e;
  }
  return {
    child,
    dataDir,
    url: /API\s+(http:\/\/\S+)\/v1/.exec(out)![1]!,
    token: /Admin token\s+(\S+)/.exec(out)![1]!,
    databaseUrl: /Database\s+(postgres:\/\/\S+)/.exec(out)![1]!,
    output: () => out,
    waitFor,
    stop: async (signal = 'SIGINT') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
