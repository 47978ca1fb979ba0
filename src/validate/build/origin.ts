/**
 * Tracing built objects back to the files they came from. kustomize's `buildMetadata: [originAnnotations]`
 * puts `config.kubernetes.io/origin` on every object: `path: <file>` for an object read from a file, or
 * `configuredIn: <kustomization file>` + `configuredBy: {kind: ConfigMapGenerator, …}` for a generated one,
 * both relative to the directory of the top kustomization. It names a file, not a document, so an object
 * from a multi-document file is matched to its document by kind and name.
 */
import { posix } from 'node:path';
import { parse, type Node } from 'yaml';
import type { SourceLocation } from '../../util/errors.js';
import { locate, type SourceDocument } from '../../util/yaml-source.js';
import type { RepoFiles } from './repo-files.js';
import type { ObjectOrigin } from './types.js';

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';

export interface OriginAnnotation {
  readonly path?: string;
  readonly configuredIn?: string;
  readonly configuredBy?: { readonly kind?: string; readonly name?: string };
  /** Set for objects from remote bases, which the load guard rejects before a build. */
  readonly repo?: string;
}

export function parseOriginAnnotation(text: string): OriginAnnotation {
  try {
    const v: unknown = parse(text);
    return typeof v === 'object' && v !== null ? (v as OriginAnnotation) : {};
  } catch {
    return {};
  }
}

/** The object without the origin annotation (a copy; `metadata.annotations` is removed when it ends up empty). */
export function withoutOrigin(object: Record<string, unknown>): { object: Record<string, unknown>; annotation?: string } {
  const metadata = object.metadata as Record<string, unknown> | undefined;
  const annotations = metadata?.annotations as Record<string, unknown> | undefined;
  const annotation = annotations?.[ORIGIN_ANNOTATION];
  if (typeof annotation !== 'string' || !metadata || !annotations) return { object };
  const { [ORIGIN_ANNOTATION]: _, ...rest } = annotations;
  const { annotations: __, ...meta } = metadata;
  const newMeta = Object.keys(rest).length > 0 ? { ...meta, annotations: rest } : meta;
  return { object: { ...object, metadata: newMeta }, annotation };
}

/** Repository-relative file an origin path (relative to the build directory `dirRel`) names. */
export function originFile(dirRel: string, originPath: string): string {
  return posix.normalize(posix.join(dirRel || '.', originPath));
}

/**
 * Where an object of the build comes from. `fileRel` is the origin file relative to the repository; the
 * document is found by kind and name (exact name first, then a name the build prefixed or suffixed).
 */
export function locateOrigin(files: RepoFiles, fileRel: string, object: Record<string, unknown>, generatedBy?: string): ObjectOrigin {
  const parsed = files.yaml(files.abs(fileRel));
  const fallback: ObjectOrigin = { file: fileRel, line: 1, column: 1, ...(generatedBy ? { generatedBy } : {}) };
  if (!parsed || parsed.documents.length === 0) return fallback;
  if (generatedBy) return locateGenerator(parsed.documents[0] as SourceDocument, object, generatedBy) ?? fallback;
  const index = matchDocument(parsed.documents, object);
  const doc = index === undefined ? undefined : parsed.documents[index];
  if (!doc || index === undefined) return fallback;
  return { ...documentStart(doc), documentIndex: index };
}

function matchDocument(documents: readonly SourceDocument[], object: Record<string, unknown>): number | undefined {
  if (documents.length === 1) return 0;
  const kind = object.kind;
  const name = (object.metadata as Record<string, unknown> | undefined)?.name;
  const candidates = documents
    .map((d, i) => [d.value as Record<string, unknown> | null, i] as const)
    .filter(([v]) => v !== null && typeof v === 'object' && v.kind === kind);
  const nameOf = (v: Record<string, unknown> | null): unknown => (v?.metadata as Record<string, unknown> | undefined)?.name;
  const exact = candidates.find(([v]) => nameOf(v) === name);
  if (exact) return exact[1];
  if (typeof name === 'string') {
    const renamed = candidates.filter(([v]) => typeof nameOf(v) === 'string' && name.includes(nameOf(v) as string));
    // The longest source name contained in the built name is the one that was prefixed/suffixed.
    renamed.sort((a, b) => String(nameOf(b[0])).length - String(nameOf(a[0])).length);
    if (renamed[0]) return renamed[0][1];
  }
  return candidates.length === 1 ? candidates[0]?.[1] : undefined;
}

/** A generated ConfigMap/Secret points at its entry in the generator list, matched by name. */
function locateGenerator(doc: SourceDocument, object: Record<string, unknown>, generatedBy: string): ObjectOrigin | undefined {
  const field = generatedBy === 'ConfigMapGenerator' ? 'configMapGenerator' : generatedBy === 'SecretGenerator' ? 'secretGenerator' : undefined;
  const base: ObjectOrigin = { ...documentStart(doc), generatedBy };
  if (!field) return base;
  const entries = (doc.value as Record<string, unknown> | null)?.[field];
  if (!Array.isArray(entries)) return base;
  const name = String((object.metadata as Record<string, unknown> | undefined)?.name ?? '');
  const matches = entries
    .map((e, i) => [typeof e?.name === 'string' ? (e.name as string) : '', i] as const)
    .filter(([n]) => n !== '' && name.includes(n))
    .sort((a, b) => b[0].length - a[0].length);
  const at = matches[0]?.[1] ?? (entries.length === 1 ? 0 : undefined);
  if (at === undefined) return { ...locate(doc, [field]), generatedBy };
  return { ...locate(doc, [field, at]), generatedBy };
}

function documentStart(doc: SourceDocument): SourceLocation {
  const node = doc.doc.contents as Node | null;
  const pos = doc.lines.linePos(node?.range?.[0] ?? 0);
  return { file: doc.file, line: pos.line, column: pos.col };
}
