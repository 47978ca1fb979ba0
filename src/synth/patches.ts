import { stringify } from 'yaml';
import { emitYaml } from '../util/yaml-emit.js';
import type { AppPlan, SitePlan, WorkloadPlan } from '../model/plan.js';
import { replicasVar, resourceVar, strategyVar } from '../model/variables.js';
import { vaultAnnotations } from './vault.js';

export interface FluxPatch {
  readonly target: { readonly group?: string; readonly version: string; readonly kind: string; readonly name: string };
  readonly patch: string;
}

const GPU_RESOURCE = 'nvidia.com/gpu';

/**
 * Strategic-merge patches for an app's workloads. Every site-specific value is a `${VAR}` filled by
 * postBuild substitution, so sites with the same app and hardware class get byte-identical patch text
 * and validation builds each distinct (base, patches) pair once.
 */
export function appPatches(site: SitePlan, app: AppPlan): FluxPatch[] {
  return app.workloads.map((w) => ({
    target: { group: w.kind === 'Job' ? 'batch' : 'apps', version: 'v1', kind: w.kind, name: w.name },
    patch: toText(workloadPatch(site, app, w)),
  }));
}

/**
 * Patches for an add-on's workloads: GPU placement for GPU add-ons (e.g. the NVIDIA device plugin),
 * and the longer unreachable-node toleration on multi-node sites with flaky links. None when neither applies.
 */
export function addonPatches(site: SitePlan, gpu: boolean, workloads: readonly { kind: string; name: string }[]): FluxPatch[] {
  return workloads.flatMap((w) => {
    const tolerations = podTolerations(site, w.kind, gpu);
    if (!gpu && tolerations.length === 0) return [];
    const podSpec = {
      ...(gpu ? { nodeSelector: { ...site.gpu?.nodeSelector } } : {}),
      ...(tolerations.length > 0 ? { tolerations } : {}),
      ...(gpu ? runtimeClass(site) : {}),
    };
    return [{
      target: { group: 'apps', version: 'v1', kind: w.kind, name: w.name },
      patch: toText({ apiVersion: 'apps/v1', kind: w.kind, metadata: { name: w.name }, spec: { template: { spec: podSpec } } }),
    }];
  });
}

function workloadPatch(site: SitePlan, app: AppPlan, w: WorkloadPlan): Record<string, unknown> {
  const gpu = w.gpuPerPod > 0;
  const tolerations = podTolerations(site, w.kind, gpu);
  const podSpec: Record<string, unknown> = {
    nodeSelector: { 'kubernetes.io/arch': '${ARCH}', ...(gpu ? site.gpu?.nodeSelector : {}) },
    ...(tolerations.length > 0 ? { tolerations } : {}),
    ...(gpu ? runtimeClass(site) : {}),
    // Restricted Pod Security needs a seccomp profile for every container, the injected agent included;
    // the pod-level default covers containers that set none.
    securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    containers: w.containers.map((c) => ({
      name: c.name,
      resources: {
        requests: resourceVars(c.name, 'request', c.declared.size > 0),
        limits: { ...resourceVars(c.name, 'limit', c.declared.size > 0), ...(gpu ? { [GPU_RESOURCE]: String(w.gpuPerPod) } : {}) },
      },
    })),
  };
  const annotations = vaultAnnotations(site, app, w);
  const spec: Record<string, unknown> = {};
  if (w.replicas !== undefined) spec.replicas = '${' + replicasVar(w.name) + '}';
  if (w.strategy) spec.strategy = { type: '${' + strategyVar(w.name) + '}' };
  spec.template = {
    ...(Object.keys(annotations).length > 0 ? { metadata: { annotations } } : {}),
    spec: podSpec,
  };
  return { apiVersion: w.kind === 'Job' ? 'batch/v1' : 'apps/v1', kind: w.kind, metadata: { name: w.name }, spec };
}

/**
 * One list, since a strategic merge replaces tolerations whole: the GPU taint, and on multi-node
 * sites with flaky links the unreachable/not-ready taints for longer than Kubernetes' 300 s default
 * (DaemonSets already tolerate them forever).
 */
function podTolerations(site: SitePlan, kind: string, gpu: boolean): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (gpu) out.push({ key: GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' });
  const seconds = site.unreachableTolerationSeconds;
  if (seconds !== undefined && kind !== 'DaemonSet') {
    for (const key of ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready']) {
      out.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
    }
  }
  return out;
}

/** k3s registers the NVIDIA container runtime as the "nvidia" handler, not as the default. */
function runtimeClass(site: SitePlan): Record<string, string> {
  return site.runtime === 'k3s' ? { runtimeClassName: 'nvidia' } : {};
}

function resourceVars(container: string, which: 'request' | 'limit', disk: boolean): Record<string, string> {
  const v = (res: string): string => '${' + resourceVar(container, res, which) + '}';
  return { cpu: v('cpu'), memory: v('memory'), ...(disk ? { 'ephemeral-storage': v('ephemeral-storage') } : {}) };
}

function toText(obj: Record<string, unknown>): string {
  return emitYaml(obj) ?? stringify(obj, { lineWidth: 0, sortMapEntries: false });
}
