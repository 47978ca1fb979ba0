/**
 * The `${...}` expansion kustomize-controller runs over a resource's YAML text for `spec.postBuild`.
 *
 * Behaviour follows fluxcd/pkg `envsubst` (Flux's fork of drone/envsubst: parse/scan.go, parse/parse.go,
 * template.go, funcs.go), including its departures from bash, which the tests pin down:
 * - only `${...}` expands; a bare `$VAR` stays literal text;
 * - `$$` becomes `$` anywhere in the text, so `$${VAR}` yields a literal `${VAR}`;
 * - `${v-x}`, `${v+x}`, `${v?x}` (no colon) are syntax errors ("missing closing brace");
 * - every default-style operator (`=`, `:=`, `:-`, `:+`, `:?`) means "the value if non-empty, else the
 *   default": `:+` does not swap in the alternative and `:?` does not fail;
 * - arguments, including nested `${...}` in a default, are evaluated before the operator is applied;
 * - `${#v}` and `${v:offset:length}` count UTF-8 bytes (Go strings), not characters;
 * - `#`, `##`, `%`, `%%` take a glob in which `*` and `?` also match `/`, tried on byte prefixes (so
 *   `${v#?}` can cut a character in half); the `%` forms reverse value and pattern, trim a prefix and
 *   reverse back, as the Go code does;
 * - a result that is not UTF-8 fails, as go-yaml then rejects the text.
 * Checked against the Go code itself (fork sources + drone's glob package) on tens of thousands of
 * generated inputs; the one known gap is case mapping, done per character as Go's is but with
 * JavaScript's tables.
 */

const EOF = -1;
const DOLLAR = 0x24;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const COLON = 0x3a;
const HASH = 0x23;
const PERCENT = 0x25;
const EQUALS = 0x3d;
const COMMA = 0x2c;
const CARET = 0x5e;

/** A variable reference met while expanding; `offset` is where its `${` starts in the input. */
export interface VariableReference {
  readonly name: string;
  /** The operator, e.g. `''` for `${v}`, `:-` for `${v:-x}`, `#` for `${#v}`. */
  readonly operator: string;
  readonly offset: number;
  readonly defined: boolean;
}

export interface EnvsubstProblem {
  /** `syntax`: Flux rejects the text before expanding anything. `encoding`: the result is not UTF-8. */
  readonly kind: 'syntax' | 'encoding';
  readonly message: string;
  readonly offset: number;
}

/** One top-level piece of the input (literal text or a `${...}` expression) and where it landed. */
export interface Piece {
  readonly kind: 'text' | 'expression';
  readonly inStart: number;
  readonly inEnd: number;
  readonly outStart: number;
  readonly outEnd: number;
}

export interface EnvsubstResult {
  /** The expanded text; the input itself when there is a syntax problem. */
  readonly output: string;
  readonly references: readonly VariableReference[];
  readonly problems: readonly EnvsubstProblem[];
  readonly pieces: readonly Piece[];
  /** Offsets of `$$` not followed by `{`: Flux turns them into a single `$` too. */
  readonly collapsedDollars: readonly number[];
}

/** Operators that supply their own value when the variable is unset, so strict mode lets them pass. */
export function isDefaultOperator(operator: string): boolean {
  return ['-', '+', '=', '?', ':-', ':+', ':=', ':?'].includes(operator);
}

