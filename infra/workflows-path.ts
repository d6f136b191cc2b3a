// The workflow bundle's entry, resolved from this file (ESM has no require.resolve). Shared by the worker,
// the tests and the benchmarks.
import { fileURLToPath } from 'node:url';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
