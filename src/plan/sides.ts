/**
 * The two sides of a plan, each a directory laid out like the repository: the base as committed (what the
 * sites apply today), the head as synth renders it from the head's inventory (what they will apply once
 * the change is synthesized and merged).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import { loadInventory } from '../inventory/load.js';
import type { Inventory } from '../inventory/types.js';
import { diffClusters, siteDirs } from '../synth/clusters-dir.js';
import { resolveFleet } from '../model/resolve.js';
import { renderContext, renderSite } from '../synth/synthesize.js';
import { TEMP_PREFIX } from '../util/atomic-write.js';
import { parseYamlFile, type ParsedFile } from '../util/yaml-source.js';
import { KUSTOMIZATION_FILES } from '../validate/manifests.js';
import type { SiteDoc } from './site-objects.js';

export interface SiteAttributes {
  readonly region: string;
  readonly jurisdiction: string;
  readonly networkProfile: string;
  readonly runtime: string;
  readonly bandwidthMbps?: number;
}

export interface Side {
  /** Directory holding the tree, laid out like the repository's top level. */
  readonly root: string;
  /** The clusters directory, relative to `root` (`clusters`, or `fleet/clusters` for a fleet in a sub-directory). */
  readonly clustersRel: string;
  /** Site → its manifest files (path relative to clusters/<site>/ → text). */
  readonly sites: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** A site's grouping attributes (read when asked for). */
  readonly attributes: { get(site: string): SiteAttributes | undefined };
  /** kustomize-controller's StrictPostBuildSubstitutions, from the side's fleet.yaml. */
  readonly strict: boolean;
  /** The fleet's git branch, as the side's fleet.yaml names it. */
  readonly branch: string | undefined;
}

export interface HeadSide extends Side {
  readonly inventory: Inventory;
  /**
   * Files (relative to the clusters directory) where the tree differs from a fresh synth; the plan uses
   * synth's. With `only`, among those sites (the others were not rendered).
   */
  readonly synthesized: readonly string[];
  /** The same as repository-relative paths: contents to write, and paths to delete. */
  readonly replace: ReadonlyMap<string, string>;
  readonly remove: readonly string[];
}

/**
 * Site → its manifest files, read from disk when asked for: a plan of a 10,000-site fleet compares the
 * few sites a change reaches and must not hold every site's files.
 */
class SiteFiles implements ReadonlyMap<string, ReadonlyMap<string, string>> {
  private readonly known: ReadonlySet<string>;

  constructor(
    private readonly names: readonly string[],
    private readonly read: (site: string) => ReadonlyMap<string, string>,
  ) {
    this.known = new Set(names);
  }

  get size(): number {
    return this.names.length;
  }

  has(site: string): boolean {
    return this.known.has(site);
  }

  get(site: string): ReadonlyMap<string, string> | undefined {
    return this.known.has(site) ? this.read(site) : undefined;
  }

  keys(): MapIterator<string> {
    return this.names[Symbol.iterator]();
  }

  *entries(): MapIterator<[string, ReadonlyMap<string, string>]> {
    for (const name of this.names) yield [name, this.read(name)];
  }

  *values(): MapIterator<ReadonlyMap<string, string>> {
    for (const name of this.names) yield this.read(name);
  }

  forEach(fn: (files: ReadonlyMap<string, string>, site: string, map: ReadonlyMap<string, ReadonlyMap<string, string>>) => void): void {
    for (const name of this.names) fn(this.read(name), name, this);
  }

  [Symbol.iterator](): MapIterator<[string, ReadonlyMap<string, string>]> {
    return this.entries();
  }
}

