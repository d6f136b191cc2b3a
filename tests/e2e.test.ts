// End to end through the real start path: `npm start`'s launcher with the embedded Temporal dev server and
// the embedded PostgreSQL, the worker and the API as child processes. Launch a cohort over HTTP, read it back,
// stop with SIGINT, start again and find the trajectory still running where it was. The client repeats a 503
// after its Retry-After, as a partner's would: on a loaded machine the first read of a just-started workflow
// can take longer than the API's Temporal deadline (TEMPORAL_CALL_TIMEOUT_MS).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cohortRequest } from './helpers/fixtures';
import { seedPartners } from './helpers/partners';
import { freePort } from './helpers/processes';
import type { Json } from './helpers/json';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'toeleiding-e2e-'));

interface Running {
  child: ChildProcess;
  url: string;
  token: string;
  output: () => string;
}

async function start(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'infra/start.ts')], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      ADMIN_TOKEN: '',
      SMTP_URL: '',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${out}`)), 120_000);
    const check = () => {
      if (out.includes('Toeleiding is running.')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${out}`)));
  });
  const url = /API\s+(http:\/\/\S+)\/v1/.exec(out)![1]!;
  const token = /Admin token\s+(\S+)/.exec(out)![1]!;
  expect(out).toMatch(/API docs\s+http:\/\/\S+\/docs/);
  expect(out).toMatch(/Temporal UI\s+http:\/\/127\.0\.0\.1:\d+/);
  return { child, url, token, output: () => out };
}

async function stop(r: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => r.child.once('exit', (code) => resolve(code)));
  r.child.kill('SIGINT');
  return exited;
}

/** Sends again (the same request, so the same Idempotency-Key) after a 503's Retry-After, for up to a minute. */
async function withRetries(send: () => Promise<Response>): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await send();
    if (res.status !== 503 || attempt >= 20) return res;
    await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 2) * 1000));
  }
}

describe('npm start, end to end', () => {
  let running: Running | undefined;
  afterAll(async () => {
    if (running && running.child.exitCode === null) await stop(running);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('launches a cohort over HTTP, reads it back, and resumes it after a restart', async () => {
    const env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
    };
    running = await start(env);
    const { url, token } = running;
    const call = async (method: string, p: string, body?: unknown) => {
      const headers = {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json', 'idempotency-key': randomUUID() } : {}),
      };
      const res = await withRetries(() =>
        fetch(`${url}${p}`, { method, headers, body: body ? JSON.stringify(body) : undefined }),
      );
      return { status: res.status, body: (await res.json()) as Json };
    };

    expect((await fetch(`${url}/health`)).status).toBe(200);
    const partners = await seedPartners(async (method, p, body) => {
      const res = await call(method, p, body);
      return { status: res.status, json: res.body };
    });
    const launched = await call('POST', '/v1/cohorts', cohortRequest({ ...partners, size: 20 }));
    expect(launched.status).toBe(201);
    expect(launched.body.trajectories).toHaveLength(20);

    const read = await call('GET', `/v1/cohorts/${launched.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('launched');
    const trajectoryId = read.body.trajectories[0].id;
    const live = await call('GET', `/v1/trajectories/${trajectoryId}`);
    expect(live.status).toBe(200);
    expect(live.body.live).toMatchObject({ status: 'active', week: 1, weeks: 20 });

    expect(await stop(running)).toBe(0);

    running = await start(env);
    expect(running.token).toBe(token);
    const again = running;
    const after = await withRetries(() =>
      fetch(`${again.url}/v1/trajectories/${trajectoryId}`, { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(
      after.status,
      after.status === 200 ? '' : `${await after.clone().text()}\n${again.output().slice(-4000)}`,
    ).toBe(200);
    const body = (await after.json()) as Json;
    expect(body.live).toMatchObject({ status: 'active', week: 1 });
    expect(body.workflowId).toBe(launched.body.trajectories[0].workflowId);
    expect(await stop(running)).toBe(0);
  }, 300_000);
});
