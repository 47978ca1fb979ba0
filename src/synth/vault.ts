import type { AppPlan, SecretPlan, SitePlan, WorkloadPlan } from '../model/plan.js';
import { formatBytesMi, formatMillicores } from '../util/quantity.js';

const A = 'vault.hashicorp.com';

/**
 * Vault Agent Injector annotations for a workload's pod template. Site-specific parts (auth path,
 * secret prefix) are postBuild variables, so the text is the same on every site.
 * See the vault-k8s annotation reference: agent-inject, role, auth-path, agent-inject-secret-<file>,
 * agent-inject-template-<file>, agent-pre-populate-only, agent-{requests,limits}-{cpu,mem,ephemeral}.
 */
export function vaultAnnotations(site: SitePlan, app: AppPlan, w: WorkloadPlan): Record<string, string> {
  if (w.secrets.length === 0) return {};
  const { requests, limits } = site.vault.agent;
  const out: Record<string, string> = {
    [`${A}/agent-inject`]: 'true',
    // The role lives in the site's own auth mount, so "<app>" there can never be another site's role.
    [`${A}/role`]: app.name,
    [`${A}/auth-path`]: '${VAULT_AUTH_PATH}',
    [`${A}/agent-requests-cpu`]: formatMillicores(requests.cpu),
    [`${A}/agent-requests-mem`]: formatBytesMi(requests.memory),
    [`${A}/agent-limits-cpu`]: formatMillicores(limits.cpu),
    [`${A}/agent-limits-mem`]: formatBytesMi(limits.memory),
  };
  if (app.limitRange.ephemeral) {
    out[`${A}/agent-requests-ephemeral`] = formatBytesMi(requests['ephemeral-storage']);
    out[`${A}/agent-limits-ephemeral`] = formatBytesMi(limits['ephemeral-storage']);
  }
  // A Job must finish: render secrets once in an init container, no sidecar that would keep it alive.
  if (w.kind === 'Job') out[`${A}/agent-pre-populate-only`] = 'true';
  for (const s of w.secrets) {
    out[`${A}/agent-inject-secret-${s.file}`] = secretPath(app, s);
    out[`${A}/agent-inject-template-${s.file}`] = template(app, s);
  }
  return out;
}

/** KV v2 read path under the site's own prefix. */
export function secretPath(app: AppPlan, s: SecretPlan): string {
  return '${VAULT_KV_MOUNT}/data/${VAULT_PREFIX}/' + `${app.name}/${s.name}`;
}

function template(app: AppPlan, s: SecretPlan): string {
  const body =
    s.format === 'env'
      ? s.keys.map((k) => `${k}={{ .Data.data.${k} }}`).join('\n')
      : s.format === 'json'
        ? `{ ${s.keys.map((k) => `"${k}": {{ .Data.data.${k} | toJSON }}`).join(', ')} }`
        : s.keys.map((k) => `{{ .Data.data.${k} }}`).join('\n');
  return `{{- with secret "${secretPath(app, s)}" -}}\n${body}\n{{- end }}\n`;
}
