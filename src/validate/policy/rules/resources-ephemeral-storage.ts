import { describe, parseQuantity } from '../../../util/quantity.js';
import { defineRule } from '../define-rule.js';
import { namespaceOf, POD_KINDS } from '../helpers.js';
import { containerLabel, isAgentDuplicate, podContainers, siteResources } from '../pod-resources.js';

/**
 * On a small disk, one container writing logs or scratch files without an ephemeral-storage limit
 * fills the node's filesystem: the kubelet then evicts pods at random (the site's own apps among them)
 * and image pulls fail until someone visits the site. With a limit, the kubelet evicts only the
 * offender. The threshold is per node because each node's kubelet evicts on its own disk.
 */
export default defineRule({
  id: 'resources-ephemeral-storage',
  meta: {
    category: 'resources',
    severity: 'error',
    description:
      'On sites whose nodes have little disk (allocatable disk per node below the smallDiskBelow option), every container, the injected Vault Agent included, has an ephemeral-storage limit below that disk, set or defaulted by a LimitRange: otherwise one container filling the disk gets every pod of the node evicted.',
    remediation:
      'Set resources.limits.ephemeral-storage on the container (vault.hashicorp.com/agent-limits-ephemeral for the Vault Agent), or give its namespace a LimitRange default for ephemeral-storage (fleet.yaml spec.limitRange.default).',
    kinds: POD_KINDS,
  },
  options: { smallDiskBelow: '64Gi' },
  create(context) {
    const threshold = parseQuantity(context.options.smallDiskBelow);
    const disk = context.site.capacity.perNode['ephemeral-storage'];
    if (threshold === undefined) throw new Error(`resources-ephemeral-storage: smallDiskBelow "${context.options.smallDiskBelow}" is not a quantity`);
    if (disk >= threshold) return {};
    const site = siteResources(context.objects);
    const diskText = `${describe('ephemeral-storage', disk)} of disk per node`;
    return {
      '*'(obj) {
        const cs = podContainers(obj, site) ?? [];
        for (const c of cs) {
          if (isAgentDuplicate(c, cs)) continue;
          const limit = c.limits.get('ephemeral-storage');
          if (!limit) {
            context.report({
              object: obj,
              path: c.field('limits', 'ephemeral-storage'),
              message: `${containerLabel(c)} has no ephemeral-storage limit and namespace "${namespaceOf(obj)}" has no LimitRange default for it; site ${context.site.name} has ${diskText}, which one container can fill`,
            });
          } else if (limit.value !== undefined && limit.value >= disk) {
            const by = limit.origin === 'limit-range' ? ` (LimitRange default of namespace "${namespaceOf(obj)}")` : '';
            context.report({
              object: obj,
              path: c.field('limits', 'ephemeral-storage'),
              message: `${containerLabel(c)} has an ephemeral-storage limit of ${describe('ephemeral-storage', limit.value)}${by}, not below the ${diskText} of site ${context.site.name}: the node runs out of disk before the limit evicts it`,
            });
          }
        }
      },
    };
  },
});
