// `npm start`: everything on one machine. Starts what is not configured (the Temporal dev server with a
// SQLite file, PGlite served over the PostgreSQL protocol so the API and worker processes can share it),
// runs migrations, then the worker and the API as child processes. Ctrl-C stops them all; the next
// `npm start` resumes from the files under DATA_DIR.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { connectPostgres, openPglite } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { loadConfig, publicUrl, type Config } from './config';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { devServerExecutable } from './temporal-binaries';
import { temporalAddress } from './temporal';

const log = (line: string) => console.log(`start: ${line}`);

function adminToken(config: Config): string {
  if (config.ADMIN_TOKEN) return config.ADMIN_TOKEN;
  // Kept under DATA_DIR so a restart keeps the token partners were given.
  const file = path.join(config.DATA_DIR, 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

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

async function main() {
  const config = loadConfig();
  mkdirSync(config.DATA_DIR, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const children: ChildProcess[] = [];
  let stopping = false;
  // Servers still starting when a stop comes in: the stop waits for them, so none is left orphaned.
  const starting: Promise<unknown>[] = [];
  const track = <T>(p: Promise<T>) => (starting.push(p), p);

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    await Promise.allSettled(starting);
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
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
    let temporalUi = config.TEMPORAL_UI_URL ?? '(the Web UI of your Temporal cluster)';
    if (!config.TEMPORAL_ADDRESS) {
      log(`starting the Temporal dev server (${path.join(config.DATA_DIR, 'temporal.sqlite')})`);
      const env = await track(TestWorkflowEnvironment.createLocal({
        server: {
          executable: devServerExecutable(config),
          dbFilename: path.join(config.DATA_DIR, 'temporal.sqlite'),
          ip: '127.0.0.1',
          port: config.TEMPORAL_DEV_PORT,
          uiPort: config.TEMPORAL_UI_PORT,
          namespace: config.TEMPORAL_NAMESPACE,
          searchAttributes: SEARCH_ATTRIBUTES,
        },
      }));
      stops.push(() => env.teardown());
      temporalUi = `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`;
    }

    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const dir = path.join(config.DATA_DIR, 'pglite');
      log(`opening the embedded database (${dir})`);
      const pglite = await track(openPglite(dir));
      const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 100 });
      stops.push(async () => {
        await server.stop();
        await pglite.close();
      });
      await track(server.start());
      databaseUrl = `postgres://postgres@${server.getServerConn()}/postgres`;
    }

    const db = connectPostgres(databaseUrl, 1);
    const applied = await migrateToLatest(db);
    await db.destroy();
    if (applied.length) log(`migrations applied: ${applied.join(', ')}`);

    const token = adminToken(config);
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress(config),
      ADMIN_TOKEN: token,
      // Each embedded-database connection is multiplexed onto one PGlite; keep the pools small.
      DATABASE_POOL_SIZE: config.DATABASE_URL ? String(config.DATABASE_POOL_SIZE) : '4',
    };
    const here = path.dirname(fileURLToPath(import.meta.url));
    for (const name of ['worker', 'api']) {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, `${name}.ts`)], { env, stdio: 'inherit' });
      child.on('exit', (code, signal) => {
        if (stopping) return;
        log(`the ${name} process exited (${signal ?? code}); stopping everything`);
        void stopAll(1);
      });
      children.push(child);
    }

    const url = publicUrl(config);
    await waitForHealth(`http://127.0.0.1:${config.PORT}`, children[1]!);
    console.log(
      [
        '',
        'Toeleiding is running.',
        `  API          ${url}/v1`,
        `  API docs     ${url}/docs`,
        `  Temporal UI  ${temporalUi}`,
        `  Admin token  ${token}`,
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
