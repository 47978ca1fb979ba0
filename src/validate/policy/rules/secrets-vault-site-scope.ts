import { posix } from 'node:path';
import type { PathSegment } from '../../../util/yaml-source.js';
import { defineRule } from '../define-rule.js';
import { containers, envEntries, podTemplate, record, WORKLOAD_KINDS } from '../helpers.js';
import type { PolicyObject } from '../types.js';
import { AGENT_INJECT, AGENT_INJECT_SECRET_PREFIX, AGENT_INJECT_TEMPLATE_FILE_PREFIX, AGENT_INJECT_TEMPLATE_PREFIX, AUTH_PATH, ROLE, templateReads, VAULT_PREFIX, type TemplateRead } from '../vault.js';

interface Options {
  /**
   * Roles a workload that belongs to no catalogue app (an add-on) may use. An app's workload must use the role
   * named after its app: the role lives in the site's own auth mount, and synth renders `<app>`.
   */
  readonly extraRoles: readonly string[];
}

/**
 * A site reads only its own secrets: every Vault path a pod asks for — `agent-inject-secret-*` values, and the
 * `secret "…"` / `"…" | secret` reads of its templates: inline (`agent-inject-template-*`), template files
 * (`agent-inject-template-file-*`, found by file name in the ConfigMaps the pod mounts or names in
 * `agent-configmap`) and the agent configuration of `agent-configmap` — lies under
 * `<kvMount>/data/<site prefix>/`; a `pkiCert` read lies under `<site prefix>/` (the site's own PKI mount,
 * e.g. `edge/eu-west/lyon-pos-01/pki/issue/<role>`); the pod
 * authenticates through the site's own Kubernetes auth mount (`auth-path` is `auth/<site authMount>`, and the
 * injector's default, AGENT_INJECT_VAULT_AUTH_PATH, is the same); and the role is the app's own role in that
 * mount. A path the template computes (`secret (printf …)`) cannot be proven to stay under the prefix and fires
 * too. Paths are compared segment by segment after removing empty segments and the query; `.`/`..` segments
 * fire (Vault does not resolve them, and nothing should rely on that).
 */
