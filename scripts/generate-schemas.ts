/**
 * `npm run schemas`: strict JSON Schemas for every upstream kind the repository emits or contains,
 * generated from the registry packages (never hand-written per kind), plus their precompiled ajv
 * validators, written to schemas/kubernetes/ together with the versions they came from.
 *
 * Which source, and why. The packages offer two:
 *  - `_schemas/*.mjs`: ajv *standalone code* compiled from the upstream OpenAPI and CRD schemas.
 *    Despite the name there is no JSON in the packages to tighten with additionalProperties:false;
 *    using it "directly" would mean reverse-engineering minified JavaScript. It does carry what the
 *    upstream schemas enforce (int32/int64, date-time, byte, patterns, enums, length/range limits)
 *    and treats every field as known-or-ignored: unknown fields are never reported.
 *  - `*.d.ts`: the complete structure (every field name, required fields, string-literal enums, the
 *    inline nesting of CRD types), but `number` for every integer and no formats or patterns.
 * We take the structure from the `.d.ts` (ts-json-schema-generator, additionalProperties:false) and
 * recover every constraint from `_schemas` by *asking* the compiled validators: each leaf is
 * validated with a deliberately wrong value and the ajv error's keyword/params (pattern text,
 * format name, enum values, limits) are copied over (scripts/schema-generate/probe-upstream.ts).
 * The result enforces everything the models' own validate() does — so that is not run beside ajv —
 * and what it does not: unknown fields at any depth, null only on optional fields, quantities,
 * int-or-strings, RFC 3339 times, metadata.name rules and Flux durations (generate/tighten.ts).
 * Neither source has CEL rules (x-kubernetes-validations) or the API server's Go-coded checks.
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../src/util/atomic-write.js';
import { compareVersions } from './schema-generate/compare-versions.js';
import { extractTypeSchemas } from './schema-generate/extract-types.js';
import { enrichFromUpstream, loadUpstreamValidator, type ProbeReport } from './schema-generate/probe-upstream.js';
import { renderOutput, type SourcesRecord } from './schema-generate/render-output.js';
import { SCALAR_DEFINITIONS, pruneUnreachable, tightenKind, tightenPool, type TightenReport } from './schema-generate/tighten.js';
import type { KindSpec, SourcePackage } from './schema-generate/types.js';

const K8S = 'kubernetes-models';
const FLUX = '@kubernetes-models/flux-cd';

/** Every kind we emit or keep in the repository. Adding a kind is one line. */
export const KINDS: readonly KindSpec[] = [
  { pkg: K8S, apiVersion: 'v1', kind: 'Namespace', name: 'dns-label' },
  { pkg: K8S, apiVersion: 'v1', kind: 'LimitRange' },
  { pkg: K8S, apiVersion: 'v1', kind: 'ResourceQuota' },
  { pkg: K8S, apiVersion: 'v1', kind: 'Service', name: 'dns-1035-label' },
  { pkg: K8S, apiVersion: 'v1', kind: 'ServiceAccount' },
  { pkg: K8S, apiVersion: 'v1', kind: 'ConfigMap' },
  { pkg: K8S, apiVersion: 'v1', kind: 'Secret' },
  { pkg: K8S, apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { pkg: K8S, apiVersion: 'v1', kind: 'Pod' },
  { pkg: K8S, apiVersion: 'apps/v1', kind: 'Deployment' },
  { pkg: K8S, apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { pkg: K8S, apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { pkg: K8S, apiVersion: 'batch/v1', kind: 'Job' },
  { pkg: K8S, apiVersion: 'batch/v1', kind: 'CronJob' },
  { pkg: K8S, apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'path-segment' },
  { pkg: K8S, apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'path-segment' },
  { pkg: K8S, apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', name: 'path-segment' },
  { pkg: K8S, apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', name: 'path-segment' },
  { pkg: K8S, apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' },
  { pkg: K8S, apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration' },
  { pkg: K8S, apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass' },
  { pkg: K8S, apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  { pkg: K8S, apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { pkg: K8S, apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass' },
  { pkg: FLUX, apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' },
  { pkg: FLUX, apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository' },
  { pkg: FLUX, apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository' },
  { pkg: FLUX, apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository' },
  { pkg: FLUX, apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease' },
  { pkg: FLUX, apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind: 'Alert' },
  { pkg: FLUX, apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind: 'Provider' },
];

/**
 * The Kubernetes release each kubernetes-models version was generated from. The package does not
 * say so itself (its README badge still reads 1.27.1); its CHANGELOG does: 4.5.0 "Update schema
 * version to v1.33.0", 4.5.1 only bumped @kubernetes-models/apimachinery. A bump of the package
 * must add a line here, which is the point: the schemas never claim a version nobody checked.
 */
const KUBERNETES_VERSION_OF_MODELS: Readonly<Record<string, string>> = { '4.5.0': '1.33.0', '4.5.1': '1.33.0' };

async function main(): Promise<void> {
  const started = performance.now();
  const lap = (label: string, since: number) => console.log(`  ${label.padEnd(28)} ${Math.round(performance.now() - since)} ms`);
  const root = fileURLToPath(new URL('..', import.meta.url));
  const outDir = path.join(root, 'schemas', 'kubernetes');
  const sources = readSources(root);

  let t = performance.now();
  const { kinds, pools } = extractTypeSchemas(root, KINDS);
  lap('structure from .d.ts', t);

  t = performance.now();
  const probe: ProbeReport = { facts: {}, warnings: [] };
  const probed = new Map<SourcePackage, Set<string>>();
  const skip = new Set(Object.keys(SCALAR_DEFINITIONS));
  for (const kind of kinds) {
    const seen = probed.get(kind.spec.pkg) ?? new Set<string>();
    probed.set(kind.spec.pkg, seen);
    enrichFromUpstream(kind, pools.get(kind.spec.pkg) ?? new Map(), seen, skip, await loadUpstreamValidator(kind.spec), probe);
  }
  lap('constraints from _schemas', t);

  t = performance.now();
  const tighten: TightenReport = { openedEmptyObjects: 0, durationPatternsAdded: 0 };
  const tightKinds = kinds.map((k) => tightenKind(k, tighten));
  const tightPools = new Map(
    [...pools].map(([pkg, pool]) => {
      const roots = tightKinds.filter((k) => k.spec.pkg === pkg).map((k) => k.root);
      return [pkg, pruneUnreachable(tightenPool(pool, tighten), roots)] as const;
    }),
  );
  const files = renderOutput(tightKinds, tightPools, sources);
  lap('tighten + compile', t);

  if (process.argv.includes('--check')) {
    const drift = diffTree(outDir, files);
    for (const line of drift) console.log(line);
    if (drift.length > 0) {
      console.log(`\n${drift.length} file(s) under schemas/kubernetes/ differ from a fresh generation. Fix: npm run schemas (then commit schemas/)`);
      process.exitCode = 1;
    } else console.log(`schemas/kubernetes/ is up to date (${files.size} files)`);
    return;
  }
  await writeTree(outDir, files);
  console.log(`schemas: ${kinds.length} kinds for Kubernetes ${sources.kubernetesVersion} → ${path.relative(root, outDir)}/`);
  console.log(`  upstream facts: ${Object.entries(probe.facts).sort().map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  console.log(`  opened ${tighten.openedEmptyObjects} free-form objects; ${tighten.durationPatternsAdded} Flux duration patterns added`);
  for (const w of probe.warnings) console.warn(`  warning: ${w}`);
  lap('total', started);
}

function readSources(root: string): SourcesRecord {
  const k8s = findPackage(root, K8S);
  const flux = findPackage(root, FLUX);
  const kubernetesVersion = KUBERNETES_VERSION_OF_MODELS[k8s.version];
  if (kubernetesVersion === undefined) {
    throw new Error(`${K8S}@${k8s.version}: add the Kubernetes version it was generated from (see its CHANGELOG) to KUBERNETES_VERSION_OF_MODELS`);
  }
  const crds = ((flux.json['crd-generate'] as { input?: string[] } | undefined)?.input ?? []).flatMap((url) => {
    const m = /github\.com\/fluxcd\/([^/]+)\/releases\/download\/v([^/]+)\//.exec(url);
    return m?.[1] && m[2] ? [{ controller: m[1], version: m[2] }] : [];
  });
  const latest = new Map<string, string>();
  for (const { controller, version } of crds) {
    const seen = latest.get(controller);
    if (seen === undefined || compareVersions(version, seen) > 0) latest.set(controller, version);
  }
  const fluxCrds = [...latest].sort().map(([c, v]) => `${c} v${v}`).join(', ');
  return {
    kubernetesVersion,
    packages: [
      { name: K8S, version: k8s.version, describes: `Kubernetes ${kubernetesVersion} built-in kinds` },
      { name: '@kubernetes-models/apimachinery', version: findPackage(k8s.dir, '@kubernetes-models/apimachinery').version, describes: `ObjectMeta and apimachinery types of the ${K8S} kinds` },
      { name: FLUX, version: flux.version, describes: `Flux CRDs (${fluxCrds})` },
      { name: '@kubernetes-models/apimachinery', version: findPackage(flux.dir, '@kubernetes-models/apimachinery').version, describes: `ObjectMeta of the ${FLUX} kinds` },
    ],
    tools: ['ts-json-schema-generator', 'typescript', 'ajv', 'ajv-formats'].map((name) => ({ name, version: findPackage(root, name).version })),
  };
}

/** Node's lookup (nearest node_modules upwards), without `exports` maps hiding package.json. */
function findPackage(from: string, name: string): { dir: string; version: string; json: Record<string, unknown> } {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) {
      const json = JSON.parse(readFileSync(path.join(candidate, 'package.json'), 'utf8')) as Record<string, unknown>;
      return { dir: candidate, version: String(json.version), json };
    }
    if (path.dirname(dir) === dir) throw new Error(`package ${name} is not installed (looked upwards from ${from})`);
  }
}

/** Writes `files` under `dir` and removes anything else there, so a dropped kind leaves no file behind. */
/** Files that a fresh generation would create, change or delete. */
function diffTree(dir: string, files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [file, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const abs = path.join(dir, file);
    if (!existsSync(abs)) out.push(`missing: ${file}`);
    else if (readFileSync(abs, 'utf8') !== content) out.push(`differs: ${file}`);
  }
  const walk = (sub: string): void => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.posix.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (!files.has(rel)) out.push(`stale: ${rel}`);
    }
  };
  if (existsSync(dir)) walk('');
  return out;
}

async function writeTree(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  for (const [file, content] of files) await writeFileAtomic(path.join(dir, file), content);
  const prune = async (sub: string): Promise<void> => {
    for (const entry of await readdir(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.posix.join(sub, entry.name);
      if (entry.isDirectory()) {
        await prune(rel);
        if ((await readdir(path.join(dir, rel))).length === 0) await rmdir(path.join(dir, rel));
      } else if (!files.has(rel)) {
        await rm(path.join(dir, rel));
      }
    }
  };
  await prune('');
}

// Run only as a script: tests import KINDS from here.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await main();
}
