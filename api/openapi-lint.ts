// `npm run lint:api`: generates the OpenAPI document from the app (built, never listening, without a database or
// Temporal: building the routes needs neither) and lints it with Spectral against api/openapi-rules.yaml, the
// Dutch API design rules written out. Exits 1 on any error. tests/openapi.test.ts runs the same check.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildApp } from './app';
import type { AppDeps } from './deps';

const root = fileURLToPath(new URL('..', import.meta.url));

/** An OpenAPI document: the parts read here named, the rest passed on as it is. */
export interface OpenApiDocument {
  components?: { schemas?: Record<string, unknown> };
  [key: string]: unknown;
}

/** The document as /docs/json serves it, for an API reached at `publicUrl` (relative servers without one). */
export async function generateOpenApi(publicUrl?: string): Promise<OpenApiDocument> {
  const deps = {
    config: {
      TEMPORAL_TASK_QUEUE: 'openapi',
      LOG_LEVEL: 'silent',
      ADMIN_TOKEN: 'openapi-lint-not-a-token',
      BSN_HMAC_KEY: 'openapi-lint-not-a-key',
      PUBLIC_URL: publicUrl,
    },
    db: {} as AppDeps['db'],
    temporal: {} as AppDeps['temporal'],
    // The development mailbox's route is in the document too.
    // The document is generated, nothing is sent.
    mailer: { kind: 'dev-mailbox', send: async () => {} },
  } as AppDeps;
  const app = await buildApp(deps);
  try {
    await app.ready();
    return structuredClone(app.swagger()) as OpenApiDocument;
  } finally {
    await app.close();
  }
}

export interface LintFinding {
  code: string;
  message: string;
  path: string[];
  severity: number;
}

/** Spectral's findings on the document; severity 0 is an error, 1 a warning. */
export async function lintOpenApi(doc: object): Promise<LintFinding[]> {
  const dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
  try {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(doc, null, 2));
    const args = [
      'lint',
      file,
      '--ruleset',
      join(root, 'api/openapi-rules.yaml'),
      '--format',
      'json',
      '--quiet',
      '--fail-severity',
      'error',
    ];
    const bin = join(root, 'node_modules/.bin/spectral');
    const { stdout } = await promisify(execFile)(bin, args, { maxBuffer: 64 * 1024 * 1024 }).catch(
      (e: { stdout?: string; stderr?: string }) => {
        if (!e.stdout) throw new Error(`spectral failed: ${e.stderr ?? e}`);
        return { stdout: e.stdout };
      },
    );
    const out = stdout.trim();
    return out ? (JSON.parse(out.slice(out.indexOf('['))) as LintFinding[]) : [];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const doc = await generateOpenApi(process.env.PUBLIC_URL || undefined);
  const findings = await lintOpenApi(doc);
  for (const f of findings)
    console.log(`${f.severity === 0 ? 'error' : 'warning'} ${f.code}: ${f.message} (${f.path.join('.')})`);
  const errors = findings.filter((f) => f.severity === 0).length;
  console.log(
    `openapi: ${JSON.stringify(doc).length} bytes, ${Object.keys(doc.components?.schemas ?? {}).length} ` +
      `component schemas; ${errors} errors, ${findings.length - errors} warnings`,
  );
  process.exit(errors ? 1 : 0);
}
