import { defineRule } from '../define-rule.js';
import { get, podTemplate, record, WORKLOAD_KINDS } from '../helpers.js';
import { AGENT_INJECT, AGENT_INJECT_SECRET_PREFIX, VAULT_PREFIX } from '../vault.js';

/**
 * Vault Agent Injector annotations that take effect. The injector's webhook sees pods only, so annotations on a
 * Deployment's (or a CronJob's job template's) own metadata are silently ignored: the pod starts without its
 * secrets, or — with the webhook's failurePolicy Ignore — without anyone noticing. Likewise
 * `agent-inject-secret-*` without `agent-inject: "true"` injects nothing. (`agent-inject: "false"` is an
 * explicit opt-out and is respected.)
 */
export default defineRule({
  id: 'secrets-vault-annotations',
  meta: {
    category: 'secrets',
    severity: 'error',
    description: 'Vault Agent annotations sit on the pod template, where the injector reads them, and ask for injection: elsewhere they are ignored and the pod starts at the edge without its secrets.',
    remediation: 'Move `vault.hashicorp.com/*` annotations to spec.template.metadata.annotations (for a CronJob, spec.jobTemplate.spec.template.metadata.annotations) and set `vault.hashicorp.com/agent-inject: "true"` there.',
    kinds: WORKLOAD_KINDS,
  },
  options: {},
  create(context) {
    return {
      '*'(obj) {
        const t = podTemplate(obj);
        if (!t || obj.ref.kind === 'Pod') return;
        const misplaced: { path: string[]; where: string }[] = [{ path: ['metadata'], where: `the ${obj.ref.kind}'s own metadata` }];
        if (obj.ref.kind === 'CronJob') misplaced.push({ path: ['spec', 'jobTemplate', 'metadata'], where: 'the job template\'s metadata' });
        for (const m of misplaced) {
          const keys = Object.keys(record(get(obj.object, [...m.path, 'annotations']))).filter((k) => k.startsWith(VAULT_PREFIX));
          if (keys.length === 0) continue;
          context.report({
            object: obj,
            path: [...m.path, 'annotations', keys[0] ?? ''],
            key: true,
            message: `${keys.length === 1 ? `${keys[0]} is` : `${keys.length} vault.hashicorp.com annotations (${keys[0]}, …) are`} on ${m.where}, which the Vault injector never reads: the pod starts without its secrets`,
          });
        }
        const podAnnotations = record(t.metadata.annotations);
        const inject = podAnnotations[AGENT_INJECT];
        const secrets = Object.keys(podAnnotations).filter((k) => k.startsWith(AGENT_INJECT_SECRET_PREFIX));
        if (inject === undefined && secrets.length > 0) {
          context.report({
            object: obj,
            path: [...t.path, 'metadata', 'annotations', secrets[0] ?? ''],
            key: true,
            message: `${secrets[0]} without vault.hashicorp.com/agent-inject: "true": the injector skips the pod and the secret is never rendered`,
          });
        }
      },
    };
  },
});