/** Expands `text`. `lookup` returns undefined for a variable that is not set. */
export function envsubst(text: string, lookup: (name: string) => string | undefined): EnvsubstResult {
  const parser = new Parser(text);
  let nodes: Node[];
  try {
    nodes = parser.parseAll();
  } catch (e) {
    if (!(e instanceof SyntaxProblem)) throw e;
    const problem = { kind: 'syntax' as const, message: e.message, offset: e.offset };
    return { output: text, references: [], problems: [problem], pieces: [], collapsedDollars: [] };
  }
  const ctx: EvalContext = { lookup, references: [] };
  const pieces: Piece[] = [];
  let output = '';
  let firstStray: number | undefined;
  for (const node of nodes) {
    const value = evaluate(node, ctx);
    if (firstStray === undefined && STRAY_RE.test(value)) firstStray = node.start;
    const kind = node.kind === 'text' ? 'text' : 'expression';
    pieces.push({ kind, inStart: node.start, inEnd: node.end, outStart: output.length, outEnd: output.length + value.length });
    output += value;
  }
  const finished = finish(output);
  const problems: EnvsubstProblem[] = [];
  if (finished === undefined) {
    const message = 'a substring or pattern cut a multi-byte character: the result is not valid UTF-8';
    problems.push({ kind: 'encoding', message, offset: firstStray ?? 0 });
  }
  return {
    output: finished ?? output.replace(new RegExp(STRAY_RE.source, 'gu'), '\uFFFD'),
    references: ctx.references,
    problems,
    pieces,
    collapsedDollars: parser.collapsed,
  };
}

// ---- parsing: a hand-written scanner with the same token rules as the Go one ----

type Node = TextNode | FuncNode;
interface TextNode {
  readonly kind: 'text';
  readonly value: string;
  readonly start: number;
  readonly end: number;
}
interface FuncNode {
  readonly kind: 'func';
  readonly name: string;
  readonly operator: string;
  readonly args: readonly Node[];
  readonly start: number;
  readonly end: number;
}

/** Which runes continue an identifier-like token; `i` is the token length so far, including this rune. */
type Accept = (c: number, i: number) => boolean;

interface Mode {
  readonly accept?: Accept;
  readonly lbrack?: boolean;
  readonly rbrack?: boolean;
  /** `$$` escapes in plain text; replacement patterns also honour `\/` and `\\`. */
  readonly escape?: 'dollar' | 'all';
}

type Token = { kind: 'eof' | 'lbrack' | 'rbrack' | 'illegal' } | { kind: 'ident'; text: string };

class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const isIdent: Accept = (c) => /^[\p{L}\p{Nd}_]$/u.test(String.fromCodePoint(c));
const notClosing: Accept = (c) => c !== RBRACE;
const oneOf = (chars: string): ((c: number) => boolean) => (c) => chars.includes(String.fromCodePoint(c));

/**
 * Expressions nested deeper than this are refused as a syntax problem: Flux's envsubst has no limit,
 * but recursion 3,000 deep (`${a:=${a:=${...}}}`) overflows our stack, and no manifest needs more.
 */
export const MAX_NESTING = 100;

class Parser {
  private pos = 0;
  private depth = 0;
  private exprStart = 0;
  readonly collapsed: number[] = [];

  constructor(private readonly src: string) {}

  parseAll(): Node[] {
    const nodes: Node[] = [];
    for (;;) {
      const start = this.pos;
      const tok = this.scan({ accept: () => true, lbrack: true, escape: 'dollar' });
      if (tok.kind === 'eof') return nodes;
      if (tok.kind === 'ident') nodes.push({ kind: 'text', value: tok.text, start, end: this.pos });
      else if (tok.kind === 'lbrack') {
        this.exprStart = start;
        nodes.push(this.parseFunc(start));
      } else throw this.fail('bad substitution');
    }
  }

  private fail(message: string): SyntaxProblem {
    const snippet = this.src.slice(this.exprStart, Math.min(this.pos + 1, this.exprStart + 60));
    return new SyntaxProblem(`${message} near ${JSON.stringify(snippet)}`, this.exprStart);
  }

  private read(): number {
    const c = this.src.codePointAt(this.pos);
    if (c === undefined) return EOF;
    this.pos += c > 0xffff ? 2 : 1;
    return c;
  }

  private peek(offset = 0): number {
    return this.src.codePointAt(this.pos + offset) ?? EOF;
  }

