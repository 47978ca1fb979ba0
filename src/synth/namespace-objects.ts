// Per-kind modules: the v1 index loads every core kind (~360 ms of a cold start against ~90).
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import type { AppPlan, SitePlan } from '../model/plan.js';
import type { Amounts } from '../model/resources.js';
import { formatBytesMi, formatCount, formatCpu } from '../util/quantity.js';
import { namespaceLabels, siteLabels } from './labels.js';

export function appNamespace(site: SitePlan, app: AppPlan): Namespace {
  return new Namespace({ metadata: { name: app.namespace, labels: { ...namespaceLabels(site), 'app.kubernetes.io/part-of': app.name } } });
}

function list(a: Amounts, ephemeral: boolean): Record<string, string> {
  return {
    cpu: formatCpu(a.cpu),
    memory: formatBytesMi(a.memory),
    ...(ephemeral ? { 'ephemeral-storage': formatBytesMi(a['ephemeral-storage']) } : {}),
  };
}

/** Container defaults and bounds; max is one node's allocatable, so no container can ask for more. */
export function appLimitRange(site: SitePlan, app: AppPlan): LimitRange {
  const lr = app.limitRange;
  return new LimitRange({
    metadata: { name: 'edgefleet-defaults', namespace: app.namespace, labels: siteLabels(site) },
    spec: {
      limits: [
        {
          type: 'Container',
          min: list(lr.min, false),
          defaultRequest: list(lr.defaultRequest, lr.ephemeral),
          default: list(lr.default, lr.ephemeral),
          max: list(lr.max, lr.ephemeral),
        },
        { type: 'PersistentVolumeClaim', max: { storage: formatBytesMi(lr.maxClaim) } },
      ],
    },
  });
}

/** Exactly what the app runs: replicas × pod requests, the rolling-update surge, the Vault Agent, GPUs, volumes. */
export function appResourceQuota(site: SitePlan, app: AppPlan): ResourceQuota {
  const q = app.quota;
  const hard: Record<string, string> = {
    'requests.cpu': formatCpu(q.requests.cpu),
    'requests.memory': formatBytesMi(q.requests.memory),
    'limits.cpu': formatCpu(q.limits.cpu),
    'limits.memory': formatBytesMi(q.limits.memory),
    pods: String(q.pods),
    persistentvolumeclaims: String(q.persistentVolumeClaims),
    'requests.storage': formatBytesMi(q.storage),
  };
  if (app.limitRange.ephemeral) {
    hard['requests.ephemeral-storage'] = formatBytesMi(q.requests['ephemeral-storage']);
    hard['limits.ephemeral-storage'] = formatBytesMi(q.limits['ephemeral-storage']);
  }
  // Extended resources can only be limited through the requests. prefix.
  if (app.gpu) hard['requests.nvidia.com/gpu'] = formatCount(BigInt(q.gpu) * 1_000_000_000n);
  return new ResourceQuota({ metadata: { name: 'edgefleet-capacity', namespace: app.namespace, labels: siteLabels(site) }, spec: { hard } });
}
