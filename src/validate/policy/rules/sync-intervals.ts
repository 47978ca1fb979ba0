import { formatDuration, parseDuration } from '../../../util/duration.js';
import { defineRule } from '../define-rule.js';
import { record } from '../helpers.js';

/**
 * Flux's timing against the site's link: retries must come sooner than the next regular run, a
 * reconciliation must finish before the next one starts, and nothing may poll more often than the
 * site's network profile allows (a satellite link billed per MB cannot afford a 1m interval).
 */
export default defineRule({
  id: 'sync-intervals',
  meta: {
    category: 'sync',
    severity: 'error',
    description: 'Flux Kustomizations retry sooner than their interval, time out within it, and poll no more often than the site network profile allows.',
    remediation: 'Set interval, retryInterval and timeout from the site network profile in fleet.yaml (synth does) so that retryInterval < interval and timeout ≤ interval.',
    kinds: ['Kustomization'],
  },
  options: {},
  create(context) {
    const profile = context.site.sync;
    const profileInterval = parseDuration(profile.interval) ?? 0;
    return {
      Kustomization(obj) {
        if (obj.ref.apiVersion !== 'kustomize.toolkit.fluxcd.io/v1') return;
        const spec = record(obj.object.spec);
        const interval = typeof spec.interval === 'string' ? parseDuration(spec.interval) : undefined;
        if (interval === undefined) return; // the schema reports a missing or malformed interval
        const retry = typeof spec.retryInterval === 'string' ? parseDuration(spec.retryInterval) : interval;
        const timeout = typeof spec.timeout === 'string' ? parseDuration(spec.timeout) : interval;
        if (retry !== undefined && retry >= interval) {
          context.report({ object: obj, path: ['spec', 'retryInterval'], message: `retryInterval ${spec.retryInterval} is not shorter than interval ${spec.interval}: a failed reconciliation waits as long as a successful one` });
        }
        if (timeout !== undefined && timeout > interval) {
          context.report({ object: obj, path: ['spec', 'timeout'], message: `timeout ${spec.timeout} exceeds interval ${spec.interval}: reconciliations overlap` });
        }
        if (interval < profileInterval) {
          context.report({ object: obj, path: ['spec', 'interval'], message: `interval ${spec.interval} polls more often than the site's "${context.site.networkProfile}" profile allows (${formatDuration(profileInterval)})` });
        }
      },
    };
  },
});