/** The committed clusters/ of a tree, read as is (each site's files, and its attributes, when asked for). */
export function committedSide(root: string, fleetRel: string): Side {
  const fleetDir = posix.dirname(fleetRel);
  const clustersRel = fleetDir === '.' ? 'clusters' : `${fleetDir}/clusters`;
  const clustersAbs = join(root, clustersRel);
  const names = siteDirs(clustersAbs).filter((site) => hasManifests(join(clustersAbs, site)));
  const fleet = looseYaml(join(root, fleetRel)) as { spec?: { flux?: { strictPostBuildSubstitutions?: unknown }; source?: { branch?: unknown } } } | undefined;
  return {
    root,
    clustersRel,
    sites: new SiteFiles(names, (site) => readSiteFiles(join(clustersAbs, site))),
    attributes: lazyAttributes(join(root, fleetDir === '.' ? '' : fleetDir, 'sites')),
    strict: fleet?.spec?.flux?.strictPostBuildSubstitutions !== false,
    branch: typeof fleet?.spec?.source?.branch === 'string' ? fleet.spec.source.branch : undefined,
  };
}

export interface SynthesizedSideOptions {
  /** The tree's inventory, when the caller loaded it already (with the same `displayFrom`). */
  readonly inventory?: Inventory;
  /** Render and compare only these sites: the others are taken as committed. */
  readonly only?: ReadonlySet<string>;
}

/**
 * The committed clusters/ of a tree with every file synth owns replaced by what synth renders now from the
 * tree's inventory (so an edit to a site file shows before `npm run synth`). Bad inventory or apps that no
 * longer fit throw InputError, as synth does. Sites are rendered and compared one at a time; only the
 * files that differ are kept.
 */
export function synthesizedSide(root: string, fleetRel: string, displayFrom: string, options: SynthesizedSideOptions = {}): HeadSide {
  const committed = committedSide(root, fleetRel);
  const inventory = options.inventory ?? loadInventory(join(root, fleetRel), { displayFrom });
  const { only } = options;
  const plan = resolveFleet(inventory, only ? new Set(only) : undefined);
  const ctx = renderContext(inventory);
  const clustersAbs = join(root, committed.clustersRel);
  const plans = new Map(plan.sites.map((p) => [p.name, p]));
  const scope = [...new Set([...plans.keys(), ...siteDirs(clustersAbs)])].filter((s) => !only || only.has(s)).sort();
  // Sites whose files differ from a fresh synth: their files as the plan sees them (empty: none left).
  const changed = new Map<string, Map<string, string>>();
  const replace = new Map<string, string>();
  const synthesized: string[] = [];
  const remove: string[] = [];
  for (const site of scope) {
    const p = plans.get(site);
    const wanted = new Map(p ? renderSite(p, ctx).map((f) => [f.path, f.content]) : []);
    const change = diffClusters(clustersAbs, wanted, [site]);
    if (change.create.length + change.update.length + change.remove.length === 0) continue;
    const files = new Map(committed.sites.get(site) ?? []);
    for (const path of [...change.create, ...change.update]) {
      const text = wanted.get(path) ?? '';
      files.set(splitSite(path)[1], text);
      replace.set(`${committed.clustersRel}/${path}`, text);
    }
    for (const path of change.remove) {
      files.delete(splitSite(path)[1]);
      remove.push(`${committed.clustersRel}/${path}`);
    }
    changed.set(site, files);
    synthesized.push(...change.create, ...change.update, ...change.remove);
  }
  const names = [...new Set([...committed.sites.keys(), ...changed.keys()])].filter((s) => (changed.get(s)?.size ?? 1) > 0).sort();
  return {
    ...committed,
    sites: new SiteFiles(names, (site) => changed.get(site) ?? committed.sites.get(site) ?? new Map()),
    attributes: inventoryAttributes(inventory),
    strict: inventory.fleet.value.spec.flux.strictPostBuildSubstitutions,
    branch: inventory.fleet.value.spec.source.branch,
    inventory,
    synthesized: synthesized.sort(),
    replace,
    remove: remove.sort(),
  };
}

/**
 * The documents of one site of a side, parsed (with positions, for build error locations). `parsed`
 * shares the work between the sides: most files are the same text on both.
 */
