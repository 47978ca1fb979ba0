import type { AppWorkload, FleetSpec, Inventory, Loaded, LoadedApp, Site, SiteApp } from '../inventory/types.js';
import { fillVaultPattern } from '../inventory/checks.js';
import { InputError, type InputProblem } from '../util/errors.js';
import { describe, formatBytesMi, formatMillicores, mustParseQuantity, scale, toBytes, type Nanos } from '../util/quantity.js';
import { problemAt } from '../util/yaml-source.js';
import { addonRequests, siteCapacity } from './capacity.js';
import type { AddonPlan, AppPlan, ContainerPlan, FleetPlan, SitePlan, VolumePlan, WorkloadPlan } from './plan.js';
import { COMPUTE, add, fromList, max, sum, times, zero, type Amounts, type ComputeResource } from './resources.js';
import { claimSizeVar, claimUsableVar, replicasVar, resourceVar, strategyVar } from './variables.js';
import { limitRangeFor, quotaFor } from './quota.js';

const GFD_GPU_LABEL = { 'nvidia.com/gpu.present': 'true' } as const;

/** Resolves every site (or the named ones) into a plan; throws one InputError with every capacity problem. */
export function resolveFleet(inv: Inventory, only?: ReadonlySet<string>): FleetPlan {
  const { plans: sites, problems } = resolveSites(inv, only ? inv.sites.filter((s) => only.has(s.value.metadata.name)) : inv.sites);
  if (problems.length > 0) throw new InputError(problems);
  return fleetPlan(inv, sites);
}

/** The fleet's plan around already resolved site plans. */
export function fleetPlan(inv: Inventory, sites: SitePlan[]): FleetPlan {
  const fleet = inv.fleet.value.spec;
  return {
    name: inv.fleet.value.metadata.name,
    sourceFile: inv.fleet.relPath,
    source: fleet.source,
    fluxComponents: fleet.flux.components,
    strictPostBuildSubstitutions: fleet.flux.strictPostBuildSubstitutions,
    kubernetesVersion: fleet.kubernetesVersion,
    sites,
  };
}

/** Plans of the given sites (sorted by name), and the problems of those that do not resolve; throws nothing. */
export function resolveSites(inv: Inventory, sites: readonly Loaded<Site>[]): { plans: SitePlan[]; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const plans: SitePlan[] = [];
  for (const site of sites) {
    const plan = resolveSite(inv, site, problems);
    if (plan) plans.push(plan);
  }
  plans.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { plans, problems };
}

