// Real processes for tests and drills: the API and the worker as child processes (as in production), and a
// Temporal dev server that can be stopped and started again on the same SQLite file and port.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { devServerExecutable } from '../../infra/temporal-binaries';

const root = path.resolve(import.meta.dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface Proc {
  name: string;
  child: ChildProcess;
  output(): string;
  /** Resolves when the output matches, rejects when the process exits first or after `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs one of the process entries (infra/api.ts, infra/worker.ts) with its own environment. */
export function spawnEntry(name: string, entry: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    child,
    output: () => out,
    waitFor: (pattern, ms = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no ${pattern} within ${ms} ms:\n${out}`)), ms);
        const check = () => {
          if (pattern.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout!.on('data', check);
        child.stderr!.on('data', check);
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (${code}):\n${out}`));
        });
        check();
      }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Waits until an HTTP server answers `url` with 200. */
export async function untilUp(url: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > until) throw new Error(`${url} did not come up within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface DevServer {
  address: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** The Temporal dev server (the real server, SQLite) on a fixed port and file, so a restart keeps its state. */
export async function devServer(dbFilename: string): Promise<DevServer> {
  const port = await freePort();
  let env: TestWorkflowEnvironment | undefined;
  const server: DevServer = {
    address: `127.0.0.1:${port}`,
    async start() {
      env = await TestWorkflowEnvironment.createLocal({
        server: {
          executable: devServerExecutable(process.env),
          dbFilename,
          ip: '127.0.0.1',
          port,
          uiPort: await freePort(),
          searchAttributes: SEARCH_ATTRIBUTES,
          extraArgs: ['--log-level', 'error'],
        },
      });
    },
    async stop() {
      await env?.teardown();
      env = undefined;
    },
  };
  await server.start();
  return server;
}

/** The kB fields of /proc/<pid>/status (Linux), e.g. VmRSS (resident now) and VmHWM (the peak resident). */
export function procStatus(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const m = /^(\w+):\s+(\d+) kB/.exec(line);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

/** The Temporal dev server in memory (no SQLite file, as `npm run bench` runs it): faster, lost when stopped. */
export async function devServerInMemory(): Promise<DevServer & { env(): TestWorkflowEnvironment }> {
  const port = await freePort();
  let env: TestWorkflowEnvironment | undefined;
  const server = {
    address: `127.0.0.1:${port}`,
    env: () => env!,
    async start() {
      env = await TestWorkflowEnvironment.createLocal({
        server: {
          executable: devServerExecutable(process.env),
          ip: '127.0.0.1',
          port,
          uiPort: await freePort(),
          searchAttributes: SEARCH_ATTRIBUTES,
          extraArgs: ['--log-level', 'error'],
        },
      });
    },
    async stop() {
      await env?.teardown();
      env = undefined;
    },
  };
  await server.start();
  return server;
}