  private scan(mode: Mode): Token {
    const start = this.pos;
    const c = this.read();
    if (c === EOF) return { kind: 'eof' };
    if (mode.lbrack && c === DOLLAR && this.peek() === LBRACE) {
      this.pos++;
      return { kind: 'lbrack' };
    }
    if (mode.rbrack && c === RBRACE) return { kind: 'rbrack' };
    if (mode.accept) return this.scanIdent(c, start, mode);
    return { kind: 'illegal' };
  }

  private scanIdent(first: number, start: number, mode: Mode): Token {
    const accept = mode.accept as Accept;
    let text = '';
    if (this.isEscape(first, mode)) text += String.fromCodePoint(this.read());
    else if (accept(first, this.pos - start)) text += String.fromCodePoint(first);
    else return { kind: 'illegal' };
    for (;;) {
      const at = this.pos;
      const c = this.read();
      if (c === EOF) break;
      if (mode.lbrack && c === DOLLAR && this.peek() === LBRACE) {
        this.pos = at;
        break;
      }
      if (this.isEscape(c, mode)) {
        text += String.fromCodePoint(this.read());
        continue;
      }
      if (!accept(c, this.pos - start)) {
        this.pos = at;
        break;
      }
      text += String.fromCodePoint(c);
    }
    return { kind: 'ident', text };
  }

  /** Called with `c` just read; the escaped rune is the next one. */
  private isEscape(c: number, mode: Mode): boolean {
    if (!mode.escape) return false;
    const next = this.peek();
    if (c === DOLLAR && next === DOLLAR) {
      if (mode.escape === 'dollar' && this.peek(1) !== LBRACE) this.collapsed.push(this.pos - 1);
      return true;
    }
    return mode.escape === 'all' && c === BACKSLASH && (next === SLASH || next === BACKSLASH);
  }

  private func(name: string, operator: string, args: Node[], start: number): FuncNode {
    return { kind: 'func', name, operator, args, start, end: this.pos };
  }

  private parseFunc(start: number): FuncNode {
    if (this.depth >= MAX_NESTING) throw new SyntaxProblem(`substitutions nested more than ${MAX_NESTING} deep`, start);
    this.depth++;
    try {
      return this.parseFuncBody(start);
    } finally {
      this.depth--;
    }
  }

  private parseFuncBody(start: number): FuncNode {
    if (this.peek() === HASH) return this.parseLength(start);
    const name = this.scan({ accept: isIdent });
    if (name.kind !== 'ident') throw this.fail('unable to parse variable name');
    switch (this.peek()) {
      case COLON: {
        const afterColon = this.peek(1);
        return afterColon >= 0 && oneOf('=-?+')(afterColon)
          ? this.parseDefault(name.text, start)
          : this.parseSubstring(name.text, start);
      }
      case EQUALS:
        return this.parseDefault(name.text, start);
      case COMMA:
      case CARET:
        return this.parseOperatorOnly(name.text, start, (c, i) => (c === COMMA || c === CARET) && i < 3);
      case SLASH:
        return this.parseReplace(name.text, start);
      case HASH:
      case PERCENT: {
        const mark = this.peek();
        return this.parseTrim(name.text, start, (c, i) => c === mark && i < 3);
      }
    }
    if (this.scan({ rbrack: true }).kind !== 'rbrack') throw this.fail('missing closing brace');
    return this.func(name.text, '', [], start);
  }

  private parseParam(accept: Accept, escape?: 'all'): Node {
    const start = this.pos;
    const tok = this.scan({ accept, lbrack: true, escape });
    if (tok.kind === 'lbrack') return this.parseFunc(start);
    if (tok.kind === 'ident') return { kind: 'text', value: tok.text, start, end: this.pos };
    throw this.fail('unable to parse substitution within function');
  }

  private operator(accept: Accept, message = 'bad substitution'): string {
    const tok = this.scan({ accept });
    if (tok.kind !== 'ident') throw this.fail(message);
    return tok.text;
  }

  private closeBrace(): void {
    if (this.scan({ rbrack: true }).kind !== 'rbrack') throw this.fail('bad substitution');
  }

