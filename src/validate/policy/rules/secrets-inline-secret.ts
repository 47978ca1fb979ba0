import { defineRule } from '../define-rule.js';
import { record } from '../helpers.js';

interface Options {
  /**
   * Accept a Secret whose values are all SOPS-encrypted (`ENC[…]`, with a top-level `sops` block), for a
   * fleet that decrypts with Flux's SOPS support. Off by default: this fleet's secrets live in Vault.
   */
  readonly allowSopsEncrypted: boolean;
}

/**
 * No credential is committed as a Secret: every site clones the whole repository, so a Secret's `data` or
 * `stringData` (base64 is an encoding, not encryption) is readable by every site and everyone with read
 * access, forever in Git history, and is never rotated with Vault. Each site reads its own secrets from
 * Vault under its own prefix instead.
 *
 * Decisions: a Secret with no values is fine whatever its type — that is how a
 * `kubernetes.io/service-account-token` Secret asks the token controller for a token, and how a placeholder
 * that an operator fills in on the site looks. A Secret that carries values fires whatever its type: TLS keys,
 * registry credentials (`dockerconfigjson`), basic-auth, SSH keys, bootstrap tokens and a pre-filled
 * service-account token are all credentials.
 */
export default defineRule<Options>({
  id: 'secrets-inline-secret',
  meta: {
    category: 'secrets',
    severity: 'error',
    description: 'No Secret carries data or stringData: a value committed to the fleet repository is readable by every site that clones it and is never rotated with Vault.',
    remediation: 'Store the value in Vault under the site\'s prefix and inject it with Vault Agent annotations on the pod template (list it under the app\'s secrets in app.yaml); delete the Secret from Git and rotate the leaked value.',
    kinds: ['Secret'],
  },
  options: { allowSopsEncrypted: false },
  create(context) {
    return {
      Secret(obj) {
        const type = typeof obj.object.type === 'string' ? obj.object.type : 'Opaque';
        for (const field of ['data', 'stringData'] as const) {
          const values = record(obj.object[field]);
          const keys = Object.keys(values);
          if (keys.length === 0) continue;
          if (context.options.allowSopsEncrypted && isSopsEncrypted(obj.object, values)) continue;
          const shown = keys.slice(0, 5).join(', ') + (keys.length > 5 ? `, … (${keys.length} keys)` : '');
          context.report({
            object: obj,
            path: [field],
            key: true,
            message: `Secret "${obj.ref.name}" (type ${type}) commits ${keys.length === 1 ? 'a value' : `${keys.length} values`} in ${field} (${shown}): anything in the fleet repository is readable by every site that clones it`,
          });
        }
      },
    };
  },
});

function isSopsEncrypted(object: Record<string, unknown>, values: Record<string, unknown>): boolean {
  if (Object.keys(record(object.sops)).length === 0) return false;
  return Object.values(values).every((v) => typeof v === 'string' && v.startsWith('ENC['));
}
