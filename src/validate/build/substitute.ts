/**
 * Flux postBuild variable substitution for one resource, as kustomize-controller does it
 * (fluxcd/pkg kustomize/kustomize_varsub.go, SubstituteVariables + varSubstitution):
 * 1. a resource labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` is left alone;
 * 2. with no variables at all nothing is substituted (`${X}` stays in the applied resource);
 * 3. every variable name must match `^[_[:alpha:]][_[:alpha:][:digit:]]*$`, else the resource fails;
 * 4. the resource is serialised to YAML, envsubst runs over that text, and the text is parsed again, so a
 *    substituted value is re-typed (`replicas: ${R}` with R=3 gives the number 3) and a value that breaks
 *    the YAML fails the resource;
 * 5. strict mode (the controller's StrictPostBuildSubstitutions feature gate) rejects an unset variable
 *    used without a default; otherwise it becomes empty text, which we report as a warning.
 *
 * Step 4 is where fidelity is won or lost, so the text is the one Go writes (sigs.k8s.io/yaml over
 * go-yaml v2: key order, scalar styles, escapes, 80-column folding) and is read back with go-yaml v2's
 * typing rules. Compared with the Go code on generated resources and hostile values: identical results
 * except where a value opens a quote that libyaml, unlike `yaml`, closes with a quote from a later
 * field; Flux then applies a mangled resource and we report an error. Also not mirrored: go-yaml's
 * `<<` merge keys and its sort order for keys that its comparator cannot order consistently.
 */
import { Document, isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Node, type Scalar, type ScalarTag } from 'yaml';
import { pathToString, type PathSegment } from '../../util/yaml-source.js';
import { deepFreeze } from '../../util/freeze.js';
import { envsubst, isDefaultOperator, type EnvsubstResult, type Piece } from './envsubst.js';

export const SUBSTITUTE_KEY = 'kustomize.toolkit.fluxcd.io/substitute';
/** The rule exactly as Flux states it in its error message. */
export const VARIABLE_NAME_RULE = '^[_[:alpha:]][_[:alpha:][:digit:]]*$';
const VARIABLE_NAME = /^[_A-Za-z][_A-Za-z0-9]*$/;
/** Roughly go-yaml v2's parseTimestamp formats, and its `isBase60Float`: both are quoted on output. */
const GO_TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt ])/;
const GO_BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

export interface SubstitutionIssue {
  readonly severity: 'error' | 'warning';
  readonly variable?: string;
  readonly message: string;
  /** Field whose text held the expression, e.g. `spec.template.spec.containers[0].image`. */
  readonly jsonPath?: string;
}

export interface SubstituteOptions {
  /** Reject unset variables used without a default, as kustomize-controller's strict mode does. */
  readonly strict: boolean;
  /** Always re-read the whole substituted text (no field-level shortcut); for tests that compare both. */
  readonly reparse?: boolean;
}

export interface SubstitutionResult {
  /**
   * The resource Flux would apply: the input object itself when substitution is skipped, a new object
   * otherwise, undefined when an error means Flux rejects the resource.
   */
  readonly object: Record<string, unknown> | undefined;
  readonly issues: readonly SubstitutionIssue[];
  /** Variables that are set and referenced by the resource, sorted. */
  readonly usedVariables: readonly string[];
  readonly skipped?: 'disabled' | 'no-variables';
}

/** Flux's check on `substitute` / `substituteFrom` keys. Flux fails the whole build on any of these. */
export function validateVariableNames(vars: Readonly<Record<string, string>>): SubstitutionIssue[] {
  return Object.keys(vars)
    .filter((name) => !VARIABLE_NAME.test(name))
    .sort()
    .map((name) => ({
      severity: 'error' as const,
      variable: name,
      message: `'${name}' var name is invalid, must match '${VARIABLE_NAME_RULE}'`,
    }));
}

export function isSubstitutionDisabled(obj: Record<string, unknown>): boolean {
  const metadata = asRecord(obj['metadata']);
  return [metadata?.['labels'], metadata?.['annotations']].some((m) => asRecord(m)?.[SUBSTITUTE_KEY] === 'disabled');
}

/**
 * Substitutes `vars` into `obj` as Flux would. Values are used as Flux loads them, with every `\n`
 * removed. Pure: the input is not modified.
 */
