// Once per `npm test`: make sure the Temporal binaries are there, bundle the workflow code once for every
// test file, and create a throwaway PostgreSQL database (migrated) that is dropped afterwards.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { devServerExecutable, testServerExecutable } from '../infra/temporal-binaries';
import { workflowsPath } from '../infra/workflows-path';
import { createThrowawayDatabase } from './helpers/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  // Resolve (and install, when pip is there) both binaries up front, so test files do not race to install.
  devServerExecutable(process.env);
  testServerExecutable(process.env);

  const { code } = await bundleWorkflowCode({ workflowsPath, logger: { log() {}, info() {}, warn: console.warn, error: console.error, debug() {}, trace() {} } as never });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'toeleiding-bundle-'));
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);
  project.provide('workflowBundlePath', bundlePath);

  const database = await createThrowawayDatabase();
  project.provide('databaseUrl', database.url);
  return () => database.drop();
}
