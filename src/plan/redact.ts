/**
 * What a plan must never print: the values of a Secret's `data` and `stringData`, every value the
 * secrets-credential-literals rule judges a credential (the same detection, credential-sites.ts: env values,
 * args, ConfigMap data and binaryData, annotations, HelmRelease values), and the bodies of Vault
 * Agent templates (`vault.hashicorp.com/agent-inject-template-*` annotations) — wherever they sit: in an
 * object, or inside YAML text held by a string (a Flux Kustomization's `spec.patches[].patch`, a JSON 6902
 * `value`). Each such value is a *slot*; the redacted copy of an object shows, per slot, whether it is
 * unchanged, changed (and by how many lines), added, or only on one side, never the text.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, Scalar, type Node } from 'yaml';
import { credentialJudge, credentialSites } from '../validate/policy/credential-sites.js';
import type { PolicyObject } from '../validate/policy/types.js';
import type { PathSegment } from '../util/yaml-source.js';
import { diffLines, splitLines } from './line-diff.js';

const TEMPLATE_KEY = /^vault\.hashicorp\.com\/agent-inject-template-/;
const TEMPLATE_HINT = 'agent-inject-template';
/** A JSON 6902 operation whose `value` lands in a template annotation or a Secret's data. */
const SENSITIVE_OP_PATH = /agent-inject-template|^\/(?:string)?[dD]ata(?:\/|$)/;

/** Slot key → the sensitive text. */
export type Slots = ReadonlyMap<string, string>;

export function secretSlots(obj: Record<string, unknown>): Map<string, string> {
  const slots = new Map<string, string>();
  walkObject(obj, [], isSecret(obj), (key, value) => slots.set(key, value), undefined);
  for (const c of credentials(obj)) slots.set(c.key, c.value);
  return slots;
}

const judge = credentialJudge();

/** The values the credential rule (with its default options) would report, as slots at their paths. */
function credentials(obj: Record<string, unknown>): { key: string; path: readonly PathSegment[]; value: string }[] {
  const policyObject = { object: obj, ref: { kind: String(obj.kind ?? ''), apiVersion: String(obj.apiVersion ?? '') } } as unknown as PolicyObject;
  return credentialSites(policyObject)
    .filter((site) => judge(site.key, site.value).length > 0)
    .map((site) => ({ key: `credential:${JSON.stringify(site.path)}`, path: site.path, value: stringOf(at(obj, site.path)) }));
}

function at(node: unknown, path: readonly PathSegment[]): unknown {
  let cur = node;
  for (const seg of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[seg] : undefined;
  return cur;
}

/**
 * A copy of `obj` with every slot replaced by a placeholder. `other` holds the slots of the same object on
 * the other side of the plan (undefined when the object exists on one side only); `side` is this one's.
 */
export function redactObject(obj: Record<string, unknown>, own: Slots, other: Slots | undefined, side: 'base' | 'head'): Record<string, unknown> {
  const placeholder = (key: string): string => {
    const value = own.get(key) ?? '';
    const lines = splitLines(value).length || 1;
    if (!other) return `<redacted: ${plural(lines, 'line')}>`;
    const theirs = other.get(key);
    if (theirs === value) return '<redacted>';
    if (side === 'base') return '<redacted>';
    if (theirs === undefined) return `<redacted: ${plural(lines, 'line')} added>`;
    const edits = diffLines(splitLines(theirs), splitLines(value));
    const changed = Math.max(edits.filter((e) => e.op === '-').length, edits.filter((e) => e.op === '+').length, 1);
    return `<redacted: ${plural(changed, 'line')} changed>`;
  };
  const copy = structuredClone(obj);
  walkObject(copy, [], isSecret(obj), () => undefined, placeholder);
  for (const c of credentials(obj)) {
    const parent = at(copy, c.path.slice(0, -1));
    const last = c.path[c.path.length - 1];
    if (parent !== null && typeof parent === 'object' && last !== undefined) (parent as Record<string | number, unknown>)[last] = placeholder(c.key);
  }
  return copy;
}

/**
 * Removes any sensitive text that still made it into `text` (a value repeated somewhere no rule knows
 * about, e.g. a password pasted into a ConfigMap): whole values of 8 characters or more, each line of 12 or
 * more of a multi-line value, and the decoded text of base64 Secret data. A safety net behind redactObject.
 */
export function scrub(text: string, values: Iterable<string>): string {
  const needles = new Set<string>();
  const add = (v: string): void => {
    if (v.length >= 8) needles.add(v);
    for (const line of splitLines(v)) if (line.trim().length >= 12) needles.add(line.trim());
  };
  for (const v of values) {
    add(v);
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(v) && v.length % 4 === 0) add(Buffer.from(v, 'base64').toString('utf8'));
  }
  let out = text;
  for (const n of [...needles].sort((a, b) => b.length - a.length)) if (out.includes(n)) out = out.split(n).join('<redacted>');
  return out;
}

