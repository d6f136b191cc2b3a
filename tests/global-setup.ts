// Once per `npm test`: make sure the Temporal binaries are there, bundle the workflow code once for every
// test file, and create a throwaway PostgreSQL database (migrated) that is dropped afterwards.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { devServerExecutable, testServerExecutable } from '../infra/temporal-binaries';
import { buildWorkflowBundle } from '../infra/workflow-bundle';
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

  // The same build as the container image's (npm run build:workflows): the tests run what is deployed.
  const bundlePath = await buildWorkflowBundle(
    path.join(mkdtempSync(path.join(os.tmpdir(), 'toeleiding-bundle-')), 'workflow-bundle.js'),
  );
  project.provide('workflowBundlePath', bundlePath);

  const database = await createThrowawayDatabase();
  project.provide('databaseUrl', database.url);
  return () => database.drop();
}
