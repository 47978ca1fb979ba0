/**
 * Where a field of a built object is written in its source, for findings on built objects: walks the field
 * path through the object's origin document as far as the source has it (a field added by a patch or a
 * transformer is not in the source, so the finding points at the nearest parent that is), falling back to
 * the document start. Generated objects (ConfigMapGenerator, …) point at their generator entry.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SourceLocation } from '../../util/errors.js';
import { locate, type ParsedFile, type PathSegment } from '../../util/yaml-source.js';
import { RepoFiles } from './repo-files.js';
import type { ObjectOrigin } from './types.js';

export interface LocateOptions {
  /** Point at the key of the last field rather than its value (what an "unknown field" finding wants). */
  readonly key?: boolean;
}

export function locateInSource(
  root: string | RepoFiles,
  origin: ObjectOrigin,
  jsonPath: string | readonly PathSegment[],
  options: LocateOptions = {},
): SourceLocation {
  const here: SourceLocation = { file: origin.file, line: origin.line, column: origin.column };
  if (origin.generatedBy) return here;
  const parsed = typeof root === 'string' ? parsedFile(root, origin.file) : root.yaml(root.abs(origin.file));
  const doc = parsed?.documents[origin.documentIndex ?? 0];
  if (!doc) return here;
  const path = typeof jsonPath === 'string' ? parseJsonPath(jsonPath) : jsonPath;
  return locate(doc, path, options);
}

/** `a.b[0]["c.d"]` → ['a', 'b', 0, 'c.d'] (the format of util/yaml-source pathToString). */
export function parseJsonPath(p: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const m of p.matchAll(/([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(m[3]) as string);
  }
  return out;
}

/**
 * Parsed source files for callers that pass a root rather than a RepoFiles: kept across calls (a finding
 * per field would otherwise re-parse the file each time) and re-read when the file's size or mtime changes.
 */
const parsedFiles = new Map<string, { readonly stamp: string; readonly parsed: ParsedFile | undefined }>();

function parsedFile(root: string, file: string): ParsedFile | undefined {
  const abs = resolve(root, file);
  let stamp: string;
  try {
    const st = statSync(abs);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
  const key = `${resolve(root)}\0${file}`;
  const known = parsedFiles.get(key);
  if (known?.stamp === stamp) return known.parsed;
  const parsed = new RepoFiles(root).yaml(abs);
  parsedFiles.set(key, { stamp, parsed });
  return parsed;
}
