// A PostgreSQL instance of the drill's own: `initdb` into a temporary folder, `pg_ctl` on a free port. The
// drill stops and starts this instance and nothing else; the machine's shared cluster is never touched.
// As root, PostgreSQL refuses to run, so the folder is given to the `postgres` user and every command runs
// as that user (runuser). `remove()` stops the instance (immediate) and deletes the folder; it is also run
// synchronously when the process exits, so a drill that fails or is interrupted leaves nothing running.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface OwnPostgres {
  port: number;
  /** The superuser's URL for database `name` (trust authentication, 127.0.0.1 only). */
  url(name?: string): string;
  /** `pg_ctl stop -m <mode>` (fast: disconnects clients, checkpoint; immediate: like a crash). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** True when a new connection is accepted right now. */
  accepts(): Promise<boolean>;
  /** Stops the instance if it runs and deletes its folder. Safe to call twice. */
  remove(): void;
}

function binDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0)
    throw new Error(`no PostgreSQL binaries under ${root}; set PG_BIN_DIR to the folder holding initdb and pg_ctl`);
  return path.join(root, versions[0]!, 'bin');
}

export async function startOwnPostgres(port: number): Promise<OwnPostgres> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const user = process.env.PG_RUN_AS ?? 'postgres';
  const folder = mkdtempSync(path.join(os.tmpdir(), 'toeleiding-drill-pg-'));
  const data = path.join(folder, 'data');
  const log = path.join(folder, 'postgres.log');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
    chownSync(folder, uid, gid);
  }
  const command = (cmd: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', user, '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
  const run = (cmd: string, args: string[]) =>
    execFileSync(...command(cmd, args), { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  // Asynchronous for stop and start, so the drill's clients keep sending while pg_ctl waits.
  const runAsync = async (cmd: string, args: string[]) => {
    await promisify(execFile)(...command(cmd, args));
  };
  const options = [
    `-p ${port}`,
    `-k ${folder}`,
    '-c listen_addresses=127.0.0.1',
    '-c shared_buffers=32MB',
    '-c max_connections=40',
  ].join(' ');
  let running = false;
  let removed = false;
  const instance: OwnPostgres = {
    port,
    url: (name = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${name}`,
    async stop(mode = 'fast') {
      await runAsync('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
      running = false;
    },
    async start() {
      running = true;
      await runAsync('pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
    },
    async accepts() {
      const c = new pg.Client({ connectionString: instance.url(), connectionTimeoutMillis: 1000, query_timeout: 1000 });
      c.on('error', () => {});
      const within = <T>(p: Promise<T>) =>
        Promise.race([
          p,
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000).unref()),
        ]);
      try {
        await within(c.connect().then(() => c.query('select 1')));
        return true;
      } catch {
        return false;
      } finally {
        await within(c.end()).catch(() => {});
      }
    },
    remove() {
      if (removed) return;
      removed = true;
      process.off('exit', onExit);
      try {
        if (running || existsSync(path.join(data, 'postmaster.pid')))
          run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        /* not running */
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
  const onExit = () => instance.remove();
  process.on('exit', onExit);
  try {
    run('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
      '--no-instructions',
    ]);
    await instance.start();
  } catch (e) {
    const stderr = (e as { stderr?: Buffer | string }).stderr?.toString() ?? '';
    const out = `${stderr}${existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : ''}`;
    instance.remove();
    throw new Error(`own PostgreSQL did not start: ${(e as Error).message}\n${out}`, { cause: e });
  }
  return instance;
}
