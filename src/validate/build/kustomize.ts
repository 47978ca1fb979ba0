/**
 * The IO edge of the build: runs the real kustomize (`kubectl kustomize`) on the kustomization Flux would
 * build. Flux rewrites the kustomization file at the path in place; we must not touch the repository, so the
 * build runs in a temporary mirror: the directories from the repository root down to the path are real
 * directories whose entries are symlinks to the repository's, except the path's kustomization file, which is
 * written there. Relative references (`../base`, `components/x`) then resolve exactly as in the repository,
 * and kustomize's origin annotations come out relative to the path. The load guard has already checked that
 * nothing outside the repository is referenced.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { InternalError } from '../../util/errors.js';
import { KUBECTL_ENV, KubectlNotFoundError } from './errors.js';
import { ORIGIN_ANNOTATION } from './origin.js';
import { KUSTOMIZATION_FILE_NAMES } from './overlay.js';

export interface KubectlOptions {
  /** kubectl binary. @default $EDGEFLEET_KUBECTL, else `kubectl` on PATH */
  readonly kubectl?: string;
  /** Environment to read EDGEFLEET_KUBECTL from and to run kubectl with. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default 120000 */
  readonly timeoutMs?: number;
}

/** What one kustomize run produced: the objects with kustomize's annotations still on them. */
export interface RawBuild {
  readonly objects: readonly Record<string, unknown>[];
}

/** kustomize refused the build. The message has every absolute path made relative to the repository root. */
export class KustomizeRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KustomizeRunError';
  }
}

export function kubectlCommand(opts: KubectlOptions = {}): string {
  return opts.kubectl ?? (opts.env ?? process.env)[KUBECTL_ENV] ?? 'kubectl';
}

/**
 * Builds `kustomizationText` as the kustomization of `dirRel` (a real directory relative to `realRoot`).
 * Throws KubectlNotFoundError, KustomizeRunError.
 */
export async function runKustomize(realRoot: string, dirRel: string, kustomizationText: string, opts: KubectlOptions = {}): Promise<RawBuild> {
  return inBuildDir(async (tmp) => {
    const buildDir = await mirror(realRoot, tmp, dirRel);
    await writeFile(join(buildDir, 'kustomization.yaml'), kustomizationText);
    const stdout = await kustomize(buildDir, opts, (raw) => repoRelative(raw, [[tmp, ''], [realRoot, '']]));
    return { objects: parseOutput(stdout) };
  });
}