function resolveSite(inv: Inventory, loaded: Loaded<Site>, problems: InputProblem[]): SitePlan | undefined {
  const fleet = inv.fleet.value.spec;
  const site = loaded.value;
  const { spec } = site;
  const name = site.metadata.name;
  const nodes = spec.hardware.nodes ?? 1;
  const cap = siteCapacity(fleet, spec);
  const found: InputProblem[] = [];
  const hw = (res: string): (string | number)[] => ['spec', 'hardware', res === 'ephemeral-storage' ? 'storage' : res];

  for (const res of COMPUTE) {
    if (cap.allocatable[res] <= 0n) {
      found.push(problemAt(loaded.source, hw(res), `site "${name}" has ${describe(res, cap.total[res])} ${label(res)}, not more than the ${describe(res, cap.reserved[res])} that ${spec.runtime}, the OS and the kubelet's eviction threshold reserve on ${nodes} node(s)`));
    }
  }
  if (found.length > 0) {
    problems.push(...found);
    return undefined;
  }

  const addons: AddonPlan[] = fleet.addons
    .filter((a) => a.requires !== 'gpu' || spec.hardware.gpu)
    .map((a) => ({ name: a.name, path: `./${a.path}`, components: [...(a.components?.[spec.runtime] ?? [])], requiresGpu: a.requires === 'gpu' }));
  const addonUse = sum(addons.map((a) => addonRequests(inv.addonBases.get(a.name) ?? [], nodes)));

  // Containers that set no ephemeral-storage get the LimitRange defaults at admission; count them so.
  const lrDefaults = { requests: fromList(fleet.limitRange.defaultRequest), limits: fromList(fleet.limitRange.default) };
  const withDefaults = (a: Amounts, d: Amounts): Amounts => ({ ...a, 'ephemeral-storage': d['ephemeral-storage'] });
  const agent = {
    requests: withDefaults(fromList(fleet.vault.agent.requests), lrDefaults.requests),
    limits: withDefaults(fromList(fleet.vault.agent.limits), lrDefaults.limits),
  };
  const apps = spec.apps.map((entry) =>
    draftApp(inv.apps.get(entry.name) as LoadedApp, entry, { nodes, agent, lrDefaults }, cap.allocatable['ephemeral-storage']),
  );
  const limitRange = limitRangeFor(fleet, cap.perNode, cap.allocatable['ephemeral-storage']);

  // Steady state first: every pod once, every volume, the add-ons.
  let used = add(addonUse, sum(apps.flatMap((a) => a.workloads.map((w) => times(w.podRequests, w.pods)))));
  used['ephemeral-storage'] += apps.reduce((s, a) => s + a.volumes.reduce((t, v) => t + v.size, 0n), 0n);
  const gpuTotal = spec.hardware.gpu?.count ?? 0;
  let gpuUsed = apps.reduce((s, a) => s + a.workloads.reduce((t, w) => t + w.gpuPerPod * w.pods, 0), 0);

  for (const res of COMPUTE) {
    if (used[res] > cap.allocatable[res]) {
      found.push(problemAt(loaded.source, hw(res), `site "${name}" cannot run its apps: they need ${describe(res, used[res])} ${label(res)} (add-ons included) but the site has ${describe(res, cap.allocatable[res])} allocatable (${describe(res, cap.total[res])} minus ${describe(res, cap.reserved[res])} reserved for ${spec.runtime}, the OS and eviction)`));
    }
  }
  if (gpuUsed > gpuTotal) {
    found.push(problemAt(loaded.source, ['spec', 'hardware', 'gpu', 'count'], `site "${name}" cannot run its apps: they need ${gpuUsed} GPU(s) but the site has ${gpuTotal}`));
  }
  apps.forEach((app, ai) => {
    for (const w of app.workloads) {
      for (const c of w.containers) {
        for (const res of COMPUTE) {
          if (c.requests[res] < limitRange.min[res]) {
            found.push(problemAt(loaded.source, ['spec', 'apps', ai, 'name'], `site "${name}": container "${c.name}" of ${w.kind} "${w.name}" requests ${describe(res, c.requests[res])} ${label(res)}, below the LimitRange minimum ${describe(res, limitRange.min[res])} (fleet.yaml spec.limitRange.min)`));
          }
          if (c.limits[res] > limitRange.max[res]) {
            found.push(problemAt(loaded.source, ['spec', 'apps', ai, 'name'], `site "${name}": container "${c.name}" of ${w.kind} "${w.name}" has a ${label(res)} limit of ${describe(res, c.limits[res])}, above one node's ${describe(res, limitRange.max[res])} allocatable (the LimitRange maximum)`));
          }
        }
      }
      for (const res of ['cpu', 'memory'] as const) {
        if (w.podRequests[res] > cap.perNode[res]) {
          found.push(problemAt(loaded.source, ['spec', 'apps', ai, 'name'], `site "${name}": one pod of ${w.kind} "${w.name}" (app "${app.name}") requests ${describe(res, w.podRequests[res])} ${label(res)}, more than one node's ${describe(res, cap.perNode[res])} allocatable`));
        }
      }
    }
  });
  if (found.length > 0) {
    problems.push(...found);
    return undefined;
  }

  // Then rolling-update surge, Deployment by Deployment, where it still fits; otherwise Recreate.
  const resolvedApps: AppPlan[] = apps.map((app) => {
    const workloads = app.workloads.map((w): WorkloadPlan => {
      if (w.kind !== 'Deployment' || w.strategy === 'Recreate' || w.surge === 0) return { ...w, surge: w.strategy === 'Recreate' ? 0 : w.surge };
      const extra = times(w.podRequests, w.surge);
      const next = add(used, extra);
      const fits = COMPUTE.every((r) => next[r] <= cap.allocatable[r]) && gpuUsed + w.gpuPerPod * w.surge <= gpuTotal;
      if (!fits) return { ...w, strategy: 'Recreate', surge: 0 };
      used = next;
      gpuUsed += w.gpuPerPod * w.surge;
      return w;
    });
    const variables = { ...app.variables };
    for (const w of workloads) if (w.strategy) variables[strategyVar(w.name)] = w.strategy;
    return {
      ...app,
      workloads,
      variables,
      quota: quotaFor(workloads, app.volumes),
      limitRange,
    };
  });

  const vaultVars = vaultSettings(fleet, spec.region, spec.jurisdiction, name);
  const gpu = spec.hardware.gpu
    ? { model: spec.hardware.gpu.model, count: spec.hardware.gpu.count, nodeSelector: { ...(fleet.gpu?.nodeSelector ?? GFD_GPU_LABEL) } }
    : undefined;
  const profile = fleet.networkProfiles[spec.network.profile];
  if (!profile) throw new Error(`internal: unchecked network profile ${spec.network.profile}`);
  const environment = spec.environment ?? 'production';
  const telemetryEndpoint = fleet.telemetry.endpoints[spec.jurisdiction] ?? '';
  const storageClass = fleet.runtimes[spec.runtime].storageClass;
  return {
    name,
    sourceFile: loaded.relPath,
    region: spec.region,
    jurisdiction: spec.jurisdiction,
    environment,
    runtime: spec.runtime,
    arch: spec.hardware.arch,
    nodes,
    labels: { ...(site.metadata.labels ?? {}) },
    gpu,
    networkProfile: spec.network.profile,
    link: profile.link ?? 'always-on',
    bandwidthMbps: spec.network.bandwidthMbps,
    sync: { interval: profile.interval, retryInterval: profile.retryInterval, timeout: profile.timeout, sourceInterval: profile.sourceInterval },
    // A single-node site never taints itself unreachable: only multi-node sites need the longer toleration.
    unreachableTolerationSeconds: nodes > 1 ? profile.unreachableTolerationSeconds : undefined,
    kubernetesVersion: fleet.kubernetesVersion,
    capacity: { total: { ...cap.total, gpu: gpuTotal }, reserved: cap.reserved, allocatable: cap.allocatable, perNode: cap.perNode, requested: used },
    vault: { address: fleet.vault.address, kvMount: fleet.vault.kvMount, authMount: vaultVars.authMount, prefix: vaultVars.prefix, agent },
    telemetryEndpoint,
    storageClass,
    addons,
    apps: resolvedApps,
    variables: {
      CLUSTER_ID: name,
      REGION: spec.region,
      JURISDICTION: spec.jurisdiction,
      ENVIRONMENT: environment,
      ARCH: spec.hardware.arch,
      RUNTIME: spec.runtime,
      NETWORK_PROFILE: spec.network.profile,
      STORAGE_CLASS: storageClass,
      TELEMETRY_ENDPOINT: telemetryEndpoint,
      VAULT_ADDR: fleet.vault.address,
      VAULT_KV_MOUNT: fleet.vault.kvMount,
      VAULT_AUTH_PATH: `auth/${vaultVars.authMount}`,
      VAULT_PREFIX: vaultVars.prefix,
    },
  };
}

