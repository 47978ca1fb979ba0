import type { BaseResourceUse, Inventory } from '../inventory/types.js';
import type { FleetPlan, SitePlan } from '../model/plan.js';
import { resolveFleet } from '../model/resolve.js';
import { renderFile } from './render.js';
import { buildSite } from './site-chart.js';

export interface SynthResult {
  readonly plan: FleetPlan;
  /** File path relative to the clusters directory (`<site>/apps/<app>.yaml`) → content. */
  readonly files: ReadonlyMap<string, string>;
}

export interface SynthOptions {
  /** Only these sites (default: all). */
  readonly sites?: readonly string[];
  /** Called after each site is rendered (for progress on a terminal). */
  readonly onSite?: (done: number, total: number) => void;
}

/** What rendering a site needs besides its plan: plain data, so it can be sent to a worker thread. */
export interface SiteRenderContext {
  /** fleet.yaml relative to the fleet root (named in each file's header). */
  readonly fleetFile: string;
  /** Workloads of each add-on's base (for GPU placement patches). */
  readonly addonWorkloads: ReadonlyMap<string, readonly BaseResourceUse[]>;
}

export interface RenderedFile {
  /** Relative to the clusters directory: `<site>/infrastructure.yaml`, `<site>/apps/<app>.yaml`. */
  readonly path: string;
  readonly content: string;
}

export function renderContext(inv: Inventory): SiteRenderContext {
  return { fleetFile: inv.fleet.relPath, addonWorkloads: inv.addonBases };
}

/** One site's files, rendered (cdk8s chart, then YAML). */
export function renderSite(site: SitePlan, ctx: SiteRenderContext): RenderedFile[] {
  return buildSite({ site, fleetFile: ctx.fleetFile, addonWorkloads: ctx.addonWorkloads }).map((file) => ({ path: `${site.name}/${file.path}`, content: renderFile(file) }));
}

/**
 * The files renderSite produces for a site, known from the plan alone (so what a run will write can be
 * checked before anything is rendered): `infrastructure.yaml` when the site has add-ons, one file per
 * app — the files SiteChart groups its objects into, in its order.
 */
export function sitePaths(site: SitePlan): string[] {
  const files = new Set(site.apps.map((app) => `apps/${app.name}.yaml`));
  if (site.addons.length > 0) files.add('infrastructure.yaml');
  return [...files].sort().map((f) => `${site.name}/${f}`);
}

/** Inventory → every site's files, in memory. Throws InputError when a site's apps don't fit. */
export function synthesize(inv: Inventory, options: SynthOptions = {}): SynthResult {
  const plan = resolveFleet(inv, options.sites ? new Set(options.sites) : undefined);
  const ctx = renderContext(inv);
  const files = new Map<string, string>();
  plan.sites.forEach((site, i) => {
    for (const file of renderSite(site, ctx)) files.set(file.path, file.content);
    options.onSite?.(i + 1, plan.sites.length);
  });
  return { plan, files };
}
