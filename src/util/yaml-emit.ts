/**
 * A fast writer for the plain data synth renders, giving exactly the text of
 * `yaml.stringify(value, { lineWidth: 0 })` (property-tested against it) for the shapes it knows:
 * block mappings and sequences, empty `{}` / `[]`, null, booleans, safe integers, one-line strings
 * of printable ASCII (plain or quoted), and multi-line strings written as literal blocks. Anything
 * else — a float, a sequence directly inside a sequence, a non-ASCII character — makes
 * it give up (undefined) and the caller uses `yaml` itself. `yaml` builds a document model for every
 * file; for synth's many small, regular files that model is most of the cost of rendering them.
 */
export function emitYaml(value: unknown): string | undefined {
  if (!isMap(value)) return undefined;
  const out: string[] = [];
  seen.clear();
  const ok = emitMap(value, '', out);
  seen.clear();
  return ok ? out.join('') : undefined;
}

/**
 * Collections met so far in this call: one met twice is where `yaml` (unless told not to) writes an
 * anchor and an alias, so the writer gives up.
 */
const seen = new Set<object>();

type Map = Record<string, unknown>;

function isMap(v: unknown): v is Map {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Writes the entries of a non-empty map, each line starting at `indent` (the first after `first`). */
function emitMap(map: Map, indent: string, out: string[], first?: string): boolean {
  const keys = Object.keys(map);
  if (keys.length === 0 || seen.has(map)) return false;
  seen.add(map);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = map[key];
    const k = text(key);
    if (value === undefined || k === undefined) return false;
    out.push(i === 0 && first !== undefined ? first : indent, k, ':');
    if (!emitValue(value, indent, out)) return false;
  }
  return true;
}

/** Writes what follows `key:` (or `-`): a scalar on the same line, or a block below it. */
function emitValue(value: unknown, indent: string, out: string[]): boolean {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(' []\n');
      return true;
    }
    out.push('\n');
    return emitSeq(value, indent + '  ', out);
  }
  if (isMap(value)) {
    if (Object.keys(value).length === 0) {
      out.push(' {}\n');
      return true;
    }
    out.push('\n');
    return emitMap(value, indent + '  ', out);
  }
  const s = scalar(value, indent + '  ');
  if (s === undefined) return false;
  out.push(' ', s, '\n');
  return true;
}

function emitSeq(seq: readonly unknown[], indent: string, out: string[]): boolean {
  if (seen.has(seq)) return false;
  seen.add(seq);
  for (const item of seq) {
    if (isMap(item) && Object.keys(item).length > 0) {
      if (!emitMap(item, indent + '  ', out, indent + '- ')) return false;
    } else if (Array.isArray(item) && item.length > 0) {
      return false;
    } else {
      out.push(indent, '-');
      if (!emitValue(item, indent, out)) return false;
    }
  }
  return true;
}

/** A scalar's text, `indent` being where a literal block's lines start; undefined outside the known shapes. */
function scalar(v: unknown, indent: string): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : undefined;
  if (typeof v !== 'string') return undefined;
  return v.includes('\n') ? literal(v, indent) : text(v);
}

/**
 * One line of printable ASCII as `yaml` writes it: plain unless it starts with an indicator, holds
 * `: ` or ` #`, ends in a space or colon, or reads as null, a boolean or a number; then in double
 * quotes (single quotes when it holds a double quote and no single one).
 */
function text(s: string): string | undefined {
  if (!/^[\x20-\x7e]*$/.test(s) || s.startsWith('---') || s.startsWith('...')) return undefined;
  if (!NEEDS_QUOTES.test(s) && !OTHER_TYPE.test(s)) return s;
  return s.includes('"') && !s.includes("'") ? `'${s}'` : JSON.stringify(s);
}

const NEEDS_QUOTES = /^[ ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-] |: | #|[ :]$/;
/** What YAML 1.2's core schema reads as null, a boolean or a number. */
const OTHER_TYPE = /^(?:|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** A multi-line string as a literal block: `|` (one final line break) or `|-` (none). */
function literal(s: string, indent: string): string | undefined {
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  if (body === '' || body.endsWith('\n') || body.startsWith(' ') || body.startsWith('\n')) return undefined;
  const lines = body.split('\n');
  if (!lines.every((l) => LITERAL_LINE.test(l))) return undefined;
  return `${s.endsWith('\n') ? '|' : '|-'}\n${lines.map((l) => (l === '' ? '' : indent + l)).join('\n')}`;
}

/** A line of a literal block: printable ASCII, not ending in a space. */
const LITERAL_LINE = /^(?:[\x20-\x7e]*[\x21-\x7e])?$/;
