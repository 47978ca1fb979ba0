import type { SitePlan } from '../../model/plan.js';
import type { PathSegment } from '../../util/yaml-source.js';
import { get, record } from './helpers.js';
import type { PolicyObject } from './types.js';

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