export function siteDocs(side: Side, site: string, parsed: Map<string, ParsedFile> = new Map()): { docs: SiteDoc[]; errors: string[] } {
  const docs: SiteDoc[] = [];
  const errors: string[] = [];
  for (const [rel, text] of side.sites.get(site) ?? []) {
    const file = `${side.clustersRel}/${site}/${rel}`;
    const key = `${file}\0${text}`;
    const parsedFile = parsed.get(key) ?? parseYamlFile(file, text);
    parsed.set(key, parsedFile);
    errors.push(...parsedFile.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`));
    for (const source of parsedFile.documents) {
      const value = source.value;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      docs.push({ file, object: value as Record<string, unknown>, source });
    }
  }
  return { docs, errors };
}

function splitSite(p: string): [string, string] {
  const i = p.indexOf('/');
  return [p.slice(0, i), p.slice(i + 1)];
}

function isManifest(name: string): boolean {
  return /\.ya?ml$/.test(name) && !KUSTOMIZATION_FILES.includes(name) && !name.startsWith(TEMP_PREFIX);
}

/** Whether a site directory holds any manifest (without reading one). */
function hasManifests(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? hasManifests(join(dir, e.name)) : e.isFile() && isManifest(e.name)));
}

/** Every manifest under a site directory, as validate reads it (kustomize config files and temp files excluded). */
function readSiteFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (abs: string, rel: string): void => {
    for (const e of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(abs, e.name), r);
      else if (e.isFile() && isManifest(e.name)) {
        out.set(r, readFileSync(join(abs, e.name), 'utf8'));
      }
    }
  };
  walk(dir, '');
  return out;
}

/** A validated inventory's attributes of each site. */
function inventoryAttributes(inventory: Inventory): Map<string, SiteAttributes> {
  return new Map(inventory.sites.map(({ value }) => [value.metadata.name, attributesOf(value)]));
}

/**
 * Region, jurisdiction, profile and runtime of a site, read leniently (the base may not validate) and only
 * when asked for: `sites/<name>.yaml` (or `.yml`) first; when that file names another site, every file.
 */
function lazyAttributes(sitesDir: string): { get(site: string): SiteAttributes | undefined } {
  const read = (f: string): { name: string; attributes: SiteAttributes } | undefined => {
    const doc = looseYaml(join(sitesDir, f)) as { metadata?: { name?: unknown }; spec?: unknown } | undefined;
    if (doc === undefined) return undefined;
    return { name: typeof doc.metadata?.name === 'string' ? doc.metadata.name : f.replace(/\.ya?ml$/, ''), attributes: attributesOf(doc) };
  };
  let all: Map<string, SiteAttributes> | undefined;
  return {
    get(site: string): SiteAttributes | undefined {
      if (!existsSync(sitesDir)) return undefined;
      for (const f of [`${site}.yaml`, `${site}.yml`]) {
        const hit = existsSync(join(sitesDir, f)) ? read(f) : undefined;
        if (hit?.name === site) return hit.attributes;
      }
      if (!all) {
        all = new Map();
        for (const f of readdirSync(sitesDir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
          const hit = read(f);
          if (hit && !all.has(hit.name)) all.set(hit.name, hit.attributes);
        }
      }
      return all.get(site);
    },
  };
}

function attributesOf(doc: { spec?: unknown }): SiteAttributes {
  const spec = (doc.spec ?? {}) as Record<string, unknown>;
  const network = (spec.network ?? {}) as { profile?: unknown; bandwidthMbps?: unknown };
  return {
    region: str(spec.region),
    jurisdiction: str(spec.jurisdiction),
    networkProfile: str(network.profile),
    runtime: str(spec.runtime),
    ...(typeof network.bandwidthMbps === 'number' ? { bandwidthMbps: network.bandwidthMbps } : {}),
  };
}

function looseYaml(file: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function str(v: unknown): string {
  return typeof v === 'string' && v !== '' ? v : 'unknown';
}
