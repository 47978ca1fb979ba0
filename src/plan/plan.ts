/**
 * `edgefleet plan`: what every site would apply at a base commit compared with the working tree (or a head
 * commit). The base is read from git's object store into a temporary directory and built with the current
 * builder; the working tree and index are only read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { loadInventory } from '../inventory/load.js';
import { affectedSites } from '../select/affected.js';
import { changedFiles } from '../select/changed-files.js';
import { gitTopLevel, resolveCommit } from '../select/git.js';
import { UsageError } from '../util/errors.js';
import type { ParsedFile } from '../util/yaml-source.js';
import type { BuildCache } from '../validate/build/cache.js';
import { compareObjects } from './compare.js';
import { measureShallowClone } from './download.js';
import { extractTree } from './git-tree.js';
import { scrub } from './redact.js';
import { committedSide, siteDocs, synthesizedSide, type HeadSide, type Side, type SiteAttributes } from './sides.js';
import { buildSiteKustomizations, substituteSite, type SubstitutionMemo } from './site-objects.js';
import type { ChangePlan, DownloadEstimate, GroupKey, SiteChange } from './types.js';

export interface PlanOptions {
  /** fleet.yaml in the working tree; the same path is read at the base (and head) commit. */
  readonly fleetFile: string;
  /** The git ref to compare with. */
  readonly base: string;
  /** A git ref for the new side (default: the working tree, index and untracked files included). */
  readonly head?: string;
  /** Consider only the sites that files changed since this ref can affect (src/select). */
  readonly changedSince?: string;
  readonly cache: BuildCache;
  /** Directory file names in inventory errors are relative to. */
  readonly displayFrom?: string;
  /** Measure what each site's source downloads for the new commit (a git clone). @default true */
  readonly measureDownload?: boolean;
  /** Lines of context in the diffs. @default 3 */
  readonly context?: number;
  /** Sites compared at once (their kustomize runs overlap). @default 4 */
  readonly concurrency?: number;
}

