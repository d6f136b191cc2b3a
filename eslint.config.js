// ESLint (flat config) for every TypeScript and JavaScript source: `npm run lint` (eslint, then prettier --check);
// CI runs it after the typecheck. Formatting is Prettier's (.prettierrc.json); this file only checks what Prettier
// cannot.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Node's builtin modules, with and without the `node:` prefix: none of them exists in Temporal's workflow sandbox
// (the bundler refuses all but assert, url and util, and those are polyfills there), and none belongs in the core.
const nodeBuiltins = { regex: '^node:', message: 'Node builtins are not available here.' };
const bareNodeBuiltins = {
  group: [
    'assert',
    'async_hooks',
    'buffer',
    'child_process',
    'cluster',
    'crypto',
    'dgram',
    'dns',
    'events',
    'fs',
    'fs/*',
    'http',
    'http2',
    'https',
    'net',
    'os',
    'path',
    'perf_hooks',
    'process',
    'readline',
    'stream',
    'stream/*',
    'timers',
    'timers/*',
    'tls',
    'url',
    'util',
    'v8',
    'vm',
    'worker_threads',
    'zlib',
  ],
  message: 'Node builtins are not available here.',
};

/** Globals a workflow must not touch, each with the reason (Temporal TypeScript SDK 1.24, worker/lib/workflow). */
const workflowGlobals = [
  // The sandbox is a fresh vm context: Node's `process` is not in it (and env or pid would differ per worker).
  { name: 'process', message: 'Not in the workflow sandbox; pass configuration in the workflow input.' },
  // Only setTimeout/clearTimeout are replaced by durable timers; these do not exist in the sandbox.
  { name: 'setInterval', message: 'Not in the workflow sandbox; loop with sleep() from @temporalio/workflow.' },
  { name: 'clearInterval', message: 'Not in the workflow sandbox; use a CancellationScope.' },
  { name: 'setImmediate', message: 'Not in the workflow sandbox (a Node macrotask, outside the replayed history).' },
  { name: 'clearImmediate', message: 'Not in the workflow sandbox.' },
  // Node's queueMicrotask is not injected into the sandbox context; plain promises give the same ordering.
  { name: 'queueMicrotask', message: 'Not in the workflow sandbox; use a resolved promise.' },
  // Web Crypto is absent and would be random on replay; uuid4() is seeded from the workflow's history.
  { name: 'crypto', message: 'Not deterministic; use uuid4() (or Math.random(), seeded) from @temporalio/workflow.' },
  // Wall-clock timing differs on every replay; Date.now() in a workflow is the workflow task's time.
  { name: 'performance', message: 'Not deterministic; use Date.now() (workflow time) instead.' },
  // Garbage collection is not deterministic: the SDK replaces both with constructors that throw.
  { name: 'WeakRef', message: 'Throws in the workflow sandbox: garbage collection is not deterministic.' },
  { name: 'FinalizationRegistry', message: 'Throws in the workflow sandbox: garbage collection is not deterministic.' },
  // Node-only globals that the sandbox does not have.
  { name: 'Buffer', message: 'Not in the workflow sandbox; use Uint8Array with TextEncoder/TextDecoder.' },
  { name: 'fetch', message: 'I/O belongs in an activity.' },
  { name: 'require', message: 'Not in the workflow sandbox; use an import.' },
  { name: 'global', message: 'Not in the workflow sandbox.' },
];

