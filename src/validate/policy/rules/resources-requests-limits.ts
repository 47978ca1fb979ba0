import { describe } from '../../../util/quantity.js';
import { defineRule } from '../define-rule.js';
import { namespaceOf, POD_KINDS } from '../helpers.js';
import { containerLabel, isAgentDuplicate, podContainers, siteResources } from '../pod-resources.js';
import { AGENT_INJECT, AGENT_RESOURCE_ANNOTATIONS } from '../vault.js';

const COMPUTE: readonly string[] = ['cpu', 'memory', 'ephemeral-storage'];
const RESOURCE_WORDS: Record<string, string> = { cpu: 'CPU', memory: 'memory', 'ephemeral-storage': 'ephemeral-storage' };

function list(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * Every container sets CPU and memory requests and limits, or its namespace's LimitRange supplies them:
 * a pod without a request is scheduled as if it needed nothing, one without a limit can take the whole node.
 */
export default defineRule({
  id: 'resources-requests-limits',
  meta: {
    category: 'resources',
    severity: 'error',
    description:
      'Every container, init containers and the injected Vault Agent included, has CPU and memory requests and limits (set, or defaulted by a LimitRange in its namespace), with requests not above limits: on a small edge node one unbounded pod starves the others and there is nowhere to reschedule them.',
    remediation:
      'Set resources.requests and resources.limits on the container (for the Vault Agent, the vault.hashicorp.com/agent-requests-* and agent-limits-* annotations), or give its namespace a LimitRange with default and defaultRequest.',
    kinds: POD_KINDS,
  },
  options: { resources: ['cpu', 'memory'] },
  create(context) {
    const site = siteResources(context.objects);
    return {
      '*'(obj) {
        const cs = podContainers(obj, site);
        if (!cs) return;
        const ns = namespaceOf(obj);
        const hasLimitRange = site.limitRanges.has(ns);
        for (const c of cs) {
          if (isAgentDuplicate(c, cs)) continue;
          for (const kind of ['requests', 'limits'] as const) {
            // Annotations are not schema-checked: a bad quantity there is ours to report.
            for (const [r, a] of c.injected ? c[kind] : []) {
              if (a.origin !== 'set' || a.value !== undefined) continue;
              const key = AGENT_RESOURCE_ANNOTATIONS[kind][r] ?? AGENT_INJECT;
              context.report({
                object: obj,
                path: c.field(kind, r),
                message: `${key} is not a quantity: the injector cannot build the Vault Agent, so the pod is rejected (or starts without its secrets if the webhook fails open)`,
              });
            }
            const missing = context.options.resources.filter((r) => !c[kind].has(r));
            if (missing.length === 0) continue;
            const first = missing[0] as string;
            const why = hasLimitRange ? `the LimitRange of namespace "${ns}" has no default for ${missing.length > 1 ? 'them' : 'it'}` : `namespace "${ns}" has no LimitRange to default ${missing.length > 1 ? 'them' : 'it'}`;
            const agentHint = c.injected ? ` (an empty ${AGENT_RESOURCE_ANNOTATIONS[kind][first] ?? 'annotation'} unsets the injector's default)` : '';
            context.report({
              object: obj,
              path: c.field(kind, first),
              message: `${containerLabel(c)} has no ${list(missing.map((r) => RESOURCE_WORDS[r] ?? r))} ${kind === 'requests' ? 'request' : 'limit'}${agentHint}, and ${why}`,
            });
          }
          for (const [r, req] of c.requests) {
            if (!COMPUTE.includes(r)) continue; // extended resources (GPUs): placement-gpu
            const lim = c.limits.get(r)?.value;
            if (req.value === undefined || lim === undefined || req.value <= lim) continue;
            const limOrigin = c.limits.get(r)?.origin;
            const by = limOrigin === 'limit-range' ? ` (the LimitRange default of namespace "${ns}")` : limOrigin === 'injector-default' ? ' (the injector default)' : '';
            context.report({
              object: obj,
              path: c.field('requests', r),
              message: `${containerLabel(c)} requests ${describe(r, req.value)} ${RESOURCE_WORDS[r] ?? r}, more than its limit ${describe(r, lim)}${by}: the API server rejects the pod`,
            });
          }
        }
      },
    };
  },
});
