/**
 * Where credentials hide in an object and whether a value is one: the single source for the
 * secrets-credential-literals rule (which reports them) and for the plan's redaction (which hides them).
 */
import type { PathSegment } from '../../util/yaml-source.js';
import { keyWords, lineKeyValue, notALiteral, randomToken, redact, redactUrl, unquote, urlPassword } from './credentials.js';
import { argLists, containers, envEntries, podTemplate } from './helpers.js';
import type { PolicyObject } from './types.js';

export interface CredentialOptions {
  /** Words (or `_`-joined word sequences) that make a key name a credential's, matched on whole words of the name. */
  readonly credentialWords: readonly string[];
  /** Credential words also matched at the end of a longer word (`ADMINPASSWD`, `mytoken`). */
  readonly credentialSuffixes: readonly string[];
  /** A word after the credential word that makes the key a reference to a credential, not the credential (`TOKEN_FILE`). */
  readonly referenceWords: readonly string[];
  /** A word right before the credential word that makes the key a reference (`existingSecret`). */
  readonly referencePrefixes: readonly string[];
  /** Shannon entropy, in bits per character, from which a token counts as random (a key, a token, a password). */
  readonly entropyThreshold: number;
  /** Tokens shorter than this are never judged by entropy. */
  readonly entropyMinLength: number;
  /** Key names (exact, case-insensitive) never judged by name, e.g. a false positive of your own. */
  readonly ignoreKeys: readonly string[];
}

export const CREDENTIAL_DEFAULTS: CredentialOptions = {
  credentialWords: [
    'password', 'passwd', 'pwd', 'pass', 'pw', 'passphrase', 'secret', 'secrets', 'token', 'tokens', 'apikey', 'api_key', 'access_key',
    'private_key', 'privatekey', 'credential', 'credentials', 'creds', 'signing_key', 'encryption_key', 'master_key', 'session_key',
  ],
  credentialSuffixes: ['password', 'passwd', 'passphrase', 'secret', 'token', 'apikey'],
  referenceWords: [
    'file', 'files', 'path', 'paths', 'dir', 'directory', 'filename', 'location', 'ref', 'reference', 'name', 'id', 'url', 'uri',
    'endpoint', 'host', 'hostname', 'addr', 'address', 'port', 'type', 'mode', 'strategy', 'length', 'len', 'size', 'ttl', 'timeout',
    'expiry', 'expires', 'expiration', 'lifetime', 'duration', 'interval', 'period', 'seconds', 'secs', 'minutes', 'hours', 'days',
    'header', 'field', 'env', 'var', 'variable', 'enabled', 'enable', 'disabled', 'required', 'policy', 'format', 'version', 'count',
    'min', 'max', 'rotation', 'source', 'provider', 'store', 'mount', 'engine', 'backend', 'audience', 'issuer', 'scope', 'scopes',
    'algorithm', 'alg', 'prefix', 'suffix', 'kind', 'class', 'method', 'user', 'username', 'verify', 'validation',
  ],
  referencePrefixes: ['existing'],
  entropyThreshold: 4.0,
  entropyMinLength: 20,
  ignoreKeys: [],
};

/** A string of an object that may hold a credential: `key` is the name it is given (env name, map key). */
export interface CredentialSite {
  readonly path: readonly PathSegment[];
  /** For messages: `env DB_PASSWORD of container "web"`. */
  readonly where: string;
  readonly key: string;
  readonly value: string;
}

