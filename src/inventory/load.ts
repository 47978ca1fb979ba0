import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { capProblems, InputError, type InputProblem } from '../util/errors.js';
import { knownSourceDocuments, parseYamlFile, type SourceDocument } from '../util/yaml-source.js';
import { readBase } from './base-reader.js';
import { describeFsError, MAX_INVENTORY_FILE_BYTES, readInputFile } from '../util/read-input.js';
import { crossCheck } from './checks.js';
import { checkSchema, type InventoryKind } from './schema-check.js';
import type { App, BaseResourceUse, Fleet, Inventory, Loaded, LoadedApp, Site } from './types.js';

export interface LoadOptions {
  /** Directory that file names in error messages are relative to (default: the current directory). */
  readonly displayFrom?: string;
  /**
   * Load only these sites (`sites/<name>.yaml` and `sites/<name>.yml`); the other site files are not
   * read at all. fleet.yaml, apps/ and add-on bases are loaded and cross-checked as in a full load.
   * @default every site (an empty list also means every site)
   */
  readonly sites?: readonly string[];
}

/**
 * Reads and validates the inventory: fleet.yaml, sites/*.yaml and apps/*\/app.yaml (with their
 * bases), relative to the fleet file's directory. Throws one InputError carrying every problem found.
 *
 * With `options.sites`, `Inventory.sites` holds only the named sites, in the order a full load gives
 * them. Problems in other sites' files are then not reported, nor are checks that need every site
 * (a second file declaring a named site under another file name goes unnoticed; a `.yaml` and a `.yml`
 * of the same name are both read, so that duplicate is still reported). A named site with no file is
 * an InputProblem on sites/; callers that want a usage error instead check `siteNames` first.
 */
export function loadInventory(fleetFile: string, options: LoadOptions = {}): Inventory {
  const { inventory, problems } = collectInventory(fleetFile, options);
  if (!inventory || problems.length > 0) throw new InputError(problems);
  return inventory;
}

export interface CollectedInventory {
  /** Every problem of the inventory's files, as loadInventory would throw them. */
  readonly problems: readonly InputProblem[];
  /**
   * The part of the inventory that later stages can still check (undefined when fleet.yaml itself has
   * a problem): the apps that loaded without a problem and the sites whose files have none and whose
   * apps all loaded. Lets a run report capacity and output problems of those sites with the rest.
   */
  readonly usable: Inventory | undefined;
  /** The whole loaded inventory (undefined when fleet.yaml could not be loaded). */
  readonly inventory: Inventory | undefined;
}

/** Loads like loadInventory but throws nothing: every problem, and what can still be checked past them. */
export function collectInventory(fleetFile: string, options: LoadOptions = {}): CollectedInventory {
  const root = dirname(resolve(fleetFile));
  const display = (abs: string): string => toPosix(relative(options.displayFrom ?? process.cwd(), abs)) || '.';
  const problems: InputProblem[] = [];

  const fleet = readDocument<Fleet>(resolve(fleetFile), root, 'Fleet', display, problems);
  const siteFiles = options.sites && options.sites.length > 0 ? namedSiteFiles(root, options.sites, display, problems) : listSiteFiles(join(root, 'sites'), display, problems);
  const sites = siteFiles.flatMap((f) => readDocument<Site>(f, root, 'Site', display, problems) ?? []);
  const apps = new Map<string, LoadedApp>();
  // Apps whose app.yaml is broken: their own errors are reported; sites naming them need no more.
  const invalidApps = new Set<string>();
  // Apps whose base has a problem, and whether an add-on's has: not resolvable past their errors.
  const brokenBases = new Set<string>();
  let addonBroken = false;
  for (const dir of listDirs(join(root, 'apps'), problems, display)) {
    const file = join(dir, 'app.yaml');
    if (!existsSync(file)) {
      problems.push({ file: display(dir), line: 1, column: 1, path: '', message: 'app directory has no app.yaml' });
      continue;
    }
    const app = readDocument<App>(file, root, 'App', display, problems);
    if (!app) {
      invalidApps.add(basename(dir));
      continue;
    }
    const base = readBase(root, join(dir, 'base'));
    problems.push(...base.problems.map((p) => ({ ...p, file: display(join(root, p.file)) })));
    if (base.problems.length > 0) brokenBases.add(app.value.metadata.name);
    apps.set(app.value.metadata.name, { ...app, base: base.workloads, baseFiles: base.files });
  }

  const addonBases = new Map<string, readonly BaseResourceUse[]>();
  if (fleet) {
    for (const addon of fleet.value.spec.addons) {
      const base = readBase(root, join(root, addon.path));
      problems.push(...base.problems.map((p) => ({ ...p, file: display(join(root, p.file)) })));
      if (base.problems.length > 0) addonBroken = true;
      addonBases.set(addon.name, base.resourceUse);
    }
  }

  if (!fleet) return { problems, usable: undefined, inventory: undefined };
  const inventory: Inventory = { root, fleet, sites, apps, addonBases };
  problems.push(...crossCheck(inventory, invalidApps));
  const badFiles = new Set(problems.map((p) => p.file));
  // fleet.yaml and add-on bases are shared by every site: a problem there leaves nothing to resolve.
  if (badFiles.has(fleet.source.file) || addonBroken) return { problems, usable: undefined, inventory };
  const goodApps = new Map([...apps].filter(([name, app]) => !badFiles.has(app.source.file) && !brokenBases.has(name)));
  const goodSites = sites.filter((s) => !badFiles.has(s.source.file) && s.value.spec.apps.every((a) => goodApps.has(a.name)));
  return { problems, usable: { root, fleet, sites: goodSites, apps: goodApps, addonBases }, inventory };
}

