// What an operator deploys, checked without a cluster: the container image definition and the Kubernetes
// manifests of every overlay. The manifests are rendered by kustomize itself when a kustomize (v5 or later,
// standalone or inside kubectl) is on the PATH, and otherwise by the small renderer below, which does what
// kustomize does for the features these manifests use; where kustomize is present, the two must agree.
// Every setting they pass must be one the configuration knows, every file they run must exist, nothing
// runs as root, and what a municipal IT department asks for holds: a namespace, NetworkPolicies that deny
// by default and let each component reach only what it needs, no service-account token, CPU and memory
// limits on every container, a disruption budget for the worker, and a migration Job named per release.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsonpatch, { type Operation } from 'fast-json-patch';
import { parseAllDocuments, parseDocument } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSchema, loadConfig } from '../infra/config';
import type { Json } from './helpers/json';

const root = path.resolve(import.meta.dirname, '..');
const k8s = path.join(root, 'infra', 'k8s');
type Doc = {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [k: string]: Json;
};
const read = (file: string): Json[] =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
    expect(d.errors, file).toEqual([]);
    return d.toJS();
  });

// ---- The fallback renderer: kustomize's transformers, in kustomize's order, for what these manifests use.

const anchored = (pattern: string) => new RegExp(`^(?:${pattern})$`);
const selects = (target: { kind?: string; name?: string }, d: Doc) =>
  (!target.kind || anchored(target.kind).test(d.kind)) && (!target.name || anchored(target.name).test(d.metadata.name));

/** A strategic merge for the objects patched here: maps merge, everything else is replaced. */
function merge(into: Json, patch: Json): Json {
  if (
    typeof into !== 'object' ||
    into === null ||
    Array.isArray(into) ||
    typeof patch !== 'object' ||
    patch === null ||
    Array.isArray(patch)
  )
    return structuredClone(patch);
  const out = { ...into };
  for (const [k, v] of Object.entries(patch)) out[k] = k in into ? merge(into[k], v) : structuredClone(v);
  return out;
}

/** `spec.template.spec.containers.[name=migrate].image` → the parent object and the key of that field. */
function locate(doc: Json, fieldPath: string): { parent: Json; key: string | number } {
  const segments = fieldPath.match(/\[[^\]]*\]|[^.]+/g)!;
  let node = doc;
  for (const [i, s] of segments.entries()) {
    let key: string | number = s;
    const select = s.match(/^\[(.+)=(.*)\]$/);
    if (select) key = (node as Json[]).findIndex((e) => String(e?.[select[1]!]) === select[2]);
    else if (Array.isArray(node) && /^\d+$/.test(s)) key = Number(s);
    expect(key, `${fieldPath} at ${s}`).not.toBe(-1);
    if (i === segments.length - 1) return { parent: node, key };
    node = node[key];
    expect(node, `${fieldPath} at ${s}`).toBeDefined();
  }
  throw new Error(`empty field path ${fieldPath}`);
}

type Options = { delimiter?: string; index?: number };
const piece = (value: string, o: Options = {}) => (o.delimiter ? value.split(o.delimiter)[o.index ?? 0]! : value);
function put(current: string, value: string, o: Options = {}) {
  if (!o.delimiter) return value;
  const parts = current.split(o.delimiter);
  const index = o.index ?? 0;
  if (index < 0) parts.unshift(value);
  else if (index >= parts.length) parts.push(value);
  else parts[index] = value;
  return parts.join(o.delimiter);
}

function setImages(node: Json, images: { name: string; newName?: string; newTag?: string }[]) {
  if (Array.isArray(node)) node.forEach((n) => setImages(n, images));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'image' && typeof v === 'string') {
        const [, name, tag] = v.match(/^(.*?)(?::([^:/]+))?$/)!;
        const image = images.find((i) => i.name === name);
        if (image) node[k] = `${image.newName ?? name}${image.newTag ? `:${image.newTag}` : tag ? `:${tag}` : ''}`;
      } else setImages(v, images);
    }
  }
}

const clusterScoped = new Set(['Namespace']);