export default defineConfig(
  {
    ignores: [
      // The previous release's workflow code, kept byte for byte: the rollout test runs it as it was deployed.
      'tests/fixtures/release-2026-11-22/**',
      '**/node_modules/**',
      '.node/**',
      '.temporal/**',
      'dist/**',
      'coverage/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [eslint.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      parserOptions: {
        // Type information from tsconfig.json, which includes every folder with sources (and vitest.config.ts).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // TypeScript already reports undefined names (and knows the globals of lib and @types/node).
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // A promise is awaited, returned, or marked fire-and-forget with `void` (and a comment why).
      '@typescript-eslint/no-floating-promises': 'error',
      // No promise where a plain value or a void callback is expected (an `if (promise)`, an async listener).
      '@typescript-eslint/no-misused-promises': 'error',
      // `await` only on something that can be awaited.
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // The few plain JavaScript files (this one, bench/worker-clock.mjs): ESLint's recommended rules, run by Node.
    files: ['**/*.{js,mjs}'],
    extends: [eslint.configs.recommended],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // Kysely's migrations take `Kysely<any>` (its Migration interface, and its advice): a migration must not depend
    // on the application's current schema type, which changes after the migration was written.
    files: ['db/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Workflow code runs deterministically in Temporal's sandbox and is bundled into it: its values come only
    // from the workflow SDK, from the workflows themselves, and from the framework-free core in domain/.
    // Types may come from anywhere (they are erased before bundling).
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            bareNodeBuiltins,
            {
              regex: '^(?!@temporalio/(workflow|common)$|\\./|\\.\\./domain(/|$)).*',
              allowTypeImports: true,
              message:
                'Workflow code may import values only from @temporalio/workflow, @temporalio/common, ' +
                './ (workflows) and ../domain/ (import type from elsewhere is fine).',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...workflowGlobals],
      'no-restricted-properties': [
        'error',
        {
          object: 'crypto',
          property: 'randomUUID',
          message: 'Random on replay; use uuid4() from @temporalio/workflow.',
        },
        { object: 'globalThis', property: 'process', message: 'Not in the workflow sandbox.' },
        { object: 'globalThis', property: 'crypto', message: 'Not deterministic; use uuid4().' },
        { object: 'globalThis', property: 'performance', message: 'Not deterministic; use Date.now().' },
      ],
    },
  },
  {
    // The core is framework-free: plain TypeScript over its own modules and typebox, no Temporal, no Node, not
    // even a type from the outer folders (they depend on the core, not the other way round). Workflows import it,
    // so it runs in the sandbox too: the same globals are off limits.
    files: ['domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            bareNodeBuiltins,
            { regex: '^@temporalio/', message: 'The core is framework-free: no Temporal.' },
            {
              regex: '^(?!typebox(/|$)|\\./).*',
              message: 'The core may import only its own modules (./) and typebox.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...workflowGlobals],
    },
  },
  {
    // Routes reach the database in one way only: a route calls a service (api/services/<topic>.ts), and the service
    // uses db/'s repository functions and maps rows to responses. A route importing db/ would put queries and row
    // mapping back in the route (issue 16), so even a type from db/ is refused here.
    files: ['api/routes/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+db(/|$)',
              message: 'A route calls a service (api/services/), which uses db/; it does not import db/ itself.',
            },
          ],
        },
      ],
    },
  },
  {
    // Pages are routes too (issue 16): a page calls services (api/services/), which use db/. A type from db/ (a row a
    // page renders) is fine. The exception is web/session.ts: a person's session and sign-in links are the pages'
    // own storage (db/web-sessions.ts, and the contact a session is for), not a use case of the API.
    files: ['web/**/*.ts'],
    ignores: ['web/session.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+db(/|$)',
              allowTypeImports: true,
              message: 'A page calls a service (api/services/), which uses db/; only `import type` from db/ here.',
            },
          ],
        },
      ],
      // No query built inline either: a Kysely builder on deps.db belongs in a db/ repository.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|transaction)$/]',
          message: 'Queries belong in db/ (a repository), called through a service in api/services/.',
        },
      ],
    },
  },
  // Last but one: turns off every rule that would fight Prettier's formatting.
  prettier,
  {
    // After eslint-config-prettier (which turns max-len off): no source line over 120 characters, not even in a
    // string, comment or template literal; only a line holding a URL may be longer.
    files: ['**/*.{ts,js,mjs}'],
    rules: {
      'max-len': ['error', { code: 120, ignoreUrls: true }],
    },
  },
);
