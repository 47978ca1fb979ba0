/**
 * The Flux-faithful build of one Flux Kustomization, as kustomize-controller does it before postBuild:
 * resolve `spec.path` inside the repository (clamped at the root, like the controller's SecureJoin) and
 * require it to exist; take the kustomization there or generate one; rewrite it with the Kustomization's
 * patches, targetNamespace, images, prefix/suffix and components (overlay.ts); check every reference stays
 * in the repository (load-guard.ts); then run the real kustomize once per distinct build (cache.ts).
 * The objects come back un-substituted, each with the file and document it came from.
 */
import { createHash } from 'node:crypto';
import { posix, resolve } from 'node:path';
import type { SourceLocation } from '../../util/errors.js';
import { locate, pathToString, type PathSegment, type SourceDocument } from '../../util/yaml-source.js';
import { BuildError, KustomizeError, type BuildProblem } from './errors.js';
import { KustomizeRunError } from './kustomize.js';
import { kustomizeProblem } from './kustomize-errors.js';
import { planLoads } from './load-guard.js';
import { locateOrigin, originFile, parseOriginAnnotation, withoutOrigin } from './origin.js';
import { editKustomization, kustomizationText, withOriginAnnotations } from './overlay.js';
import { readPathKustomization } from './path-kustomization.js';
import { escapes, type RepoFiles } from './repo-files.js';
import { RunCache } from './run-cache.js';
import { deepFreeze } from '../../util/freeze.js';
import type { BuildResult, BuildWarning, BuiltObject, FluxKustomizationLike } from './types.js';

export interface BuildOptions {
  /**
   * Share one cache (a BuildCache from cache.ts) across the Kustomizations of a run so each distinct build
   * runs once. @default a cache for this call only
   */
  readonly cache?: { readonly runs: RunCache };
  /** The parsed document holding the Flux Kustomization, so problems in its spec point at its lines. */
  readonly source?: SourceDocument;
}

const KEY_VERSION = 'edgefleet-flux-build-v1';