/** A kustomization built as kustomize builds it, for the features these manifests use. */
function render(dir: string): Doc[] {
  const [k] = read(path.join(dir, 'kustomization.yaml'));
  let docs: Doc[] = (k.resources as string[]).flatMap((r) => {
    const at = path.resolve(dir, r);
    return statSync(at).isDirectory() ? render(at) : (read(at) as Doc[]);
  });
  for (const p of (k.patches ?? []) as { path: string; target?: { kind?: string; name?: string } }[]) {
    const patches = read(path.join(dir, p.path));
    if (Array.isArray(patches[0])) {
      const ops = patches[0] as Operation[];
      const targets = docs.filter((d) => selects(p.target!, d));
      expect(targets.length, `${p.path} patches something`).toBeGreaterThan(0);
      docs = docs.map((d) =>
        targets.includes(d) ? jsonpatch.applyPatch(structuredClone(d), ops, true).newDocument : d,
      );
    } else {
      for (const patch of patches as Doc[]) {
        const i = docs.findIndex((d) => selects(p.target ?? { kind: patch.kind, name: patch.metadata.name }, d));
        expect(i, `${p.path} patches ${patch.kind}/${patch.metadata.name}`).toBeGreaterThanOrEqual(0);
        docs[i] = merge(docs[i], { ...patch, metadata: { ...patch.metadata, name: docs[i]!.metadata.name } });
      }
    }
  }
  if (k.namespace)
    docs = docs.map((d) =>
      clusterScoped.has(d.kind) ? d : { ...d, metadata: { ...d.metadata, namespace: k.namespace } },
    );
  for (const { pairs } of (k.labels ?? []) as { pairs: Record<string, string> }[]) {
    docs = docs.map((d) => ({ ...d, metadata: { ...d.metadata, labels: { ...d.metadata.labels, ...pairs } } }));
  }
  if (k.images) docs.forEach((d) => setImages(d, k.images));
  for (const r of (k.replacements ?? []) as Json[]) {
    const source = docs.find((d) => selects(r.source, d));
    expect(source, `replacement source ${r.source.kind}/${r.source.name}`).toBeDefined();
    const at = locate(source, r.source.fieldPath);
    const value = piece(String(at.parent[at.key]), r.source.options);
    for (const t of r.targets) {
      for (const d of docs.filter((x) => selects(t.select, x))) {
        for (const fieldPath of t.fieldPaths) {
          const to = locate(d, fieldPath);
          to.parent[to.key] = put(String(to.parent[to.key]), value, t.options);
        }
      }
    }
  }
  return docs;
}

// ---- kustomize itself, when it is here.

function findKustomize(): { name: string; build: (dir: string) => string } | undefined {
  if (process.env.KUSTOMIZE === 'none') return undefined;
  const run = (cmd: string, args: string[]) =>
    execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  const candidates: [string, string[], RegExp, string[]][] = [
    ['kustomize', ['version'], /v(\d+)\./, ['build']],
    ['kubectl', ['version', '--client'], /Kustomize Version: v(\d+)\./, ['kustomize']],
  ];
  for (const [cmd, versionArgs, versionPattern, buildArgs] of candidates) {
    try {
      const major = Number(run(cmd, versionArgs).match(versionPattern)?.[1]);
      if (major >= 5) return { name: `${cmd} ${buildArgs.join(' ')}`, build: (dir) => run(cmd, [...buildArgs, dir]) };
    } catch {
      // Not installed (or too old to have been asked): try the next.
    }
  }
  return undefined;
}
const kustomize = findKustomize();
const build = (dir: string): Doc[] =>
  kustomize ? parseAllDocuments(kustomize.build(dir)).map((d) => d.toJS() as Doc) : render(dir);

// ---- Helpers over rendered manifests.

const workloads = (docs: Doc[]) => docs.filter((d) => d.kind === 'Deployment' || d.kind === 'Job');
const podOf = (d: Doc) => d.spec.template.spec;
const containersOf = (d: Doc): Json[] => [...(podOf(d).initContainers ?? []), ...podOf(d).containers];
const component = (d: Doc): string => d.spec.template.metadata.labels['app.kubernetes.io/name'];
const sorted = (docs: Doc[]) =>
  [...docs].sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
const matches = (selector: { matchLabels?: Record<string, string> }, labels: Record<string, string>) =>
  Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
