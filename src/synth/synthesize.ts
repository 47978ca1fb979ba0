import type { Inventory } from '../inventory/types.js';
import type { FleetPlan } from '../model/plan.js';
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

/** Inventory → every site's files, in memory. Throws InputError when a site's apps don't fit. */
export function synthesize(inv: Inventory, options: SynthOptions = {}): SynthResult {
  const plan = resolveFleet(inv, options.sites ? new Set(options.sites) : undefined);
  const files = new Map<string, string>();
  plan.sites.forEach((site, i) => {
    for (const file of buildSite({ site, fleetFile: inv.fleet.relPath, addonWorkloads: inv.addonBases })) {
      files.set(`${site.name}/${file.path}`, renderFile(file));
    }
    options.onSite?.(i + 1, plan.sites.length);
  });
  return { plan, files };
}
