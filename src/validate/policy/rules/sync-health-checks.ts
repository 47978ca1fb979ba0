import { defineRule } from '../define-rule.js';
import { isFluxKustomization, record } from '../helpers.js';
import type { PolicyObject } from '../types.js';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** `apps/v1` → `apps`; `v1` → `` (the core group), as Flux builds the object key from a health check. */
function group(apiVersion: string): string {
  return apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '';
}

/**
 * Without a health check Flux marks a Kustomization Ready as soon as the apply succeeds: a rollout
 * that crash-loops at a site without staff looks green in every dashboard. Flux looks a health check
 * up exactly (group, kind, namespace, name): it has no wildcards.
 */
export default defineRule({
  id: 'sync-health-checks',
  meta: {
    category: 'sync',
    severity: 'error',
    description:
      'Every Kustomization that deploys workloads (named app-*, or building a Deployment, StatefulSet or DaemonSet) sets wait: true or health-checks each of its workloads by exact name, so that a failed rollout at an unattended site shows as not Ready.',
    remediation:
      'List each Deployment, StatefulSet and DaemonSet the Kustomization builds in spec.healthChecks with apiVersion, kind, name and namespace (Flux takes no wildcards), or set spec.wait: true.',
    kinds: ['Kustomization'],
  },
  options: { appPrefix: 'app-' },
  create(context) {
    const built = new Map<string, PolicyObject[]>();
    for (const o of context.objects) {
      if (!o.kustomization || !WORKLOADS.has(o.ref.kind)) continue;
      built.set(o.kustomization, [...(built.get(o.kustomization) ?? []), o]);
    }
    return {
      Kustomization(obj) {
        if (!isFluxKustomization(obj)) return;
        const spec = record(obj.object.spec);
        const checks = (Array.isArray(spec.healthChecks) ? spec.healthChecks : []).map(record);
        checks.forEach((h, i) => {
          if (typeof h.name === 'string' && h.name.includes('*')) {
            context.report({
              object: obj,
              path: ['spec', 'healthChecks', i, 'name'],
              message: `health check name "${h.name}" is not a wildcard to Flux: it looks up an object named "${h.name}", never finds it, and ${obj.ref.name} never becomes Ready; name each workload or set wait: true`,
            });
          }
        });
        const workloads = built.get(obj.ref.name) ?? [];
        if (!obj.ref.name.startsWith(context.options.appPrefix) && workloads.length === 0) return;
        if (spec.wait === true) return;
        for (const w of workloads) {
          const ns = w.ref.namespace ?? '';
          const exact = checks.some((h) => h.kind === w.ref.kind && h.name === w.ref.name && (h.namespace ?? '') === ns && group(String(h.apiVersion ?? '')) === group(w.ref.apiVersion));
          if (exact) continue;
          const near = checks.find((h) => h.kind === w.ref.kind && h.name === w.ref.name);
          const hint = near
            ? ` (healthChecks names it with ${(near.namespace ?? '') !== ns ? `namespace "${String(near.namespace ?? '')}"` : `apiVersion "${String(near.apiVersion ?? '')}"`}, and Flux looks it up exactly: ${group(w.ref.apiVersion) || 'core'} group, namespace "${ns}")`
            : '';
          context.report({
            object: obj,
            path: ['spec', 'healthChecks'],
            message: `${w.ref.kind} ${ns ? `${ns}/` : ''}${w.ref.name} is neither health-checked nor waited for${hint}: ${obj.ref.name} turns Ready before its pods run, and a failed rollout goes unnoticed`,
          });
        }
      },
    };
  },
});