/** A memory quantity in bytes. */
function bytes(q: string | number): number {
  const m = String(q).match(/^(\d+(?:\.\d+)?)(Ki|Mi|Gi|k|M|G)?$/);
  expect(m, `memory quantity ${q}`).not.toBeNull();
  const units: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9 };
  return Number(m![1]) * (m![2] ? units[m![2]]! : 1);
}
/** A CPU quantity in millicores. */
const cpu = (q: string | number) => (String(q).endsWith('m') ? Number(String(q).slice(0, -1)) : Number(q) * 1000);
const ports = (rules: Json[] = []) =>
  rules.flatMap((r) => (r.ports ?? []).map((p: Json) => `${p.protocol ?? 'TCP'}/${p.port}`)).sort();

const overlays = readdirSync(path.join(k8s, 'overlays')).filter((o) =>
  existsSync(path.join(k8s, 'overlays', o, 'kustomization.yaml')),
);

it('renders with kustomize where it is installed, and the fallback renderer agrees with it', () => {
  expect(overlays.sort()).toEqual(['self-hosted-mtls', 'temporal-cloud']);
  if (!kustomize) {
    console.warn(
      'deploy.test: no kustomize v5+ (standalone or in kubectl) on the PATH; the manifests are rendered by ' +
        'the fallback renderer',
    );
    return;
  }
  for (const overlay of overlays) {
    const dir = path.join(k8s, 'overlays', overlay);
    expect(sorted(render(dir)), overlay).toEqual(sorted(build(dir)));
  }
});

