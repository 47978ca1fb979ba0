/**
 * What a site's files are called and what rendering them needs, without the rendering itself (cdk8s,
 * kubernetes-models): the main thread of a streaming synth plans with this and leaves rendering to
 * its workers.
 */
import type { BaseResourceUse, Inventory } from '../inventory/types.js';
import type { SitePlan } from '../model/plan.js';

/** What rendering a site needs besides its plan: plain data, so it can be sent to a worker thread. */
export interface SiteRenderContext {
  /** fleet.yaml relative to the fleet root (named in each file's header). */
  readonly fleetFile: string;
  /** Workloads of each add-on's base (for GPU placement patches). */
  readonly addonWorkloads: ReadonlyMap<string, readonly BaseResourceUse[]>;
}

export function renderContext(inv: Inventory): SiteRenderContext {
  return { fleetFile: inv.fleet.relPath, addonWorkloads: inv.addonBases };
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
