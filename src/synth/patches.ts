import { stringify } from 'yaml';
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

/** GPU placement for an add-on's workloads (e.g. the NVIDIA device plugin DaemonSet). */
export function addonGpuPatches(site: SitePlan, workloads: readonly { kind: string; name: string }[]): FluxPatch[] {
  return workloads.map((w) => ({
    target: { group: 'apps', version: 'v1', kind: w.kind, name: w.name },
    patch: toText({
      apiVersion: 'apps/v1',
      kind: w.kind,
      metadata: { name: w.name },
      spec: { template: { spec: gpuPlacement(site, false) } },
    }),
  }));
}

function workloadPatch(site: SitePlan, app: AppPlan, w: WorkloadPlan): Record<string, unknown> {
  const podSpec: Record<string, unknown> = {
    nodeSelector: { 'kubernetes.io/arch': '${ARCH}', ...(w.gpuPerPod > 0 ? site.gpu?.nodeSelector : {}) },
    ...(w.gpuPerPod > 0 ? gpuPlacement(site, true) : {}),
    // Restricted Pod Security needs a seccomp profile for every container, the injected agent included;
    // the pod-level default covers containers that set none.
    securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    containers: w.containers.map((c) => ({
      name: c.name,
      resources: {
        requests: resourceVars(c.name, 'request', c.declared.size > 0),
        limits: { ...resourceVars(c.name, 'limit', c.declared.size > 0), ...(w.gpuPerPod > 0 ? { [GPU_RESOURCE]: String(w.gpuPerPod) } : {}) },
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

function gpuPlacement(site: SitePlan, withNodeSelector: boolean): Record<string, unknown> {
  return {
    ...(withNodeSelector ? {} : { nodeSelector: { ...site.gpu?.nodeSelector } }),
    tolerations: [{ key: GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' }],
    // k3s registers the NVIDIA container runtime as the "nvidia" handler, not as the default.
    ...(site.runtime === 'k3s' ? { runtimeClassName: 'nvidia' } : {}),
  };
}

function resourceVars(container: string, which: 'request' | 'limit', disk: boolean): Record<string, string> {
  const v = (res: string): string => '${' + resourceVar(container, res, which) + '}';
  return { cpu: v('cpu'), memory: v('memory'), ...(disk ? { 'ephemeral-storage': v('ephemeral-storage') } : {}) };
}

function toText(obj: Record<string, unknown>): string {
  return stringify(obj, { lineWidth: 0, sortMapEntries: false });
}
