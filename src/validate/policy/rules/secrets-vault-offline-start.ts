import { defineRule } from '../define-rule.js';
import { OFFLINE_LINKS, onFlakyLink, type FlakyLinkOptions } from '../defaults.js';
import { podTemplate, record, WORKLOAD_KINDS } from '../helpers.js';
import { AGENT_INJECT, AGENT_PRE_POPULATE } from '../vault.js';

/**
 * Vault Agent's init container (injected unless `agent-pre-populate: "false"`) must log in to Vault and render
 * every secret before the app starts. On a site whose link is down for hours, a pod recreated in that time — a
 * node reboot, an eviction, a rollout Flux applied from its last known state — waits in Init until the link
 * returns: the site loses the app exactly when it is on its own. A warning, not an error: the fleet may accept
 * the risk for an app that is useless offline anyway, with a waiver that says so.
 */
export default defineRule<FlakyLinkOptions>({
  id: 'secrets-vault-offline-start',
  meta: {
    category: 'secrets',
    severity: 'warning',
    description: 'On sites whose link is intermittent or scheduled, pods do not need Vault to start: a Vault Agent init container blocks a pod recreated while the link is down until it returns.',
    remediation: 'Keep the secrets on the site so that a new pod does not need Vault to start (e.g. a secrets operator syncing them into an in-cluster Secret; Vault Agent\'s persistent cache only survives container restarts, not a new pod), or set `vault.hashicorp.com/agent-pre-populate: "false"` if the app copes with secrets arriving once the link is up; otherwise accept the risk with a waiver that has a reason and an expiry.',
    kinds: ['Pod', ...WORKLOAD_KINDS],
  },
  options: { links: OFFLINE_LINKS },
  create(context) {
    const { site } = context;
    if (!onFlakyLink(context)) return {};
    return {
      '*'(obj) {
        const t = podTemplate(obj);
        if (!t) return;
        const annotations = record(t.metadata.annotations);
        if (annotations[AGENT_INJECT] !== 'true') return;
        if (annotations[AGENT_PRE_POPULATE] === 'false') return;
        context.report({
          object: obj,
          path: [...t.path, 'metadata', 'annotations', AGENT_INJECT],
          message: `Vault Agent renders this pod's secrets in an init container: on a site with the "${site.networkProfile}" network profile, a pod recreated while Vault is unreachable cannot start until the link is back`,
        });
      },
    };
  },
});