export async function buildKustomization(root: string, ks: FluxKustomizationLike, options: BuildOptions = {}): Promise<BuildResult> {
  const cache = options.cache?.runs ?? new RunCache();
  const files = cache.files(root);
  const spec = ks.spec ?? {};
  const locateSpec = (path: readonly PathSegment[]): SourceLocation =>
    options.source ? locate(options.source, path) : { file: describe(ks), line: 1, column: 1 };
  const specProblem = (path: readonly PathSegment[], message: string): BuildProblem => ({
    ...locateSpec(path),
    path: pathToString(path),
    message,
  });

  // The path, as the controller's SecureJoin resolves it: `..` stops at the root, symlinks are followed.
  const clamped = clampToRoot(spec.path ?? '');
  const lexicalDir = files.abs(clamped);
  const realDir = files.realpath(lexicalDir);
  if (realDir === undefined) throw new BuildError([specProblem(['spec', 'path'], `kustomization path not found: '${spec.path ?? ''}' (${clamped || '.'})`)]);
  if (!files.inside(lexicalDir)) throw new BuildError([specProblem(['spec', 'path'], `kustomization path '${spec.path ?? ''}' resolves outside the repository`)]);
  if (files.kind(realDir) !== 'dir') throw new BuildError([specProblem(['spec', 'path'], `kustomization path '${spec.path ?? ''}' is not a directory`)]);
  const dirRel = files.realRel(lexicalDir);
  const dirAbs = files.abs(dirRel);

  const problems: BuildProblem[] = [];
  const pk = readPathKustomization(files, dirAbs);
  problems.push(...pk.problems);
  // Sites differ in postBuild, which the edit does not read: the same build spec edits the same way.
  const editKey = JSON.stringify([dirAbs, spec.targetNamespace, spec.namePrefix, spec.nameSuffix, spec.patches, spec.images, spec.components, spec.ignoreMissingComponents]);
  const edit = cache.result(`edit\0${editKey}`, () => editKustomization(spec, pk.base, (c) => files.kind(resolve(dirAbs, c)) !== 'missing'));
  problems.push(...edit.problems.map((p) => specProblem(p.specPath, p.message)));

  const topFile = pk.fileAbs ? files.rel(pk.fileAbs) : undefined;
  const warnings: BuildWarning[] = edit.droppedFields.map((f) => ({
    ...(pk.doc ? locate(pk.doc, [f], { key: true }) : { file: topFile ?? '', line: 1, column: 1 }),
    message: `unknown field '${f}': kustomize-controller drops it without a word (kustomize alone would reject it)`,
  }));

  const plan = planLoads(files, {
    dirAbs,
    value: edit.value,
    locate: (path) => {
      const [field, index] = path;
      if (field === 'components' && typeof index === 'number') {
        const fromSpec = edit.componentSources[index];
        if (fromSpec !== undefined) {
          const fieldPath = ['spec', 'components', fromSpec, ...path.slice(2)];
          return { ...locateSpec(fieldPath), fieldPath };
        }
      }
      if (pk.doc) return locate(pk.doc, path);
      return { ...locateSpec(['spec', 'path']), fieldPath: ['spec', 'path'] };
    },
  });
  problems.push(...plan.problems);
  if (problems.length > 0) throw new BuildError(problems);

  const key = buildKey(files, dirRel, edit.text, [...(pk.fileAbs ? [pk.fileAbs] : []), ...pk.scanned, ...plan.files]);
  let raw;
  try {
    raw = await cache.run({ key, realRoot: files.realRoot, dirRel, text: kustomizationText(withOriginAnnotations(edit.value)) });
  } catch (err) {
    if (!(err instanceof KustomizeRunError)) throw err;
    const problem = kustomizeProblem(err.message, {
      files,
      dirRel,
      ...(topFile ? { top: { file: topFile, ...(pk.doc ? { doc: pk.doc } : {}) } } : {}),
      specPatches: spec.patches ?? [],
      locateSpec,
    });
    throw new KustomizeError(problem, err.message);
  }

  // Every site whose Kustomization has this key gets the same objects (treat them as read-only): what
  // is derived from them per object (Flux's text for substitution, schema results) is then done once.
  const done = cache.result(key, () => {
    try {
      return { objects: builtObjects(raw.objects).map((b) => ({ ...b, object: deepFreeze(b.object) })), key, warnings: [] };
    } catch (err) {
      if (err instanceof BuildError) return err;
      throw err;
    }
  });
  if (done instanceof BuildError) throw done;
  return { ...done, warnings };

  function builtObjects(rawObjects: readonly Record<string, unknown>[]): BuiltObject[] {
    const objects: BuiltObject[] = [];
    const invalid: BuildProblem[] = [];
    for (const built of rawObjects) {
      const { object: stripped, annotation } = withoutOrigin(built);
      const object = structuredClone(edit.keepsOriginAnnotations ? built : stripped);
      const origin = objectOrigin(annotation, object);
      const meta = object.metadata as Record<string, unknown> | undefined;
      if (!object.apiVersion || !object.kind || !meta?.name) {
        // kustomize-controller refuses the whole build when an object lacks any of these.
        invalid.push({ file: origin.file, line: origin.line, column: origin.column, path: '', message: 'failed to decode Kubernetes apiVersion, kind and name from the object' });
      }
      objects.push({ object, origin });
    }
    if (invalid.length > 0) throw new BuildError(invalid);
    return objects;
  }

  function objectOrigin(annotation: string | undefined, object: Record<string, unknown>): BuiltObject['origin'] {
    const o = annotation ? parseOriginAnnotation(annotation) : {};
    if (o.path) return locateOrigin(files, originFile(dirRel, o.path), object);
    if (o.configuredIn) {
      const file = originFile(dirRel, o.configuredIn);
      // The path's own kustomization file is ours in the build; map it back to the one in the repository.
      const repoFile = file === posix.join(dirRel || '.', 'kustomization.yaml') && topFile ? topFile : file;
      return locateOrigin(files, repoFile, object, o.configuredBy?.kind ?? 'generator');
    }
    return { file: topFile ?? dirRel, line: 1, column: 1 };
  }
}

/** `..` cannot climb above the root; `.` and empty segments vanish. Returns a repository-relative path. */
export function clampToRoot(p: string): string {
  const out: string[] = [];
  for (const seg of p.split(/[\\/]+/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

function buildKey(files: RepoFiles, dirRel: string, text: string, loaded: readonly string[]): string {
  const h = createHash('sha256');
  h.update(`${KEY_VERSION}\0${dirRel}\0${text}\0`);
  for (const abs of [...new Set(loaded)].sort()) {
    const rel = files.realRel(abs);
    h.update(`${escapes(rel) ? abs : rel}\0${files.hash(abs) ?? 'unreadable'}\0`);
  }
  return h.digest('hex');
}

function describe(ks: FluxKustomizationLike): string {
  const name = ks.metadata?.name;
  return name ? `Kustomization ${ks.metadata?.namespace ?? 'flux-system'}/${name}` : 'Kustomization';
}