  /** `${v:offset}`, `${v:offset:length}` */
  private parseSubstring(name: string, start: number): FuncNode {
    const op = this.operator((c, i) => i === 1 && c === COLON);
    const args = [this.parseParam((c) => c !== COLON && c !== RBRACE)];
    const delimiter = this.scan({ accept: (c) => c === COLON, rbrack: true });
    if (delimiter.kind === 'rbrack') return this.func(name, op, args, start);
    if (delimiter.kind !== 'ident') throw this.fail('bad substitution');
    args.push(this.parseParam(notClosing));
    this.closeBrace();
    return this.func(name, op, args, start);
  }

  /** `${v#glob}`, `${v##glob}`, `${v%glob}`, `${v%%glob}` */
  private parseTrim(name: string, start: number, accept: Accept): FuncNode {
    const op = this.operator(accept);
    const args = [this.parseParam(notClosing)];
    this.closeBrace();
    return this.func(name, op, args, start);
  }

  /** `${v/old/new}`, `${v//old/new}`, `${v/#old/new}`, `${v/%old/new}` */
  private parseReplace(name: string, start: number): FuncNode {
    const op = this.operator((c, i) => (i === 1 && c === SLASH) || (i === 2 && oneOf('/#%')(c)));
    const args: Node[] = [];
    if (this.peek() === SLASH) args.push({ kind: 'text', value: '', start: this.pos, end: this.pos });
    else args.push(this.parseParam((c) => c !== SLASH, 'all'));
    this.operator((c) => c === SLASH); // the delimiter; a run of slashes is consumed whole, as in Go
    if (this.peek() !== RBRACE) args.push(this.parseParam(notClosing, 'all'));
    this.closeBrace();
    return this.func(name, op, args, start);
  }

  /** `${v=x}`, `${v:=x}`, `${v:-x}`, `${v:+x}`, `${v:?x}`; the default may hold nested expressions. */
  private parseDefault(name: string, start: number): FuncNode {
    const accept: Accept =
      this.peek() === EQUALS
        ? (c, i) => i === 1 && c === EQUALS
        : (c, i) => (i === 1 && c === COLON) || (i === 2 && oneOf('=-?+')(c));
    const op = this.operator(accept, 'unable to parse default function');
    const args: Node[] = [];
    while (this.peek() !== RBRACE) args.push(this.parseParam(notClosing));
    this.closeBrace();
    return this.func(name, op, args, start);
  }

  /** `${v^}`, `${v^^}`, `${v,}`, `${v,,}` */
  private parseOperatorOnly(name: string, start: number, accept: Accept): FuncNode {
    const op = this.operator(accept);
    this.closeBrace();
    return this.func(name, op, [], start);
  }

  /** `${#v}` */
  private parseLength(start: number): FuncNode {
    const op = this.operator((c, i) => c === HASH && i === 1);
    const name = this.operator(isIdent);
    this.closeBrace();
    return this.func(name, op, [], start);
  }
}

// ---- evaluation ----

interface EvalContext {
  readonly lookup: (name: string) => string | undefined;
  readonly references: VariableReference[];
}

function evaluate(node: Node, ctx: EvalContext): string {
  if (node.kind === 'text') return node.value;
  const args = node.args.map((arg) => evaluate(arg, ctx));
  const value = ctx.lookup(node.name);
  ctx.references.push({ name: node.name, operator: node.operator, offset: node.start, defined: value !== undefined });
  return apply(node.operator, value ?? '', args);
}

