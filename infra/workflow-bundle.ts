// The workflow bundle: built once (`npm run build:workflows`, in the container image's build stage, and by
// the tests), so a worker in production loads a fixed, reviewed bundle instead of bundling at start.
// `WORKFLOW_BUNDLE_PATH` points a worker at it; without it the worker bundles workflows/ itself. Either way
// the bundle holds the tracing interceptors (infra/telemetry.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import { workflowsPath } from './workflows-path';
import { isMain } from './process';
import { workflowTracingModule } from './telemetry';

const quiet = { log() {}, info() {}, warn: console.warn, error: console.error, debug() {}, trace() {} } as never;

export async function buildWorkflowBundle(file: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: [workflowTracingModule],
    logger: quiet,
  });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, code);
  return file;
}

/** What Worker.create needs to find the workflows: the prebuilt bundle when there is one. */
export function workflowSource(
  bundlePath: string | undefined,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  return bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath };
}

if (isMain(import.meta.url)) {
  const file = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  await buildWorkflowBundle(file);
  console.log(`workflow bundle: ${file}`);
}
