import { record } from './helpers.js';
import type { ResourceKind } from './pod-resources.js';
import type { PolicyObject } from './types.js';

/** A ResourceQuota's scopes limit it to some pods; such quotas are not modelled. */
export function isScoped(quota: PolicyObject): boolean {
  const spec = record(quota.object.spec);
  return (Array.isArray(spec.scopes) && spec.scopes.length > 0) || spec.scopeSelector !== undefined;
}

/** A ResourceQuota's `spec.hard`, as written. */
export function quotaHard(quota: PolicyObject): Record<string, unknown> {
  return record(record(quota.object.spec).hard);
}

/** What a quota key counts per pod: `requests.cpu` (or its alias `cpu`), `limits.memory`, `requests.nvidia.com/gpu`, `pods`. */
export function quotaKeyResource(key: string): { kind: ResourceKind; resource: string } | 'pods' | undefined {
  if (key === 'pods') return 'pods';
  if (key === 'cpu' || key === 'memory' || key === 'ephemeral-storage') return { kind: 'requests', resource: key };
  const m = /^(requests|limits)\.(.+)$/.exec(key);
  if (!m) return undefined;
  const resource = m[2] as string;
  if (resource === 'storage') return undefined; // PersistentVolumeClaims, checked on their own
  // Extended resources are quota'd by request only; their request equals their limit.
  if (m[1] === 'limits' && !['cpu', 'memory', 'ephemeral-storage'].includes(resource)) return undefined;
  return { kind: m[1] as ResourceKind, resource };
}
