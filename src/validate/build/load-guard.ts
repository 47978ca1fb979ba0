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
import { parseAllDocuments } from 'yaml';
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
  | 'plugin' // generator/transformer/validator config: a file, or a directory with a kustomization
  | 'dir'; // a directory read as a whole (a Helm chart home)

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

  const visit = (node: KustomizationNode, pluginConfigs = false): void => {
    for (const [field, expect] of FILE_LISTS) {
      strings(node.value[field]).forEach(([entry, i]) => {
        if (expect === 'plugin' && isInline(entry)) {
          inlinePlugin(node, [field, i], entry);
          return;
        }
        // In a kustomization listed under generators/transformers, each resource is a plugin config.
        reference(node, [field, i], entry, pluginConfigs && field === 'resources' ? 'plugin' : expect);
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
    objects(node.value.helmCharts).forEach(([h, i]) => helmChart(node, ['helmCharts', i], h));
    const globals = node.value.helmGlobals;
    if (isRecord(globals) && typeof globals.chartHome === 'string') reference(node, ['helmGlobals', 'chartHome'], globals.chartHome, 'dir');
    const openapi = node.value.openapi;
    if (isRecord(openapi) && typeof openapi.path === 'string') reference(node, ['openapi', 'path'], openapi.path, 'file');
  };

  const helmChart = (node: KustomizationNode, at: PathSegment[], h: Record<string, unknown>): void => {
    if (typeof h.valuesFile === 'string' && h.valuesFile) reference(node, [...at, 'valuesFile'], h.valuesFile, 'file');
    strings(h.additionalValuesFiles).forEach(([f, j]) => reference(node, [...at, 'additionalValuesFiles', j], f, 'file'));
  };

  /**
   * A generator/transformer config (a builtin plugin's document) names files of its own, read relative to
   * the kustomization that lists it: ConfigMapGenerator/SecretGenerator `files`/`envs`/`env`,
   * HelmChartInflationGenerator `valuesFile`/`additionalValuesFiles`/`chartHome`, patch transformers
   * `path`/`paths`, ReplacementTransformer `replacements[].path`.
   */
  const pluginConfig = (node: KustomizationNode): void => {
    const v = node.value;
    strings(v.files).forEach(([f, j]) => reference(node, ['files', j], stripKey(f), 'source'));
    strings(v.envs).forEach(([f, j]) => reference(node, ['envs', j], f, 'file'));
    if (typeof v.env === 'string' && v.env) reference(node, ['env'], v.env, 'file');
    helmChart(node, [], v);
    if (typeof v.chartHome === 'string' && v.chartHome) reference(node, ['chartHome'], v.chartHome, 'dir');
    if (typeof v.path === 'string' && v.path) reference(node, ['path'], v.path, 'file');
    strings(v.paths).forEach(([f, j]) => reference(node, ['paths', j], f, 'file'));
    objects(v.replacements).forEach(([r, j]) => {
      if (typeof r.path === 'string') reference(node, ['replacements', j, 'path'], r.path, 'file');
    });
    objects(v.helmCharts).forEach(([h, j]) => helmChart(node, ['helmCharts', j], h));
  };

  /** An inline plugin config: its references are reported at the entry that holds it. */
  const inlinePlugin = (node: KustomizationNode, at: PathSegment[], text: string): void => {
    for (const doc of parseAllDocuments(text)) {
      const value: unknown = doc.toJS();
      if (!isRecord(value)) continue;
      pluginConfig({
        dirAbs: node.dirAbs,
        value,
        locate: (p) => {
          const loc = node.locate(at);
          return { ...loc, fieldPath: [...(loc.fieldPath ?? at), ...p] };
        },
      });
    }
  };

  const reference = (node: KustomizationNode, path: PathSegment[], entry: string, expect: Expect): void => {
    const what = expect === 'component' ? 'component' : expect === 'resource' ? 'resource' : expect === 'dir' ? 'directory' : 'file';
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
    if (expect === 'dir') {
      // Only the containment matters here: kustomize may create the chart home when it pulls a chart.
      return;
    }
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
      if (expect === 'plugin') {
        for (const doc of files.yaml(abs)?.documents ?? []) {
          if (isRecord(doc.value)) pluginConfig({ dirAbs: node.dirAbs, value: doc.value, locate: (p) => locate(doc, p) });
        }
      }
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
        if (files.kind(f) !== 'file') continue;
        if (!files.inside(f)) {
          problem(node, path, `file '${entry}' holds '${name}', a link to outside the repository; kustomize-controller cannot load it`);
          continue;
        }
        loaded.add(files.realpath(f) ?? f);
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
    visit({ dirAbs: dir, value: src.value, locate: (p) => locate(src, p) }, expect === 'plugin');
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