/**
 * The names of the sites in the inventory, from the file names in sites/ (sorted, without reading or
 * checking the files): what a partial load can be asked for. A full load also checks that each site's
 * name equals its file name.
 */
export function siteNames(fleetFile: string): string[] {
  const names = listYaml(join(dirname(resolve(fleetFile)), 'sites')).map((f) => basename(f).replace(/\.ya?ml$/, ''));
  return [...new Set(names)].sort();
}

/**
 * Of `names`, those with no file in sites/ (`<name>.yaml` or `<name>.yml`, a regular file): a partial
 * load's usage check, a few lstat calls instead of listing a directory of 10,000 files.
 */
export function missingSites(fleetFile: string, names: readonly string[]): string[] {
  const dir = join(dirname(resolve(fleetFile)), 'sites');
  // Present in any form: a symbolic link or directory under a site's name is then a located load error.
  return names.filter((name) => siteFileCandidates(dir, name).every((f) => lstatSync(f, { throwIfNoEntry: false }) === undefined));
}

/** Reads and validates fleet.yaml alone (for tools that can go on without the rest of the inventory). */
export function loadFleet(fleetFile: string, options: LoadOptions = {}): Loaded<Fleet> {
  const abs = resolve(fleetFile);
  const display = (p: string): string => toPosix(relative(options.displayFrom ?? process.cwd(), p)) || '.';
  const problems: InputProblem[] = [];
  const fleet = readDocument<Fleet>(abs, dirname(abs), 'Fleet', display, problems);
  if (!fleet || problems.length > 0) throw new InputError(problems);
  return fleet;
}

function readDocument<T>(
  abs: string,
  root: string,
  kind: InventoryKind,
  display: (abs: string) => string,
  problems: InputProblem[],
): Loaded<T> | undefined {
  const file = display(abs);
  const read = readInputFile(abs, file, `${kind} file`, MAX_INVENTORY_FILE_BYTES);
  if ('problem' in read) {
    problems.push(read.problem);
    return undefined;
  }
  const text = read.text;
  const parsed = parseYamlFile(file, text);
  problems.push(...parsed.problems);
  if (parsed.problems.length > 0) return undefined;
  if (parsed.documents.length !== 1) {
    const where = parsed.documents[1] ? parsed.documents[1].lines.linePos(parsed.documents[1].doc.range[0]) : { line: 1, col: 1 };
    problems.push({ file, line: where.line, column: where.col, path: '', message: `expected exactly one ${kind} document, found ${parsed.documents.length}` });
    return undefined;
  }
  const source = parsed.documents[0] as SourceDocument;
  const found = schemaProblems(kind, source);
  for (const p of capProblems(found)) problems.push(p);
  if (found.length > 0) return undefined;
  // A fleet has thousands of site files: keep their text, not the parsed document, and parse again
  // only to point at a problem found later.
  const kept = kind === 'Site' ? (knownSourceDocuments(file, text, [source.value])[0] as SourceDocument) : source;
  return { value: source.value as T, source: kept, relPath: toPosix(relative(root, abs)) };
}

