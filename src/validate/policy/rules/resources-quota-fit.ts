import { describe, type Nanos } from '../../../util/quantity.js';
import { defineRule } from '../define-rule.js';
import { get, namespaceOf, POD_KINDS, quantity } from '../helpers.js';
import { podCount, type PodCount } from '../pod-count.js';
import { largestField, podAmount, podContainers, siteResources, type PodContainer, type SiteResources } from '../pod-resources.js';
import { isScoped, quotaHard, quotaKeyResource } from '../quota.js';
import type { PolicyObject } from '../types.js';

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
    kinds: ['ResourceQuota', ...POD_KINDS, 'PersistentVolumeClaim'],
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
            for (const [key, hardValue] of Object.entries(quotaHard(quota))) {
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