describe.each(overlays)('the %s overlay', (overlay) => {
  const docs = build(path.join(k8s, 'overlays', overlay));
  const config = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'toeleiding-config')!;
  const byComponent = Object.fromEntries(workloads(docs).map((d) => [component(d), d]));
  const policies = docs.filter((d) => d.kind === 'NetworkPolicy');

  it('runs the API and the worker as separately scalable Deployments of one image, and a migration Job', () => {
    expect(Object.keys(byComponent).sort()).toEqual(['toeleiding-api', 'toeleiding-migrate', 'toeleiding-worker']);
    expect(byComponent['toeleiding-api']!.kind).toBe('Deployment');
    expect(byComponent['toeleiding-worker']!.kind).toBe('Deployment');
    expect(byComponent['toeleiding-migrate']!.kind).toBe('Job');
    const commands = Object.fromEntries(
      Object.entries(byComponent).map(([name, d]) => [name, podOf(d).containers[0].command.join(' ')]),
    );
    expect(commands).toEqual({
      'toeleiding-api': 'node --import tsx infra/api.ts',
      'toeleiding-worker': 'node --import tsx infra/worker.ts',
      'toeleiding-migrate': 'node --import tsx infra/migrate.ts',
    });
    for (const d of workloads(docs))
      for (const c of containersOf(d)) expect(existsSync(path.join(root, c.command.at(-1)))).toBe(true);
    expect(new Set(workloads(docs).flatMap((d) => containersOf(d).map((c) => c.image))).size).toBe(1);
    expect(byComponent['toeleiding-api']!.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(byComponent['toeleiding-worker']!.spec.replicas).toBeGreaterThanOrEqual(2);
  });

  it('passes only settings the configuration knows, and a valid configuration', () => {
    const known = new Set(Object.keys(ConfigSchema.properties));
    const names = [
      ...Object.keys(config.data),
      ...workloads(docs).flatMap((d) => containersOf(d).flatMap((c: Json) => (c.env ?? []).map((e: Json) => e.name))),
    ].filter((n) => n !== 'NODE_OPTIONS');
    expect(names.filter((n) => !known.has(n))).toEqual([]);
    // With the secrets the operator adds (README), the ConfigMap's values parse.
    const secrets = {
      DATABASE_URL: 'postgres://toeleiding@db/toeleiding',
      ADMIN_TOKEN: 'x'.repeat(32),
      BSN_HMAC_KEY: 'k'.repeat(44),
      TEMPORAL_API_KEY: overlay === 'temporal-cloud' ? 'key' : undefined,
    };
    expect(() => loadConfig({ ...config.data, ...secrets, HOST: '0.0.0.0', PORT: '3000' })).not.toThrow();
  });

  it('reaches Temporal the way the overlay says', () => {
    for (const d of workloads(docs).filter((x) => x.kind === 'Deployment')) {
      const pod = podOf(d);
      if (overlay === 'self-hosted-mtls') {
        const mount = pod.containers[0].volumeMounts.find((m: Json) => m.name === 'temporal-tls');
        expect(config.data.TEMPORAL_TLS_CERT_PATH.startsWith(`${mount.mountPath}/`), d.metadata.name).toBe(true);
        expect(pod.volumes.find((v: Json) => v.name === 'temporal-tls').secret.secretName).toBe('temporal-client-tls');
      } else {
        expect(pod.containers[0].env.find((e: Json) => e.name === 'TEMPORAL_API_KEY').valueFrom.secretKeyRef).toEqual({
          name: 'temporal-cloud-api-key',
          key: 'api-key',
        });
      }
    }
    // Migrations talk to PostgreSQL alone: no Temporal credential reaches the Job or an init container.
    const migrating = [
      podOf(byComponent['toeleiding-migrate']!).containers[0],
      ...podOf(byComponent['toeleiding-worker']!).initContainers,
    ];
    for (const c of migrating) {
      expect(
        (c.volumeMounts ?? []).map((m: Json) => m.name),
        c.name,
      ).toEqual(['tmp']);
      expect(
        (c.env ?? []).map((e: Json) => e.name),
        c.name,
      ).not.toContain('TEMPORAL_API_KEY');
    }
    expect(podOf(byComponent['toeleiding-migrate']!).volumes.map((v: Json) => v.name)).toEqual(['tmp']);
  });

  it(
    'runs nothing as root, on a read-only root filesystem, ' +
      'without capabilities, under the runtime seccomp profile',
    () => {
      for (const d of workloads(docs)) {
        const pod = podOf(d);
        expect(pod.securityContext, d.metadata.name).toMatchObject({
          runAsNonRoot: true,
          runAsUser: 1000,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        for (const c of containersOf(d)) {
          expect(c.securityContext, `${d.metadata.name}/${c.name}`).toMatchObject({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          });
        }
      }
    },
  );

  it('puts everything in one namespace, which enforces the restricted Pod Security Standard', () => {
    const namespaces = docs.filter((d) => d.kind === 'Namespace');
    expect(namespaces.map((n) => n.metadata.name)).toEqual(['toeleiding']);
    expect(namespaces[0]!.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    for (const d of docs.filter((x) => x.kind !== 'Namespace'))
      expect(d.metadata.namespace, `${d.kind}/${d.metadata.name}`).toBe('toeleiding');
  });

  it('gives each component its own service account, and no pod a Kubernetes API token', () => {
    const accounts = new Map(docs.filter((d) => d.kind === 'ServiceAccount').map((a) => [a.metadata.name, a]));
    for (const a of accounts.values()) expect(a.automountServiceAccountToken, a.metadata.name).toBe(false);
    for (const d of workloads(docs)) {
      expect(podOf(d).automountServiceAccountToken, d.metadata.name).toBe(false);
      expect(accounts.has(podOf(d).serviceAccountName), d.metadata.name).toBe(true);
    }
    expect(new Set(workloads(docs).map((d) => podOf(d).serviceAccountName)).size).toBe(workloads(docs).length);
  });

  it('limits CPU and memory of every container, init containers and the migration Job included', () => {
    for (const d of workloads(docs)) {
      for (const c of containersOf(d)) {
        const { requests, limits } = c.resources ?? {};
        const where = `${d.metadata.name}/${c.name}`;
        for (const r of ['cpu', 'memory']) {
          expect(requests?.[r], `${where} requests ${r}`).toBeDefined();
          expect(limits?.[r], `${where} limits ${r}`).toBeDefined();
        }
        expect(cpu(requests.cpu), where).toBeLessThanOrEqual(cpu(limits.cpu));
        expect(bytes(requests.memory), where).toBeLessThanOrEqual(bytes(limits.memory));
        // A V8 heap ceiling, where set, is under the container's memory limit (V8 collects before the kernel kills).
        const heap = (c.env ?? [])
          .find((e: Json) => e.name === 'NODE_OPTIONS')
          ?.value.match(/--max-old-space-size=(\d+)/)?.[1];
        if (heap) expect(Number(heap) * 2 ** 20, where).toBeLessThan(bytes(limits.memory) * 0.8);
      }
    }
  });

  it('denies all traffic by default', () => {
    const deny = policies.filter((p) => Object.keys(p.spec.podSelector ?? {}).length === 0);
    expect(deny).toHaveLength(1);
    expect([...deny[0]!.spec.policyTypes].sort()).toEqual(['Egress', 'Ingress']);
    expect(deny[0]!.spec.ingress ?? []).toEqual([]);
    expect(deny[0]!.spec.egress ?? []).toEqual([]);
  });

  it('lets each component in and out only where it needs to, with a NetworkPolicy of its own', () => {
    // Every rule names both its peers and its ports: no rule opens a component to everything.
    for (const p of policies) {
      for (const rule of [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])]) {
        expect(rule.ports?.length, p.metadata.name).toBeGreaterThan(0);
        expect((rule.from ?? rule.to)?.length, p.metadata.name).toBeGreaterThan(0);
      }
    }
    const dns = ['TCP/53', 'UDP/53'];
    const metricsPort = podOf(byComponent['toeleiding-worker']!).containers[0].env.find(
      (e: Json) => e.name === 'METRICS_PORT',
    ).value;
    const apiPort = podOf(byComponent['toeleiding-api']!).containers[0].ports.find(
      (p: Json) => p.name === 'http',
    ).containerPort;
    const otlp = new URL(config.data.OTEL_EXPORTER_OTLP_ENDPOINT);
    const expected: Record<string, { ingress: string[]; egress: string[] }> = {
      'toeleiding-api': {
        ingress: [`TCP/${apiPort}`, `TCP/${apiPort}`],
        // The API sends invitations and sign-in links itself, so it reaches the SMTP relay as the worker does.
        egress: ['TCP/7233', 'TCP/5432', 'TCP/587', 'TCP/465', 'TCP/25', ...dns, `TCP/${otlp.port}`],
      },
      'toeleiding-worker': {
        ingress: [`TCP/${metricsPort}`],
        egress: ['TCP/7233', 'TCP/5432', 'TCP/587', 'TCP/465', 'TCP/25', ...dns, `TCP/${otlp.port}`],
      },
      'toeleiding-migrate': { ingress: [], egress: ['TCP/5432', ...dns] },
    };
    for (const [name, d] of Object.entries(byComponent)) {
      const labels = d.spec.template.metadata.labels;
      // Its own policy selects the component's pods by name; all policies that select them allow together only the
      // expected.
      const own = policies.filter((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === name);
      expect(own, name).toHaveLength(1);
      expect([...own[0]!.spec.policyTypes].sort(), name).toEqual(['Egress', 'Ingress']);
      const selecting = policies.filter((p) => matches(p.spec.podSelector, labels));
      expect(ports(selecting.flatMap((p) => p.spec.ingress ?? [])), `${name} ingress`).toEqual(
        [...expected[name]!.ingress].sort(),
      );
      expect(ports(selecting.flatMap((p) => p.spec.egress ?? [])), `${name} egress`).toEqual(
        [...expected[name]!.egress].sort(),
      );
    }
    // Mail leaves the API and the worker only for the one SMTP relay, the same for both.
    const smtp = (name: string) =>
      policies
        .find((p) => p.metadata.name === name)!
        .spec.egress.filter((r: Json) => ports([r]).some((port) => ['TCP/587', 'TCP/465', 'TCP/25'].includes(port)));
    expect(smtp('toeleiding-api')).toHaveLength(1);
    expect(smtp('toeleiding-api')[0].to).toEqual([{ ipBlock: { cidr: expect.stringMatching(/\/32$/) } }]);
    expect(smtp('toeleiding-api')).toEqual(smtp('toeleiding-worker'));
    // DNS only to the cluster's DNS; the trace collector in the namespace of OTEL_EXPORTER_OTLP_ENDPOINT.
    for (const p of policies) {
      for (const rule of p.spec.egress ?? []) {
        const to = ports([rule]);
        if (to.includes('UDP/53'))
          expect(rule.to[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'kube-system' });
        if (to.includes(`TCP/${otlp.port}`))
          expect(otlp.hostname.split('.')[1]).toBe(
            rule.to[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
          );
      }
    }
  });

  it('lets the API and the worker reach Temporal where the overlay points them', () => {
    for (const name of ['toeleiding-api', 'toeleiding-worker']) {
      const policy = policies.find((p) => p.metadata.name === name)!;
      const temporal = policy.spec.egress.filter((r: Json) => ports([r]).includes('TCP/7233'));
      expect(temporal, name).toHaveLength(1);
      if (overlay === 'temporal-cloud') {
        expect(config.data.TEMPORAL_ADDRESS).toMatch(/\.temporal\.io:7233$/);
        expect(temporal[0].to, name).toEqual([{ ipBlock: expect.objectContaining({ cidr: '0.0.0.0/0' }) }]);
      } else {
        // temporal-frontend.<namespace>.svc:7233
        const namespace = config.data.TEMPORAL_ADDRESS.split('.')[1];
        expect(temporal[0].to, name).toEqual([
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } },
        ]);
      }
    }
  });

  it('keeps a worker running while nodes are drained', () => {
    const worker = byComponent['toeleiding-worker']!;
    const budgets = docs.filter(
      (d) => d.kind === 'PodDisruptionBudget' && matches(d.spec.selector, worker.spec.template.metadata.labels),
    );
    expect(budgets).toHaveLength(1);
    const { minAvailable, maxUnavailable } = budgets[0]!.spec;
    // With the Deployment's replicas, at least one worker stays and at least one may be evicted.
    const staying = minAvailable ?? worker.spec.replicas - maxUnavailable;
    expect(staying).toBeGreaterThanOrEqual(1);
    expect(staying).toBeLessThan(worker.spec.replicas);
    expect(
      docs
        .filter((d) => d.kind === 'PodDisruptionBudget')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['toeleiding-api', 'toeleiding-worker']);
  });

  it('names the migration Job after the release, and removes it once finished', () => {
    const job = byComponent['toeleiding-migrate']!;
    const tag = podOf(job).containers[0].image.split(':').at(-1);
    expect(job.metadata.name).toBe(`toeleiding-migrate-${tag}`);
    // A Job's name goes into a label of its pods: a DNS label of at most 63 characters.
    expect(job.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/);
    expect(job.spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
    // The worker waits for the same (idempotent, locked) migration before it starts.
    expect(podOf(byComponent['toeleiding-worker']!).initContainers.map((c: Json) => c.command.join(' '))).toEqual([
      podOf(job).containers[0].command.join(' '),
    ]);
  });
});

describe('a new release', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'toeleiding-k8s-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each(overlays)(
    'of the %s overlay runs a new migration Job beside the old one, and changes nothing else',
    (overlay) => {
      // What an operator does: set the new tag in the overlay (`kustomize edit set image`), apply again.
      const copy = path.join(scratch, overlay);
      cpSync(k8s, copy, { recursive: true });
      const file = path.join(copy, 'overlays', overlay, 'kustomization.yaml');
      const kustomization = parseDocument(readFileSync(file, 'utf8'));
      const images = kustomization.get('images') as Json;
      const index = (images.toJSON() as { name: string }[]).findIndex((i) => i.name === 'toeleiding');
      const oldTag = kustomization.getIn(['images', index, 'newTag']);
      kustomization.setIn(['images', index, 'newTag'], '0.99.1');
      writeFileSync(file, kustomization.toString());

      const before = sorted(build(path.join(k8s, 'overlays', overlay)));
      const after = sorted(build(path.join(copy, 'overlays', overlay)));
      const jobName = (docs: Doc[]) => docs.find((d) => d.kind === 'Job')!.metadata.name;
      expect(jobName(before)).toBe(`toeleiding-migrate-${oldTag}`);
      expect(jobName(after)).toBe('toeleiding-migrate-0.99.1');
      // Apart from the Job's name and the image tag, the release is the same set of objects.
      const normalise = (docs: Doc[]) =>
        JSON.parse(
          JSON.stringify(docs)
            .replaceAll(`toeleiding-migrate-${oldTag}`, 'JOB')
            .replaceAll('toeleiding-migrate-0.99.1', 'JOB')
            .replaceAll(`toeleiding:${oldTag}"`, 'toeleiding:TAG"')
            .replaceAll('toeleiding:0.99.1"', 'toeleiding:TAG"'),
        );
      expect(normalise(after)).toEqual(normalise(before));
      expect(JSON.stringify(after)).not.toContain(`:${oldTag}"`);
    },
  );
});

