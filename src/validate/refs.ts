import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from './findings.js';
import { objectRef, type ManifestDoc } from './manifests.js';
import { documentLocator } from './schema-findings.js';

export { KUSTOMIZATION_API } from './site-objects.js';
import { KUSTOMIZATION_API } from './site-objects.js';
const SOURCE_KINDS = new Set(['GitRepository', 'OCIRepository', 'Bucket']);

export interface FluxKustomizationDoc extends ManifestDoc {
  readonly name: string;
  readonly namespace: string;
  readonly spec: {
    readonly path?: string;
    readonly sourceRef?: { kind?: string; name?: string; namespace?: string };
    readonly dependsOn?: { name?: string; namespace?: string }[];
    readonly healthChecks?: { apiVersion?: string; kind?: string; name?: string; namespace?: string }[];
    readonly [key: string]: unknown;
  };
}

export function fluxKustomizations(docs: readonly ManifestDoc[]): FluxKustomizationDoc[] {
  return docs
    .filter((d) => d.object.apiVersion === KUSTOMIZATION_API && d.object.kind === 'Kustomization')
    .map((d) => {
      const ref = objectRef(d.object);
      return { ...d, name: ref.name, namespace: ref.namespace ?? 'default', spec: (d.object.spec ?? {}) as FluxKustomizationDoc['spec'] };
    });
}

/**
 * References between a site's objects that Flux resolves at run time: sources, dependencies
 * (and their cycles), paths. `bootstrapped` tells whether clusters/<site>/flux-system/ exists; until
 * it does, bootstrap's GitRepository flux-system/flux-system is taken as given.
 */
export function referenceFindings(root: string, site: string, docs: readonly ManifestDoc[], bootstrapped: boolean): Finding[] {
  const out: Finding[] = [];
  const ks = fluxKustomizations(docs);
  const byKey = new Map(ks.map((k) => [`${k.namespace}/${k.name}`, k]));
  const sources = new Set(docs.filter((d) => SOURCE_KINDS.has(String(d.object.kind))).map((d) => `${d.object.kind}/${objectRef(d.object).namespace ?? 'default'}/${objectRef(d.object).name}`));
  if (!bootstrapped) sources.add('GitRepository/flux-system/flux-system');

  for (const k of ks) {
    const at = documentLocator(k.source);
    const finding = (path: (string | number)[], message: string): Finding => ({
      ruleId: 'reference',
      severity: 'error',
      message,
      ...at(path, false),
      jsonPath: path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, ''),
      object: objectRef(k.object),
      sites: [site],
    });
    const src = k.spec.sourceRef;
    if (src?.kind && src.name) {
      const key = `${src.kind}/${src.namespace ?? k.namespace}/${src.name}`;
      if (!sources.has(key)) out.push(finding(['spec', 'sourceRef'], `sourceRef ${src.kind} ${src.namespace ?? k.namespace}/${src.name} does not exist on site ${site}`));
    }
    (k.spec.dependsOn ?? []).forEach((dep, i) => {
      const key = `${dep.namespace ?? k.namespace}/${dep.name}`;
      if (!byKey.has(key)) out.push(finding(['spec', 'dependsOn', i, 'name'], `dependsOn names Kustomization ${key}, which does not exist on site ${site} (has: ${[...byKey.keys()].sort().join(', ')})`));
    });
    if (typeof k.spec.path === 'string') {
      const dir = join(root, k.spec.path);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) out.push(finding(['spec', 'path'], `path ${k.spec.path} does not exist in the repository`));
    }
  }
  out.push(...cycleFindings(site, ks, byKey));
  return out;
}

function cycleFindings(site: string, ks: readonly FluxKustomizationDoc[], byKey: ReadonlyMap<string, FluxKustomizationDoc>): Finding[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const out: Finding[] = [];
  const reported = new Set<string>();
  const visit = (key: string, stack: string[]): void => {
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(key)), key];
      const id = [...cycle].slice(0, -1).sort().join(',');
      const k = byKey.get(key);
      if (k && !reported.has(id)) {
        reported.add(id);
        const at = documentLocator(k.source);
        out.push({ ruleId: 'reference', severity: 'error', message: `dependsOn cycle: ${cycle.join(' → ')}; none of these Kustomizations can ever become ready`, ...at(['spec', 'dependsOn'], false), jsonPath: 'spec.dependsOn', object: objectRef(k.object), sites: [site] });
      }
      return;
    }
    const k = byKey.get(key);
    if (!k) return;
    state.set(key, 'visiting');
    for (const dep of k.spec.dependsOn ?? []) visit(`${dep.namespace ?? k.namespace}/${dep.name}`, [...stack, key]);
    state.set(key, 'done');
  };
  for (const k of [...ks].sort((a, b) => (a.name < b.name ? -1 : 1))) visit(`${k.namespace}/${k.name}`, []);
  return out;
}

/** healthChecks must name objects the site really applies (Flux has no wildcards). */
export function healthCheckFindings(site: string, k: FluxKustomizationDoc, applied: ReadonlySet<string>): Finding[] {
  const at = documentLocator(k.source);
  return (k.spec.healthChecks ?? []).flatMap((h, i): Finding[] => {
    const ns = h.namespace ?? '';
    if (applied.has(`${h.kind}/${ns}/${h.name}`)) return [];
    const wildcard = h.name?.includes('*') ? ' (Flux health checks take no wildcards; name each workload)' : '';
    return [{ ruleId: 'reference', severity: 'error', message: `healthChecks[${i}] names ${h.kind} ${ns ? `${ns}/` : ''}${h.name}, which no Kustomization of site ${site} applies${wildcard}`, ...at(['spec', 'healthChecks', i, 'name'], false), jsonPath: `spec.healthChecks[${i}].name`, object: objectRef(k.object), sites: [site] }];
  });
}
