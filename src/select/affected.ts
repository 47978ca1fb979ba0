import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Inventory } from '../inventory/types.js';
import { kustomizeReach, reaches } from './kustomize-tree.js';

export interface AffectedSites {
  /** Sites whose rendered or built output may change, sorted; `'all'` when a fleet-wide input changed. */
  readonly sites: string[] | 'all';
  /**
   * Why each site is selected: the changed files that reach it, each with how. When `sites` is `'all'`,
   * the files that select every site are under the key `'*'`.
   */
  readonly reasons: Map<string, string[]>;
}

export interface AffectedOptions {
  /** Directory the Flux Kustomizations' `spec.path` is relative to (default: `root`). */
  readonly fluxRoot?: string;
  /** The committed clusters directory (default: `clusters/` beside the fleet file). */
  readonly clustersDir?: string;
}

/** Changes here can change what any site renders or builds: the toolchain itself. */
const TOOLCHAIN = [/^src\//, /^schemas\//, /^bin\//, /^package(-lock)?\.json$/, /^tsconfig[^/]*\.json$/];
/** source-controller drops what `.sourceignore` files list from every site's artifact. */
const SOURCE_IGNORE = /(^|\/)\.sourceignore$/;
const KUSTOMIZATION_API = /^kustomize\.toolkit\.fluxcd\.io\//;

/**
 * Which sites a set of changed files can affect (an over-approximation: never too narrow, possibly too
 * wide). `changedFiles` are relative to `root` (the repository's top level, as `changedFiles()` returns
 * them); `inventory` is the inventory after the change.
 *
 * - the fleet file, the toolchain (`src/`, `schemas/`, `bin/`, package and tsconfig files) or any
 *   `.sourceignore` → every site;
 * - `sites/<name>.yaml` → that site (also when the file was deleted: the site then loses everything);
 * - `apps/<app>/…` → every site that runs the app;
 * - `clusters/<site>/…` → that site;
 * - anything else (`infrastructure/…`, shared bases) → the sites one of whose Flux Kustomizations can read
 *   it: its `spec.path` tree, its components, and whatever their kustomization files name (kustomize-tree.ts).
 *   A site's Kustomizations are the ones synth renders for it from the inventory plus the ones committed
 *   in its clusters/ directory.
 *
 * Sites in the result may be missing from the inventory (a deleted site file, a stale clusters directory).
 */
export function affectedSites(root: string, changedFiles: readonly string[], inventory: Inventory, options: AffectedOptions = {}): AffectedSites {
  const rootAbs = resolve(root);
  const fleetDir = toPosix(relative(rootAbs, inventory.root));
  const clustersAbs = resolve(options.clustersDir ?? join(inventory.root, 'clusters'));
  const clustersRel = toPosix(relative(rootAbs, clustersAbs));
  const fleetFile = posix.join(fleetDir, inventory.fleet.relPath);
  const inFleet = (f: string): string | undefined => (fleetDir === '' ? f : f.startsWith(`${fleetDir}/`) ? f.slice(fleetDir.length + 1) : undefined);

  const everything: string[] = [];
  for (const f of changedFiles) {
    if (f === fleetFile) everything.push(`${f} (fleet-wide settings)`);
    else if (TOOLCHAIN.some((r) => r.test(f))) everything.push(`${f} (the toolchain that renders and builds every site)`);
    else if (SOURCE_IGNORE.test(f)) everything.push(`${f} (what source-controller leaves out of every site's artifact)`);
  }
  if (everything.length > 0) return { sites: 'all', reasons: new Map([['*', everything]]) };

  const reasons = new Map<string, string[]>();
  const select = (site: string, why: string): void => {
    const list = reasons.get(site) ?? [];
    if (!list.includes(why)) list.push(why);
    reasons.set(site, list);
  };

  const siteBySourceFile = new Map(inventory.sites.map((s) => [s.relPath, s.value.metadata.name]));
  const appByDir = new Map([...inventory.apps].map(([name, app]) => [app.relPath.split('/')[1] ?? name, name]));
  const runners = (app: string): string[] => inventory.sites.filter((s) => s.value.spec.apps.some((a) => a.name === app)).map((s) => s.value.metadata.name);

  const rest: string[] = [];
  for (const f of changedFiles) {
    const inv = inFleet(f);
    const site = inv?.match(/^sites\/([^/]+)\.ya?ml$/);
    const app = inv?.match(/^apps\/([^/]+)\//);
    const inClusters = clustersRel === '' ? f : f.startsWith(`${clustersRel}/`) ? f.slice(clustersRel.length + 1) : undefined;
    if (site && inv) select(siteBySourceFile.get(inv) ?? (site[1] as string), f);
    else if (inClusters !== undefined && inClusters.includes('/')) select(inClusters.split('/')[0] as string, f);
    else {
      if (app) {
        const name = appByDir.get(app[1] as string) ?? (app[1] as string);
        for (const s of runners(name)) select(s, `${f} (runs ${name})`);
      }
      rest.push(f); // an app's base can also be read by other Kustomizations
    }
  }

  if (rest.length > 0) {
    const fluxRoot = resolve(options.fluxRoot ?? rootAbs);
    const reachCache = new Map<string, string[]>();
    const reach = (path: string, components: readonly string[]): string[] => {
      const key = JSON.stringify([path, components]);
      let r = reachCache.get(key);
      if (!r) {
        r = kustomizeReach(fluxRoot, path, components).map((p) => toPosix(relative(rootAbs, join(fluxRoot, p))));
        reachCache.set(key, r);
      }
      return r;
    };
    for (const [site, kustomizations] of siteKustomizations(inventory, clustersAbs)) {
      for (const k of kustomizations) {
        const prefixes = reach(k.path, k.components);
        for (const f of rest) if (reaches(prefixes, f)) select(site, `${f} (read by ${k.name})`);
      }
    }
  }
  return { sites: [...reasons.keys()].sort(), reasons: new Map([...reasons].sort(([a], [b]) => (a < b ? -1 : 1))) };
}

interface KustomizationPath {
  readonly name: string;
  readonly path: string;
  readonly components: readonly string[];
}

/** Per site: the Flux Kustomizations synth renders from the inventory and those committed in clusters/<site>/. */
function siteKustomizations(inventory: Inventory, clustersAbs: string): Map<string, KustomizationPath[]> {
  const out = new Map<string, KustomizationPath[]>();
  const fleet = inventory.fleet.value.spec;
  for (const s of inventory.sites) {
    const spec = s.value.spec;
    // Mirrors model/resolve.ts: GPU add-ons only where there is a GPU; components per runtime.
    const addons = fleet.addons
      .filter((a) => a.requires !== 'gpu' || spec.hardware.gpu)
      .map((a) => ({ name: `infra-${a.name}`, path: `./${a.path}`, components: [...(a.components?.[spec.runtime] ?? [])] }));
    const apps = spec.apps.map((a) => ({ name: `app-${a.name}`, path: `./apps/${a.name}/base`, components: [] }));
    out.set(s.value.metadata.name, [...addons, ...apps]);
  }
  if (existsSync(clustersAbs)) {
    for (const e of readdirSync(clustersAbs, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const list = out.get(e.name) ?? [];
      list.push(...committedKustomizations(join(clustersAbs, e.name)));
      out.set(e.name, list);
    }
  }
  return out;
}

function committedKustomizations(dir: string): KustomizationPath[] {
  const out: KustomizationPath[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.ya?ml$/.test(e.name)) {
        const text = readFileSync(p, 'utf8');
        if (!text.includes('kustomize.toolkit.fluxcd.io')) continue;
        for (const doc of parseAllDocuments(text)) {
          const o = doc.toJS({ maxAliasCount: 100 }) as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown }; spec?: { path?: unknown; components?: unknown } } | null;
          if (!o || typeof o !== 'object' || o.kind !== 'Kustomization' || typeof o.apiVersion !== 'string' || !KUSTOMIZATION_API.test(o.apiVersion)) continue;
          const components = Array.isArray(o.spec?.components) ? o.spec.components.filter((c): c is string => typeof c === 'string') : [];
          out.push({ name: String(o.metadata?.name ?? '?'), path: typeof o.spec?.path === 'string' ? o.spec.path : '', components });
        }
      }
    }
  };
  walk(dir);
  return out;
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}
