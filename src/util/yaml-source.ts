import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type Node } from 'yaml';
import { MAX_PROBLEMS_PER_FILE, type InputProblem, type SourceLocation } from './errors.js';

export { MAX_PROBLEMS_PER_FILE };

/** A YAML document together with what is needed to point at any field in it. */
export interface SourceDocument {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  /** Plain JS value of the document. */
  readonly value: unknown;
}

export type PathSegment = string | number;

export interface ParsedFile {
  readonly documents: SourceDocument[];
  readonly problems: InputProblem[];
}

/** Alias expansions allowed per document: more is an alias bomb ("billion laughs"), not a manifest. */
export const MAX_ALIAS_COUNT = 100;
const TOO_DEEP = 'invalid YAML: nested too deeply to read (collections inside collections, hundreds of levels)';

/**
 * Parses every document of a YAML file, keeping positions. Duplicate keys are an error (as they are
 * for the API server's strict decoding); syntax errors are reported with their position. Merge keys
 * (`<<: *x`) are honoured, as Kubernetes' YAML decoder does; empty documents are skipped. An alias
 * whose anchor is missing (or is in another document: anchors do not cross `---`) is an error at the
 * alias; so is an alias bomb.
 */
export function parseYamlFile(file: string, text: string): ParsedFile {
  const lines = new LineCounter();
  const problems: InputProblem[] = [];
  let docs: Document.Parsed[] | Document.Parsed;
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, merge: true }) as Document.Parsed[] | Document.Parsed;
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return { documents: [], problems: [{ file, line: 1, column: 1, path: '', message: TOO_DEEP }] };
  }
  let dropped = 0;
  const add = (offset: number, contents: Node | null, message: string): void => {
    if (problems.length >= MAX_PROBLEMS_PER_FILE) {
      dropped++;
      return;
    }
    const pos = lines.linePos(offset);
    problems.push({ file, line: pos.line, column: pos.col, path: pathToString(pathAtOffset(contents, offset)), message });
  };
  const documents: SourceDocument[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const contents = doc.contents as Node | null;
    for (const err of doc.errors) add(err.pos[0], contents, yamlMessage(err.message));
    if (doc.errors.length > 0) continue;
    if (contents === null) continue; // an empty document between separators
    let unresolved: { offset: number; source: string }[];
    try {
      unresolved = unresolvedAliases(doc);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      add(contents.range?.[0] ?? doc.range[0], null, TOO_DEEP);
      continue;
    }
    for (const a of unresolved) add(a.offset, contents, `invalid YAML: alias *${a.source} has no anchor &${a.source} before it in this document (anchors do not carry across ---)`);
    if (unresolved.length > 0) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      add(
        contents.range?.[0] ?? doc.range[0],
        null,
        err instanceof RangeError
          ? TOO_DEEP
          : /alias count/i.test(message)
            ? `invalid YAML: aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} alias uses; an alias bomb?)`
            : `invalid YAML: ${message.split('\n')[0]}`,
      );
      continue;
    }
    if (value === null || value === undefined) continue; // a document of only comments, or `--- null`
    documents.push({ file, doc, lines, value });
  }
  if (dropped > 0) {
    const last = problems[problems.length - 1];
    problems.push({ file, line: last?.line ?? 1, column: last?.column ?? 1, path: '', message: `${dropped} more YAML problem(s) in this file not shown` });
  }
  return { documents, problems };
}

function unresolvedAliases(doc: Document.Parsed): { offset: number; source: string }[] {
  const out: { offset: number; source: string }[] = [];
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.resolve(doc) === undefined) out.push({ offset: node.range?.[0] ?? 0, source: node.source });
    },
  });
  return out;
}

/**
 * The documents of a file whose values are already known (synth just built them, and the file holds
 * exactly what synth renders): positions are only needed where a finding is reported, so the file is
 * parsed on the first use of `doc` or `lines`, once for all its documents.
 */
