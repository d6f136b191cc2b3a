// `npm start`: everything on one machine. Starts what is not configured (the Temporal dev server with a
// SQLite file, PGlite served over the PostgreSQL protocol so the API and worker processes can share it),
// runs migrations, then the worker and the API as child processes. Ctrl-C stops them all; the next
// `npm start` resumes from the files under DATA_DIR.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { connectPostgres, openPglite } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { servePglite } from '../db/pglite-server';
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
  if (existsSync(p)) return readFileSync(p, 'utf8').trim();
  const secret = generate();
  writeFileSync(p, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

/** The secrets the child processes need: from the configuration when set there, otherwise kept under DATA_DIR. */
function secrets(config: Config) {
  return {
    ADMIN_TOKEN: config.ADMIN_TOKEN ?? keptSecret(config, 'admin-token', () => randomBytes(24).toString('base64url')),
    BSN_HMAC_KEY: config.BSN_HMAC_KEY ?? keptSecret(config, 'bsn-hmac-key', () => randomBytes(32).toString('base64url')),
    // Rotate by editing the file: a new key (newPayloadKey) first, the old ones after it (README, "Payload encryption").
    PAYLOAD_KEYS: config.PAYLOAD_KEYS ?? keptSecret(config, 'payload-keys', () => newPayloadKey()),
  };
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
    const secret = secrets(config);
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
        // Unused here, but a client that could write to Temporal encrypts like every other.
        client: { dataConverter: payloadDataConverter(secret) },
      }));
      stops.push(() => env.teardown());
      temporalUi = `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`;
    }

    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const dir = path.join(config.DATA_DIR, 'pglite');
      log(`opening the embedded database (${dir})`);
      const pglite = await track(openPglite(dir));
      const server = await track(servePglite(pglite));
      stops.push(async () => {
        await server.stop();
        await pglite.close();
      });
      databaseUrl = `postgres://postgres@${server.getServerConn()}/postgres`;
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
