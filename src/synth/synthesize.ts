import type { Inventory } from '../inventory/types.js';
import type { FleetPlan, SitePlan } from '../model/plan.js';
import { resolveFleet } from '../model/resolve.js';
import { renderFile } from './render.js';
import { buildSite } from './site-chart.js';
import { renderContext, type SiteRenderContext } from './site-files.js';

export { renderContext, sitePaths, type SiteRenderContext } from './site-files.js';

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

export interface RenderedFile {
  /** Relative to the clusters directory: `<site>/infrastructure.yaml`, `<site>/apps/<app>.yaml`. */
  readonly path: string;
  readonly content: string;
}

/** One site's files, rendered (cdk8s chart, then YAML). */
export function renderSite(site: SitePlan, ctx: SiteRenderContext): RenderedFile[] {
  return buildSite({ site, fleetFile: ctx.fleetFile, addonWorkloads: ctx.addonWorkloads }).map((file) => ({ path: `${site.name}/${file.path}`, content: renderFile(file) }));
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