type Placeholder = (slotKey: string) => string;

/**
 * Visits every slot of a plain object tree: `found(key, value)` for each; with `replace`, also writes the
 * placeholder in place (the caller passes a copy).
 */
function walkObject(node: unknown, path: string[], secret: boolean, found: (key: string, value: string) => void, replace: Placeholder | undefined): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      const p = [...path, `[${i}]`];
      if (typeof item === 'string') {
        const text = embedded(item, p.join(''), found, replace);
        if (text !== undefined) node[i] = text;
      } else walkObject(item, p, false, found, replace);
    });
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  for (const [k, v] of Object.entries(record)) {
    const p = [...path, `.${k}`];
    const sensitiveMap = secret && path.length === 0 && (k === 'data' || k === 'stringData') && v !== null && typeof v === 'object' && !Array.isArray(v);
    if (sensitiveMap) {
      for (const [dk, dv] of Object.entries(v as Record<string, unknown>)) {
        const key = `${p.join('')}[${JSON.stringify(dk)}]`;
        found(key, stringOf(dv));
        if (replace) (v as Record<string, unknown>)[dk] = replace(key);
      }
    } else if (TEMPLATE_KEY.test(k)) {
      const key = p.join('');
      found(key, stringOf(v));
      if (replace) record[k] = replace(key);
    } else if (typeof v === 'string') {
      const text = embedded(v, p.join(''), found, replace);
      if (text !== undefined) record[k] = text;
    } else walkObject(v, p, false, found, replace);
  }
}

/** A string holding YAML with slots in it: visits them; returns the redacted text when replacing. */
function embedded(text: string, at: string, found: (key: string, value: string) => void, replace: Placeholder | undefined): string | undefined {
  if (!text.includes('\n') || !(text.includes(TEMPLATE_HINT) || /kind:\s*["']?Secret\b/.test(text) || /"kind"\s*:\s*"Secret"/.test(text))) return undefined;
  const docs = parseAllDocuments(text);
  if (docs.some((d) => d.errors.length > 0)) {
    // Not YAML we can take apart: the whole text is one slot.
    found(at, text);
    return replace ? replace(at) : undefined;
  }
  let any = false;
  docs.forEach((doc, i) => {
    const visit = (node: unknown, path: string, secretDoc: boolean): void => {
      if (isSeq(node)) {
        node.items.forEach((item, j) => visit(item, `${path}[${j}]`, false));
        return;
      }
      if (!isMap(node)) return;
      const opPath = node.items.find((p) => isScalar(p.key) && p.key.value === 'path' && isScalar(p.value) && typeof p.value.value === 'string');
      const sensitiveOp = opPath !== undefined && SENSITIVE_OP_PATH.test(String((opPath.value as Scalar).value));
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const p = `${path}.${k}`;
        if (secretDoc && path === '' && (k === 'data' || k === 'stringData') && isMap(pair.value)) {
          for (const inner of pair.value.items) {
            const key = `${at}#${i}${p}[${JSON.stringify(isScalar(inner.key) ? String(inner.key.value) : String(inner.key))}]`;
            found(key, nodeText(inner.value));
            any = true;
            if (replace) inner.value = new Scalar(replace(key));
          }
        } else if (TEMPLATE_KEY.test(k) || (sensitiveOp && k === 'value')) {
          const key = `${at}#${i}${p}`;
          found(key, nodeText(pair.value));
          any = true;
          if (replace) pair.value = new Scalar(replace(key));
        } else visit(pair.value, p, false);
      }
    };
    const contents = doc.contents as Node | null;
    const secretDoc = isMap(contents) && contents.items.some((p) => isScalar(p.key) && p.key.value === 'kind' && isScalar(p.value) && p.value.value === 'Secret');
    visit(contents, '', secretDoc);
  });
  if (!replace || !any) return undefined;
  return docs.map((d) => d.toString({ lineWidth: 0 })).join('');
}

function nodeText(node: unknown): string {
  if (isScalar(node)) return stringOf(node.value);
  return node === null || node === undefined ? '' : String(node);
}

function stringOf(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? '';
}

function isSecret(obj: Record<string, unknown>): boolean {
  return obj.kind === 'Secret' && (obj.apiVersion === 'v1' || obj.apiVersion === undefined);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
