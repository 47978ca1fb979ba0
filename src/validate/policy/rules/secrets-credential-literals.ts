import type { PathSegment } from '../../../util/yaml-source.js';
import { keyWords, lineKeyValue, notALiteral, randomToken, redact, redactUrl, unquote, urlPassword } from '../credentials.js';
import { defineRule } from '../define-rule.js';
import { argLists, configMapStrings, containers, envEntries, WORKLOAD_KINDS } from '../helpers.js';
import type { PolicyObject, RuleContext } from '../types.js';

interface Options {
  /** Words (or `_`-joined word sequences) that make a key name a credential's, matched on whole words of the name. */
  readonly credentialWords: readonly string[];
  /** A word after the credential word that makes the key a reference to a credential, not the credential (`TOKEN_FILE`). */
  readonly referenceWords: readonly string[];
  /** Shannon entropy, in bits per character, from which a token counts as random (a key, a token, a password). */
  readonly entropyThreshold: number;
  /** Tokens shorter than this are never judged by entropy. */
  readonly entropyMinLength: number;
  /** Key names (exact, case-insensitive) never judged by name, e.g. a false positive of your own. */
  readonly ignoreKeys: readonly string[];
}

const DEFAULTS: Options = {
  credentialWords: [
    'password', 'passwd', 'pwd', 'passphrase', 'secret', 'secrets', 'token', 'tokens', 'apikey', 'api_key', 'access_key',
    'private_key', 'privatekey', 'credential', 'credentials', 'creds', 'signing_key', 'encryption_key', 'master_key', 'session_key',
  ],
  referenceWords: [
    'file', 'files', 'path', 'paths', 'dir', 'directory', 'filename', 'location', 'ref', 'reference', 'name', 'id', 'url', 'uri',
    'endpoint', 'host', 'hostname', 'addr', 'address', 'port', 'type', 'mode', 'strategy', 'length', 'len', 'size', 'ttl', 'timeout',
    'expiry', 'expires', 'expiration', 'lifetime', 'duration', 'interval', 'period', 'seconds', 'secs', 'minutes', 'hours', 'days',
    'header', 'field', 'env', 'var', 'variable', 'enabled', 'enable', 'disabled', 'required', 'policy', 'format', 'version', 'count',
    'min', 'max', 'rotation', 'source', 'provider', 'store', 'mount', 'engine', 'backend', 'audience', 'issuer', 'scope', 'scopes',
    'algorithm', 'alg', 'prefix', 'suffix', 'kind', 'class', 'method', 'user', 'username', 'verify', 'validation',
  ],
  entropyThreshold: 4.0,
  entropyMinLength: 20,
  ignoreKeys: [],
};

