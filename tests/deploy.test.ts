// What an operator deploys, checked without a cluster: the container image definition and the Kubernetes
// manifests of both overlays, built the way kustomize builds them (base, then strategic-merge patches of
// the ConfigMap and JSON patches of the workloads). Every setting they pass must be one the configuration
// knows, every file they run must exist, and nothing runs as root.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import jsonpatch, { type Operation } from 'fast-json-patch';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigSchema, loadConfig } from '../infra/config';

const root = path.resolve(import.meta.dirname, '..');
const k8s = path.join(root, 'infra', 'k8s');
type Doc = { kind: string; metadata: { name: string }; [k: string]: any };
const read = (file: string): Doc[] => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
  expect(d.errors, file).toEqual([]);
  return d.toJS() as Doc;
});

/** A kustomization built as kustomize would for the features these manifests use. */
function build(dir: string): Doc[] {
  const [k] = read(path.join(dir, 'kustomization.yaml')) as any[];
  let docs: Doc[] = (k.resources as string[]).flatMap((r) => (r.endsWith('.yaml') ? read(path.join(dir, r)) : build(path.join(dir, r))));
  for (const p of (k.patches ?? []) as { path: string; target?: { kind: string } }[]) {
    const patch = read(path.join(dir, p.path));
    if (p.target) {
      const ops = patch[0] as unknown as Operation[];
      docs = docs.map((d) => (d.kind === p.target!.kind ? jsonpatch.applyPatch(structuredClone(d), ops, true).newDocument : d));
    } else {
      for (const merge of patch) {
        const target = docs.find((d) => d.kind === merge.kind && d.metadata.name === merge.metadata.name);
        expect(target, `${p.path} patches ${merge.kind}/${merge.metadata.name}`).toBeDefined();
        target!.data = { ...target!.data, ...merge.data };
      }
    }
  }
  return docs;
}

const workloads = (docs: Doc[]) => docs.filter((d) => d.kind === 'Deployment' || d.kind === 'Job');
const podOf = (d: Doc) => d.spec.template.spec;

describe.each(['self-hosted-mtls', 'temporal-cloud'])('the %s overlay', (overlay) => {
  const docs = build(path.join(k8s, 'overlays', overlay));
  const config = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'toeleiding-config')!;

  it('runs the API and the worker as separately scalable Deployments of one image, and a migration Job', () => {
    const byName = Object.fromEntries(workloads(docs).map((d) => [d.metadata.name, d]));
    expect(Object.keys(byName).sort()).toEqual(['toeleiding-api', 'toeleiding-migrate', 'toeleiding-worker']);
    const commands = Object.fromEntries(Object.entries(byName).map(([name, d]) => [name, podOf(d).containers[0].command.join(' ')]));
    expect(commands).toEqual({
      'toeleiding-api': 'node --import tsx infra/api.ts', 'toeleiding-worker': 'node --import tsx infra/worker.ts', 'toeleiding-migrate': 'node --import tsx infra/migrate.ts',
    });
    for (const d of Object.values(byName)) expect(existsSync(path.join(root, podOf(d).containers[0].command.at(-1)))).toBe(true);
    expect(byName['toeleiding-api']!.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(byName['toeleiding-worker']!.spec.replicas).toBeGreaterThanOrEqual(2);
  });

  it('passes only settings the configuration knows, and a valid configuration', () => {
    const known = new Set(Object.keys(ConfigSchema.properties));
    const names = [
      ...Object.keys(config.data),
      ...workloads(docs).flatMap((d) => podOf(d).containers.flatMap((c: any) => (c.env ?? []).map((e: any) => e.name))),
    ].filter((n) => n !== 'NODE_OPTIONS');
    expect(names.filter((n) => !known.has(n))).toEqual([]);
    // With the secrets the operator adds (README), the ConfigMap's values parse.
    const secrets = { DATABASE_URL: 'postgres://toeleiding@db/toeleiding', ADMIN_TOKEN: 'x'.repeat(32), BSN_HMAC_KEY: 'k'.repeat(44), TEMPORAL_API_KEY: overlay === 'temporal-cloud' ? 'key' : undefined };
    expect(() => loadConfig({ ...config.data, ...secrets, HOST: '0.0.0.0', PORT: '3000' })).not.toThrow();
  });

  it('reaches Temporal the way the overlay says', () => {
    for (const d of workloads(docs).filter((x) => x.kind === 'Deployment')) {
      const pod = podOf(d);
      if (overlay === 'self-hosted-mtls') {
        const mount = pod.containers[0].volumeMounts.find((m: any) => m.name === 'temporal-tls');
        expect(config.data.TEMPORAL_TLS_CERT_PATH.startsWith(`${mount.mountPath}/`), d.metadata.name).toBe(true);
        expect(pod.volumes.find((v: any) => v.name === 'temporal-tls').secret.secretName).toBe('temporal-client-tls');
      } else {
        expect(pod.containers[0].env.find((e: any) => e.name === 'TEMPORAL_API_KEY').valueFrom.secretKeyRef).toEqual({ name: 'temporal-cloud-api-key', key: 'api-key' });
      }
    }
  });

  it('runs nothing as root, on a read-only root filesystem', () => {
    for (const d of workloads(docs)) {
      const pod = podOf(d);
      expect(pod.securityContext, d.metadata.name).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      for (const c of pod.containers) expect(c.securityContext, d.metadata.name).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
  });
});

describe('the container image', () => {
  const dockerfile = readFileSync(path.join(root, 'infra', 'Dockerfile'), 'utf8');

  it('is built in stages, with the workflow bundle built once and used by the worker', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/RUN npm run typecheck && npm run build:workflows/);
    const script = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts['build:workflows'] as string;
    const built = script.split(' ').at(-1)!;
    expect(dockerfile).toContain(`WORKFLOW_BUNDLE_PATH=/app/${built}`);
    expect(dockerfile).toContain('COPY --from=build /app/dist ./dist');
  });

  it('runs as the unprivileged node user, with production dependencies only', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toContain('npm ci --omit=dev');
    // Every source folder a process imports from is in the image.
    for (const dir of ['activities', 'api', 'db', 'infra', 'workflows']) expect(runtime).toContain(`COPY --from=build /app/${dir} ./${dir}`);
    expect(readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['node_modules', '.temporal', 'data']));
  });

  it('imports at run time only packages that `npm ci --omit=dev` installs', () => {
    const { dependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
    const imported = new Map<string, string>();
    for (const dir of ['activities', 'api', 'db', 'infra', 'workflows']) {
      for (const file of readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
        const source = readFileSync(path.join(root, dir, file), 'utf8');
        // Static imports and re-exports (type-only ones vanish at run time), and dynamic import().
        for (const m of source.matchAll(/^(?:import|export)(?!\s+type\b)[^'"]*?from\s+'([^'.][^']*)'|\bimport\(\s*'([^'.][^']*)'\s*\)/gm)) {
          const specifier = m[1] ?? m[2]!;
          if (!specifier.startsWith('node:') && !isBuiltin(specifier)) imported.set(packageOf(specifier), `${dir}/${file}`);
        }
      }
    }
    expect(imported.size).toBeGreaterThan(10);
    for (const [name, file] of imported) expect(dependencies, `${file} imports ${name}`).toHaveProperty([name]);
  });
});
