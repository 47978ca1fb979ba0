import type { PathSegment } from '../../../util/yaml-source.js';
import { defineRule } from '../define-rule.js';
import { get, POD_KINDS, podTemplate, record } from '../helpers.js';

const ARCH_LABELS = ['kubernetes.io/arch', 'beta.kubernetes.io/arch'];

/** Whether a required node-affinity expression on the arch label lets a node of `arch` in. */
function admits(expr: Record<string, unknown>, arch: string): boolean {
  const values = Array.isArray(expr.values) ? expr.values.map(String) : [];
  switch (expr.operator) {
    case 'In':
      return values.includes(arch);
    case 'NotIn':
      return !values.includes(arch);
    case 'Exists':
      return true;
    default:
      return false; // DoesNotExist, Gt, Lt: no node carries an arch label that matches
  }
}

/**
 * A pod pinned to an architecture the site does not have stays Pending forever. The site's arch is
 * one value in its inventory: every node of a site has it.
 *
 * A workload without any arch constraint still runs on a single-arch site, so its absence is only a
 * warning, and by default only for catalogue apps: synth always pins them (their images are built for
 * the app's `architectures`), so a missing selector means a patch or a base edit dropped it, and a node
 * of another arch joining the site would get a pod whose image cannot run there. Add-ons are left
 * alone by default: they ship multi-arch images and a DaemonSet must reach every node.
 */
export default defineRule({
  id: 'placement-arch',
  meta: {
    category: 'placement',
    severity: 'error',
    description:
      "A workload's kubernetes.io/arch node selector (or required node affinity) admits the site's architecture, and catalogue apps carry one: a pod pinned to an architecture the site lacks stays Pending, one without a pin can land on a node its image cannot run on.",
    remediation: 'Select kubernetes.io/arch: ${ARCH} in the pod template (synth patches it in for catalogue apps, with ARCH from the site inventory).',
    kinds: POD_KINDS,
  },
  // Which workloads must carry an arch constraint at all: "apps" (catalogue apps), "all", or "none".
  options: { requireSelector: 'apps' },
  create(context) {
    const arch = context.site.arch;
    return {
      '*'(obj) {
        const t = podTemplate(obj);
        if (!t) return;
        const specPath: PathSegment[] = [...t.path, 'spec'];
        const selector = record(t.spec.nodeSelector);
        let constrained = false;
        for (const label of ARCH_LABELS) {
          if (selector[label] === undefined) continue;
          constrained = true;
          if (String(selector[label]) !== arch) {
            context.report({
              object: obj,
              path: [...specPath, 'nodeSelector', label],
              message: `nodeSelector ${label}: ${String(selector[label])} does not match site ${context.site.name} (${arch}): the pod stays Pending`,
            });
          }
        }
        const termsPath: PathSegment[] = ['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms'];
        const terms = get(t.spec, termsPath);
        if (Array.isArray(terms) && terms.length > 0) {
          // Terms are ORed: the pod can run if one term lets the site's arch in.
          const archExprs = terms.map((term) => (Array.isArray(record(term).matchExpressions) ? (record(term).matchExpressions as unknown[]) : []).map(record).filter((e) => ARCH_LABELS.includes(String(e.key))));
          if (archExprs.some((e) => e.length > 0)) {
            constrained = true;
            if (!archExprs.some((exprs) => exprs.every((e) => admits(e, arch)))) {
              context.report({
                object: obj,
                path: [...specPath, ...termsPath],
                message: `required node affinity on kubernetes.io/arch excludes ${arch}, the architecture of site ${context.site.name}: the pod stays Pending`,
              });
            }
          }
        }
        const mode = context.options.requireSelector;
        if (constrained || mode === 'none' || (mode === 'apps' && !obj.app)) return;
        context.report({
          object: obj,
          path: [...specPath, 'nodeSelector'],
          severity: 'warning',
          message: `${obj.ref.kind} ${obj.ref.name} does not select kubernetes.io/arch: ${arch}: a node of another architecture joining site ${context.site.name} would get pods that cannot run there`,
        });
      },
    };
  },
});
