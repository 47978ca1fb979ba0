/**
 * Reads the kustomization at a Flux Kustomization's path, or generates it as kustomize-controller does when
 * there is none (fluxcd/pkg kustomize_generator.go, generateKustomization + scanManifests): walk the directory
 * in lexical order, without following symlinked directories; a sub-directory holding a kustomization file
 * becomes one resource and is not descended into; every other `.yaml`/`.yml` file must decode as Kubernetes
 * YAML and becomes a resource `./<path relative to the directory>`. With nothing found, the generated file
 * has only a placeholder namespace.
 *
 * Files source-controller leaves out of the artifact (its default exclusions: VCS and CI files, `.sops.yaml`,
 * `.flux.yaml`, `.goreleaser.yml`) are not there for the controller, so the scan skips them too. Not mirrored:
 * patterns from `.sourceignore` files and from a GitRepository's `spec.ignore`.
 */
import { join, relative, sep } from 'node:path';
import { isMap } from 'yaml';
import type { SourceDocument } from '../../util/yaml-source.js';
import type { BuildProblem } from './errors.js';
import { KUSTOMIZATION_FILE_NAMES, type PathKustomization } from './overlay.js';
import type { RepoFiles } from './repo-files.js';

export interface PathKustomizationSource {
  readonly base: PathKustomization;
  /** The existing kustomization file (absolute), when there is one. */
  readonly fileAbs?: string;
  /** Its parsed document, to point at its entries. */
  readonly doc?: SourceDocument;
  /** Files Flux reads to generate the kustomization (absolute). */
  readonly scanned: readonly string[];
  readonly problems: readonly BuildProblem[];
}

export function readPathKustomization(files: RepoFiles, dirAbs: string): PathKustomizationSource {
  const fileAbs = files.kustomizationFile(dirAbs, KUSTOMIZATION_FILE_NAMES);
  if (fileAbs) return readExisting(files, fileAbs);
  return generate(files, dirAbs);
}

function readExisting(files: RepoFiles, fileAbs: string): PathKustomizationSource {
  const parsed = files.yaml(fileAbs);
  const rel = files.rel(fileAbs);
  if (!parsed) {
    return { base: { kind: 'existing', value: {} }, fileAbs, scanned: [], problems: [at(rel, 'cannot read the kustomization file')] };
  }
  const problems: BuildProblem[] = parsed.problems.map((p) => ({ ...p }));
  const doc = parsed.documents[0];
  if (doc && (typeof doc.value !== 'object' || doc.value === null || Array.isArray(doc.value))) {
    const pos = doc.lines.linePos(doc.doc.contents?.range?.[0] ?? 0);
    problems.push({ file: rel, line: pos.line, column: pos.col, path: '', message: 'a kustomization must be a YAML mapping' });
    return { base: { kind: 'existing', value: {} }, fileAbs, doc, scanned: [], problems };
  }
  const value = (doc?.value ?? {}) as Record<string, unknown>;
  return { base: { kind: 'existing', value }, fileAbs, ...(doc ? { doc } : {}), scanned: [], problems };
}

function generate(files: RepoFiles, dirAbs: string): PathKustomizationSource {
  const resources: string[] = [];
  const scanned: string[] = [];
  const problems: BuildProblem[] = [];
  const walk = (dir: string): void => {
    for (const name of files.list(dir)) {
      const p = join(dir, name);
      const repoRel = files.rel(p);
      const isDir = !files.isSymlink(p) && files.kind(p) === 'dir';
      if (excludedFromArtifact(repoRel, isDir)) continue;
      if (isDir) {
        if (files.kustomizationFile(p, KUSTOMIZATION_FILE_NAMES)) resources.push(resourceEntry(dirAbs, p));
        else walk(p);
        continue;
      }
      if (!/\.ya?ml$/.test(name)) continue;
      scanned.push(p);
      const parsed = files.yaml(p);
      if (!parsed) {
        problems.push(at(repoRel, 'cannot read the file'));
        continue;
      }
      for (const e of parsed.problems) problems.push({ ...e, message: `failed to decode Kubernetes YAML: ${e.message}` });
      for (const d of parsed.documents) {
        if (isMap(d.doc.contents)) continue;
        const pos = d.lines.linePos(d.doc.contents?.range?.[0] ?? 0);
        problems.push({ file: repoRel, line: pos.line, column: pos.col, path: '', message: 'failed to decode Kubernetes YAML: a document must be a mapping' });
      }
      resources.push(resourceEntry(dirAbs, p));
    }
  };
  walk(dirAbs);
  return { base: { kind: 'generated', resources }, scanned, problems };
}

function resourceEntry(dirAbs: string, p: string): string {
  const r = relative(dirAbs, p);
  return `./${sep === '/' ? r : r.split(sep).join('/')}`;
}

const EXCLUDED_DIRS = new Set(['.git', '.github', '.circleci']);
const EXCLUDED_FILES = new Set([
  '.gitignore', '.gitmodules', '.gitattributes', '.travis.yml', '.gitlab-ci.yml', 'appveyor.yml', '.drone.yml',
  'cloudbuild.yaml', 'codeship-services.yml', 'codeship-steps.yml', '.goreleaser.yml', '.sops.yaml', '.flux.yaml',
]);
const EXCLUDED_EXTENSIONS = /\.(?:jpe?g|gif|png|wmv|flv|tar\.gz|zip)$/;

/**
 * source-controller's default exclusions (fluxcd/pkg sourceignore: ExcludeVCS, ExcludeExt, ExcludeCI,
 * ExcludeExtra); none has a slash inside, so each matches a name at any depth of the repository.
 */
export function excludedFromArtifact(repoRel: string, isDir: boolean): boolean {
  const parts = repoRel.split('/');
  const name = parts[parts.length - 1] ?? '';
  if (parts.slice(0, -1).some((d) => EXCLUDED_DIRS.has(d))) return true;
  if (isDir) return EXCLUDED_DIRS.has(name);
  return EXCLUDED_FILES.has(name) || EXCLUDED_EXTENSIONS.test(name);
}

function at(file: string, message: string): BuildProblem {
  return { file, line: 1, column: 1, path: '', message };
}
