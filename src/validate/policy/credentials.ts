import { isDuration } from '../../util/duration.js';
import { isQuantity } from '../../util/quantity.js';

/*
 * Reading credentials in text (for secrets-credential-literals): key names, literals, random-looking
 * tokens, passwords in URLs, and `key = value` lines of a config file.
 */

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
  return /\$\{[^}]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|^\$[({]|^\$[A-Z_][A-Z0-9_]*$|SECRET\[[^\]]+\]|\{\{.*\}\}|%\{[^}]+\}|^(vault|ref\+[a-z]+):/.test(s);
}

function isPath(s: string): boolean {
  return /^(\/|\.\.?\/|~\/|[A-Za-z]:\\)/.test(s);
}

/** The URL whose userinfo holds a literal password, if any. */
export function urlPassword(value: string): string | undefined {
  for (const m of value.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/([^\s/?#@:"'`]*):([^\s/?#@"'`]+)@[^\s"'`]*/gi)) {
    if (!isReference(m[2] ?? '')) return m[0];
  }
  return undefined;
}

/** The first token of a value that looks randomly generated. */
export function randomToken(value: string, options: { readonly entropyThreshold: number; readonly entropyMinLength: number }): { text: string; entropy: number } | undefined {
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

export function unquote(s: string): string {
  const m = /^(["'])(.*)\1$/s.exec(s);
  return m ? (m[2] ?? '') : s;
}

function stripComment(s: string): string {
  if (/^["']/.test(s)) return s;
  return s.replace(/\s+#.*$/, '');
}

/** Enough of a value to recognise it in the file, not enough to use it. */
export function redact(s: string): string {
  return s.length <= 4 ? '****' : `${s.slice(0, 4)}…`;
}

export function redactUrl(url: string): string {
  return url.replace(/:\/\/([^:@/]*):[^@/]*@/, '://$1:****@');
}