export function knownSourceDocuments(file: string, text: string, values: readonly unknown[]): SourceDocument[] {
  let parsed: ParsedFile | undefined;
  const parsedDoc = (i: number): SourceDocument => {
    parsed ??= parseYamlFile(file, text);
    const d = parsed.documents[i];
    if (!d || parsed.documents.length !== values.length) throw new Error(`${file}: expected ${values.length} YAML document(s), found ${parsed.documents.length}`);
    return d;
  };
  return values.map((value, i) => ({
    file,
    value,
    get doc() {
      return parsedDoc(i).doc;
    },
    get lines() {
      return parsedDoc(i).lines;
    },
  }));
}

/**
 * The part of `src` at `path` as a document of its own (an item of a `kind: List`): locations of
 * fields in it still point into the file, at the item.
 */
export function subDocument(src: SourceDocument, path: readonly PathSegment[], value: unknown): SourceDocument {
  let node: unknown = src.doc.contents;
  for (const seg of path) node = isMap(node) || isSeq(node) ? node.get(seg, true) : undefined;
  const doc = Object.create(src.doc, { contents: { value: node ?? null, enumerable: true } }) as Document.Parsed;
  return { file: src.file, doc, lines: src.lines, value };
}

/** The field path of the deepest node at `offset` (yaml still builds a partial document on errors). */
export function pathAtOffset(node: Node | null | undefined, offset: number): PathSegment[] {
  const path: PathSegment[] = [];
  let cur = node;
  while (cur) {
    // An error at the very start of a value is about the value as a whole: stop at its field.
    if (path.length > 0 && cur.range && offset <= cur.range[0]) break;
    if (isMap(cur)) {
      const pair = cur.items.find((p) => {
        const start = (p.key as Node | null)?.range?.[0];
        const end = (p.value as Node | null)?.range?.[2] ?? (p.key as Node | null)?.range?.[2];
        return start !== undefined && end !== undefined && offset >= start && offset <= end;
      });
      if (!pair || !isScalar(pair.key)) break;
      path.push(String(pair.key.value));
      cur = pair.value as Node | null;
    } else if (isSeq(cur)) {
      const i = cur.items.findIndex((item) => {
        const r = (item as Node | null)?.range;
        return r != null && offset >= r[0] && offset <= r[2];
      });
      if (i < 0) break;
      path.push(i);
      cur = cur.items[i] as Node | null;
    } else break;
  }
  return path;
}

function yamlMessage(message: string): string {
  if (message.includes('Maximum call stack size exceeded')) return TOO_DEEP; // yaml reports its own overflow as an error
  const first = message.split('\n')[0] ?? message;
  return `invalid YAML: ${first.replace(/ at line \d+, column \d+:?$/, '')}`;
}

/**
 * Where a field is. For `key: true` the location of the mapping key (what an "unknown field" points at),
 * otherwise of the value. Walks as deep as the path exists, so a missing field points at its parent.
 */
export function locate(src: SourceDocument, path: readonly PathSegment[], opts: { key?: boolean } = {}): SourceLocation {
  let node: Node | null | undefined = src.doc.contents as Node | null;
  let best: Node | null | undefined = node;
  let keyNode: Node | undefined;
  for (let i = 0; i < path.length && node; i++) {
    const seg = path[i];
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      keyNode = pair.key as Node;
      node = pair.value as Node | null;
      best = node ?? keyNode;
      if (i === path.length - 1 && opts.key) best = keyNode;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)] as Node | undefined;
      if (!item) break;
      node = item;
      best = item;
    } else break;
  }
  const offset = best?.range?.[0] ?? 0;
  const pos = src.lines.linePos(offset);
  return { file: src.file, line: pos.line, column: pos.col };
}

/** A JSON pointer (`/spec/containers/0/image`) as path segments, array indexes as numbers. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function pathToString(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function problemAt(
  src: SourceDocument,
  path: readonly PathSegment[],
  message: string,
  opts: { key?: boolean } = {},
): InputProblem {
  return { ...locate(src, path, opts), path: pathToString(path), message };
}
