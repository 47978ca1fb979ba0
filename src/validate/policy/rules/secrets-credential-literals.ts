import { isDuration } from '../../../util/duration.js';
import { isQuantity } from '../../../util/quantity.js';
import type { PathSegment } from '../../../util/yaml-source.js';
import { defineRule } from '../define-rule.js';
import { containers, record } from '../helpers.js';
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
    kinds: ['ConfigMap', 'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'],
  },
  options: DEFAULTS,
  create(context) {
    const check = checker(context);
    return {
      '*'(obj) {
        if (obj.ref.kind === 'ConfigMap') {
          for (const [key, value] of Object.entries(record(obj.object.data))) {
            if (typeof value === 'string') check(obj, ['data', key], `ConfigMap key "${key}"`, key, value);
          }
          return;
        }
        for (const c of containers(obj)) {
          const name = String(c.container.name ?? '?');
          const env = Array.isArray(c.container.env) ? (c.container.env as unknown[]) : [];
          env.forEach((e, i) => {
            const entry = record(e);
            if (typeof entry.value === 'string' && typeof entry.name === 'string') {
              check(obj, [...c.path, 'env', i, 'value'], `env ${entry.name} of container "${name}"`, entry.name, entry.value);
            }
          });
          for (const field of ['command', 'args'] as const) {
            const list = Array.isArray(c.container[field]) ? (c.container[field] as unknown[]) : [];
            list.forEach((arg, i) => {
              if (typeof arg !== 'string') return;
              const flag = /^--?([A-Za-z][\w.-]*)=(.*)$/s.exec(arg);
              const next = list[i + 1];
              const bare = /^--?([A-Za-z][\w.-]*)$/.exec(arg);
              const where = (j: number): string => `${field}[${j}] of container "${name}"`;
              if (flag) check(obj, [...c.path, field, i], where(i), flag[1] ?? '', flag[2] ?? '');
              else if (bare && typeof next === 'string' && !next.startsWith('-')) check(obj, [...c.path, field, i + 1], where(i + 1), bare[1] ?? '', next);
              else if (!bare && !(i > 0 && /^--?[A-Za-z][\w.-]*$/.test(String(list[i - 1])))) check(obj, [...c.path, field, i], where(i), '', arg);
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

/** `KEY=value`, `key: value`, `key = value`, `"key": "value",`, `export KEY=value`, `- key: value`, or `key value` (exactly two words). */
export function lineKeyValue(line: string): { key: string; value: string } | undefined {
  const text = line.trim();
  if (text === '' || /^(#|\/\/|;|--)/.test(text)) return undefined;
  const assign = /^(?:-\s+)?(?:export\s+)?["']?\.?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*(.*?)\s*,?$/.exec(text);
  if (assign) return { key: assign[1] ?? '', value: stripComment(assign[2] ?? '') };
  const words = /^([A-Za-z_][\w.-]*)\s+(\S+)$/.exec(text);
  if (words) return { key: words[1] ?? '', value: words[2] ?? '' };
  return { key: '', value: text };
}

/** `DB_PASSWORD` → [db, password]; `apiKey` → [api, key]; `X-Api-Key2` → [x, api, key]. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((w) => w.replace(/\d+$/, ''))
    .filter(Boolean);
}

/** Values that are not themselves a credential: references, paths, URLs, booleans, numbers, quantities, durations. */
export function notALiteral(value: string): boolean {
  const s = value.trim();
  if (s === '' || s === '|' || s === '>' || s === '|-' || s === '>-') return true;
  if (/^(true|false|yes|no|on|off|enabled|disabled|none|null|nil|~)$/i.test(s)) return true;
  if (isReference(s) || isPath(s) || /^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return true;
  if (/^<[^<>]*>$/.test(s)) return true; // a placeholder such as <set-in-vault>
  return isQuantity(s) || isDuration(s);
}

function isReference(s: string): boolean {
  return /\$\{[^}]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|^\$[({A-Za-z_]|SECRET\[[^\]]+\]|\{\{.*\}\}|%\{[^}]+\}|^(vault|ref\+[a-z]+):/.test(s);
}

function isPath(s: string): boolean {
  return /^(\/|\.\.?\/|~\/|[A-Za-z]:\\)/.test(s);
}

/** The URL whose userinfo holds a literal password, if any. */
function urlPassword(value: string): string | undefined {
  for (const m of value.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/([^\s/?#@:"'`]*):([^\s/?#@"'`]+)@[^\s"'`]*/gi)) {
    if (!isReference(m[2] ?? '')) return m[0];
  }
  return undefined;
}

/** The first token of a value that looks randomly generated. */
export function randomToken(value: string, options: Pick<Options, 'entropyThreshold' | 'entropyMinLength'>): { text: string; entropy: number } | undefined {
  for (const raw of value.split(/[\s,;]+/)) {
    const t = raw.replace(/^["'`([{<]+/, '').replace(/["'`)\]}>.,;:]+$/, '');
    if (t.length < options.entropyMinLength) continue;
    if (isReference(t) || isPath(t) || t.includes('://')) continue;
    if (/^[0-9a-f-]+$/i.test(t.replace(/^(sha\d+|md5):/i, ''))) continue; // hex, UUIDs, digests
    if (isQuantity(t) || isDuration(t)) continue;
    if (!/[a-z]/.test(t) || !/[A-Z]/.test(t) || !/[0-9]/.test(t)) continue;
    // camelCase words capitalise a letter per word; random base64 capitalises about half of them.
    const letters = t.replace(/[^A-Za-z]/g, '');
    if (letters.replace(/[^A-Z]/g, '').length / letters.length < 0.3) continue;
    const entropy = shannon(t);
    if (entropy >= options.entropyThreshold) return { text: t, entropy };
  }
  return undefined;
}

/** Shannon entropy of a string, in bits per character. */
export function shannon(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

function unquote(s: string): string {
  const m = /^(["'])(.*)\1$/s.exec(s);
  return m ? (m[2] ?? '') : s;
}

function stripComment(s: string): string {
  if (/^["']/.test(s)) return s;
  return s.replace(/\s+#.*$/, '');
}

/** Enough of a value to recognise it in the file, not enough to use it. */
function redact(s: string): string {
  return s.length <= 4 ? '****' : `${s.slice(0, 4)}…`;
}

function redactUrl(url: string): string {
  return url.replace(/:\/\/([^:@/]*):[^@/]*@/, '://$1:****@');
}
