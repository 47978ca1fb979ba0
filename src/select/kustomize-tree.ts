import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { clampToRoot } from '../validate/build/build.js';
import { KUSTOMIZATION_FILE_NAMES } from '../validate/build/overlay.js';

/**
 * The part of the repository a Flux Kustomization's build can read, as path prefixes relative to the
 * root: a changed file at or under a prefix may change what the build produces.
 *
 * Deliberately wider than what kustomize reads (that is the validator's job; here too narrow is a bug,
 * too wide only costs a build): the whole `spec.path` directory and each `spec.components` directory,
 * plus, for every kustomization file met there, every string in it that resolves to a path — whatever
 * field it is in, whether or not it exists (a deleted file a kustomization still names breaks the build,
 * which is a change). Directories reached that way are followed the same way.
 */
export function kustomizeReach(root: string, path: string, components: readonly string[] = []): string[] {
  const prefixes = new Set<string>();
  const trees: string[] = [];

  const visitTree = (dirRel: string): void => {
    // A directory inside a tree already walked: its kustomization files were read with that tree.
    if (trees.some((t) => isUnder(dirRel, t))) return;
    trees.push(dirRel);
    prefixes.add(dirRel);
    // Every kustomization below: Flux's generated kustomization takes in sub-directories that have one.
    for (const fileAbs of kustomizationFiles(join(root, dirRel))) {
      const fileDir = posix.dirname(toRel(root, fileAbs));
      for (const entry of pathLikeStrings(readDocs(fileAbs))) {
        const target = clampToRoot(posix.join(fileDir === '.' ? '' : fileDir, entry));
        if (isDir(join(root, target))) visitTree(target);
        else prefixes.add(target);
      }
    }
  };

  const top = clampToRoot(path);
  visitTree(top);
  for (const c of components) visitTree(clampToRoot(posix.join(top, c)));
  return minimal([...prefixes]);
}

/** Whether `file` (relative to the root) is at or under one of `prefixes`. */
export function reaches(prefixes: readonly string[], file: string): boolean {
  return prefixes.some((p) => isUnder(file, p));
}

function isUnder(file: string, prefix: string): boolean {
  return prefix === '' || file === prefix || file.startsWith(`${prefix}/`);
}

/** Drops prefixes covered by a shorter one. */
function minimal(prefixes: string[]): string[] {
  const sorted = [...new Set(prefixes)].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const out: string[] = [];
  for (const p of sorted) if (!out.some((q) => isUnder(p, q))) out.push(p);
  return out.sort();
}

function kustomizationFiles(dirAbs: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (e.name !== '.git') walk(join(d, e.name));
      } else if ((KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(e.name)) out.push(join(d, e.name));
    }
  };
  walk(dirAbs);
  return out.sort();
}

function readDocs(fileAbs: string): unknown[] {
  try {
    return parseAllDocuments(readFileSync(fileAbs, 'utf8')).map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
  } catch {
    return [];
  }
}

/** Every one-line string at any depth that could be a relative path (and the path part of `key=path`). */
function pathLikeStrings(values: readonly unknown[]): string[] {
  const out = new Set<string>();
  const add = (s: string): void => {
    if (s && !s.includes('\n') && !s.startsWith('/') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) out.add(s);
  };
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      add(v.trim());
      const eq = v.indexOf('=');
      if (eq > 0) add(v.slice(eq + 1).trim()); // generator sources: `key=path`
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  values.forEach(walk);
  return [...out];
}

function isDir(abs: string): boolean {
  try {
    return existsSync(abs) && statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}
