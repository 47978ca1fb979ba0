/**
 * Walks the kustomization tree kustomize is about to load and checks every reference before kustomize runs:
 * kustomize-controller builds with load restrictions off (a kustomization may load `../x`) but on a file
 * system that denies anything outside the source artifact, i.e. the repository. We run the real kustomize
 * with the same `LoadRestrictionsNone`, so the "inside the repository" half is enforced here. Also reported,
 * each at the kustomization entry that names it: missing files and directories, directories without a
 * kustomization, remote references (kustomize-controller would fetch them; we build offline, so they cannot
 * be checked), absolute paths. The walk also yields every file the build reads, for the cache key.
 */
import { resolve } from 'node:path';
import type { SourceLocation } from '../../util/errors.js';
import { locate, pathToString, type PathSegment } from '../../util/yaml-source.js';
import type { BuildProblem } from './errors.js';
import { isRemoteReference, KUSTOMIZATION_FILE_NAMES } from './overlay.js';
import { excludedFromArtifact } from './path-kustomization.js';
import type { RepoFiles } from './repo-files.js';

export interface KustomizationNode {
  /** Directory the kustomization's entries are relative to. */
  readonly dirAbs: string;
  readonly value: Record<string, unknown>;
  /**
   * Where a field of the kustomization is written, e.g. ['resources', 2]. An entry Flux added from the
   * Kustomization's spec is written there: `fieldPath` then says which field of that document.
   */
  locate(path: readonly PathSegment[]): EntryLocation;
}

export interface EntryLocation extends SourceLocation {
  readonly fieldPath?: readonly PathSegment[];
}

export interface LoadPlan {
  /** Every file the build reads (absolute, real paths), sorted. */
  readonly files: readonly string[];
  readonly problems: readonly BuildProblem[];
}

/** How kustomize treats an entry. */
type Expect =
  | 'resource' // a file, or a directory with a kustomization
  | 'component' // a directory with a kustomization
  | 'file'
  | 'source' // generator source: a file, or a directory whose files are all read
  | 'plugin'; // generator/transformer/validator config: a file, or a directory with a kustomization

const FILE_LISTS: readonly [string, Expect][] = [
  ['resources', 'resource'],
  ['bases', 'resource'],
  ['components', 'component'],
  ['crds', 'file'],
  ['configurations', 'file'],
  ['generators', 'plugin'],
  ['transformers', 'plugin'],
  ['validators', 'plugin'],
];
const PATH_LISTS = ['patches', 'patchesJson6902', 'replacements'] as const;