/**
 * Credentials written as literals where Kubernetes stores them in clear: container env values, args, and
 * ConfigMap values (a multi-line value, a config file, is read line by line as `key = value`, `key: value`,
 * `KEY=value` or `key value` pairs). Three signals:
 * - a key named like a credential (whole words of the name: `DB_PASSWORD`, `dbPassword`, `api-key`; not
 *   `TOKENIZER` or `PASSWORD_MIN_LENGTH`) whose value is a literal — not a `${…}`/`$(…)` reference, a Vector
 *   `SECRET[…]`, a template, a file path (`TOKEN_FILE: /vault/secrets/x`), a URL, a boolean, a number, a
 *   quantity or a duration;
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
    description: 'No credential is written as a literal in env values, args or ConfigMaps: the repository reaches every site, and a literal is never rotated with Vault.',
    remediation: 'Move the value to Vault under the site\'s prefix and have Vault Agent render it to a file (point the app at the file, e.g. `TOKEN_FILE: /vault/secrets/token`); rotate the leaked value.',
    kinds: ['ConfigMap', 'Pod', ...WORKLOAD_KINDS],
  },
  options: DEFAULTS,
  create(context) {
    const check = checker(context);
    return {
      '*'(obj) {
        if (obj.ref.kind === 'ConfigMap') {
          for (const [key, value] of configMapStrings(obj)) check(obj, ['data', key], `ConfigMap key "${key}"`, key, value);
          return;
        }
        for (const c of containers(obj)) {
          const name = String(c.container.name ?? '?');
          for (const { entry, path } of envEntries(c)) {
            if (typeof entry.value === 'string' && typeof entry.name === 'string') {
              check(obj, [...path, 'value'], `env ${entry.name} of container "${name}"`, entry.name, entry.value);
            }
          }
          for (const { field, args: list, path } of argLists(c)) {
            list.forEach((arg, i) => {
              if (typeof arg !== 'string') return;
              const flag = /^--?([A-Za-z][\w.-]*)=(.*)$/s.exec(arg);
              const next = list[i + 1];
              const bare = /^--?([A-Za-z][\w.-]*)$/.exec(arg);
              const where = (j: number): string => `${field}[${j}] of container "${name}"`;
              if (flag) check(obj, [...path, i], where(i), flag[1] ?? '', flag[2] ?? '');
              else if (bare && typeof next === 'string' && !next.startsWith('-')) check(obj, [...path, i + 1], where(i + 1), bare[1] ?? '', next);
              else if (!bare && !(i > 0 && /^--?[A-Za-z][\w.-]*$/.test(String(list[i - 1])))) check(obj, [...path, i], where(i), '', arg);
            });
          }
        }
      },
    };
  },
});

type Check = (obj: PolicyObject, path: readonly PathSegment[], where: string, key: string, value: string) => void;

function checker(context: RuleContext<Options>): Check {
  const { options } = context;
  const terms = options.credentialWords.map((w) => w.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean));
  const refs = new Set(options.referenceWords.map((w) => w.toLowerCase()));
  const ignored = new Set(options.ignoreKeys.map((k) => k.toLowerCase()));

  /** The credential word a key name holds, unless a reference word follows it. */
  const credentialWord = (key: string): string | undefined => {
    if (!key || ignored.has(key.toLowerCase())) return undefined;
    const words = keyWords(key);
    let found: { word: string; end: number } | undefined;
    for (const term of terms) {
      for (let i = 0; i + term.length <= words.length; i++) {
        if (term.every((t, j) => words[i + j] === t) && (!found || i + term.length > found.end)) found = { word: term.join('_'), end: i + term.length };
      }
    }
    if (!found) return undefined;
    return words.slice(found.end).some((w) => refs.has(w)) ? undefined : found.word;
  };

  /** One `key`/`value` pair: the first signal that fires is reported. */
  const pair = (key: string, raw: string): string | undefined => {
    const value = unquote(raw.trim());
    const userinfo = urlPassword(value);
    if (userinfo) return `URL with a password in it (${redactUrl(userinfo)})`;
    const word = credentialWord(key);
    if (word && !notALiteral(value)) return `"${key}" is named like a credential (${word}) and holds a literal (${redact(value)})`;
    // `k=v` pairs inside the value: a connection string, a query string, JVM options.
    for (const m of value.matchAll(/(?:^|[\s;,&?])([A-Za-z_][\w.-]*)=("[^"]*"|'[^']*'|[^\s;,&"']+)/g)) {
      const inner = credentialWord(m[1] ?? '');
      const v = unquote(m[2] ?? '');
      if (inner && !notALiteral(v)) return `${key ? `"${key}" holds ` : ''}"${m[1]}" set to a literal (${redact(v)})`;
    }
    const token = randomToken(value, options);
    if (token) return `${key ? `"${key}" holds ` : ''}a random-looking literal (${redact(token.text)}, ${token.entropy.toFixed(1)} bits/char)`;
    return undefined;
  };

  return (obj, path, where, key, value) => {
    if (/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/.test(value)) {
      context.report({ object: obj, path, message: `${where} holds a PEM private key` });
      return;
    }
    if (!value.includes('\n')) {
      const problem = pair(key, value);
      if (problem) context.report({ object: obj, path, message: `${where}: ${problem}` });
      return;
    }
    // A config file: judge it line by line, skipping comments and certificates (public by design).
    const lines = value.split('\n');
    let inCertificate = false;
    lines.forEach((line, i) => {
      if (/-----BEGIN [A-Z0-9 ]*(?:CERTIFICATE|PUBLIC KEY)[A-Z0-9 ]*-----/.test(line)) inCertificate = true;
      if (inCertificate) {
        if (/-----END /.test(line)) inCertificate = false;
        return;
      }
      const parsed = lineKeyValue(line);
      if (!parsed) return;
      const problem = pair(parsed.key, parsed.value);
      if (problem) context.report({ object: obj, path, message: `${where}, line ${i + 1}: ${problem}` });
    });
  };
}
