// `npm start`'s embedded database and its supervision, through the real start path (infra/start.ts with
// the embedded Temporal dev server and PostgreSQL): a local client without the password is refused; one
// with it that clears its search_path, makes its session read-only or leaves a transaction open breaks and
// stalls nothing of the API; /health probes the path requests take; the files under DATA_DIR are the
// owner's only; a killed API or worker is started again and the stack answers again; Ctrl-C stops all.
import { randomUUID } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectPostgres } from '../db/connection';
import { databaseUser, postgresBinaries, reachableBinaries } from '../db/embedded-postgres';
import { buildApp, testDeps } from './helpers/app';
import { cohortRequest } from './helpers/fixtures';
import { seedPartners, type Call, type Partners } from './helpers/partners';
import { startStack, type Stack } from './helpers/stack';

let stack: Stack;
let call: Call;
let partners: Partners;
const foreign: pg.Client[] = [];

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The password `npm start` generated. */
const password = () => readFileSync(path.join(stack.dataDir, 'database-password'), 'utf8').trim();

/** A local client of the database that is not part of the stack. */
async function foreignClient(pw?: string): Promise<pg.Client> {
  const u = new URL(stack.databaseUrl);
  const c = new pg.Client({
    host: u.hostname,
    port: Number(u.port),
    user: 'postgres',
    database: 'postgres',
    ...(pw !== undefined && { password: pw }),
  });
  c.on('error', () => {});
  await c.connect();
  foreign.push(c);
  return c;
}

/** Polls /health until 200 (a stalled or broken database never gets there), failing after `ms`. */
async function healthy(ms = 90_000): Promise<void> {
  let last = '';
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
    const res = await fetch(`${stack.url}/health`, { signal: AbortSignal.timeout(10_000) }).catch((e: Error) => e);
    if (!(res instanceof Error) && res.status === 200) return;
    last = res instanceof Error ? res.message : `${res.status} ${await res.text()}`;
  }
  throw new Error(`/health did not answer 200 within ${ms} ms (last: ${last})`);
}