export function planLoads(files: RepoFiles, top: KustomizationNode): LoadPlan {
  const loaded = new Set<string>();
  const problems: BuildProblem[] = [];
  const visited = new Set<string>();

  const problem = (node: KustomizationNode, path: readonly PathSegment[], message: string, cannotCheck = false): void => {
    const { fieldPath, ...at } = node.locate(path);
    problems.push({ ...at, path: pathToString(fieldPath ?? path), message, ...(cannotCheck ? { cannotCheck } : {}) });
  };

  const visit = (node: KustomizationNode): void => {
    for (const [field, expect] of FILE_LISTS) {
      strings(node.value[field]).forEach(([entry, i]) => {
        if (expect === 'plugin' && isInline(entry)) return;
        reference(node, [field, i], entry, expect);
      });
    }
    strings(node.value.patchesStrategicMerge).forEach(([entry, i]) => {
      // kustomize reads the entry as a file when it can, otherwise takes it as an inline patch.
      if (!isInline(entry)) reference(node, ['patchesStrategicMerge', i], entry, 'file');
    });
    for (const field of PATH_LISTS) {
      objects(node.value[field]).forEach(([o, i]) => {
        if (typeof o.path === 'string') reference(node, [field, i, 'path'], o.path, 'file');
      });
    }
    for (const field of ['configMapGenerator', 'secretGenerator']) {
      objects(node.value[field]).forEach(([g, i]) => {
        strings(g.files).forEach(([f, j]) => reference(node, [field, i, 'files', j], stripKey(f), 'source'));
        strings(g.envs).forEach(([f, j]) => reference(node, [field, i, 'envs', j], f, 'file'));
        if (typeof g.env === 'string' && g.env) reference(node, [field, i, 'env'], g.env, 'file');
      });
    }
    const openapi = node.value.openapi;
    if (isRecord(openapi) && typeof openapi.path === 'string') reference(node, ['openapi', 'path'], openapi.path, 'file');
  };

  const reference = (node: KustomizationNode, path: PathSegment[], entry: string, expect: Expect): void => {
    const what = expect === 'component' ? 'component' : expect === 'resource' ? 'resource' : 'file';
    if (isRemoteReference(entry)) {
      problem(node, path, `remote ${what} '${entry}': kustomize-controller would fetch it, edgefleet builds offline and cannot check it`, true);
      return;
    }
    if (entry.startsWith('/') || /^file:\/\//i.test(entry)) {
      problem(node, path, `${what} '${entry}' is an absolute path; kustomize-controller only sees the repository, use a path relative to the kustomization`);
      return;
    }
    const abs = resolve(node.dirAbs, entry);
    if (!files.inside(abs)) {
      problem(node, path, `${what} '${entry}' is outside the repository root (${files.rel(abs)}); kustomize-controller cannot load it`);
      return;
    }
    const kind = files.kind(abs);
    const rel = files.realRel(abs);
    if (kind === 'missing') {
      problem(node, path, `${what} '${entry}' not found (${files.rel(abs)})`);
      return;
    }
    if (excludedFromArtifact(rel, kind === 'dir')) {
      problem(node, path, `${what} '${entry}' (${rel}) is left out of the source artifact by source-controller's default exclusions`);
      return;
    }
    if (kind === 'file') {
      if (expect === 'component') problem(node, path, `component '${entry}' must be a directory with a kustomization, not a file`);
      else loaded.add(files.realpath(abs) ?? abs);
      return;
    }
    if (expect === 'file') {
      problem(node, path, `'${entry}' is a directory, a file is expected`);
      return;
    }
    const dir = files.realpath(abs) ?? abs;
    if (expect === 'source') {
      for (const name of files.list(dir)) {
        const f = resolve(dir, name);
        if (files.kind(f) === 'file') loaded.add(files.realpath(f) ?? f);
      }
      return;
    }
    if (visited.has(dir)) return;
    visited.add(dir);
    const kfile = files.kustomizationFile(dir, KUSTOMIZATION_FILE_NAMES);
    if (!kfile) {
      problem(node, path, `${what} '${entry}' is a directory without ${KUSTOMIZATION_FILE_NAMES.map((n) => `'${n}'`).join(', ')}`);
      return;
    }
    loaded.add(files.realpath(kfile) ?? kfile);
    const parsed = files.yaml(kfile);
    if (!parsed) return;
    problems.push(...parsed.problems);
    const src = parsed.documents[0];
    if (!src || !isRecord(src.value)) return;
    visit({ dirAbs: dir, value: src.value, locate: (p) => locate(src, p) });
  };

  visit(top);
  return { files: [...loaded].sort(), problems };
}

/** An inline YAML document rather than a path (kustomize accepts both in these fields). */
function isInline(entry: string): boolean {
  return entry.includes('\n') || /^\s*[{[]/.test(entry);
}

/** A generator source is `[key=]path`. */
function stripKey(entry: string): string {
  const eq = entry.indexOf('=');
  return eq >= 0 ? entry.slice(eq + 1) : entry;
}

function strings(v: unknown): [string, number][] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((e, i): [string, number][] => (typeof e === 'string' ? [[e, i]] : []));
}

function objects(v: unknown): [Record<string, unknown>, number][] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((e, i): [Record<string, unknown>, number][] => (isRecord(e) ? [[e, i]] : []));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