export function substituteResource(
  obj: Record<string, unknown>,
  vars: Readonly<Record<string, string>>,
  opts: SubstituteOptions,
): SubstitutionResult {
  if (isSubstitutionDisabled(obj)) return { object: obj, issues: [], usedVariables: [], skipped: 'disabled' };
  // Flux substitutes only when there is at least one variable; `${X}` then stays as written.
  if (Object.keys(vars).length === 0) return { object: obj, issues: [], usedVariables: [], skipped: 'no-variables' };
  const nameIssues = validateVariableNames(vars);
  if (nameIssues.length > 0) return { object: undefined, issues: nameIssues, usedVariables: [] };

  const template = templateOf(obj);
  const text = template.text;
  const locate = locator(template);
  const values = new Map(Object.entries(vars).map(([k, v]) => [k, v.replaceAll('\n', '')]));
  const result = envsubst(text, (name) => values.get(name));
  const issues = expansionIssues(result, opts, locate);
  const usedVariables = [...new Set(result.references.filter((r) => r.defined).map((r) => r.name))].sort();
  if (issues.some((i) => i.severity === 'error')) return { object: undefined, issues, usedVariables };

  const patched = opts.reparse ? undefined : patchTemplate(template, result);
  if (patched) return { object: patched, issues, usedVariables };
  const parsed = parseBack(result.output);
  if ('object' in parsed) return { object: parsed.object, issues, usedVariables };
  const at = parsed.offset === undefined ? undefined : sourceOffset(result, parsed.offset);
  issues.push({ severity: 'error', message: parsed.message, jsonPath: at === undefined ? undefined : locate(at) });
  return { object: undefined, issues, usedVariables };
}