function apply(op: string, s: string, args: string[]): string {
  const [a0 = '', a1 = ''] = args;
  switch (op) {
    case ',':
      return mapRunes(s, (c) => c.toLowerCase(), 1);
    case ',,':
      return mapRunes(s, (c) => c.toLowerCase());
    case '^':
      return mapRunes(s, (c) => c.toUpperCase(), 1);
    case '^^':
      return mapRunes(s, (c) => c.toUpperCase());
    case '#':
    case '##':
      if (op === '#' && args.length === 0) return String(utf8(s).length);
      return goString(trimPrefix(utf8(s), a0, op === '#'));
    case '%':
    case '%%': // as the Go code does: reverse both, trim a prefix, reverse back (bad bytes become U+FFFD)
      return goString(goReverse(trimPrefix(goReverse(utf8(s)), goString(goReverse(utf8(a0))), op === '%')));
    case ':':
      return substring(s, args);
    case '/':
      return args.length === 0 ? s : replace(s, a0, a1, 1);
    case '//':
      return args.length === 0 ? s : replace(s, a0, a1, -1);
    case '/#':
      return args.length === 2 && s.startsWith(a0) ? replace(s, a0, a1, 1) : s;
    case '/%':
      return args.length === 2 && s.endsWith(a0) ? s.slice(0, s.length - a0.length) + a1 : s;
    default: // '', every default operator, and odd operators such as `,^`
      return s === '' && args.length > 0 ? args.join('') : s;
  }
}

/** Go maps case rune by rune (unicode.ToUpper), never turning one rune into several as `ß` → `SS`. */
function mapRunes(s: string, f: (c: string) => string, count = Infinity): string {
  return Array.from(s)
    .map((c, i) => (i < count && Array.from(f(c)).length === 1 ? f(c) : c))
    .join('');
}

// Go strings are bytes, and the Go code slices them. A stray byte (half a character) is carried as a
// private-use marker so that pieces can still join up; only the final text must be UTF-8 (`finish`).
const STRAY = 0x10ff00;
const STRAY_RE = /[\u{10ff00}-\u{10ffff}]/u;

function utf8(s: string): Uint8Array {
  if (!STRAY_RE.test(s)) return new TextEncoder().encode(s);
  const out: number[] = [];
  for (const c of s) {
    const cp = c.codePointAt(0) as number;
    out.push(...(cp >= STRAY ? [cp - STRAY] : new TextEncoder().encode(c)));
  }
  return Uint8Array.from(out);
}

function goString(bytes: Uint8Array): string {
  return decodeRunes(bytes)
    .map(([cp, ok]) => String.fromCodePoint(ok ? cp : STRAY + cp))
    .join('');
}

/** Go's decoding into runes (`[]rune(s)`, `range s`): a bad byte is U+FFFD and one byte long. */
function goRunes(bytes: Uint8Array): number[] {
  return decodeRunes(bytes).map(([cp, ok]) => (ok ? cp : 0xfffd));
}

/** [code point, true] per character, or [byte, false] per byte that is not part of one. */
function decodeRunes(b: Uint8Array): [number, boolean][] {
  const out: [number, boolean][] = [];
  for (let i = 0; i < b.length; ) {
    const b0 = b[i] as number;
    const more = b0 < 0x80 ? 0 : b0 >= 0xc2 && b0 < 0xe0 ? 1 : b0 >= 0xe0 && b0 < 0xf0 ? 2 : b0 >= 0xf0 && b0 < 0xf5 ? 3 : -1;
    let cp = more <= 0 ? b0 : b0 & (0x3f >> more);
    let ok = more >= 0;
    for (let k = 1; ok && k <= more; k++) {
      const c = b[i + k];
      ok = c !== undefined && (c & 0xc0) === 0x80;
      cp = (cp << 6) | ((c ?? 0) & 0x3f);
    }
    ok &&= !(more === 2 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) && !(more === 3 && (cp < 0x10000 || cp > 0x10ffff));
    out.push(ok ? [cp, true] : [b0, false]);
    i += ok ? more + 1 : 1;
  }
  return out;
}

/** The finished text: stray bytes that joined into characters become those; undefined if any is left. */
function finish(s: string): string | undefined {
  if (!STRAY_RE.test(s)) return s;
  const joined = goString(utf8(s));
  return STRAY_RE.test(joined) ? undefined : joined;
}