beforeAll(async () => {
  // Generous Temporal call deadlines: on a busy machine a first query of a new workflow can take seconds,
  // and what is tested here is the database path.
  stack = await startStack(undefined, { TEMPORAL_CALL_TIMEOUT_MS: '60000' });
  // Every request has a deadline: a stalled API fails the test instead of hanging it.
  call = async (method, p, body) => {
    const res = await fetch(`${stack.url}${p}`, {
      method,
      headers: {
        authorization: `Bearer ${stack.token}`,
        ...(body !== undefined && { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: res.status, json: await res.json().catch(() => undefined) };
  };
  partners = await seedPartners(call);
}, 300_000);

afterAll(async () => {
  await Promise.all(foreign.map((c) => c.end().catch(() => {})));
  if (stack) {
    if (stack.child.exitCode === null) await stack.stop();
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
});

describe('npm start: the embedded database', () => {
  it('admits no local client without the password', async () => {
    expect(stack.databaseUrl).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    await expect(foreignClient()).rejects.toThrow(/password/);
    await expect(foreignClient('not-the-password')).rejects.toMatchObject({ code: '28P01' }); // invalid_password
    // It listens on the loopback address only, without a Unix socket.
    const c = await foreignClient(password());
    const { rows } = await c.query<{ listen: string; sockets: string; hba: string }>(
      "select current_setting('listen_addresses') as listen, current_setting('unix_socket_directories') as " +
        "sockets, (select string_agg(distinct auth_method, ',') from pg_hba_file_rules) as hba",
    );
    expect(rows[0]).toEqual({ listen: '127.0.0.1', sockets: '', hba: 'scram-sha-256' });
  });

  it(
    "keeps a local client's session to itself: a cleared search_path, a read-only session and an idle open " +
      'transaction break and stall nothing of the API',
    async () => {
      // What `pg_dump` does to its session, and worse, with the password (the worst case).
      const dumper = await foreignClient(password());
      await dumper.query("select pg_catalog.set_config('search_path', '', false)");
      await dumper.query('set default_transaction_read_only = on');
      const idle = await foreignClient(password());
      await idle.query('begin');
      await idle.query('select count(*) from api_key'); // holds a lock on the table every request reads
      await idle.query("set local search_path = ''");

      await healthy();
      const launched = await call('POST', '/v1/cohorts', cohortRequest({ ...partners, size: 3 }));
      expect(launched.status).toBe(201);
      const read = await call('GET', `/v1/cohorts/${launched.json.id}`);
      expect(read.status).toBe(200);
      expect(read.json.trajectories).toHaveLength(3);
      const trajectory = await call('GET', `/v1/trajectories/${read.json.trajectories[0].id}`);
      expect(trajectory.status, JSON.stringify(trajectory.json)).toBe(200);

      // The foreign sessions kept what they did to themselves, and the transaction was open all along.
      const { rows } = await dumper.query<{ state: string }>(
        'select state from pg_catalog.pg_stat_activity where pid = $1',
        [(idle as unknown as { processID: number }).processID],
      );
      expect(rows[0]!.state).toBe('idle in transaction');
      expect((await dumper.query('show search_path')).rows[0].search_path).toBe('');
      await idle.query('rollback');
    },
  );

  it("keeps DATA_DIR its owner's: secrets and the Temporal file 0600, the database folder 0700", () => {
    const mode = (p: string) => statSync(path.join(stack.dataDir, p)).mode & 0o777;
    for (const secret of ['admin-token', 'bsn-hmac-key', 'payload-keys', 'database-password'])
      expect(mode(secret), secret).toBe(0o600);
    expect(mode('temporal.sqlite')).toBe(0o600);
    for (const f of ['temporal.sqlite-wal', 'temporal.sqlite-shm'])
      if (existsSync(path.join(stack.dataDir, f))) expect(mode(f), f).toBe(0o600);
    expect(mode('postgres')).toBe(0o700);
    // Under root the database runs as the user postgres, which may only pass through DATA_DIR (0710 to its group).
    expect(mode('.')).toBe(process.getuid?.() === 0 ? 0o710 : 0o700);
    const owner = statSync(path.join(stack.dataDir, 'postgres')).uid;
    if (process.getuid?.() === 0) expect(owner).not.toBe(0);
    else expect(owner).toBe(process.getuid?.());
  });
});

describe('npm start: supervision', () => {
  const pidOf = (name: string) =>
    Number([...stack.output().matchAll(new RegExp(`the ${name} process started \\(pid (\\d+)\\)`, 'g'))].at(-1)![1]);

  it('restarts a killed API process (logged), and the API answers again', async () => {
    const pid = pidOf('api');
    const since = stack.output().length;
    process.kill(pid, 'SIGKILL');
    await stack.waitFor(/the api process exited \(SIGKILL\); restarting it in 1 s/, since);
    await stack.waitFor(/the api process started \(pid \d+\)/, since);
    expect(pidOf('api')).not.toBe(pid);
    await healthy(120_000);
    expect((await call('GET', '/v1/cohorts')).status).toBe(200);
  }, 180_000);

  it('restarts a killed worker process, and trajectories run on', async () => {
    const pid = pidOf('worker');
    const since = stack.output().length;
    process.kill(pid, 'SIGKILL');
    await stack.waitFor(/the worker process exited \(SIGKILL\); restarting it in 1 s/, since);
    await stack.waitFor(/the worker process started \(pid \d+\)/, since);
    await stack.waitFor(/worker: polling/, since);
    // A launch and a live read both need the worker: the launch's workflows start, the read queries one.
    const launched = await call('POST', '/v1/cohorts', cohortRequest({ ...partners, size: 2 }));
    expect(launched.status).toBe(201);
    const live = await call('GET', `/v1/trajectories/${launched.json.trajectories[0].id}`);
    expect(live.status, JSON.stringify(live.json)).toBe(200);
    expect(live.json.live).toMatchObject({ status: 'active', week: 1 });
  }, 180_000);

  it('stops everything on Ctrl-C, the database server too', async () => {
    const pids = [pidOf('api'), pidOf('worker')];
    const postmaster = Number(
      readFileSync(path.join(stack.dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    expect(alive(postmaster)).toBe(true);
    const since = stack.output().length;
    expect(await stack.stop('SIGINT')).toBe(0);
    expect(stack.output().slice(since)).not.toMatch(/restarting/);
    expect(stack.output().slice(since)).toMatch(/start: stopped/);
    for (const pid of [...pids, postmaster]) expect(alive(pid), `pid ${pid}`).toBe(false);
    expect(existsSync(path.join(stack.dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 120_000);
});

describe('npm start: a data folder of an earlier version', () => {
  it('refuses a PGlite folder without a PostgreSQL one, saying so, and starts nothing', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'toeleiding-pglite-'));
    mkdirSync(path.join(dataDir, 'pglite'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'infra/start.ts'], {
        cwd: path.resolve(import.meta.dirname, '..'),
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', TEMPORAL_ADDRESS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(out).toMatch(/holds the database of an earlier version \(PGlite\)/);
      expect(out).not.toMatch(/Temporal dev server/);
      expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe.runIf(process.getuid?.() === 0)('the embedded database run as root', () => {
  it(
    'copies binaries the database user cannot reach (a checkout under a 0700 folder) to where it can, and ' +
      'runs them from there',
    async () => {
      const as = databaseUser()!;
      const hidden = mkdtempSync(path.join(os.tmpdir(), 'toeleiding-hidden-')); // 0700, root's
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'toeleiding-root-'));
      // As npm start leaves DATA_DIR under root: the database user's group may pass through.
      chownSync(dataDir, 0, as.gid);
      chmodSync(dataDir, 0o710);
      try {
        const found = await postgresBinaries();
        const native = path.resolve(path.dirname(found.postgres), '..');
        cpSync(path.join(native, '..'), path.join(hidden, 'pkg'), { recursive: true, verbatimSymlinks: true });
        const unreachable = {
          postgres: path.join(hidden, 'pkg', 'native', 'bin', 'postgres'),
          initdb: path.join(hidden, 'pkg', 'native', 'bin', 'initdb'),
        };
        const copied = reachableBinaries(unreachable, as, path.join(dataDir, 'postgres-binaries'));
        expect(copied.postgres.startsWith(path.join(dataDir, 'postgres-binaries'))).toBe(true);
        expect(statSync(path.join(dataDir, 'postgres-binaries')).mode & 0o777).toBe(0o710);
        const version = spawnSync(copied.postgres, ['--version'], { uid: as.uid, gid: as.gid, encoding: 'utf8' });
        expect(version.error).toBeUndefined();
        expect(version.stdout).toMatch(/PostgreSQL\) \d+/);
        // Binaries it can reach are used where they are (the copy now is such).
        expect(reachableBinaries(copied, as, path.join(dataDir, 'other'))).toEqual(copied);
        expect(existsSync(path.join(dataDir, 'other'))).toBe(false);
      } finally {
        rmSync(hidden, { recursive: true, force: true });
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});

describe('/health', () => {
  it('is 503 when the tables requests use cannot be reached, though `select 1` answers', async () => {
    // A pool whose sessions find no table by name: what a cleared search_path did to the shared PGlite session.
    const url = new URL(inject('databaseUrl'));
    url.searchParams.set('options', '-c search_path=nowhere');
    const db = connectPostgres(url.toString(), 1);
    const temporal = new TemporalClient({
      connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s' }),
    });
    const app = await buildApp(testDeps(db, temporal));
    try {
      expect((await sql`select 1 as one`.execute(db)).rows).toHaveLength(1);
      const res = await app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json().database).toMatchObject({ status: 'down', detail: expect.stringMatching(/api_key/) });
    } finally {
      await app.close();
      await db.destroy();
    }
  });
});
