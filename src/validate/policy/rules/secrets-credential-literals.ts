import { CREDENTIAL_DEFAULTS, credentialJudge, credentialSites, type CredentialOptions } from '../credential-sites.js';
import { defineRule } from '../define-rule.js';
import { WORKLOAD_KINDS } from '../helpers.js';

type Options = CredentialOptions;

/**
 * Credentials written as literals where Kubernetes stores them in clear: container env values, args,
 * ConfigMap values (`data`, and `binaryData` that decodes to text), annotations of any object and HelmRelease
 * `spec.values` (nested keys). A multi-line value, a config file, is read line by line as `key = value`,
 * `key: value`, `KEY=value` or `key value` pairs. Where to look and how to judge live in credential-sites.ts,
 * shared with the plan's redaction. Three signals:
 * - a key named like a credential (whole words of the name: `DB_PASSWORD`, `DB_PASS`, `ADMIN_PW`, `dbPassword`,
 *   `api-key`, or a word ending in one: `ADMINPASSWD`; not `TOKENIZER`, `PASSWORD_MIN_LENGTH` or
 *   `existingSecret`) whose value is a literal — not a `${…}`/`$(…)`/`$VAR` reference, a Vector `SECRET[…]`, a
 *   template, a file path (`TOKEN_FILE: /vault/secrets/x`), a URL, a boolean, a short number, a quantity or a
 *   duration (a number of four digits or more is a literal: a PIN);
 * - a token that looks random: at least `entropyMinLength` characters, mixing lower case, upper case and digits
 *   like random base64 does (not camelCase words), and Shannon entropy of at least `entropyThreshold` bits per
 *   character. Hex strings and UUIDs (digests, commit ids, object ids) are not judged: too many are not secrets;
 * - a URL with a password in its userinfo (`https://user:pass@host`; a user name alone is no secret), and a PEM
 *   private key.
 * `k=v` pairs inside a value (a connection string, a query string `?token=…`, JVM options) are judged by name too.
 */
export default defineRule<Options>({
  id: 'secrets-credential-literals',
  meta: {
    category: 'secrets',
    severity: 'error',
    description: 'No credential is written as a literal in env values, args, ConfigMaps, annotations or HelmRelease values: the repository reaches every site, and a literal is never rotated with Vault.',
    remediation: 'Move the value to Vault under the site\'s prefix and have Vault Agent render it to a file (point the app at the file, e.g. `TOKEN_FILE: /vault/secrets/token`); rotate the leaked value.',
    kinds: ['ConfigMap', 'HelmRelease', 'Pod', ...WORKLOAD_KINDS, '* (annotations)'],
  },
  options: CREDENTIAL_DEFAULTS,
  create(context) {
    const judge = credentialJudge(context.options);
    return {
      '*'(obj) {
        for (const site of credentialSites(obj)) {
          for (const problem of judge(site.key, site.value)) context.report({ object: obj, path: site.path, message: `${site.where}${problem.startsWith(':') || problem.startsWith(',') ? '' : ' '}${problem}` });
        }
      },
    };
  },
});
