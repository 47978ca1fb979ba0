import { describe, type Nanos } from '../../../util/quantity.js';
import type { SitePlan } from '../../../model/plan.js';
import type { PathSegment } from '../../../util/yaml-source.js';
import { defineRule } from '../define-rule.js';
import { get, record } from '../helpers.js';
import type { PolicyObject } from '../types.js';
import { namespaceOf, podAmount, podContainers, quantity, siteResources, type PodContainer, type ResourceKind, type SiteResources } from './resources-requests-limits.js';

export interface PodCount {
  /** Pods in steady state. */
  readonly pods: number;
  /** Extra pods while a rolling update runs. */
  readonly surge: number;
  /** The field that sets the pod count, for reports. */
  readonly path: readonly PathSegment[];
}

function count(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return fallback;
}

/** An IntOrString surge: a count, or a percentage of `of` rounded up (as the controllers round maxSurge). */
function surgeOf(value: unknown, of: number): number {
  if (typeof value === 'string') {
    const m = /^(\d+)%$/.exec(value.trim());
    if (m) return Math.ceil((of * Number(m[1])) / 100);
  }
  return count(value, 0);
}

/** How many pods a workload runs, and how many more while it rolls out; undefined for objects without pods. */
export function podCount(obj: PolicyObject, site: SitePlan): PodCount | undefined {
  const spec = record(obj.object.spec);
  const nodes = daemonNodes(obj, site);
  switch (obj.ref.kind) {
    case 'Deployment': {
      const pods = count(spec.replicas, 1);
      const strategy = record(spec.strategy);
      const surge = strategy.type === 'Recreate' || pods === 0 ? 0 : surgeOf(record(strategy.rollingUpdate).maxSurge ?? '25%', pods);
      return { pods, surge, path: ['spec', 'replicas'] };
    }
    case 'StatefulSet':
    case 'ReplicaSet':
      return { pods: count(spec.replicas, 1), surge: 0, path: ['spec', 'replicas'] };
    case 'DaemonSet': {
      // One pod per node (a node selector can only lower this); maxSurge defaults to 0.
      const strategy = record(spec.updateStrategy);
      const surge = strategy.type === 'OnDelete' ? 0 : surgeOf(record(strategy.rollingUpdate).maxSurge ?? 0, nodes);
      return { pods: nodes, surge, path: ['spec', 'updateStrategy'] };
    }
    case 'Job':
      return { pods: jobPods(spec), surge: 0, path: ['spec', 'parallelism'] };
    case 'CronJob':
      return { pods: jobPods(record(get(spec, ['jobTemplate', 'spec']))), surge: 0, path: ['spec', 'jobTemplate', 'spec', 'parallelism'] };
    case 'Pod':
      return { pods: 1, surge: 0, path: [] };
    default:
      return undefined;
  }
}

/**
 * The nodes a DaemonSet runs on: all of them, or for one that selects the site's GPU nodes at most one
 * per GPU (a GPU node has at least one).
 */
function daemonNodes(obj: PolicyObject, site: SitePlan): number {
  const selector = record(get(obj.object, ['spec', 'template', 'spec', 'nodeSelector']));
  const gpuLabels = Object.entries(site.gpu?.nodeSelector ?? {});
  const onGpuNodes = gpuLabels.length > 0 && gpuLabels.every(([k, v]) => selector[k] === v);
  return onGpuNodes ? Math.min(site.nodes, site.gpu?.count ?? 0) : site.nodes;
}

function jobPods(spec: Record<string, unknown>): number {
  const parallelism = count(spec.parallelism, 1);
  return spec.completions === undefined ? parallelism : Math.min(parallelism, count(spec.completions, parallelism));
}

/** A ResourceQuota's scopes limit it to some pods; such quotas are not modelled. */
export function isScoped(quota: PolicyObject): boolean {
  const spec = record(quota.object.spec);
  return (Array.isArray(spec.scopes) && spec.scopes.length > 0) || spec.scopeSelector !== undefined;
}

/** What a quota key counts per pod: `requests.cpu` (or its alias `cpu`), `limits.memory`, `requests.nvidia.com/gpu`, `pods`. */
export function quotaKeyResource(key: string): { kind: ResourceKind; resource: string } | 'pods' | undefined {
  if (key === 'pods') return 'pods';
  if (key === 'cpu' || key === 'memory' || key === 'ephemeral-storage') return { kind: 'requests', resource: key };
  const m = /^(requests|limits)\.(.+)$/.exec(key);
  if (!m) return undefined;
  const resource = m[2] as string;
  if (resource === 'storage') return undefined; // PersistentVolumeClaims, below
  // Extended resources are quota'd by request only; their request equals their limit.
  if (m[1] === 'limits' && !['cpu', 'memory', 'ephemeral-storage'].includes(resource)) return undefined;
  return { kind: m[1] as ResourceKind, resource };
}

interface Demand {
  readonly obj: PolicyObject;
  readonly cs: readonly PodContainer[];
  readonly count: PodCount;
}

/**
 * Every pod a namespace runs, its rolling-update surge included, must fit the namespace's ResourceQuota:
 * the quota admits pods one by one, so the first pod past it is rejected and the rollout stalls half-done.
 */
