import type { InputProblem } from '../util/errors.js';
import { mustParseQuantity, scale } from '../util/quantity.js';
import { problemAt } from '../util/yaml-source.js';
import type { Inventory, LoadedApp, Loaded, ResourceList, Site } from './types.js';

/** Cross-document checks that a schema cannot express. Pure: reads only the loaded inventory. */
export function crossCheck(inv: Inventory, invalidApps: ReadonlySet<string> = new Set()): InputProblem[] {
  return [...checkFleet(inv), ...[...inv.apps.values()].flatMap(checkApp), ...checkSites(inv, invalidApps), ...checkVaultPrefixes(inv)];
}

/**
 * Namespaces an app must not be named after (its namespace is its name): quotas and Pod Security would
 * land on Kubernetes' or Flux's own namespace, and removing the app would prune it.
 */
export const RESERVED_NAMESPACES: readonly string[] = ['default', 'flux-system', 'kube-node-lease', 'kube-public', 'kube-system'];

export function isReservedNamespace(name: string): boolean {
  return RESERVED_NAMESPACES.includes(name) || name.startsWith('kube-');
}

/** The site's Vault secret prefix, from fleet.yaml's spec.vault.pathPattern (what resolve puts in VAULT_PREFIX). */
export function fillVaultPattern(pattern: string, site: { readonly name: string; readonly region: string; readonly jurisdiction: string }): string {
  return pattern.replaceAll('{site}', site.name).replaceAll('{region}', site.region).replaceAll('{jurisdiction}', site.jurisdiction);
}

/**
 * Every site's Vault prefix must be its own: two sites with the same prefix, or one prefix inside
 * another's (`edge/eu` and `edge/eu/west-a`), could read each other's secrets. Compared by path segment.
 * A partial load (options.sites) compares only the sites it loaded.
 */
function checkVaultPrefixes(inv: Inventory): InputProblem[] {
  const pattern = inv.fleet.value.spec.vault.pathPattern;
  if (!pattern.includes('{site}')) return []; // reported once on fleet.yaml
  const key = (site: Loaded<Site>): string[] =>
    fillVaultPattern(pattern, { name: site.value.metadata.name, region: site.value.spec.region, jurisdiction: site.value.spec.jurisdiction }).split('/').filter((s) => s !== '');
  const byPrefix = new Map<string, Loaded<Site>[]>();
  const segments = new Map<Loaded<Site>, string[]>();
  const names = new Set<string>();
  for (const site of inv.sites) {
    // A second file with the same site name is reported as a duplicate site, not as a shared prefix.
    if (names.has(site.value.metadata.name)) continue;
    names.add(site.value.metadata.name);
    const parts = key(site);
    segments.set(site, parts);
    const joined = parts.join('/');
    byPrefix.set(joined, [...(byPrefix.get(joined) ?? []), site]);
  }
  const out: InputProblem[] = [];
  const NAME = ['metadata', 'name'];
  for (const [prefix, sites] of byPrefix) {
    if (sites.length < 2) continue;
    for (const site of sites) {
      const others = sites.filter((o) => o !== site).map((o) => `"${o.value.metadata.name}" (${o.source.file})`).join(', ');
      out.push(problemAt(site.source, NAME, `Vault prefix "${prefix}" (from fleet.yaml spec.vault.pathPattern "${pattern}") is also the prefix of site(s) ${others}; each site needs its own`));
    }
  }
  for (const [site, parts] of segments) {
    for (let n = parts.length - 1; n > 0; n--) {
      const outer = parts.slice(0, n).join('/');
      for (const other of byPrefix.get(outer) ?? []) {
        const inner = parts.join('/');
        out.push(problemAt(site.source, NAME, `Vault prefix "${inner}" lies inside the prefix "${outer}" of site "${other.value.metadata.name}" (${other.source.file}), which could read its secrets (fleet.yaml spec.vault.pathPattern "${pattern}")`));
        out.push(problemAt(other.source, NAME, `Vault prefix "${outer}" contains the prefix "${inner}" of site "${site.value.metadata.name}" (${site.source.file}), so this site could read its secrets (fleet.yaml spec.vault.pathPattern "${pattern}")`));
      }
    }
  }
  return out;
}

