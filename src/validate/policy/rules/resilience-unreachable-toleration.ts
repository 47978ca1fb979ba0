import type { PathSegment } from '../../../util/yaml-source.js';
import { defineRule } from '../define-rule.js';
import { OFFLINE_LINKS, onFlakyLink, type FlakyLinkOptions } from '../defaults.js';
import { podTemplate, record } from '../helpers.js';

const TAINT = 'node.kubernetes.io/unreachable';
/** What the DefaultTolerationSeconds admission plugin gives a pod that tolerates the taint itself in no way. */
const DEFAULT_SECONDS = 300;

interface Options extends FlakyLinkOptions {
  /** Seconds a pod must tolerate an unreachable node before it is evicted. */
  readonly minTolerationSeconds: number;
}

/**
 * On a multi-node site with an intermittent (or scheduled) link, pods ride out a node's short absence instead
 * of being evicted after the default 300 s. On such sites nodes drop off for minutes (power, a flaky switch, the
 * radio link between buildings), and the replacement pod scheduled elsewhere may not start while the WAN is
 * down — it may need to pull its image, log in to Vault, or attach a node-local volume still bound to the
 * absent node — while the original pod, still running, is killed when its node returns. Eviction then only
 * turns a short blip into an outage. DaemonSets are exempt (their pods tolerate the taint forever), and a
 * single-node site never taints itself unreachable (the node runs the control plane), so it is not judged.
 *
 * The effective toleration is the one Kubernetes' taint manager uses: among the tolerations that match the
 * taint (`key` equal or empty with `operator: Exists`, `effect` NoExecute or empty), the smallest
 * `tolerationSeconds`; none set means forever. No matching toleration means the 300 s default.
 */
export default defineRule<Options>({
  id: 'resilience-unreachable-toleration',
  meta: {
    category: 'resilience',
    severity: 'error',
    description: 'On multi-node sites with an intermittent or scheduled link, pods tolerate an unreachable node for longer than the 300 s default, since a replacement elsewhere may not start while the link is down.',
    remediation: 'Add a toleration `{ key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: <at least the minimum> }` to the pod template (synth can render it for multi-node intermittent sites).',
    kinds: ['Pod', 'Deployment', 'StatefulSet', 'ReplicaSet', 'Job', 'CronJob'],
  },
  options: { minTolerationSeconds: 3600, links: OFFLINE_LINKS },
  create(context) {
    const { site, options } = context;
    if (site.nodes <= 1 || !onFlakyLink(context)) return {};
    return {
      '*'(obj) {
        if (obj.ref.kind === 'DaemonSet') return;
        const t = podTemplate(obj);
        if (!t) return;
        const sp: PathSegment[] = [...t.path, 'spec'];
        const tolerations = Array.isArray(t.spec.tolerations) ? (t.spec.tolerations as unknown[]).map(record) : [];
        let min: { seconds: number; index: number } | undefined;
        let matched = false;
        tolerations.forEach((tol, index) => {
          if (!matches(tol)) return;
          matched = true;
          const s = tol.tolerationSeconds;
          if (typeof s === 'number' && (!min || s < min.seconds)) min = { seconds: Math.max(0, s), index };
        });
        const seconds = !matched ? DEFAULT_SECONDS : min ? min.seconds : Infinity;
        if (seconds >= options.minTolerationSeconds) return;
        const path: PathSegment[] = min ? [...sp, 'tolerations', min.index, 'tolerationSeconds'] : [...sp, 'tolerations'];
        context.report({
          object: obj,
          path,
          message: `pods tolerate ${TAINT} for ${seconds} s${matched ? '' : ' (the default)'}: on a ${site.nodes}-node site with the "${site.networkProfile}" network profile, a node out of reach for ${formatSeconds(seconds)} has its pods evicted, and their replacements may not start while the link is down (tolerate at least ${options.minTolerationSeconds} s)`,
        });
      },
    };
  },
});

function matches(tol: Record<string, unknown>): boolean {
  const operator = tol.operator ?? 'Equal';
  const keyOk = tol.key === TAINT || ((tol.key === undefined || tol.key === '') && operator === 'Exists');
  const effectOk = tol.effect === undefined || tol.effect === '' || tol.effect === 'NoExecute';
  const valueOk = operator === 'Exists' || tol.value === undefined || tol.value === '';
  return keyOk && effectOk && valueOk;
}

function formatSeconds(s: number): string {
  return s % 60 === 0 && s > 0 ? `${s / 60} min` : `${s} s`;
}
