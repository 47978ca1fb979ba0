import { ApiObject, App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { BaseResourceUse } from '../inventory/types.js';
import type { SitePlan } from '../model/plan.js';
import { InternalError } from '../util/errors.js';
import { addonKustomization, appKustomization } from './flux.js';
import { appLimitRange, appNamespace, appResourceQuota } from './namespace-objects.js';
import { addonPatches, appPatches } from './patches.js';

/** A generated file of a site: its path under clusters/<site>/, its objects and the inventory it came from. */
export interface SiteFile {
  readonly path: string;
  readonly sources: readonly string[];
  readonly objects: readonly Record<string, unknown>[];
}

/** What kubernetes-models classes (from either major version of @kubernetes-models/base) offer. */
interface TypedModel {
  validate(): void;
  toJSON(): unknown;
}

export interface SiteChartProps {
  readonly site: SitePlan;
  readonly fleetFile: string;
  /** Workloads of each add-on's base (for GPU placement patches). */
  readonly addonWorkloads: ReadonlyMap<string, readonly BaseResourceUse[]>;
}

/**
 * One site's Flux tree as a cdk8s chart. Objects are built with the typed kubernetes-models classes,
 * validated with their own schema, then wrapped in ApiObjects grouped by the file they go to.
 */
export class SiteChart extends Chart {
  private readonly groups = new Map<string, { sources: string[]; objects: ApiObject[] }>();

  constructor(scope: Construct, id: string, props: SiteChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { site, fleetFile } = props;
    const infraSources = [fleetFile, site.sourceFile];
    for (const addon of site.addons) {
      const patches = addonPatches(site, addon.requiresGpu, workloadsOf(props, addon.name));
      this.add('infrastructure.yaml', infraSources, `infra-${addon.name}`, addonKustomization(site, addon, patches));
    }
    for (const app of site.apps) {
      const file = `apps/${app.name}.yaml`;
      const sources = [fleetFile, site.sourceFile, app.sourceFile];
      this.add(file, sources, `${app.name}-namespace`, appNamespace(site, app));
      this.add(file, sources, `${app.name}-limitrange`, appLimitRange(site, app));
      this.add(file, sources, `${app.name}-quota`, appResourceQuota(site, app));
      this.add(file, sources, `${app.name}-kustomization`, appKustomization(site, app, appPatches(site, app)));
    }
  }

  private add(file: string, sources: readonly string[], id: string, model: TypedModel): void {
    try {
      model.validate();
    } catch (err) {
      throw new InternalError(`generated ${id} fails its schema: ${(err as Error).message}`, { cause: err });
    }
    const json = model.toJSON() as { apiVersion: string; kind: string };
    const obj = new ApiObject(this, id, json);
    const group = this.groups.get(file) ?? { sources: [...sources], objects: [] };
    group.objects.push(obj);
    this.groups.set(file, group);
  }

  /** The chart's files in a stable order, each object serialised by cdk8s (tokens resolved, keys sorted). */
  files(): SiteFile[] {
    return [...this.groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, g]) => ({ path, sources: g.sources, objects: g.objects.map((o) => o.toJson() as Record<string, unknown>) }));
  }
}

function workloadsOf(props: SiteChartProps, name: string): { kind: string; name: string }[] {
  return (props.addonWorkloads.get(name) ?? []).map((w) => ({ kind: w.kind, name: w.name }));
}

/**
 * Renders one site. Each site gets its own cdk8s App: one App holding every chart re-validates the
 * whole app per chart, which makes a fleet quadratic.
 */
export function buildSite(props: SiteChartProps): SiteFile[] {
  const app = new App();
  const chart = new SiteChart(app, props.site.name, props);
  return chart.files();
}