/** Runs `fn` with a fresh temporary directory (its real path), removed afterwards whatever happens. */
async function inBuildDir<T>(fn: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = await realpath(await mkdtemp(join(tmpdir(), 'edgefleet-build-')));
  try {
    return await fn(tmp);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function kustomize(dir: string, opts: KubectlOptions, clean: (s: string) => string): Promise<string> {
  return kubectl(kubectlCommand(opts), ['kustomize', '--load-restrictor=LoadRestrictionsNone', dir], opts, clean);
}

/** One build of a group: `text` as the kustomization of `dirRel`. */
export interface KustomizePart {
  readonly dirRel: string;
  readonly text: string;
}

/** The label that tells which part of a group an object came from; removed before anyone sees the objects. */
export const PART_LABEL = 'edgefleet.io/kustomize-part';

/**
 * Builds several kustomizations in one kustomize process: each in its own mirror, listed as the resources
 * of one kustomization that adds nothing. kustomize then loads its OpenAPI data once (most of a small
 * build's cost) instead of once per build. Each part marks its objects with PART_LABEL (metadata labels
 * only, not selectors or templates), which tells them apart and is then removed (with `labels` itself
 * when that leaves it empty). Undefined when the group fails for any reason — two parts making the same
 * object, a part kustomize rejects — and the caller builds each part alone, which also gives the error.
 */
export async function runKustomizeGroup(realRoot: string, parts: readonly KustomizePart[], opts: KubectlOptions = {}): Promise<RawBuild[] | undefined> {
  return inBuildDir(async (tmp) => {
    const resources: string[] = [];
    for (const [i, part] of parts.entries()) {
      const top = join(tmp, `p${i}`);
      await mkdir(top);
      const buildDir = await mirror(realRoot, top, part.dirRel);
      const k = kustomizationObject(part.text);
      if (!k) return undefined; // not a kustomization: its own build says what is wrong
      const labels = Array.isArray(k.labels) ? (k.labels as unknown[]) : [];
      k.labels = [...labels, { pairs: { [PART_LABEL]: String(i) }, includeSelectors: false, includeTemplates: false }];
      await writeFile(join(buildDir, 'kustomization.yaml'), stringify(k));
      resources.push(buildDir.slice(tmp.length + 1));
    }
    // origin annotations are written only when the top kustomization asks; their paths are then relative to it
    await writeFile(join(tmp, 'kustomization.yaml'), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', buildMetadata: ['originAnnotations'], resources }));
    let stdout: string;
    try {
      stdout = await kustomize(tmp, opts, (raw) => raw);
    } catch (err) {
      if (err instanceof KubectlNotFoundError) throw err;
      return undefined;
    }
    const out: Record<string, unknown>[][] = parts.map(() => []);
    for (const obj of parseOutput(stdout)) {
      const metadata = obj.metadata as { labels?: Record<string, unknown>; annotations?: Record<string, unknown> } | undefined;
      const part = Number(metadata?.labels?.[PART_LABEL]);
      const dirRel = parts[part]?.dirRel;
      if (!metadata?.labels || !Number.isInteger(part) || dirRel === undefined) return undefined;
      delete metadata.labels[PART_LABEL];
      if (Object.keys(metadata.labels).length === 0) delete metadata.labels;
      const origin = metadata.annotations?.[ORIGIN_ANNOTATION];
      if (typeof origin === 'string') {
        const own = partOrigin(origin, `p${part}`, dirRel);
        if (own === undefined) return undefined;
        (metadata.annotations as Record<string, unknown>)[ORIGIN_ANNOTATION] = own;
      }
      out[part]?.push(obj);
    }
    return out.map((objects) => ({ objects }));
  });
}

function kustomizationObject(text: string): Record<string, unknown> | undefined {
  try {
    const k: unknown = parse(text);
    return typeof k === 'object' && k !== null && !Array.isArray(k) ? (k as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A group member's origin annotation as its own build writes it: the file paths (`path`, `configuredIn`)
 * relative to the part's directory instead of to the group's top. Undefined if a path is not the part's.
 */
function partOrigin(text: string, top: string, dirRel: string): string | undefined {
  const origin = parse(text) as Record<string, unknown> | null;
  if (typeof origin !== 'object' || origin === null) return undefined;
  for (const field of ['path', 'configuredIn']) {
    const value = origin[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !value.startsWith(`${top}/`)) return undefined;
    origin[field] = posix.relative(dirRel, value.slice(top.length + 1)) || '.';
  }
  return stringify(origin);
}

async function mirror(realRoot: string, tmp: string, dirRel: string): Promise<string> {
  const segments = dirRel ? dirRel.split('/') : [];
  let src = realRoot;
  let dst = tmp;
  for (let level = 0; level <= segments.length; level++) {
    const next = segments[level];
    const last = level === segments.length;
    for (const name of await readdir(src)) {
      if (name === next) continue;
      if (last && (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(name)) continue;
      await symlink(join(src, name), join(dst, name));
    }
    if (next !== undefined) {
      src = join(src, next);
      dst = join(dst, next);
      await mkdir(dst);
    }
  }
  return dst;
}

function kubectl(command: string, args: string[], opts: KubectlOptions, clean: (s: string) => string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      command,
      args,
      { env: { ...(opts.env ?? process.env) }, maxBuffer: 256 * 1024 * 1024, timeout: opts.timeoutMs ?? 120_000, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) return resolvePromise(stdout);
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR') {
          return reject(new KubectlNotFoundError(command, { cause: err }));
        }
        if ((err as { killed?: boolean }).killed) {
          return reject(new KustomizeRunError(`kustomize did not finish within ${(opts.timeoutMs ?? 120_000) / 1000}s`));
        }
        reject(new KustomizeRunError(clean(kubectlErrorText(stderr || err.message))));
      },
    );
  });
}

/**
 * The error kubectl logs. kubectl ≥ 1.30 logs `E… run.go:72] "command failed" err="<Go-quoted>"` or, for a
 * multi-line error, `err=<` followed by tab-indented lines and ` >`; older ones print `error: <message>`.
 */
export function kubectlErrorText(stderr: string): string {
  const quoted = /err="((?:[^"\\]|\\.)*)"/s.exec(stderr);
  if (quoted?.[1] !== undefined) return unquoteGo(quoted[1]);
  const block = /err=<\n([\s\S]*?)\n\s*>\s*$/.exec(stderr);
  if (block?.[1] !== undefined) return block[1].split('\n').map((l) => l.replace(/^\t/, '')).join('\n');
  const plain = /^error: ([\s\S]*)$/m.exec(stderr);
  return (plain?.[1] ?? stderr).trim();
}

function unquoteGo(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'x': case 'u': case 'U': return String.fromCodePoint(parseInt(e.slice(1), 16));
      default: return e;
    }
  });
}

/** Replaces each absolute `prefix[/rest]` with `rest` (or `.`), so no temporary or absolute path leaks out. */
export function repoRelative(text: string, prefixes: readonly (readonly [string, string])[]): string {
  let out = text;
  for (const [prefix] of [...prefixes].sort((a, b) => b[0].length - a[0].length)) {
    const re = new RegExp(`${escapeRegExp(prefix)}(/[^\\s'"\`:,;()]*)?`, 'g');
    out = out.replace(re, (_m, rest: string | undefined) => (rest ? rest.slice(1) || '.' : '.'));
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseOutput(stdout: string): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  for (const doc of parseAllDocuments(stdout)) {
    if (doc.errors.length > 0) throw new InternalError(`cannot parse kustomize's output: ${doc.errors[0]?.message}`);
    const v: unknown = doc.toJS({ maxAliasCount: -1 });
    if (v === null || v === undefined) continue;
    if (typeof v !== 'object' || Array.isArray(v)) throw new InternalError('kustomize printed a document that is not an object');
    objects.push(v as Record<string, unknown>);
  }
  return objects;
}
