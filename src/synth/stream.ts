/**
 * Synth into a clusters directory without holding the fleet's output: everything that can be wrong
 * with the input (capacity, files synth does not own, symbolic links) is checked first from the plan
 * and the paths it names; then sites are rendered, compared and written group by group in worker
 * threads, and only paths and counts come back.
 */
import type { Inventory } from '../inventory/types.js';
import type { FleetPlan } from '../model/plan.js';
import { fleetPlan, resolveSites } from '../model/resolve.js';
import { InputError, type InputProblem } from '../util/errors.js';
import { defaultJobs, JOBS_ENV, mapInWorkers } from '../util/worker-pool.js';
import { layoutClusters, outputRootProblems, removeStale, scanClusters, type ClustersChange, type ClustersLayout } from './clusters-dir.js';
import type { SiteGroup, SiteGroupOutcome, SiteWorkerShared } from './site-worker.js';
import { renderContext, sitePaths, type SiteRenderContext } from './site-files.js';

export interface PreparedSynth {
  readonly plan: FleetPlan;
  /** Absolute clusters directory. */
  readonly outDir: string;
  readonly context: SiteRenderContext;
  /** What will happen to each path; `layout.conflicts` must be empty before running. */
  readonly layout: ClustersLayout;
}

export interface PrepareOptions {
  /** Only these sites (default: all of `inv.sites`). */
  readonly sites?: readonly string[];
  /**
   * Problems already found in the inventory (`inv` then holds only the sites that can still be
   * checked): reported in one InputError with the capacity problems and path conflicts of those.
   */
  readonly problems?: readonly InputProblem[];
  /** Rewrites a path conflict (absolute file) for that error, as the caller shows the others. */
  readonly display?: (conflict: InputProblem) => InputProblem;
}

/**
 * Resolves the selected sites (InputError when apps don't fit, or `options.problems` is not empty,
 * carrying the path conflicts too) and lays out what a run would do in
 * `outDir`, whose site directories `scope` lists. Renders and writes nothing.
 */
export function prepareSynth(inv: Inventory, outDir: string, scope: readonly string[], options: PrepareOptions = {}): PreparedSynth {
  const only = options.sites ? new Set(options.sites) : undefined;
  const resolved = resolveSites(inv, only ? inv.sites.filter((s) => only.has(s.value.metadata.name)) : inv.sites);
  const plan = fleetPlan(inv, resolved.plans);
  const found = layoutClusters(outDir, scanClusters(outDir, scope), plan.sites.flatMap(sitePaths));
  // Through a symlinked clusters/ (or a symlinked directory above it in the repository) synth would
  // write outside the repository: refused before the first write, with every other conflict.
  const layout = { ...found, conflicts: [...outputRootProblems(outDir, inv.root), ...found.conflicts] };
  // Every input problem of the run at once: the inventory's (from the caller), capacity, then paths.
  const earlier = [...(options.problems ?? []), ...resolved.problems];
  if (earlier.length > 0) throw new InputError([...earlier, ...layout.conflicts.map(options.display ?? ((p) => p))]);
  return { plan, outDir, context: renderContext(inv), layout };
}

export interface StreamOptions {
  /** Compare only: report what differs, write and remove nothing. */
  readonly check: boolean;
  /** Worker threads (default: EDGEFLEET_JOBS, else the available CPUs but at most one per MIN_SITES_PER_JOB sites). */
  readonly jobs?: number;
  /** Sites a worker renders between two reports (default SITES_PER_GROUP). */
  readonly sitesPerGroup?: number;
}

export interface StreamResult {
  readonly change: ClustersChange;
  /** Files rendered. */
  readonly files: number;
}

/** Sites per group: large enough that waiting for a group's last writes is rare, small enough to balance. */
export const SITES_PER_GROUP = 32;
/**
 * Sites per worker thread when EDGEFLEET_JOBS is not set. A worker's start (loading cdk8s, warming up)
 * costs about what rendering a few hundred sites does, and below ~2,000 sites the inventory load and
 * the disk's fsyncs dominate: measured on 2 cores, 1,000 and 2,000 sites took as long with two workers
 * as inline, with 0.7–1 s more CPU and 90 MB more memory.
 */
export const MIN_SITES_PER_JOB = 1000;

const WORKER_MODULE = new URL(`./site-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Renders, compares and (unless checking) writes every planned file, then removes stale owned files. */
export async function streamSynth(prepared: PreparedSynth, options: StreamOptions): Promise<StreamResult> {
  const { plan, outDir, layout } = prepared;
  const ownedBySite = new Map<string, string[]>();
  for (const path of layout.owned) {
    const site = path.slice(0, path.indexOf('/'));
    const paths = ownedBySite.get(site) ?? [];
    paths.push(path);
    ownedBySite.set(site, paths);
  }
  const size = Math.max(1, options.sitesPerGroup ?? SITES_PER_GROUP);
  const groups: SiteGroup[] = [];
  for (let i = 0; i < plan.sites.length; i += size) {
    const sites = plan.sites.slice(i, i + size);
    groups.push({ sites, owned: sites.flatMap((s) => ownedBySite.get(s.name) ?? []) });
  }
  const shared: SiteWorkerShared = { ...prepared.context, outDir, check: options.check };
  const jobs = options.jobs ?? jobsFor(plan.sites.length);
  const outcomes = await mapInWorkers<SiteWorkerShared, SiteGroup, SiteGroupOutcome>({ module: WORKER_MODULE, fn: 'synthSiteGroup', shared, items: groups, jobs, batch: 1 });

  const change = {
    create: outcomes.flatMap((o) => o.create).sort(),
    update: outcomes.flatMap((o) => o.update).sort(),
    remove: layout.remove,
    unchanged: outcomes.reduce((n, o) => n + o.unchanged, 0),
    conflicts: layout.conflicts,
    leftovers: layout.leftovers,
  };
  if (!options.check) await removeStale(outDir, change);
  return { change, files: outcomes.reduce((n, o) => n + o.files, 0) };
}

/** EDGEFLEET_JOBS when set (exactly that many); otherwise one per CPU, as far as the fleet is worth it. */
function jobsFor(sites: number): number {
  if (process.env[JOBS_ENV]?.trim()) return defaultJobs();
  return Math.max(1, Math.min(defaultJobs(), Math.ceil(sites / MIN_SITES_PER_JOB)));
}