function schemaProblems(kind: InventoryKind, source: SourceDocument): InputProblem[] {
  const value = source.value as { kind?: unknown } | null;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ file: source.file, line: 1, column: 1, path: '', message: `expected a ${kind} document (a mapping), got ${JSON.stringify(value)}` }];
  }
  return checkSchema(kind, source);
}

/** The files a full load would read for these sites, in the same order; a problem for each site without one. */
function namedSiteFiles(root: string, names: readonly string[], display: (abs: string) => string, problems: InputProblem[]): string[] {
  const dir = join(root, 'sites');
  const files: string[] = [];
  for (const name of new Set(names)) {
    // lstat, not stat: a full load reads regular files only (a symbolic link is an error, not followed).
    const candidates = siteFileCandidates(dir, name).map((f) => ({ f, stat: lstatSync(f, { throwIfNoEntry: false }) }));
    const found = candidates.filter((c) => c.stat?.isFile() === true).map((c) => c.f);
    for (const c of candidates) if (c.stat && !c.stat.isFile()) problems.push(notASiteFile(display(c.f), c.stat.isSymbolicLink() ? 'symbolic link' : 'directory or special file'));
    if (found.length === 0 && candidates.every((c) => !c.stat)) problems.push({ file: display(dir), line: 1, column: 1, path: '', message: `unknown site "${name}": no sites/${name}.yaml or sites/${name}.yml` });
    files.push(...found);
  }
  return files.sort();
}

/** Where site `name`'s file could be; none for a name with a path in it (it could only reach files outside sites/, which a full load never reads). */
function siteFileCandidates(dir: string, name: string): string[] {
  const plain = name !== '' && name !== '.' && name !== '..' && !name.includes('\0') && basename(name) === name;
  return plain ? [join(dir, `${name}.yaml`), join(dir, `${name}.yml`)] : [];
}

/**
 * The site files in sites/: regular files named `*.yaml` or `*.yml`. An entry that looks like a site
 * file but is not one — a symbolic link, a directory, `.YAML` or another case of the extension — is a
 * problem, not skipped: a site that silently dropped out of the inventory would have its whole
 * clusters/<site>/ directory deleted.
 */
function listSiteFiles(dir: string, display: (abs: string) => string, problems: InputProblem[]): string[] {
  const files: string[] = [];
  for (const e of readDir(dir, problems, display)) {
    if (!/\.ya?ml$/i.test(e.name)) continue;
    const abs = join(dir, e.name);
    if (!e.isFile()) problems.push(notASiteFile(display(abs), e.isSymbolicLink() ? 'symbolic link' : 'directory or special file'));
    else if (!/\.ya?ml$/.test(e.name)) {
      const fixed = e.name.replace(/\.ya?ml$/i, (ext) => ext.toLowerCase());
      problems.push({ file: display(abs), line: 1, column: 1, path: '', message: `expected a site file name ending in .yaml or .yml (lower case), got "${e.name}"; rename it to ${fixed}` });
    } else files.push(abs);
  }
  return files.sort();
}

function notASiteFile(file: string, what: string): InputProblem {
  return { file, line: 1, column: 1, path: '', message: `expected a regular file, got a ${what}; site files are read only as regular files in sites/ (replace it with the file itself)` };
}

function listYaml(dir: string, problems?: InputProblem[], display?: (abs: string) => string): string[] {
  return readDir(dir, problems, display)
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(dir, e.name))
    .sort();
}

function listDirs(dir: string, problems?: InputProblem[], display?: (abs: string) => string): string[] {
  return readDir(dir, problems, display)
    .filter((e) => e.isDirectory())
    .map((e) => join(dir, e.name))
    .sort();
}

/** The entries of `dir`; none when it does not exist; a problem when it cannot be listed (a file where a directory belongs). */
function readDir(dir: string, problems?: InputProblem[], display?: (abs: string) => string): import('node:fs').Dirent[] {
  if (!existsSync(dir)) return [];
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOTDIR' ? 'it is a file, expected a directory' : describeFsError(err);
    problems?.push({ file: display ? display(dir) : dir, line: 1, column: 1, path: '', message: `cannot list ${basename(dir)}/: ${why}` });
    return [];
  }
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}