function checkFleet(inv: Inventory): InputProblem[] {
  const { source, value } = inv.fleet;
  const out: InputProblem[] = [];
  const lr = value.spec.limitRange;
  for (const res of ['cpu', 'memory', 'ephemeral-storage'] as const) {
    const chain = [['min', lr.min[res]], ['defaultRequest', lr.defaultRequest[res]], ['default', lr.default[res]]] as const;
    for (let i = 1; i < chain.length; i++) {
      const [lowName, low] = chain[i - 1] ?? [];
      const [highName, high] = chain[i] ?? [];
      if (low === undefined || high === undefined || !lowName || !highName) continue;
      if (mustParseQuantity(low) > mustParseQuantity(high)) {
        out.push(problemAt(source, ['spec', 'limitRange', highName, res], `${highName} ${res} ${high} is below ${lowName} ${low}; a LimitRange needs min ≤ defaultRequest ≤ default`));
      }
    }
  }
  if (!value.spec.vault.pathPattern.includes('{site}')) {
    out.push(problemAt(source, ['spec', 'vault', 'pathPattern'], 'the secret prefix must contain {site}, so that no two sites share (and can read) the same secrets'));
  }
  const names = new Set<string>();
  value.spec.addons.forEach((addon, i) => {
    if (names.has(addon.name)) out.push(problemAt(source, ['spec', 'addons', i, 'name'], `duplicate add-on "${addon.name}"`));
    names.add(addon.name);
  });
  return out;
}

function checkApp(app: LoadedApp): InputProblem[] {
  const { source, value } = app;
  const out: InputProblem[] = [];
  const dirName = app.relPath.split('/')[1];
  if (dirName !== value.metadata.name) {
    out.push(problemAt(source, ['metadata', 'name'], `app name "${value.metadata.name}" must equal its directory apps/${dirName}/`));
  }
  if (isReservedNamespace(value.metadata.name)) {
    out.push(problemAt(source, ['metadata', 'name'], `expected an app name that is not a reserved namespace (${RESERVED_NAMESPACES.join(', ')} or kube-*): an app's namespace is its name, and synth would put quotas and Pod Security on it and prune it with the app`));
  }
  const containerOwner = new Map<string, string>();
  const workloadNames = new Set<string>();
  value.spec.workloads.forEach((w, wi) => {
    const at = ['spec', 'workloads', wi];
    if (workloadNames.has(w.name)) out.push(problemAt(source, [...at, 'name'], `duplicate workload "${w.name}"`));
    workloadNames.add(w.name);
    if (w.gpu && !value.spec.gpu) out.push(problemAt(source, [...at, 'gpu'], 'workload uses GPUs but the app declares no spec.gpu'));
    if (w.strategy && w.kind !== 'Deployment') out.push(problemAt(source, [...at, 'strategy'], `strategy applies to Deployments only, not ${w.kind}`));
    if (w.replicas !== undefined && (w.kind === 'DaemonSet' || w.kind === 'Job')) {
      out.push(problemAt(source, [...at, 'replicas'], `a ${w.kind} has no replicas (DaemonSets run one pod per node)`));
    }
    const inBase = app.base.find((b) => b.kind === w.kind && b.name === w.name);
    if (!inBase) {
      const found = app.base.map((b) => `${b.kind}/${b.name}`).join(', ') || 'no workloads';
      out.push(problemAt(source, [...at, 'name'], `${w.kind} "${w.name}" is not in apps/${value.metadata.name}/base/ (found ${found})`));
    }
    for (const [cname, res] of Object.entries(w.containers)) {
      const cat = [...at, 'containers', cname];
      const previous = containerOwner.get(cname);
      if (previous) out.push(problemAt(source, cat, `container name "${cname}" is also used by workload "${previous}"; per-site overrides address containers by name, so names must be unique in an app`, { key: true }));
      containerOwner.set(cname, w.name);
      if (inBase && !inBase.containers.includes(cname)) {
        out.push(problemAt(source, cat, `container "${cname}" is not in ${w.kind} "${w.name}" of the base (found ${inBase.containers.join(', ') || 'none'})`, { key: true }));
      }
      out.push(...requestsWithinLimits(app, cat, res.requests, res.limits));
    }
  });
  (value.spec.volumes ?? []).forEach((v, vi) => {
    const at = ['spec', 'volumes', vi];
    if (!app.base.some((b) => b.claims.includes(v.claim))) {
      out.push(problemAt(source, [...at, 'claim'], `no workload in the base mounts PersistentVolumeClaim "${v.claim}"`));
    }
    const min = mustParseQuantity(v.min);
    if (min > mustParseQuantity(v.max)) out.push(problemAt(source, [...at, 'max'], `max ${v.max} is below min ${v.min}`));
    if (v.minUsable !== undefined) {
      const usable = min - scale(min, v.headroomFraction ?? 0.1);
      if (usable < mustParseQuantity(v.minUsable)) {
        out.push(problemAt(source, [...at, 'min'], `min ${v.min} leaves less than minUsable ${v.minUsable} after the headroom fraction ${v.headroomFraction ?? 0.1}`));
      }
    }
  });
  return out;
}