export async function planChanges(options: PlanOptions): Promise<ChangePlan> {
  const fleetAbs = resolve(options.fleetFile);
  const top = await gitTopLevel(resolve(fleetAbs, '..'));
  const fleetRel = relative(top, fleetAbs).split(sep).join('/');
  if (fleetRel.startsWith('..')) throw new UsageError(`the fleet file ${fleetAbs} is not inside the git repository ${top}`);
  const baseCommit = await resolveCommit(top, options.base);
  const headCommit = options.head === undefined ? null : await resolveCommit(top, options.head);

  const tmp = mkdtempSync(join(tmpdir(), 'edgefleet-plan-'));
  try {
    const headRoot = headCommit ? join(tmp, 'head') : top;
    if (headCommit) await extractTree(top, headCommit, headRoot);
    // Problems in an extracted head are named relative to the repository, not to a temp directory.
    const displayFrom = headCommit ? headRoot : (options.displayFrom ?? process.cwd());
    const headInventory = loadInventory(join(headRoot, fleetRel), { displayFrom });

    let selection: ChangePlan['selection'];
    let only: Set<string> | undefined;
    if (options.changedSince !== undefined) {
      const files = await changedFiles(top, options.changedSince, headCommit ? { head: headCommit } : {});
      const affected = affectedSites(headRoot, files, headInventory);
      selection = { since: options.changedSince, sites: affected.sites, reasons: Object.fromEntries(affected.reasons) };
      if (affected.sites !== 'all') only = new Set(affected.sites);
    } else {
      // Only sites a file changed between the sides can affect can differ (affectedSites is never too
      // narrow), so the others need not be rendered or built: the same plan, without rendering and
      // building 10,000 sites for one.
      const files = await changedFiles(top, baseCommit, headCommit ? { head: headCommit } : {});
      const affected = affectedSites(headRoot, files, headInventory);
      if (affected.sites !== 'all') only = new Set(affected.sites);
    }

    const head = synthesizedSide(headRoot, fleetRel, displayFrom, { inventory: headInventory, ...(only ? { only } : {}) });
    // The download is measured by git in child processes while this thread extracts and compares.
    const measuring: Promise<ChangePlan['download']> =
      options.measureDownload === false
        ? Promise.resolve({ error: 'not measured' })
        : estimateDownload(top, head, headCommit, baseCommit).catch((err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }));
    let sites: SiteChange[];
    try {
      await extractTree(top, baseCommit, join(tmp, 'base'));
      const base = committedSide(join(tmp, 'base'), fleetRel);
      const names = [...new Set([...base.sites.keys(), ...head.sites.keys()])].filter((s) => !only || only.has(s)).sort();
      const results = await mapLimit(names, options.concurrency ?? 4, (site) => compareSite(site, base, head, options));
      sites = results.filter((s): s is SiteChange => s !== undefined);
    } finally {
      await measuring; // after a failure too: git is not left running behind the error
    }
    const download = await measuring;

    return {
      base: { ref: options.base, commit: baseCommit },
      head: { ref: options.head ?? null, commit: headCommit },
      fleet: { sites: head.sites.size, affected: sites.length },
      sites,
      groups: groupSites(sites),
      totals: {
        added: sum(sites, (s) => s.counts.added),
        changed: sum(sites, (s) => s.counts.changed),
        removed: sum(sites, (s) => s.counts.removed),
        bytesChanged: sum(sites, (s) => s.bytesChanged),
      },
      download,
      ...(selection ? { selection } : {}),
      synthesized: head.synthesized,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function compareSite(site: string, base: Side, head: HeadSide, options: PlanOptions): Promise<SiteChange | undefined> {
  const inBase = base.sites.has(site);
  const inHead = head.sites.has(site);
  const parsed = new Map<string, ParsedFile>();
  const baseDocs = inBase ? siteDocs(base, site, parsed) : { docs: [], errors: [] };
  const headDocs = inHead ? siteDocs(head, site, parsed) : { docs: [], errors: [] };
  const baseBuilds = await buildSiteKustomizations(base.root, options.cache, baseDocs.docs);
  const headBuilds = await buildSiteKustomizations(head.root, options.cache, headDocs.docs);
  // Same manifests, same build keys (so the same kustomize output), same strictness: the same objects.
  // Exact, and it spares the substitution of every site the change does not reach.
  if (inBase && inHead && base.strict === head.strict && sameFiles(base.sites.get(site), head.sites.get(site)) && sameList(baseBuilds.keys, headBuilds.keys)) return undefined;
  // Both sides of a site mostly substitute the same built objects with the same variables: do it once.
  const memo: SubstitutionMemo = new Map();
  const before = substituteSite(baseBuilds, base.strict, memo);
  const after = substituteSite(headBuilds, head.strict, memo);
  const beforeErrors = [...baseDocs.errors, ...before.errors];
  const afterErrors = [...headDocs.errors, ...after.errors];
  const cmp = compareObjects(before.objects, after.objects, options.context === undefined ? {} : { context: options.context });
  if (cmp.objects.length === 0 && sameList(beforeErrors, afterErrors) && inBase === inHead) return undefined;
  const clean = (list: readonly string[]): string[] => list.map((e) => scrub(e, cmp.secrets));
  const count = (c: 'added' | 'changed' | 'removed'): number => cmp.objects.filter((o) => o.change === c).length;
  return {
    site,
    status: !inBase ? 'added' : !inHead ? 'removed' : 'changed',
    attributes: head.attributes.get(site) ?? base.attributes.get(site) ?? UNKNOWN,
    objects: cmp.objects,
    counts: { added: count('added'), changed: count('changed'), removed: count('removed'), unchanged: cmp.unchanged },
    bytesChanged: sum(cmp.objects, (o) => o.bytes.changed),
    errors: { base: clean(beforeErrors), head: clean(afterErrors) },
  };
}

function sameFiles(a: ReadonlyMap<string, string> | undefined, b: ReadonlyMap<string, string> | undefined): boolean {
  if (!a || !b || a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const UNKNOWN: SiteAttributes = { region: 'unknown', jurisdiction: 'unknown', networkProfile: 'unknown', runtime: 'unknown' };
const GROUP_KEYS: readonly GroupKey[] = ['region', 'jurisdiction', 'networkProfile', 'runtime'];

function groupSites(sites: readonly SiteChange[]): ChangePlan['groups'] {
  const groups = {} as Record<GroupKey, Record<string, string[]>>;
  for (const key of GROUP_KEYS) {
    const byValue: Record<string, string[]> = {};
    for (const s of sites) (byValue[s.attributes[key]] ??= []).push(s.site);
    groups[key] = Object.fromEntries(Object.entries(byValue).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return groups;
}

async function estimateDownload(top: string, head: HeadSide, headCommit: string | null, baseCommit: string): Promise<DownloadEstimate> {
  const parent = await resolveCommit(top, 'HEAD').catch(() => baseCommit);
  const size = await measureShallowClone(top, headCommit ? { commit: headCommit } : { workingTree: { parent, replace: head.replace, remove: head.remove } });
  const sites = head.inventory.sites.map((s) => s.value.metadata.name);
  const byNetworkProfile: Record<string, { sites: number; bytes: number; slowestSeconds: number | null }> = {};
  for (const name of sites) {
    const a = head.attributes.get(name) ?? UNKNOWN;
    const g = (byNetworkProfile[a.networkProfile] ??= { sites: 0, bytes: 0, slowestSeconds: null });
    g.sites++;
    g.bytes += size.bytes;
    if (a.bandwidthMbps) {
      const seconds = (size.bytes * 8) / (a.bandwidthMbps * 1e6);
      g.slowestSeconds = Math.max(g.slowestSeconds ?? 0, seconds);
    }
  }
  return {
    method: 'pack received by `git clone --depth 1 --single-branch --no-tags` of the new commit (what source-controller does when the branch moves)',
    branch: head.branch ?? 'main',
    bytesPerSite: size.bytes,
    objects: size.objects,
    sites: sites.length,
    totalBytes: size.bytes * sites.length,
    byNetworkProfile: Object.fromEntries(Object.entries(byNetworkProfile).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

function sum<T>(items: readonly T[], f: (t: T) => number): number {
  return items.reduce((n, t) => n + f(t), 0);
}