function label(res: ComputeResource): string {
  return res === 'cpu' ? 'CPU' : res === 'memory' ? 'memory' : 'disk';
}

export function vaultSettings(fleet: FleetSpec, region: string, jurisdiction: string, site: string): { authMount: string; prefix: string } {
  const fill = (pattern: string): string => fillVaultPattern(pattern, { name: site, region, jurisdiction });
  return { authMount: fill(fleet.vault.authMountPattern), prefix: fill(fleet.vault.pathPattern) };
}

type DraftApp = Omit<AppPlan, 'quota' | 'limitRange'> & { variables: Record<string, string> };

/** What every pod of a site gets besides its app's own containers. */
interface PodContext {
  readonly nodes: number;
  /** The injected Vault Agent's resources. */
  readonly agent: { requests: Amounts; limits: Amounts };
  /** LimitRange defaults, for containers that set no ephemeral storage. */
  readonly lrDefaults: { requests: Amounts; limits: Amounts };
}

function draftApp(app: LoadedApp, entry: SiteApp, site: PodContext, disk: Nanos): DraftApp {
  const spec = app.value.spec;
  const variables: Record<string, string> = {};
  const workloads = spec.workloads.map((w) => draftWorkload(w, entry, site, spec.gpu?.count ?? 0, variables));
  const volumes = (spec.volumes ?? []).map((v): VolumePlan => {
    const wanted = scale(disk, v.fractionOfSiteStorage);
    const min = mustParseQuantity(v.min);
    const maxSize = mustParseQuantity(v.max);
    const mib = 1024n * 1024n * 1_000_000_000n;
    const size = ((wanted < min ? min : wanted > maxSize ? maxSize : wanted) / mib) * mib;
    const usable = size - scale(size, v.headroomFraction ?? 0.1);
    variables[claimSizeVar(v.claim)] = formatBytesMi(size);
    variables[claimUsableVar(v.claim)] = String(toBytes(usable));
    return { claim: v.claim, size, usableBytes: toBytes(usable) };
  });
  return {
    name: app.value.metadata.name,
    namespace: app.value.metadata.name,
    path: `./apps/${app.value.metadata.name}/base`,
    sourceFile: app.relPath,
    gpu: spec.gpu !== undefined,
    workloads,
    volumes,
    variables,
  };
}

