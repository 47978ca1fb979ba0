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
import { synthesize } from '../synth/synthesize.js';
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
  readonly attributes: ReadonlyMap<string, SiteAttributes>;
  /** kustomize-controller's StrictPostBuildSubstitutions, from the side's fleet.yaml. */
  readonly strict: boolean;
  /** The fleet's git branch, as the side's fleet.yaml names it. */
  readonly branch: string | undefined;
}

export interface HeadSide extends Side {
  readonly inventory: Inventory;
  /** Files (relative to the clusters directory) where the tree differs from a fresh synth; the plan uses synth's. */
  readonly synthesized: readonly string[];
  /** The same as repository-relative paths: contents to write, and paths to delete. */
  readonly replace: ReadonlyMap<string, string>;
  readonly remove: readonly string[];
}

/** The committed clusters/ of a tree, read as is. */
export function committedSide(root: string, fleetRel: string): Side {
  const fleetDir = posix.dirname(fleetRel);
  const clustersRel = fleetDir === '.' ? 'clusters' : `${fleetDir}/clusters`;
  const clustersAbs = join(root, clustersRel);
  const sites = new Map<string, Map<string, string>>();
  for (const site of siteDirs(clustersAbs)) {
    const files = readSiteFiles(join(clustersAbs, site));
    if (files.size > 0) sites.set(site, files);
  }
  const fleet = looseYaml(join(root, fleetRel)) as { spec?: { flux?: { strictPostBuildSubstitutions?: unknown }; source?: { branch?: unknown } } } | undefined;
  return {
    root,
    clustersRel,
    sites,
    attributes: looseAttributes(join(root, fleetDir === '.' ? '' : fleetDir, 'sites')),
    strict: fleet?.spec?.flux?.strictPostBuildSubstitutions !== false,
    branch: typeof fleet?.spec?.source?.branch === 'string' ? fleet.spec.source.branch : undefined,
  };
}

/**
 * The committed clusters/ of a tree with every file synth owns replaced by what synth renders now from the
 * tree's inventory (so an edit to a site file shows before `npm run synth`). Bad inventory or apps that no
 * longer fit throw InputError, as synth does.
 */
export function synthesizedSide(root: string, fleetRel: string, displayFrom: string): HeadSide {
  const committed = committedSide(root, fleetRel);
  const inventory = loadInventory(join(root, fleetRel), { displayFrom });
  const synth = synthesize(inventory);
  const clustersAbs = join(root, committed.clustersRel);
  const known = inventory.sites.map((s) => s.value.metadata.name);
  const scope = [...new Set([...known, ...siteDirs(clustersAbs)])].sort();
  const change = diffClusters(clustersAbs, synth.files, scope);
  const sites = new Map([...committed.sites].map(([s, files]) => [s, new Map(files)]));
  const replace = new Map<string, string>();
  for (const p of [...change.create, ...change.update]) {
    const [site, rel] = splitSite(p);
    const text = synth.files.get(p) ?? '';
    const files = sites.get(site) ?? new Map<string, string>();
    files.set(rel, text);
    sites.set(site, files);
    replace.set(`${committed.clustersRel}/${p}`, text);
  }
  for (const p of change.remove) {
    const [site, rel] = splitSite(p);
    sites.get(site)?.delete(rel);
    if (sites.get(site)?.size === 0) sites.delete(site);
  }
  return {
    ...committed,
    sites: new Map([...sites].sort(([a], [b]) => (a < b ? -1 : 1))),
    strict: inventory.fleet.value.spec.flux.strictPostBuildSubstitutions,
    branch: inventory.fleet.value.spec.source.branch,
    inventory,
    synthesized: [...change.create, ...change.update, ...change.remove].sort(),
    replace,
    remove: change.remove.map((p) => `${committed.clustersRel}/${p}`),
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

/** Every manifest under a site directory, as validate reads it (kustomize config files and temp files excluded). */
function readSiteFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (abs: string, rel: string): void => {
    for (const e of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(abs, e.name), r);
      else if (e.isFile() && /\.ya?ml$/.test(e.name) && !KUSTOMIZATION_FILES.includes(e.name) && !e.name.startsWith(TEMP_PREFIX)) {
        out.set(r, readFileSync(join(abs, e.name), 'utf8'));
      }
    }
  };
  walk(dir, '');
  return out;
}

/** Region, jurisdiction, profile and runtime of each site file, read leniently (the base may not validate). */
function looseAttributes(sitesDir: string): Map<string, SiteAttributes> {
  const out = new Map<string, SiteAttributes>();
  if (!existsSync(sitesDir)) return out;
  for (const f of readdirSync(sitesDir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const doc = looseYaml(join(sitesDir, f)) as { metadata?: { name?: unknown }; spec?: Record<string, unknown> } | undefined;
    const spec = doc?.spec ?? {};
    const network = (spec.network ?? {}) as { profile?: unknown; bandwidthMbps?: unknown };
    const name = typeof doc?.metadata?.name === 'string' ? doc.metadata.name : f.replace(/\.ya?ml$/, '');
    out.set(name, {
      region: str(spec.region),
      jurisdiction: str(spec.jurisdiction),
      networkProfile: str(network.profile),
      runtime: str(spec.runtime),
      ...(typeof network.bandwidthMbps === 'number' ? { bandwidthMbps: network.bandwidthMbps } : {}),
    });
  }
  return out;
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
