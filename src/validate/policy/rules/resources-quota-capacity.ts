import { describe, type Nanos } from '../../../util/quantity.js';
import { defineRule } from '../define-rule.js';
import { namespaceOf, quantity } from '../helpers.js';
import { podCount } from '../pod-count.js';
import { podAmount, podContainers, siteResources } from '../pod-resources.js';
import { isScoped, quotaHard } from '../quota.js';
import type { PolicyObject } from '../types.js';

const RESOURCES = ['cpu', 'memory'] as const;

/**
 * The namespaces' quotas are promises of capacity; together they must not promise more than the site
 * has. Otherwise every quota admits its pods and the scheduler leaves some Pending, on a site with no
 * other node to move them to.
 */
export default defineRule({
  id: 'resources-quota-capacity',
  meta: {
    category: 'resources',
    severity: 'error',
    description:
      "The ResourceQuotas of a site, with requests.cpu and requests.memory summed over its namespaces (plus what workloads in namespaces without a quota request), promise no more than the site's allocatable capacity: an edge site has no spare node, so over-promised pods stay Pending.",
    remediation:
      'Lower the quotas (synth sizes them from the apps of the site: remove an app, lower its requests or replicas) or give the site more hardware in its inventory file.',
    kinds: ['ResourceQuota'],
  },
  // Add-ons run in namespaces without a quota but take their share of the same nodes.
  options: { countUnquotaedWorkloads: true },
  create(context) {
    return {
      onSiteEnd() {
        const quotas = context.objects.filter((o) => o.ref.kind === 'ResourceQuota' && !isScoped(o));
        if (quotas.length === 0) return;
        const site = siteResources(context.objects);
        for (const r of RESOURCES) {
          // A namespace with several quotas is held to the smallest; a namespace with none, to what its pods request.
          const caps = new Map<string, { quota: PolicyObject; key: string; value: Nanos }>();
          for (const q of quotas) {
            const hard = quotaHard(q);
            const key = `requests.${r}` in hard ? `requests.${r}` : r in hard ? r : undefined;
            const value = key ? quantity(hard[key]) : undefined;
            if (!key || value === undefined) continue;
            const ns = namespaceOf(q);
            const known = caps.get(ns);
            if (!known || value < known.value) caps.set(ns, { quota: q, key, value });
          }
          if (caps.size === 0) continue;
          let unquotaed = 0n;
          const uncapped = new Set<string>();
          if (context.options.countUnquotaedWorkloads) {
            for (const obj of context.objects) {
              const ns = namespaceOf(obj);
              if (caps.has(ns)) continue;
              const count = podCount(obj, context.site);
              const cs = count && podContainers(obj, site);
              if (!count || !cs) continue;
              const each = podAmount(cs, 'requests', r);
              if (each === 0n) continue;
              unquotaed += each * BigInt(count.pods);
              uncapped.add(ns);
            }
          }
          const promised = [...caps.values()].reduce((s, c) => s + c.value, 0n);
          const allocatable = context.site.capacity.allocatable[r];
          if (promised + unquotaed <= allocatable) continue;
          const largest = [...caps.values()].reduce((a, b) => (b.value > a.value ? b : a));
          const shares = [...caps.entries()]
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([ns, c]) => `${ns} ${describe(r, c.value)}`)
            .join(', ');
          const others = unquotaed > 0n ? ` plus ${describe(r, unquotaed)} requested in namespaces without a quota (${[...uncapped].sort().join(', ')})` : '';
          context.report({
            object: largest.quota,
            path: ['spec', 'hard', largest.key],
            message: `the ResourceQuotas of site ${context.site.name} promise ${describe(r, promised)} requests.${r} (${shares})${others}, more than its ${describe(r, allocatable)} allocatable: some admitted pods can never be scheduled`,
          });
        }
      },
    };
  },
});