function requestsWithinLimits(
  doc: Loaded<unknown>,
  at: (string | number)[],
  requests: ResourceList | undefined,
  limits: ResourceList | undefined,
): InputProblem[] {
  const out: InputProblem[] = [];
  for (const res of ['cpu', 'memory', 'ephemeral-storage'] as const) {
    const r = requests?.[res];
    const l = limits?.[res];
    if (r !== undefined && l !== undefined && mustParseQuantity(r) > mustParseQuantity(l)) {
      out.push(problemAt(doc.source, [...at, 'requests', res], `request ${r} exceeds limit ${l}`));
    }
  }
  return out;
}

function checkSites(inv: Inventory, invalidApps: ReadonlySet<string>): InputProblem[] {
  const out: InputProblem[] = [];
  const fleet = inv.fleet.value.spec;
  const byName = new Map<string, Loaded<Site>>();
  for (const site of inv.sites) {
    const { source, value } = site;
    const name = value.metadata.name;
    const fileName = site.relPath.replace(/^sites\//, '').replace(/\.ya?ml$/, '');
    if (fileName !== name) out.push(problemAt(source, ['metadata', 'name'], `site name "${name}" must equal its file name sites/${fileName}.yaml`));
    const first = byName.get(name);
    if (first) out.push(problemAt(source, ['metadata', 'name'], `duplicate site name "${name}" (also defined in ${first.source.file})`));
    else byName.set(name, site);

    const { spec } = value;
    if (!fleet.networkProfiles[spec.network.profile]) {
      out.push(problemAt(source, ['spec', 'network', 'profile'], `unknown network profile "${spec.network.profile}" (fleet.yaml defines: ${Object.keys(fleet.networkProfiles).sort().join(', ')})`));
    }
    if (!fleet.telemetry.endpoints[spec.jurisdiction]) {
      out.push(problemAt(source, ['spec', 'jurisdiction'], `no telemetry endpoint for jurisdiction "${spec.jurisdiction}" in fleet.yaml (known: ${Object.keys(fleet.telemetry.endpoints).sort().join(', ')})`));
    }
    const seen = new Set<string>();
    spec.apps.forEach((entry, i) => {
      const at = ['spec', 'apps', i];
      if (seen.has(entry.name)) out.push(problemAt(source, [...at, 'name'], `app "${entry.name}" is listed twice`));
      seen.add(entry.name);
      const app = inv.apps.get(entry.name);
      if (!app && invalidApps.has(entry.name)) return;
      if (!app) {
        out.push(problemAt(source, [...at, 'name'], `unknown app "${entry.name}" (apps/ has: ${[...inv.apps.keys()].sort().join(', ') || 'none'})`));
        return;
      }
      const appSpec = app.value.spec;
      if (!appSpec.architectures.includes(spec.hardware.arch)) {
        out.push(problemAt(source, [...at, 'name'], `app "${entry.name}" publishes images for ${appSpec.architectures.join(', ')} only, but site "${name}" is ${spec.hardware.arch}`));
      }
      if (appSpec.gpu && !spec.hardware.gpu) {
        out.push(problemAt(source, [...at, 'name'], `app "${entry.name}" needs ${appSpec.gpu.count} NVIDIA GPU(s) but site "${name}" has no spec.hardware.gpu`));
      }
      for (const [wname, replicas] of Object.entries(entry.replicas ?? {})) {
        const w = appSpec.workloads.find((x) => x.name === wname);
        if (!w) out.push(problemAt(source, [...at, 'replicas', wname], `app "${entry.name}" has no workload "${wname}" (has: ${appSpec.workloads.map((x) => x.name).join(', ')})`, { key: true }));
        else if (w.kind === 'DaemonSet' || w.kind === 'Job') out.push(problemAt(source, [...at, 'replicas', wname], `${w.kind} "${wname}" has no replicas`));
        else if (replicas < 0) out.push(problemAt(source, [...at, 'replicas', wname], 'replicas must be ≥ 0'));
      }
      for (const [cname, res] of Object.entries(entry.resources ?? {})) {
        const w = appSpec.workloads.find((x) => x.containers[cname]);
        if (!w) {
          const all = appSpec.workloads.flatMap((x) => Object.keys(x.containers));
          out.push(problemAt(source, [...at, 'resources', cname], `app "${entry.name}" has no container "${cname}" (has: ${all.join(', ')})`, { key: true }));
          continue;
        }
        const defaults = w.containers[cname];
        out.push(
          ...requestsWithinLimits(site, [...at, 'resources', cname], { ...defaults?.requests, ...res.requests }, { ...defaults?.limits, ...res.limits }),
        );
      }
    });
  }
  return out;
}