/** Every string the rule judges: env values, command/args, ConfigMap data and binaryData, annotations, HelmRelease values. */
export function credentialSites(obj: PolicyObject): CredentialSite[] {
  const out: CredentialSite[] = [];
  const o = obj.object;
  const annotations = (meta: unknown, at: readonly PathSegment[]): void => {
    for (const [k, v] of Object.entries(record(record(meta).annotations))) {
      // Vault Agent's annotations are templates and paths (secrets-vault-* judge them); edgefleet's are waivers.
      if (typeof v === 'string' && !/^(?:vault\.hashicorp\.com|edgefleet\.io)\//.test(k)) out.push({ path: [...at, 'annotations', k], where: `annotation "${k}"`, key: annotationKey(k), value: v });
    }
  };
  annotations(o.metadata, ['metadata']);
  const template = podTemplate(obj);
  if (template && template.path.length > 0) annotations(template.metadata, [...template.path, 'metadata']);
  if (obj.ref.kind === 'ConfigMap') {
    for (const [k, v] of Object.entries(record(o.data))) if (typeof v === 'string') out.push({ path: ['data', k], where: `ConfigMap key "${k}"`, key: k, value: v });
    for (const [k, v] of Object.entries(record(o.binaryData))) {
      const text = typeof v === 'string' ? decodeText(v) : undefined;
      if (text !== undefined) out.push({ path: ['binaryData', k], where: `ConfigMap binaryData key "${k}" (decoded)`, key: k, value: text });
    }
  }
  if (obj.ref.kind === 'HelmRelease' && obj.ref.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) {
    walkValues(record(o.spec).values, ['spec', 'values'], '', out);
  }
  for (const c of containers(obj)) {
    const name = String(c.container.name ?? '?');
    for (const { entry, path } of envEntries(c)) {
      if (typeof entry.value === 'string' && typeof entry.name === 'string') out.push({ path: [...path, 'value'], where: `env ${entry.name} of container "${name}"`, key: entry.name, value: entry.value });
    }
    for (const { field, args: list, path } of argLists(c)) {
      list.forEach((arg, i) => {
        if (typeof arg !== 'string') return;
        const flag = /^--?([A-Za-z][\w.-]*)=(.*)$/s.exec(arg);
        const next = list[i + 1];
        const bare = /^--?([A-Za-z][\w.-]*)$/.exec(arg);
        const where = (j: number): string => `${field}[${j}] of container "${name}"`;
        if (flag) out.push({ path: [...path, i], where: where(i), key: flag[1] ?? '', value: flag[2] ?? '' });
        else if (bare && typeof next === 'string' && !next.startsWith('-')) out.push({ path: [...path, i + 1], where: where(i + 1), key: bare[1] ?? '', value: next });
        else if (!bare && !(i > 0 && /^--?[A-Za-z][\w.-]*$/.test(String(list[i - 1])))) out.push({ path: [...path, i], where: where(i), key: '', value: arg });
      });
    }
  }
  return out;
}

/** Judges one key/value: the problems found (empty when it holds no credential). */
export type CredentialJudge = (key: string, value: string) => string[];

export function credentialJudge(options: CredentialOptions = CREDENTIAL_DEFAULTS): CredentialJudge {
  const terms = options.credentialWords.map((w) => w.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean));
  const suffixes = options.credentialSuffixes.map((w) => w.toLowerCase());
  const refs = new Set(options.referenceWords.map((w) => w.toLowerCase()));
  const prefixes = new Set(options.referencePrefixes.map((w) => w.toLowerCase()));
  const ignored = new Set(options.ignoreKeys.map((k) => k.toLowerCase()));

  /** The credential word a key name holds, unless a reference word follows it (or a reference prefix precedes it). */
  const credentialWord = (key: string): string | undefined => {
    if (!key || ignored.has(key.toLowerCase())) return undefined;
    const words = keyWords(key);
    let found: { word: string; start: number; end: number } | undefined;
    for (const term of terms) {
      for (let i = 0; i + term.length <= words.length; i++) {
        if (term.every((t, j) => words[i + j] === t) && (!found || i + term.length > found.end)) found = { word: term.join('_'), start: i, end: i + term.length };
      }
    }
    words.forEach((w, i) => {
      const s = suffixes.find((x) => w.length > x.length && w.endsWith(x));
      if (s && (!found || i + 1 > found.end)) found = { word: s, start: i, end: i + 1 };
    });
    if (!found) return undefined;
    if (found.start > 0 && prefixes.has(words[found.start - 1] ?? '')) return undefined;
    return words.slice(found.end).some((w) => refs.has(w)) ? undefined : found.word;
  };

  /** A credential-named key's value that is a literal: a number of 4 digits or more is one (a PIN, a numeric password). */
  const literal = (value: string): boolean => /^\d{4,}$/.test(value) || !notALiteral(value);

  /** One `key`/`value` pair: the first signal that fires. */
  const pair = (key: string, raw: string): string | undefined => {
    const value = unquote(raw.trim());
    const userinfo = urlPassword(value);
    if (userinfo) return `URL with a password in it (${redactUrl(userinfo)})`;
    const word = credentialWord(key);
    if (word && literal(value)) return `"${key}" is named like a credential (${word}) and holds a literal (${redact(value)})`;
    // `k=v` pairs inside the value: a connection string, a query string, JVM options.
    for (const m of value.matchAll(/(?:^|[\s;,&?])([A-Za-z_][\w.-]*)=("[^"]*"|'[^']*'|[^\s;,&"']+)/g)) {
      const inner = credentialWord(m[1] ?? '');
      const v = unquote(m[2] ?? '');
      if (inner && literal(v)) return `${key ? `"${key}" holds ` : ''}"${m[1]}" set to a literal (${redact(v)})`;
    }
    const token = randomToken(value, options);
    if (token) return `${key ? `"${key}" holds ` : ''}a random-looking literal (${redact(token.text)}, ${token.entropy.toFixed(1)} bits/char)`;
    return undefined;
  };

  return (key, value) => {
    if (/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/.test(value)) return ['holds a PEM private key'];
    if (!value.includes('\n')) {
      const problem = pair(key, value);
      return problem ? [`: ${problem}`] : [];
    }
    // A config file: judge it line by line, skipping comments and certificates (public by design).
    const found: string[] = [];
    let inCertificate = false;
    value.split('\n').forEach((line, i) => {
      if (/-----BEGIN [A-Z0-9 ]*(?:CERTIFICATE|PUBLIC KEY)[A-Z0-9 ]*-----/.test(line)) inCertificate = true;
      if (inCertificate) {
        if (/-----END /.test(line)) inCertificate = false;
        return;
      }
      const parsed = lineKeyValue(line);
      if (!parsed) return;
      const problem = pair(parsed.key, parsed.value);
      if (problem) found.push(`, line ${i + 1}: ${problem}`);
    });
    return found;
  };
}

/** Helm values: every string, named by the nearest map key (a list of strings keeps its parent's key). */
function walkValues(node: unknown, path: PathSegment[], key: string, out: CredentialSite[]): void {
  if (typeof node === 'string') {
    out.push({ path, where: `HelmRelease value ${path.slice(2).map(String).join('.')}`, key, value: node });
  } else if (Array.isArray(node)) {
    node.forEach((v, i) => walkValues(v, [...path, i], key, out));
  } else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) walkValues(v, [...path, k], k, out);
  }
}

/** `example.com/db-password` → `db-password`: the name part of an annotation key. */
function annotationKey(k: string): string {
  const slash = k.lastIndexOf('/');
  return slash >= 0 ? k.slice(slash + 1) : k;
}

/** base64 that decodes to text (binaryData usually holds binary: then there is nothing to read). */
function decodeText(b64: string): string | undefined {
  const text = Buffer.from(b64, 'base64').toString('utf8');
  return text.includes('\uFFFD') || /[\0-\x08\x0e-\x1f]/.test(text) ? undefined : text;
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