function draftWorkload(w: AppWorkload, entry: SiteApp, site: PodContext, gpuCount: number, variables: Record<string, string>): WorkloadPlan {
  const { nodes, agent, lrDefaults } = site;
  const containers: ContainerPlan[] = Object.entries(w.containers).map(([cname, defaults]) => {
    const override = entry.resources?.[cname];
    const requests = { ...defaults.requests, ...override?.requests };
    const limits = { ...defaults.limits, ...override?.limits };
    const declaresDisk = requests['ephemeral-storage'] !== undefined || limits['ephemeral-storage'] !== undefined;
    const c: ContainerPlan = {
      name: cname,
      requests: declaresDisk ? fromList(requests) : { ...fromList(requests), 'ephemeral-storage': lrDefaults.requests['ephemeral-storage'] },
      limits: declaresDisk ? fromList(limits) : { ...fromList(limits), 'ephemeral-storage': lrDefaults.limits['ephemeral-storage'] },
      declared: new Set(declaresDisk ? ['ephemeral-storage' as const] : []),
    };
    variables[resourceVar(cname, 'cpu', 'request')] = formatMillicores(c.requests.cpu);
    variables[resourceVar(cname, 'memory', 'request')] = formatBytesMi(c.requests.memory);
    variables[resourceVar(cname, 'cpu', 'limit')] = formatMillicores(c.limits.cpu);
    variables[resourceVar(cname, 'memory', 'limit')] = formatBytesMi(c.limits.memory);
    if (c.declared.size > 0) {
      variables[resourceVar(cname, 'ephemeral-storage', 'request')] = formatBytesMi(c.requests['ephemeral-storage']);
      variables[resourceVar(cname, 'ephemeral-storage', 'limit')] = formatBytesMi(c.limits['ephemeral-storage']);
    }
    return c;
  });
  const secrets = (w.secrets ?? []).map((s) => ({ name: s.name, file: s.file, keys: [...s.keys], format: s.format ?? 'env' }));
  const hasAgent = secrets.length > 0;
  const appSum = sum(containers.map((c) => c.requests));
  const appLimits = sum(containers.map((c) => c.limits));
  // A Job gets only the pre-populating init container; long-running pods get init + sidecar, same resources.
  const sidecar = hasAgent && w.kind !== 'Job';
  const podRequests = max(add(appSum, sidecar ? agent.requests : zero()), hasAgent ? agent.requests : zero());
  const podLimits = max(add(appLimits, sidecar ? agent.limits : zero()), hasAgent ? agent.limits : zero());
  const hasReplicas = w.kind === 'Deployment' || w.kind === 'StatefulSet';
  const replicas = hasReplicas ? (entry.replicas?.[w.name] ?? w.replicas ?? 1) : undefined;
  if (replicas !== undefined) variables[replicasVar(w.name)] = String(replicas);
  const pods = w.kind === 'DaemonSet' ? nodes : (replicas ?? 1);
  const strategy = w.kind === 'Deployment' ? (w.strategy ?? 'RollingUpdate') : undefined;
  return {
    kind: w.kind,
    name: w.name,
    replicas,
    strategy,
    surge: strategy === 'RollingUpdate' && pods > 0 ? Math.ceil(pods / 4) : 0,
    pods,
    gpuPerPod: w.gpu ? gpuCount : 0,
    healthCheck: w.healthCheck ?? true,
    containers,
    secrets,
    podRequests,
    podLimits,
  };
}
