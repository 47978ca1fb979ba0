import type { PathSegment } from '../../../util/yaml-source.js';
import { defineRule } from '../define-rule.js';
import { containers, envEntries, podTemplate, record, WORKLOAD_KINDS } from '../helpers.js';
import type { PolicyObject } from '../types.js';
import { AGENT_INJECT, AGENT_INJECT_SECRET_PREFIX, AGENT_INJECT_TEMPLATE_FILE_PREFIX, AGENT_INJECT_TEMPLATE_PREFIX, AUTH_PATH, ROLE, templatePaths, VAULT_PREFIX } from '../vault.js';

interface Options {
  /**
   * Roles a workload that belongs to no catalogue app (an add-on) may use. An app's workload must use the role
   * named after its app: the role lives in the site's own auth mount, and synth renders `<app>`.
   */
  readonly extraRoles: readonly string[];
}

/**
 * A site reads only its own secrets: every Vault path a pod asks for — `agent-inject-secret-*` values and the
 * `secret "…"` paths inside `agent-inject-template-*` — lies under `<kvMount>/data/<site prefix>/`; the pod
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

        for (const k of keys) {
          const value = annotations[k];
          if (typeof value !== 'string') continue;
          if (k.startsWith(AGENT_INJECT_SECRET_PREFIX)) {
            if (!underPrefix(value)) report(obj, at(k), `secret path "${value}" is outside the site's own prefix ${mine}: the site could read another site's secrets`);
          } else if (k.startsWith(AGENT_INJECT_TEMPLATE_PREFIX) && !k.startsWith(AGENT_INJECT_TEMPLATE_FILE_PREFIX)) {
            for (const p of templatePaths(value)) {
              if (p === undefined) report(obj, at(k), `the template reads a secret whose path it computes: it cannot be shown to stay under the site's own prefix ${mine}`);
              else if (!underPrefix(p)) report(obj, at(k), `the template reads secret "${p}", outside the site's own prefix ${mine}: the site could read another site's secrets`);
            }
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

/** Non-empty path segments. */
function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function normaliseAuth(path: string): string {
  return segments(path).join('/');
}