function expansionIssues(
  result: EnvsubstResult,
  opts: SubstituteOptions,
  locate: (offset: number) => string | undefined,
): SubstitutionIssue[] {
  const issues: SubstitutionIssue[] = result.problems.map((p) => ({
    severity: 'error',
    message: `variable substitution failed: ${p.message}`,
    jsonPath: locate(p.offset),
  }));
  for (const ref of result.references) {
    if (ref.defined || isDefaultOperator(ref.operator)) continue;
    issues.push(
      opts.strict
        ? { severity: 'error', variable: ref.name, jsonPath: locate(ref.offset),
            message: `variable substitution failed: variable not set (strict mode): "${ref.name}"` }
        : { severity: 'warning', variable: ref.name, jsonPath: locate(ref.offset),
            message: `variable "${ref.name}" is not set and has no default: Flux substitutes empty text (strict mode would reject it)` },
    );
  }
  for (const offset of result.collapsedDollars) {
    issues.push({ severity: 'warning', jsonPath: locate(offset),
      message: '"$$" is an escape in Flux substitution and becomes a single "$"; write "$" if that is what you mean' });
  }
  return issues;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

// ---- the text Flux substitutes into ----

/**
 * The resource as kustomize hands it to envsubst (sigs.k8s.io/yaml JSONToYAML, i.e. go-yaml v2): keys
 * in go-yaml's order, every string written with go-yaml's style, escapes and line folding, so that a
 * substituted value meets the same surroundings as in Flux.
 */
export function fluxYaml(obj: Record<string, unknown>): string {
  const doc = new Document(obj, {
    aliasDuplicateObjects: false,
    customTags: (tags) => tags.map((t) => (typeof t === 'object' && t.tag === GO_STRING.tag ? GO_STRING : t)),
    sortMapEntries: (a, b) => goKeyOrder(String(a.key), String(b.key)),
  });
  visit(doc, {
    Pair(_, pair) {
      // libyaml writes `? key` for a key with a line break or over 128 bytes; `yaml` does for block-scalar keys
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (Array.from(key).some(isBreak) || new TextEncoder().encode(key).length > 128) (pair.key as Scalar).type = 'BLOCK_LITERAL';
    },
  });
  return doc.toString({ lineWidth: 0, indentSeq: false });
}

const GO_STRING: ScalarTag = {
  tag: 'tag:yaml.org,2002:str',
  default: true,
  identify: (v) => typeof v === 'string',
  resolve: (s) => s,
  stringify(item, ctx, _onComment, onChompKeep) {
    const s = String(item.value);
    const style = goYamlStyle(s);
    if (style !== 'BLOCK_LITERAL') {
      // keys are not folded; a mapping value starts after `key: `, a sequence item after `- `
      const at = ctx.implicitKey ? undefined : ctx.indent.length + (ctx.indentAtStart === undefined ? 0 : ctx.indentAtStart - 2);
      return goFlowScalar(s, style, at, ctx.indent);
    }
    // literal block: go-yaml gives an indentation indicator when the text starts with a space or break
    const chomp = !s.endsWith('\n') ? '-' : s.length === 1 || s.endsWith('\n\n') ? '+' : '';
    if (chomp === '+') onChompKeep?.();
    const indent = ctx.indent || '  ';
    const lines = (s.endsWith('\n') ? s.slice(0, -1) : s).split('\n');
    return `|${/^[ \n]/.test(s) ? '2' : ''}${chomp}\n${lines.map((l) => (l ? indent + l : '')).join('\n')}`;
  },
};

const GO_ESCAPES: Record<number, string> = {
  0: '0', 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 27: 'e', 34: '"', 92: '\\',
  0x85: 'N', 0x2028: 'L', 0x2029: 'P',
};

/**
 * go-yaml v2's writers for plain, single- and double-quoted scalars, including the folding of lines
 * past 80 columns at a space (`column` is where the scalar starts; undefined for keys, never folded).
 */
function goFlowScalar(s: string, style: Scalar.Type, column: number | undefined, indent: string): string {
  const chars = Array.from(s);
  const quote = style === 'QUOTE_SINGLE' ? "'" : style === 'QUOTE_DOUBLE' ? '"' : '';
  let out = quote;
  let col = (column ?? 0) + quote.length;
  let spaces = false;
  chars.forEach((c, i) => {
    const next = chars[i + 1];
    const n = c.codePointAt(0) as number;
    if (quote === '"' && (!isPrintable(c) || isBreak(c) || c === '"' || c === '\\')) {
      const hex = n.toString(16).toUpperCase();
      const escape = GO_ESCAPES[n] ?? (n <= 0xff ? `x${hex.padStart(2, '0')}` : n <= 0xffff ? `u${hex.padStart(4, '0')}` : `U${hex.padStart(8, '0')}`);
      out += `\\${escape}`;
      col += escape.length + 1;
      spaces = false;
    } else if (c === ' ') {
      const inner = quote === '' || (i > 0 && i < chars.length - 1);
      if (column !== undefined && !spaces && col > 80 && inner && (quote === '"' || next !== ' ')) {
        const escapedSpace = quote === '"' && next === ' ' ? '\\' : '';
        out += `\n${indent}${escapedSpace}`;
        col = indent.length + escapedSpace.length;
      } else {
        out += ' ';
        col++;
      }
      spaces = true;
    } else {
      const text = quote === "'" && c === "'" ? "''" : c;
      out += text;
      col += text.length;
      spaces = false;
    }
  });
  return out + quote;
}

/** go-yaml v2 `keyList.Less` for string keys: letters before other runes, digit runs compared as numbers. */
function goKeyOrder(a: string, b: string): number {
  const less = (x: string, y: string): boolean => {
    const ar = Array.from(x, (c) => c.codePointAt(0) as number);
    const br = Array.from(y, (c) => c.codePointAt(0) as number);
    const letter = (r: number): boolean => /\p{L}/u.test(String.fromCodePoint(r));
    const digit = (r: number | undefined): r is number => r !== undefined && /\p{Nd}/u.test(String.fromCodePoint(r));
    for (let i = 0; i < ar.length && i < br.length; i++) {
      const [p, q] = [ar[i] as number, br[i] as number];
      if (p === q) continue;
      if (letter(p) || letter(q)) return letter(p) && letter(q) ? p < q : letter(q);
      let [an, bn] = [0n, 0n];
      if (p === 0x30 || q === 0x30) {
        for (let j = i - 1; j >= 0 && digit(ar[j]); j--) if (ar[j] !== 0x30) [an, bn] = [1n, 1n];
      }
      let [ai, bi] = [i, i];
      for (; digit(ar[ai]); ai++) an = BigInt.asIntN(64, an * 10n + BigInt((ar[ai] as number) - 0x30));
      for (; digit(br[bi]); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt((br[bi] as number) - 0x30));
      if (an !== bn) return an < bn;
      return ai !== bi ? ai < bi : p < q;
    }
    return ar.length < br.length;
  };
  return less(a, b) ? -1 : less(b, a) ? 1 : 0;
}

/**
 * The style go-yaml v2 gives a string: encode.go `stringv` picks literal for multi-line text, double
 * quotes for text that would read back as another type, else plain; the emitter
 * (`yaml_emitter_analyze_scalar`, `select_scalar_style`) then falls back to single and double quotes.
 */
function goYamlStyle(s: string): Scalar.Type {
  if (!s.includes('\n') && (goResolve(s).kind !== 'str' || GO_TIMESTAMP.test(s) || GO_BASE60.test(s)))
    return 'QUOTE_DOUBLE';
  const chars = Array.from(s);
  let indicators = s.startsWith('---') || s.startsWith('...');
  let special = false;
  let spaceBreak = false;
  let breakSpace = false;
  chars.forEach((c, i) => {
    const next = chars[i + 1];
    const followedByBlank = next === undefined || next === ' ' || next === '\t';
    const prev = chars[i - 1];
    if (i === 0 && ('#,[]{}&*!|>\'"%@`'.includes(c) || ('?:-'.includes(c) && followedByBlank))) indicators = true;
    if (i > 0 && ((c === ':' && followedByBlank) || (c === '#' && (prev === ' ' || prev === '\t' || isBreak(prev)))))
      indicators = true;
    if (!isPrintable(c)) special = true;
    if (c === ' ' && isBreak(prev)) breakSpace = true;
    if (isBreak(c) && prev === ' ') spaceBreak = true;
  });
  const lineBreaks = chars.some(isBreak);
  const edges = [chars[0], chars[chars.length - 1]].some((c) => c === ' ' || isBreak(c));
  const trailingSpace = chars[chars.length - 1] === ' ';
  const singleAllowed = !breakSpace && !spaceBreak && !special;
  const blockAllowed = !trailingSpace && !spaceBreak && !special;
  if (s.includes('\n')) return blockAllowed ? 'BLOCK_LITERAL' : 'QUOTE_DOUBLE';
  if (s !== '' && !edges && !lineBreaks && !indicators && singleAllowed) return 'PLAIN';
  return singleAllowed ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE';
}

function isBreak(c: string | undefined): boolean {
  return c !== undefined && '\r\n\u0085\u2028\u2029'.includes(c);
}

/** go-yaml v2's `is_printable`: no tab, no C0/C1 controls, no BOM, nothing beyond the BMP. */
function isPrintable(c: string): boolean {
  const n = c.codePointAt(0) as number;
  return (
    n === 0x0a ||
    (n >= 0x20 && n <= 0x7e) ||
    (n >= 0xa0 && n <= 0xd7ff) ||
    (n >= 0xe000 && n <= 0xfffd && n !== 0xfeff)
  );
}

// ---- reading the substituted text back ----

type Parsed = { object: Record<string, unknown> } | { message: string; offset: number | undefined };

/**
 * Like sigs.k8s.io/yaml YAMLToJSON: go-yaml v2 types the scalars (YAML 1.1), keys become strings,
 * and what JSON cannot hold is an error.
 */
function parseBack(text: string): Parsed {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false, prettyErrors: false });
  // libyaml takes `#` right after a closing quote, bracket or block indicator as a comment; so does `yaml`,
  // which only adds this complaint
  const err = doc.errors.find((e) => !e.message.startsWith('Comments must be separated from other tokens'));
  if (err) return { message: `YAMLToJSON: substituted YAML is invalid: ${err.message}`, offset: err.pos[0] };
  let failure: Parsed | undefined;
  const fail = (message: string, node: Node): void => {
    failure ??= { message: `YAMLToJSON: ${message}`, offset: node.range?.[0] };
  };
  const check = (node: Node): void => {
    // libyaml only takes [0-9A-Za-z_-] in anchor and alias names
    const name = isAlias(node) ? node.source : node.anchor;
    if (name && !/^[\w-]+$/.test(name)) fail('did not find expected alphabetic or numeric character', node);
  };
  visit(doc, {
    Node(_, node) {
      check(node);
    },
    Pair(_, pair) {
      const key = pair.key as Node | null;
      if (isMap(key) || isSeq(key)) fail('invalid map key: a collection', key);
    },
    Scalar(key, node) {
      check(node);
      // `yaml` can end a quoted scalar at a line break without reporting the missing quote; libyaml does not
      const source = text.slice(node.range?.[0], node.range?.[1]);
      if (node.type === 'QUOTE_SINGLE' && !/^'(?:[^']|'')*'$/.test(source)) return fail('unterminated single-quoted scalar', node);
      if (node.type === 'QUOTE_DOUBLE' && !/^"(?:[^"\\]|\\[^])*"$/.test(source)) return fail('unterminated double-quoted scalar', node);
      const typed = typedScalar(node);
      if (typeof typed === 'string') return fail(typed, node);
      if (key !== 'key') node.value = typeof typed.value === 'bigint' ? Number(typed.value) : typed.value;
      else if (['null', 'uint', 'big'].includes(typed.kind)) fail(`unsupported map key of type ${typed.kind}: ${String(node.value)}`, node);
      else node.value = typed.kind === 'float' ? goFloat32Key(typed.value as number) : String(typed.value);
    },
  });
  if (failure) return failure;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { message: `YAMLToJSON: ${(e as Error).message}`, offset: undefined };
  }
  const bad = findNonFinite(value, []);
  if (bad) return { message: `YAMLToJSON: json: unsupported value ${bad.value} at ${pathToString(bad.path)}`, offset: undefined };
  const object = asRecord(value);
  return object ? { object } : { message: 'UnmarshalJSON: the substituted resource is not a mapping', offset: 0 };
}

