/**
 * Points a kustomize error at the file the user has to fix. kustomize nests its messages
 * (`accumulating resources: … recursed accumulation of path '<dir>': <cause>`); the innermost directory
 * named is the kustomization that failed, and the cause often quotes the entry (`from 'x.yaml'`,
 * `path(x.yaml)`, `unknown field "x"`, `yaml: line 3`) or the object a patch missed
 * (`Deployment.v1.apps/web.[noNs]`). A failure of the path's own kustomization is attributed to the Flux
 * Kustomization's `spec.patches` when it is about a patch Flux added, else to the kustomization file.
 */
import { posix } from 'node:path';
import type { SourceLocation } from '../../util/errors.js';
import { locate, pathToString, type PathSegment, type SourceDocument } from '../../util/yaml-source.js';
import type { BuildProblem } from './errors.js';
import { KUSTOMIZATION_FILE_NAMES } from './overlay.js';
import type { RepoFiles } from './repo-files.js';
import type { FluxPatch } from './types.js';

export interface KustomizeErrorContext {
  readonly files: RepoFiles;
  /** The build directory, repository-relative ('' for the root). */
  readonly dirRel: string;
  /** The kustomization file at the path (absent when Flux generates one) and its document. */
  readonly top?: { readonly file: string; readonly doc?: SourceDocument };
  /** Patches the Flux Kustomization adds. */
  readonly specPatches: readonly FluxPatch[];
  /** Where a field of the Flux Kustomization is written. */
  locateSpec(path: readonly PathSegment[]): SourceLocation;
}

const NESTED = /(?:recursed accumulation of path|couldn't make target for path|recursed merging from path) '([^']*)': /g;
const ANY_PATH = /for path '([^']*)'/;
/** Messages of kustomize's patch transformers and of the JSON patch library it uses. */
const PATCH_FAILURE = /patch|operation does not apply|doc is missing path|unable to find|missing value/i;

export function kustomizeProblem(message: string, ctx: KustomizeErrorContext): BuildProblem {
  let dir: string | undefined;
  let cause = message;
  for (const m of message.matchAll(NESTED)) {
    dir = m[1];
    cause = message.slice((m.index ?? 0) + m[0].length);
  }
  if (dir === undefined) {
    const m = ANY_PATH.exec(message);
    if (m) {
      dir = m[1];
      cause = message.replace(/^.*?accumulateDirectory: /s, '');
    }
  }
  cause = balanceQuotes(cause.trim());
  const dirRel = dir === undefined || posix.normalize(dir) === posix.normalize(ctx.dirRel || '.') ? undefined : posix.normalize(dir);

  if (dirRel === undefined) {
    const fromSpec = specPatchPath(cause, ctx);
    if (fromSpec) return problem(ctx.locateSpec(fromSpec), fromSpec, cause);
    if (ctx.top?.doc) {
      const entry = findEntry(ctx.top.doc, cause);
      if (entry) return problem(entry.at, entry.path, cause);
    }
    if (ctx.top) return problem({ file: ctx.top.file, line: 1, column: 1 }, [], cause);
    return problem(ctx.locateSpec(['spec', 'path']), ['spec', 'path'], cause);
  }
  const kfile = ctx.files.kustomizationFile(ctx.files.abs(dirRel), KUSTOMIZATION_FILE_NAMES);
  if (!kfile) return problem({ file: dirRel, line: 1, column: 1 }, [], cause);
  const doc = ctx.files.yaml(kfile)?.documents[0];
  const entry = doc ? findEntry(doc, cause) : undefined;
  if (entry) return problem(entry.at, entry.path, cause);
  const yamlLine = /yaml: line (\d+)/.exec(cause);
  return problem({ file: ctx.files.rel(kfile), line: yamlLine ? Number(yamlLine[1]) : 1, column: 1 }, [], cause);
}

function problem(at: SourceLocation, path: readonly PathSegment[], message: string): BuildProblem {
  return { file: at.file, line: at.line, column: at.column, path: pathToString(path), message: `kustomize: ${message}` };
}

/** A Flux-added patch the cause is about: the one whose text it quotes or whose object it names. */
function specPatchPath(cause: string, ctx: KustomizeErrorContext): PathSegment[] | undefined {
  if (ctx.specPatches.length === 0 || !PATCH_FAILURE.test(cause)) return undefined;
  const ownPatches = (ctx.top?.doc?.value as Record<string, unknown> | undefined)?.patches;
  const names = [...cause.matchAll(/[A-Za-z0-9]+\.v[A-Za-z0-9]+(?:\.[A-Za-z0-9.-]+)?\/([^.\s"\]]+)\.\[/g)].map((m) => m[1] as string);
  const pointers = [...cause.matchAll(/(?:missing path|path):? (\/[^\s:]*)/g)].map((m) => m[1] as string);
  const index = ctx.specPatches.findIndex(
    (p) =>
      quotesPatch(cause, p.patch) ||
      names.some((n) => p.target?.name === n || new RegExp(`name:\\s*["']?${escapeRegExp(n)}["']?\\s*$`, 'm').test(p.patch)) ||
      pointers.some((ptr) => new RegExp(`["']?path["']?\\s*:\\s*["']?${escapeRegExp(ptr)}["']?\\s*[,}\\n]`).test(`${p.patch}\n`)),
  );
  if (index >= 0) return ['spec', 'patches', index];
  if (Array.isArray(ownPatches) && ownPatches.length > 0) return undefined;
  return ctx.specPatches.length === 1 ? ['spec', 'patches', 0] : ['spec', 'patches'];
}

/** An entry of the kustomization the cause quotes. */
function findEntry(doc: SourceDocument, cause: string): { at: SourceLocation; path: PathSegment[] } | undefined {
  const unknown = /unknown field \\?"([^"\\]+)/.exec(cause);
  if (unknown?.[1]) return { at: locate(doc, [unknown[1]], { key: true }), path: [unknown[1]] };
  const quoted = [
    ...[...cause.matchAll(/from '([^']+)'/g)].map((m) => m[1]),
    ...[...cause.matchAll(/path\(([^)]+)\)/g)].map((m) => m[1]),
    ...[...cause.matchAll(/path: (\S+)/g)].map((m) => m[1]),
  ].filter((s): s is string => !!s);
  for (const q of quoted) {
    const path = findString(doc.value, q, []);
    if (path) return { at: locate(doc, path), path };
  }
  return undefined;
}

function findString(v: unknown, s: string, path: PathSegment[]): PathSegment[] | undefined {
  if (v === s) return path;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = findString(v[i], s, [...path, i]);
      if (r) return r;
    }
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      const r = findString(x, s, [...path, k]);
      if (r) return r;
    }
  }
  return undefined;
}

/** kustomize echoes a patch it cannot use (re-indented): every line of it is in the cause. */
function quotesPatch(cause: string, patch: string): boolean {
  const lines = patch.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.length > 0 && lines.every((l) => cause.includes(l));
}

/** kustomize nests quoted errors; cutting at the innermost one can leave a closing quote behind. */
function balanceQuotes(s: string): string {
  let out = s;
  while (out.endsWith('"') && (out.match(/(?<!\\)"/g)?.length ?? 0) % 2 === 1) out = out.slice(0, -1);
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
