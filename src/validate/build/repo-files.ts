import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseYamlFile, type ParsedFile } from '../../util/yaml-source.js';

export type EntryKind = 'file' | 'dir' | 'missing';

/**
 * Read-through cache of the repository's files for one validation run: a file read for the load guard, the
 * cache key and origin lookups is read and parsed once. The repository must not change during the run.
 */
export class RepoFiles {
  readonly root: string;
  /** The root with symlinks resolved; containment checks compare real paths. */
  readonly realRoot: string;
  private readonly texts = new Map<string, string | undefined>();
  private readonly parsed = new Map<string, ParsedFile | undefined>();
  private readonly hashes = new Map<string, string | undefined>();
  private readonly kinds = new Map<string, EntryKind>();
  private readonly reals = new Map<string, string | undefined>();

  constructor(root: string) {
    this.root = resolve(root);
    this.realRoot = realpathSync(this.root);
  }

  /** Repository-relative path with forward slashes ('' for the root itself). */
  rel(abs: string): string {
    const r = relative(this.root, abs);
    return sep === '/' ? r : r.split(sep).join('/');
  }

  abs(rel: string): string {
    return resolve(this.root, rel);
  }

  /** Whether an absolute path, symlinks resolved as far as it exists, stays inside the repository. */
  inside(abs: string): boolean {
    const real = this.realpath(abs);
    if (real !== undefined) return !escapes(relative(this.realRoot, real));
    return !escapes(relative(this.root, abs));
  }

  /** The real path inside the repository expressed relative to the (non-resolved) root, as kustomize reports it. */
  realRel(abs: string): string {
    const real = this.realpath(abs);
    if (real === undefined) return this.rel(abs);
    const r = relative(this.realRoot, real);
    return escapes(r) ? this.rel(abs) : sep === '/' ? r : r.split(sep).join('/');
  }

  realpath(abs: string): string | undefined {
    if (!this.reals.has(abs)) {
      let v: string | undefined;
      try {
        v = realpathSync(abs);
      } catch {
        v = undefined;
      }
      this.reals.set(abs, v);
    }
    return this.reals.get(abs);
  }

  kind(abs: string): EntryKind {
    let k = this.kinds.get(abs);
    if (k === undefined) {
      try {
        k = statSync(abs).isDirectory() ? 'dir' : 'file';
      } catch {
        k = 'missing';
      }
      this.kinds.set(abs, k);
    }
    return k;
  }

  /** Lstat-based: a symlink is reported as a link, as Go's filepath.Walk does. */
  isSymlink(abs: string): boolean {
    try {
      return lstatSync(abs).isSymbolicLink();
    } catch {
      return false;
    }
  }

  list(absDir: string): string[] {
    try {
      return readdirSync(absDir).sort(byteOrder);
    } catch {
      return [];
    }
  }

  text(abs: string): string | undefined {
    if (!this.texts.has(abs)) {
      let t: string | undefined;
      try {
        t = readFileSync(abs, 'utf8');
      } catch {
        t = undefined;
      }
      this.texts.set(abs, t);
    }
    return this.texts.get(abs);
  }

  /** sha256 of the file's bytes, undefined when it cannot be read. */
  hash(abs: string): string | undefined {
    if (!this.hashes.has(abs)) {
      let h: string | undefined;
      try {
        h = createHash('sha256').update(readFileSync(abs)).digest('hex');
      } catch {
        h = undefined;
      }
      this.hashes.set(abs, h);
    }
    return this.hashes.get(abs);
  }

  /** Every YAML document of the file with positions; `file` in the result is repository-relative. */
  yaml(abs: string): ParsedFile | undefined {
    if (!this.parsed.has(abs)) {
      const t = this.text(abs);
      this.parsed.set(abs, t === undefined ? undefined : parseYamlFile(this.rel(abs), t));
    }
    return this.parsed.get(abs);
  }

  /** The kustomization file kustomize would read in `absDir`, if any (konfig's order of file names). */
  kustomizationFile(absDir: string, names: readonly string[]): string | undefined {
    for (const n of names) {
      const p = join(absDir, n);
      if (this.kind(p) === 'file') return p;
    }
    return undefined;
  }
}

export function escapes(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** Go sorts directory entries by bytes; for the names in a repository this is JS's code-unit order. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