describe('the container image', () => {
  const dockerfile = readFileSync(path.join(root, 'infra', 'Dockerfile'), 'utf8');

  it('is built in stages, with the workflow bundle built once and used by the worker', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/RUN npm run typecheck && npm run build:workflows/);
    const script = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts[
      'build:workflows'
    ] as string;
    const built = script.split(' ').at(-1)!;
    expect(dockerfile).toContain(`WORKFLOW_BUNDLE_PATH=/app/${built}`);
    expect(dockerfile).toContain('COPY --from=build /app/dist ./dist');
  });

  it('runs as the unprivileged node user, with production dependencies only', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toContain('npm ci --omit=dev');
    // Every source folder a process imports from is in the image.
    for (const dir of ['activities', 'api', 'db', 'infra', 'workflows'])
      expect(runtime).toContain(`COPY --from=build /app/${dir} ./${dir}`);
    expect(readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['node_modules', '.temporal', 'data']),
    );
  });

  it('runs the Node that CI and `npm start` run: the LTS line pinned in .node-version', () => {
    const pinned = readFileSync(path.join(root, '.node-version'), 'utf8').trim();
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const major = Number(pinned.split('.')[0]);
    expect(major % 2, 'an LTS line is even').toBe(0);
    expect(major).toBeGreaterThanOrEqual(22);
    // Both stages on that major version.
    expect([...dockerfile.matchAll(/^FROM node:(\d+)-\S+/gm)].map((m) => Number(m[1]))).toEqual([major, major]);
    // CI and every script that runs the code put it first on the PATH (infra/node-lts.sh reads .node-version): a
    // benchmark started with the machine's own Node 20 measured another runtime than production's.
    expect(readFileSync(path.join(root, '.ci', 'run'), 'utf8')).toMatch(/^\. infra\/node-lts\.sh$/m);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    for (const script of ['start', 'test', 'api', 'worker', 'migrate', 'bench', 'drill', 'simulate'])
      expect(pkg.scripts[script], script).toMatch(/^\. infra\/node-lts\.sh && exec /);
    // `engines` says the truth, and the types are those of that Node.
    expect(pkg.engines.node).toBe(`>=${major}`);
    expect(pkg.devDependencies['@types/node']).toMatch(new RegExp(`^\\^${major}\\.`));
  });

  it('is tested on that Node', () => {
    const major = Number(readFileSync(path.join(root, '.node-version'), 'utf8').trim().split('.')[0]);
    expect(
      Number(process.versions.node.split('.')[0]),
      'run the tests with `npm test`, or after `. infra/node-lts.sh`',
    ).toBeGreaterThanOrEqual(major);
  });

  it('imports at run time only packages that `npm ci --omit=dev` installs', () => {
    const { dependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const packageOf = (specifier: string) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/');
    const imported = new Map<string, string>();
    for (const dir of ['activities', 'api', 'db', 'infra', 'workflows']) {
      for (const file of readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).filter((f) =>
        f.endsWith('.ts'),
      )) {
        const source = readFileSync(path.join(root, dir, file), 'utf8');
        // Static imports and re-exports (type-only ones vanish at run time), and dynamic import().
        for (const m of source.matchAll(
          /^(?:import|export)(?!\s+type\b)[^'"]*?from\s+'([^'.][^']*)'|\bimport\(\s*'([^'.][^']*)'\s*\)/gm,
        )) {
          const specifier = m[1] ?? m[2]!;
          if (!specifier.startsWith('node:') && !isBuiltin(specifier))
            imported.set(packageOf(specifier), `${dir}/${file}`);
        }
      }
    }
    expect(imported.size).toBeGreaterThan(10);
    for (const [name, file] of imported) expect(dependencies, `${file} imports ${name}`).toHaveProperty([name]);
  });
});
