import type { FleetSpec } from '../inventory/types.js';
import type { Nanos } from '../util/quantity.js';
import type { LimitRangePlan, QuotaPlan, VolumePlan, WorkloadPlan } from './plan.js';
import { COMPUTE, fromList, sum, times, type Amounts } from './resources.js';

/** A namespace quota that admits exactly what the app runs: every pod, its rolling-update surge, its volumes. */
export function quotaFor(workloads: readonly WorkloadPlan[], volumes: readonly VolumePlan[]): QuotaPlan {
  return {
    requests: sum(workloads.map((w) => times(w.podRequests, w.pods + w.surge))),
    limits: sum(workloads.map((w) => times(w.podLimits, w.pods + w.surge))),
    gpu: workloads.reduce((s, w) => s + w.gpuPerPod * (w.pods + w.surge), 0),
    pods: workloads.reduce((s, w) => s + w.pods + w.surge, 0),
    persistentVolumeClaims: volumes.length,
    storage: volumes.reduce((s, v) => s + v.size, 0n),
  };
}

/** Container defaults from fleet.yaml, capped by what one node can give (max). */
export function limitRangeFor(fleet: FleetSpec, perNode: Amounts, disk: Nanos): LimitRangePlan {
  const cap = (a: Amounts): Amounts => {
    const out = { ...a };
    for (const r of COMPUTE) if (out[r] > perNode[r]) out[r] = perNode[r];
    return out;
  };
  const lr = fleet.limitRange;
  return {
    min: cap(fromList(lr.min)),
    defaultRequest: cap(fromList(lr.defaultRequest)),
    default: cap(fromList(lr.default)),
    max: perNode,
    ephemeral: lr.default['ephemeral-storage'] !== undefined,
    maxClaim: disk,
  };
}