export default defineRule<Options>({
  id: 'secrets-vault-site-scope',
  meta: {
    category: 'secrets',
    severity: 'error',
    description: 'Vault secret paths, auth path and role are the site\'s own, so that a compromised or misconfigured edge site can never read another site\'s secrets.',
    remediation: 'Use the postBuild variables synth provides: paths `${VAULT_KV_MOUNT}/data/${VAULT_PREFIX}/<app>/<secret>`, auth-path `${VAULT_AUTH_PATH}`, role `<app>` (or let synth render the annotations from app.yaml secrets).',
    kinds: ['Pod', ...WORKLOAD_KINDS],
  },
  options: { extraRoles: [] },
  create(context) {
    const { site, options } = context;
    const prefix = segments(`${site.vault.kvMount}/data/${site.vault.prefix}`);
    const authPath = `auth/${segments(site.vault.authMount).join('/')}`;
    const underPrefix = (path: string): boolean => {
      const s = segments(path.split('?')[0] ?? '');
      return s.length > prefix.length && prefix.every((p, i) => s[i] === p) && !s.includes('..') && !s.includes('.');
    };
    const report = (obj: PolicyObject, path: readonly PathSegment[], message: string): void => context.report({ object: obj, path, message });

    return {
      '*'(obj) {
        // The injector's default auth path, used by pods that set none.
        for (const c of containers(obj)) {
          for (const { entry, path } of envEntries(c)) {
            if (entry.name !== 'AGENT_INJECT_VAULT_AUTH_PATH' || typeof entry.value !== 'string') continue;
            if (normaliseAuth(entry.value) !== authPath) {
              report(obj, [...path, 'value'], `the Vault injector's default auth path is "${entry.value}", not the site's own "${authPath}"`);
            }
          }
        }

        const t = podTemplate(obj);
        if (!t) return;
        const annotations = record(t.metadata.annotations);
        const at = (k: string): PathSegment[] => [...t.path, 'metadata', 'annotations', k];
        const keys = Object.keys(annotations).filter((k) => k.startsWith(VAULT_PREFIX));
        if (keys.length === 0) return;
        const mine = `"${prefix.join('/')}/"`;

        const sitePrefix = segments(site.vault.prefix);
        const underSite = (path: string): boolean => {
          const s = segments(path.split('?')[0] ?? '');
          return s.length > sitePrefix.length && sitePrefix.every((p, i) => s[i] === p) && !s.includes('..') && !s.includes('.');
        };
        const judgeReads = (k: string, text: string, what: string): void => {
          for (const r of templateReads(text)) {
            const own = r.fn === 'pkiCert' ? `"${sitePrefix.join('/')}/"` : mine;
            if (r.path === undefined) report(obj, at(k), `${what} reads a ${readWhat(r)} whose path it computes: it cannot be shown to stay under the site's own prefix ${own}`);
            else if (!(r.fn === 'pkiCert' ? underSite(r.path) : underPrefix(r.path))) report(obj, at(k), `${what} reads ${readWhat(r)} "${r.path}", outside the site's own prefix ${own}: the site could read another site's secrets`);
          }
        };
        const namespace = obj.ref.namespace ?? 'default';
        const configMap = (name: string): PolicyObject | undefined =>
          context.objects.find((o) => o.ref.kind === 'ConfigMap' && o.ref.name === name && (o.ref.namespace ?? 'default') === namespace);
        const agentConfigMap = typeof annotations[AGENT_CONFIGMAP] === 'string' ? (annotations[AGENT_CONFIGMAP] as string) : undefined;
        const mounted = [
          ...(agentConfigMap ? [agentConfigMap] : []),
          ...(Array.isArray(t.spec.volumes) ? (t.spec.volumes as unknown[]) : []).map((v) => record(record(v).configMap).name).filter((n): n is string => typeof n === 'string'),
        ];

        for (const k of keys) {
          const value = annotations[k];
          if (typeof value !== 'string') continue;
          if (k.startsWith(AGENT_INJECT_SECRET_PREFIX)) {
            if (!underPrefix(value)) report(obj, at(k), `secret path "${value}" is outside the site's own prefix ${mine}: the site could read another site's secrets`);
          } else if (k.startsWith(AGENT_INJECT_TEMPLATE_FILE_PREFIX)) {
            // The file reaches the agent from a ConfigMap: judge every mounted ConfigMap key of that file name.
            const file = posix.basename(value);
            for (const name of new Set(mounted)) {
              const text = record(configMap(name)?.object.data)[file];
              if (typeof text === 'string') judgeReads(k, text, `template file "${value}" (ConfigMap "${name}" key "${file}")`);
            }
          } else if (k.startsWith(AGENT_INJECT_TEMPLATE_PREFIX)) {
            judgeReads(k, value, 'the template');
          } else if (k === AGENT_CONFIGMAP) {
            const cm = configMap(value);
            // The agent's whole configuration (config.hcl, templates) comes from it: HCL escapes the quotes of template actions.
            if (cm) for (const [key, text] of Object.entries(record(cm.object.data))) if (typeof text === 'string') judgeReads(k, text.replace(/\\"/g, '"'), `agent ConfigMap "${value}" key "${key}"`);
          } else if (k === AUTH_PATH) {
            if (normaliseAuth(value) !== authPath) report(obj, at(k), `auth-path "${value}" is not the site's own Kubernetes auth mount "${authPath}"`);
          }
        }

        if (annotations[AGENT_INJECT] !== 'true') return;
        const role = annotations[ROLE];
        if (typeof role !== 'string' || role.trim() === '') {
          report(obj, [...t.path, 'metadata', 'annotations'], 'Vault injection without vault.hashicorp.com/role: the agent cannot log in and the pod never starts');
          return;
        }
        const allowed = obj.app ? [obj.app] : [...site.apps.map((a) => a.name), ...options.extraRoles];
        if (!allowed.includes(role)) {
          const want = obj.app ? `the role of app "${obj.app}"` : `one of the site's roles (${allowed.join(', ') || 'none'})`;
          report(obj, at(ROLE), `role "${role}" is not ${want} in the site's auth mount`);
        }
      },
    };
  },
});

const AGENT_CONFIGMAP = `${VAULT_PREFIX}agent-configmap`;

function readWhat(r: TemplateRead): string {
  return r.fn === 'pkiCert' ? 'certificate' : 'secret';
}

/** Non-empty path segments. */
function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function normaliseAuth(path: string): string {
  return segments(path).join('/');
}