interface GoScalar {
  readonly kind: 'str' | 'bool' | 'null' | 'int' | 'uint' | 'big' | 'float';
  readonly value: unknown;
}

const CORE = 'tag:yaml.org,2002:';
const NAMED = new Map<string, GoScalar>();
for (const s of 'y Y yes Yes YES true True TRUE on On ON'.split(' ')) NAMED.set(s, { kind: 'bool', value: true });
for (const s of 'n N no No NO false False FALSE off Off OFF'.split(' ')) NAMED.set(s, { kind: 'bool', value: false });
for (const s of ['', '~', 'null', 'Null', 'NULL']) NAMED.set(s, { kind: 'null', value: null });
for (const s of ['.nan', '.NaN', '.NAN']) NAMED.set(s, { kind: 'float', value: NaN });
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) NAMED.set(s, { kind: 'float', value: Infinity });
for (const s of ['-.inf', '-.Inf', '-.INF']) NAMED.set(s, { kind: 'float', value: -Infinity });
/** strconv.ParseInt(s, 0, 64) syntax, after go-yaml v2 drops every `_`. */
const GO_INT = /^[+-]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const GO_YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** A scalar as go-yaml v2 decodes it into an interface{}, or the error it reports. */
function typedScalar(node: Scalar): GoScalar | string {
  const text = String(node.value ?? '');
  const tag = node.tag;
  if (!tag) return node.type === 'PLAIN' ? goResolve(text) : { kind: 'str', value: text };
  // libyaml's tag scanner stops at characters such as `#` and then wants a blank
  if (/[^\w\-;/?:@&=+$,.!~*'()[\]%]/.test(tag.replace(CORE, ''))) return 'did not find expected whitespace or line break';
  const want = tag.startsWith(CORE) ? tag.slice(CORE.length) : '';
  if (!['int', 'float', 'bool', 'null'].includes(want)) return { kind: 'str', value: text }; // !!str, custom tags
  const r = goResolve(text);
  if (r.kind === want || (want === 'int' && ['uint', 'big'].includes(r.kind))) return r;
  if (want === 'float' && r.kind === 'int') return { kind: 'float', value: Number(r.value) };
  return `cannot decode !!${r.kind} \`${text}\` as a !!${want}`;
}

/** go-yaml v2 `resolve` for an untagged plain scalar. Timestamps stay strings for untyped targets. */
function goResolve(s: string): GoScalar {
  const named = NAMED.get(s);
  if (named) return named;
  const str: GoScalar = { kind: 'str', value: s };
  if (s.startsWith('.')) {
    const f = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/.test(s) ? Number(s) : NaN;
    return Number.isFinite(f) ? { kind: 'float', value: f } : str;
  }
  if (!/^[-+0-9]/.test(s)) return str;
  const plain = s.replaceAll('_', '');
  // strconv.ParseFloat reports overflow as an error, and the scalar then is not a float.
  const f = GO_YAML_FLOAT.test(plain) ? Number(plain) : NaN;
  const float: GoScalar | undefined = Number.isFinite(f) ? { kind: 'float', value: f } : undefined;
  if (!GO_INT.test(plain)) return float ?? str;
  const signed = /^[-+]/.test(plain);
  const body = plain.replace(/^[-+]/, '').replace(/^0(?=[0-7])/, '0o').toLowerCase();
  const v = plain.startsWith('-') ? -BigInt(body) : BigInt(body);
  if (v >= -(2n ** 63n) && v < 2n ** 63n) return { kind: 'int', value: v };
  if (!signed && v < 2n ** 64n) return { kind: 'uint', value: v };
  return float ?? (signed ? str : { kind: 'big', value: v });
}

/** strconv.FormatFloat(f, 'g', -1, 32), which sigs.k8s.io/yaml uses for float map keys. */
function goFloat32Key(n: number): string {
  const f = Math.fround(n);
  if (Number.isNaN(f)) return '.nan';
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  let p = 1;
  while (Math.fround(Number(f.toPrecision(p))) !== f) p++;
  const [mantissa = '', e = '0'] = Number(f.toPrecision(p)).toExponential().split('e');
  const exp = Number(e);
  if (exp >= -4 && exp < 6) return String(Number(f.toPrecision(p)));
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function findNonFinite(v: unknown, path: PathSegment[]): { value: number; path: PathSegment[] } | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : { value: v, path };
  if (Array.isArray(v)) {
    for (const [i, item] of v.entries()) {
      const found = findNonFinite(item, [...path, i]);
      if (found) return found;
    }
  } else if (asRecord(v)) {
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
      const found = findNonFinite(item, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}

// ---- pointing at fields ----

/** A scalar of the serialised resource: where it is, what field it is, and how it is written. */
interface ScalarSpan {
  readonly start: number;
  readonly end: number;
  readonly path: PathSegment[];
  readonly key: boolean;
  /**
   * How a value scalar outside flow collections and without tag or anchor is written: plain or quoted
   * on one line, or a literal block (with its text, and its content's indentation and first line).
   */
  readonly style: 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | { value: string; indent: number; contentStart: number } | undefined;
}

/**
 * What substitution starts from for one object: its text as Flux writes it, and (parsed once, on
 * first need) that text read back and the scalars in it. Built objects are shared by every site
 * using the same build, so this is done once per object, not once per site.
 */
interface Template {
  readonly text: string;
  spans?: ScalarSpan[];
  base?: Parsed;
}

const templates = new WeakMap<object, Template>();

function templateOf(obj: Record<string, unknown>): Template {
  let t = templates.get(obj);
  if (!t) {
    t = { text: fluxYaml(obj) };
    templates.set(obj, t);
  }
  return t;
}

function spansOf(t: Template): ScalarSpan[] {
  t.spans ??= scalarSpans(t.text);
  return t.spans;
}

/** Maps an offset in the serialised resource to the path of the scalar (key or value) holding it. */
function locator(t: Template): (offset: number) => string | undefined {
  return (offset) => {
    const spans = spansOf(t);
    const hit = spans.find((s) => offset >= s.start && offset < s.end) ?? spans.filter((s) => s.start <= offset).pop();
    return hit && hit.path.length > 0 ? pathToString(hit.path) : undefined;
  };
}

function scalarSpans(text: string): ScalarSpan[] {
  const spans: ScalarSpan[] = [];
  const style = (node: Scalar, flow: boolean): ScalarSpan['style'] => {
    if (flow || node.tag || node.anchor || !node.range) return undefined;
    const src = text.slice(node.range[0], node.range[1]);
    if (node.type === 'PLAIN' || node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') return src.includes('\n') ? undefined : node.type;
    // a literal block without indentation indicator: its indentation is that of its first line
    const header = /^\|[-+]?\n( +)\S/.exec(src);
    if (node.type !== 'BLOCK_LITERAL' || !header) return undefined;
    return { value: String(node.value), indent: (header[1] as string).length, contentStart: node.range[0] + src.indexOf('\n') + 1 };
  };
  const walk = (node: unknown, path: PathSegment[], flow: boolean): void => {
    if (isMap(node)) {
      const inFlow = flow || Boolean(node.flow);
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const p = [...path, isScalar(key) ? String(key.value) : '?'];
        if (key?.range) spans.push({ start: key.range[0], end: key.range[1], path: p, key: true, style: undefined });
        walk(pair.value, p, inFlow);
      }
    } else if (isSeq(node)) {
      const inFlow = flow || Boolean(node.flow);
      node.items.forEach((item, i) => walk(item, [...path, i], inFlow));
    } else if (isScalar(node) && node.range) {
      spans.push({ start: node.range[0], end: node.range[1], path, key: false, style: style(node, flow) });
    }
  };
  walk(parseDocument(text, { schema: 'failsafe' }).contents, [], false);
  return spans;
}

// ---- the shortcut: patch the fields that changed ----

/**
 * The substituted resource without re-reading its whole text, when that gives the same result: every
 * piece envsubst changed lies inside one value scalar — plain or quoted on one line, or one line of a
 * literal block — and its new text is one that go-yaml and `yaml` both read as a scalar of the same
 * style (no indicator, comment, `: `, quote, escape or line break that could change the structure).
 * Those fields are re-typed the way parseBack types them; everything else comes from the
 * unsubstituted text read back once per object. Undefined when the shortcut does not apply (the
 * caller then re-reads the whole text).
 */
function patchTemplate(t: Template, result: EnvsubstResult): Record<string, unknown> | undefined {
  const { text } = t;
  t.base ??= frozen(parseBack(text));
  if (!('object' in t.base)) return undefined;
  const changes: Replacement[] = [];
  for (const piece of result.pieces) {
    const out = result.output.slice(piece.outStart, piece.outEnd);
    if (piece.kind === 'expression') changes.push({ start: piece.inStart, end: piece.inEnd, with: out });
    else if (out !== text.slice(piece.inStart, piece.inEnd)) {
      const collapsed = collapsedDollars(text, piece, out);
      if (!collapsed) return undefined;
      changes.push(...collapsed);
    }
  }
  if (changes.length === 0) return t.base.object;
  const spans = spansOf(t);
  const bySpan = new Map<ScalarSpan, Replacement[]>();
  for (const change of changes) {
    const span = spans.find((s) => s.start <= change.start && change.end <= s.end);
    if (!span || span.key || !span.style) return undefined;
    bySpan.set(span, [...(bySpan.get(span) ?? []), change]);
  }
  const out = copyOnWrite(t.base.object);
  for (const [span, replaced] of bySpan) {
    const value = typeof span.style === 'object' ? blockValue(text, span.style, replaced) : flowValue(span.style as Scalar.Type, splice(text, span.start, span.end, replaced));
    if (value === undefined) return undefined;
    out.set(span.path, value.v);
  }
  return out.root;
}

/**
 * The changes envsubst made inside a piece of literal text: each `$$` (taken left to right) became `$`.
 * One replacement per `$$`, so a collapse inside a multi-line block stays on its line; undefined if the
 * piece's output is not exactly that.
 */
function collapsedDollars(text: string, piece: Piece, out: string): Replacement[] | undefined {
  const replaced: Replacement[] = [];
  let expected = '';
  let at = piece.inStart;
  for (let i = text.indexOf('$$', at); i >= 0 && i + 1 < piece.inEnd; i = text.indexOf('$$', at)) {
    replaced.push({ start: i, end: i + 2, with: '$' });
    expected += `${text.slice(at, i)}$`;
    at = i + 2;
  }
  expected += text.slice(at, piece.inEnd);
  return expected === out ? replaced : undefined;
}

/** The read-back template is shared by every site substituting the object: nobody may change it. */
function frozen(p: Parsed): Parsed {
  return 'object' in p ? { object: deepFreeze(p.object) } : p;
}

interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly with: string;
}

/** text[start, end) with the replacements (sorted, inside it) made. */
function splice(text: string, start: number, end: number, replaced: readonly Replacement[]): string {
  let out = '';
  let at = start;
  for (const r of replaced) {
    out += text.slice(at, r.start) + r.with;
    at = r.end;
  }
  return out + text.slice(at, end);
}

/**
 * A literal block's new text: each replacement stays on its line, inside the content (not in the
 * indentation, not at the start of the first line, which sets the indentation), adds no line break or
 * unprintable character, and leaves no line blank (blank lines are where chomping and indentation rules
 * would come in).
 */
function blockValue(text: string, block: { value: string; indent: number; contentStart: number }, replaced: readonly Replacement[]): { v: string } | undefined {
  const byLine = new Map<number, Replacement[]>();
  for (const r of replaced) {
    if (!Array.from(r.with).every((c) => isPrintable(c) && c !== '\n') || text.slice(r.start, r.end).includes('\n')) return undefined;
    const lineStart = text.lastIndexOf('\n', r.start - 1) + 1;
    if (r.start - lineStart < block.indent || (lineStart === block.contentStart && r.start - lineStart === block.indent)) return undefined;
    byLine.set(lineStart, [...(byLine.get(lineStart) ?? []), r]);
  }
  let value = block.value;
  for (const [lineStart, rs] of [...byLine].reverse()) {
    const lineEnd = text.indexOf('\n', lineStart);
    const content = text.slice(lineStart + block.indent, lineEnd < 0 ? text.length : lineEnd);
    // where the line is in the value: the lines before it, each without its indentation, and their breaks
    let at = 0;
    for (let l = block.contentStart; l < lineStart; l = text.indexOf('\n', l) + 1) at += Math.max(0, text.indexOf('\n', l) - l - block.indent) + 1;
    if (content.trim() === '' || value.slice(at, at + content.length) !== content) return undefined;
    const newLine = splice(text, lineStart + block.indent, lineStart + block.indent + content.length, rs);
    if (newLine.trim() === '') return undefined;
    value = value.slice(0, at) + newLine + value.slice(at + content.length);
  }
  return { v: value };
}

/** The value go-yaml gives a scalar written as `src` in the given style, or undefined if `src` might not be one. */
function flowValue(style: Scalar.Type, src: string): { v: unknown } | undefined {
  const chars = Array.from(src);
  if (!chars.every((c) => isPrintable(c) && c !== '\n')) return undefined;
  if (style === 'QUOTE_DOUBLE') return /^"[^"\\]*"$/.test(src) ? { v: src.slice(1, -1) } : undefined;
  if (style === 'QUOTE_SINGLE') return /^'[^']*'$/.test(src) ? { v: src.slice(1, -1) } : undefined;
  if (!SAFE_PLAIN.test(src) || src.includes(': ') || src.endsWith(':') || src.includes(' #') || src.endsWith(' ')) return undefined;
  const typed = goResolve(src);
  const v = typeof typed.value === 'bigint' ? Number(typed.value) : typed.value;
  return typeof v === 'number' && !Number.isFinite(v) ? undefined : { v };
}

/** A plain scalar that cannot start with an indicator (a leading `-` only before a non-blank: block context). */
const SAFE_PLAIN = /^(?:[^-?:,[\]{}#&*!|>'"%@`\s]|-[^\s])/;

/** Sets fields of a shared object tree, copying only the containers on the way to them. */
function copyOnWrite(source: Record<string, unknown>): { root: Record<string, unknown>; set: (path: readonly PathSegment[], value: unknown) => void } {
  const copies = new Set<object>();
  const copy = <T extends object>(o: T): T => {
    const c = (Array.isArray(o) ? [...o] : { ...o }) as T;
    copies.add(c);
    return c;
  };
  const root = copy(source);
  return {
    root,
    set(path, value) {
      let cur = root as Record<PathSegment, unknown>;
      path.forEach((seg, n) => {
        if (n === path.length - 1) {
          cur[seg] = value;
          return;
        }
        let next = cur[seg] as Record<PathSegment, unknown>;
        if (!copies.has(next)) {
          next = copy(next);
          cur[seg] = next;
        }
        cur = next;
      });
    },
  };
}

/**
 * Where in the unsubstituted text an offset of the substituted text came from. A YAML error is
 * blamed on the last substitution at or before it: the text was valid YAML before substituting.
 */
function sourceOffset(result: EnvsubstResult, outOffset: number): number | undefined {
  const before = result.pieces.filter((p) => p.kind === 'expression' && p.outStart <= outOffset);
  return before.pop()?.inStart;
}