function goReverse(b: Uint8Array): Uint8Array {
  return utf8(String.fromCodePoint(...goRunes(b).reverse()));
}

/** Go's strings.Replace: an empty `old` matches before every rune and at the end. */
function replace(s: string, old: string, replacement: string, n: 1 | -1): string {
  if (old === '') return n === 1 ? replacement + s : replacement + Array.from(s).join(replacement) + (s ? replacement : '');
  if (n === -1) return s.split(old).join(replacement);
  const i = s.indexOf(old);
  return i < 0 ? s : s.slice(0, i) + replacement + s.slice(i + old.length);
}

/** Go's strconv.Atoi: optional sign, decimal digits, 64-bit range. */
function atoi(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n > 2n ** 63n - 1n || n < -(2n ** 63n) ? undefined : Number(n);
}

/** `${v:pos}` / `${v:pos:len}` on bytes; unparsable numbers leave the value as it is. */
function substring(s: string, args: string[]): string {
  const p = atoi(args[0] ?? '');
  if (p === undefined) return s;
  const bytes = utf8(s);
  const n = bytes.length;
  const pos = p < 0 ? Math.max(0, n + p) : p;
  let from = pos;
  let to = n;
  if (args.length > 1) {
    const len = atoi(args[1] ?? '');
    if (len === undefined) return s;
    if (len < 0) to = n + len < pos ? pos : n + len;
    else if (pos + len < n) to = pos + len;
  }
  if (from >= n || to < from) from = to = 0;
  return goString(bytes.subarray(from, to));
}

/**
 * Strips the shortest or longest non-empty byte prefix that matches `glob` (as the Go loop does, so a
 * `?` can match half a character); a malformed glob strips nothing.
 */
function trimPrefix(b: Uint8Array, glob: string, shortest: boolean): Uint8Array {
  const re = globToRegExp(glob);
  if (!re) return b;
  let cut = 0;
  for (let k = b.length; k > 0; k--) {
    if (!re.test(String.fromCodePoint(...goRunes(b.subarray(0, k))))) continue;
    cut = k;
    if (!shortest) break;
  }
  return b.subarray(cut);
}

/**
 * Go path.Match syntax (`*`, `?`, `[^a-z]`, `\c`) with `/` not special: the fork's tests expect
 * `${f##*\/}` on "/path/to/file" to give "file". Undefined for a malformed pattern.
 */
function globToRegExp(glob: string): RegExp | undefined {
  const g = Array.from(glob);
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i] as string;
    if (c === '*') re += '[^]*';
    else if (c === '?') re += '[^]';
    else if (c === '\\') {
      if (++i >= g.length) return undefined;
      re += escapeRegExp(g[i] as string);
    } else if (c !== '[') re += escapeRegExp(c);
    else {
      let cls = g[i + 1] === '^' ? '^' : '';
      i += cls ? 2 : 1;
      for (let count = 0; g[i] !== ']' || count === 0; count++) {
        const lo = classChar(g, i);
        if (!lo) return undefined;
        i = lo.next;
        let hi = lo;
        if (g[i] === '-') {
          const h = classChar(g, i + 1);
          if (!h) return undefined;
          i = h.next;
          hi = h;
        }
        // Go accepts an inverted range and lets it match nothing.
        if (lo.code <= hi.code) cls += `\\u{${lo.code.toString(16)}}-\\u{${hi.code.toString(16)}}`;
      }
      re += `[${cls}]`;
    }
  }
  return new RegExp(`^${re}$`, 'u');
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** One character of a class, possibly `\\`-escaped; a class must still be closed after it. */
function classChar(g: readonly string[], i: number): { code: number; next: number } | undefined {
  let c = g[i];
  if (c === undefined || c === '-' || c === ']') return undefined;
  if (c === '\\') c = g[++i];
  return c === undefined || i + 1 >= g.length ? undefined : { code: c.codePointAt(0) as number, next: i + 1 };
}