export default defineRule({
  id: 'resources-quota-fit',
  meta: {
    category: 'resources',
    severity: 'error',
    description:
      "The pods of each namespace, at their replica count plus rolling-update surge (maxSurge, default 25% rounded up; 0 for Recreate; one pod per node for DaemonSets), and its PersistentVolumeClaims fit the namespace's ResourceQuota: a pod over quota is rejected, and an unattended site is left mid-rollout.",
    remediation:
      "Raise the ResourceQuota (synth sizes it from app.yaml: fix the app's resources or replicas there), lower the requests or replicas, or use the Recreate strategy where there is no room for a surge pod.",
    kinds: ['ResourceQuota', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'PersistentVolumeClaim'],
  },
  // Flux applies a namespace's workloads together, so a change they share (a variable, a base) rolls them all at once.
  options: { simultaneousRollouts: true },
  create(context) {
    const site: SiteResources = siteResources(context.objects);
    return {
      onSiteEnd() {
        const byNs = new Map<string, { demands: Demand[]; claims: PolicyObject[]; quotas: PolicyObject[] }>();
        const ns = (n: string) => {
          const v = byNs.get(n) ?? { demands: [], claims: [], quotas: [] };
          byNs.set(n, v);
          return v;
        };
        for (const obj of context.objects) {
          if (obj.ref.kind === 'ResourceQuota') ns(namespaceOf(obj)).quotas.push(obj);
          else if (obj.ref.kind === 'PersistentVolumeClaim') ns(namespaceOf(obj)).claims.push(obj);
          else {
            const c = podCount(obj, context.site);
            const cs = c && podContainers(obj, site);
            if (c && cs) ns(namespaceOf(obj)).demands.push({ obj, cs, count: c });
          }
        }
        for (const [name, { demands, claims, quotas }] of byNs) {
          for (const quota of quotas) {
            if (isScoped(quota)) continue;
            for (const [key, hardValue] of Object.entries(record(record(quota.object.spec).hard))) {
              const hard = quantity(hardValue); // counts too (`pods: "3"`), in nano-units like every quantity
              if (hard === undefined) continue;
              if (key === 'requests.storage' || key === 'persistentvolumeclaims') checkClaims(name, quota, key, hard, claims);
              else checkPods(name, quota, key, hard, demands);
            }
          }
        }
      },
    };

    function checkPods(ns: string, quota: PolicyObject, key: string, hard: Nanos, demands: readonly Demand[]): void {
      const what = quotaKeyResource(key);
      if (!what || demands.length === 0) return;
      const perPod = (d: Demand): Nanos => (what === 'pods' ? 1_000_000_000n : podAmount(d.cs, what.kind, what.resource));
      const parts = demands.map((d) => ({ d, each: perPod(d) })).filter((p) => p.each > 0n);
      if (parts.length === 0) return;
      const steady = parts.reduce((s, p) => s + p.each * BigInt(p.d.count.pods), 0n);
      const surges = parts.map((p) => p.each * BigInt(p.d.count.surge));
      const surge = context.options.simultaneousRollouts ? surges.reduce((s, x) => s + x, 0n) : surges.reduce((m, x) => (x > m ? x : m), 0n);
      const total = steady + surge;
      if (total <= hard) return;
      const resource = what === 'pods' ? 'pods' : what.resource;
      const fmt = (n: Nanos): string => (what === 'pods' ? String(n / 1_000_000_000n) : describe(resource, n));
      // Report on the workload that asks most, at the field that sets its share.
      const biggest = parts.reduce((a, b) => (b.each * BigInt(b.d.count.pods + b.d.count.surge) > a.each * BigInt(a.d.count.pods + a.d.count.surge) ? b : a));
      const detail = parts
        .map((p) => `${p.d.obj.ref.kind} ${p.d.obj.ref.name}: ${p.d.count.pods}${p.d.count.surge > 0 ? ` + ${p.d.count.surge} surge` : ''} pod(s) × ${fmt(p.each)}`)
        .join('; ');
      const when = surge > 0n ? (steady > hard ? '' : ' during a rolling update') : '';
      context.report({
        object: biggest.d.obj,
        path: what === 'pods' ? biggest.d.count.path : largestField(biggest.d.cs, what.kind, what.resource),
        message: `namespace "${ns}" needs ${fmt(total)} ${key}${when} (${detail}) but ResourceQuota ${quota.ref.name} allows ${fmt(hard)}: pods past the quota are rejected`,
      });
    }

    function checkClaims(ns: string, quota: PolicyObject, key: string, hard: Nanos, claims: readonly PolicyObject[]): void {
      if (claims.length === 0) return;
      const size = (c: PolicyObject): Nanos => quantity(get(c.object, ['spec', 'resources', 'requests', 'storage'])) ?? 0n;
      if (key === 'persistentvolumeclaims') {
        if (BigInt(claims.length) * 1_000_000_000n <= hard) return;
        const last = claims[claims.length - 1] as PolicyObject;
        context.report({ object: last, path: [], message: `namespace "${ns}" has ${claims.length} PersistentVolumeClaims but ResourceQuota ${quota.ref.name} allows ${describe('count', hard)}: the apply of the rest is rejected` });
        return;
      }
      const total = claims.reduce((s, c) => s + size(c), 0n);
      if (total <= hard) return;
      const biggest = claims.reduce((a, b) => (size(b) > size(a) ? b : a));
      context.report({
        object: biggest,
        path: ['spec', 'resources', 'requests', 'storage'],
        message: `namespace "${ns}" claims ${describe('storage', total)} of storage (${claims.map((c) => `${c.ref.name} ${describe('storage', size(c))}`).join(', ')}) but ResourceQuota ${quota.ref.name} allows ${describe('storage', hard)}: the claim is rejected`,
      });
    }
  },
});

/** The written field of the container that contributes most to a pod's amount of a resource. */
export function largestField(cs: readonly PodContainer[], kind: ResourceKind, resource: string): readonly PathSegment[] {
  let best: PodContainer | undefined;
  let bestValue = -1n;
  for (const c of cs) {
    const v = c[kind].get(resource)?.value ?? 0n;
    if (v > bestValue) {
      best = c;
      bestValue = v;
    }
  }
  return best ? best.field(kind, resource) : [];
}
