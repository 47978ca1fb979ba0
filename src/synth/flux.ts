import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1';
import type { AddonPlan, AppPlan, SitePlan } from '../model/plan.js';
import type { FluxPatch } from './patches.js';
import { siteLabels } from './labels.js';

/** Bootstrap's GitRepository: every Kustomization pulls from it, so a site fetches the repo once. */
export const SOURCE_REF = { kind: 'GitRepository', name: 'flux-system' } as const;
export const FLUX_NAMESPACE = 'flux-system';

export const addonKustomizationName = (addon: AddonPlan): string => `infra-${addon.name}`;
/** App Kustomizations are named `app-<app>`; validate maps built objects back to their app by it. */
export const APP_KUSTOMIZATION_PREFIX = 'app-';
export const appKustomizationName = (app: AppPlan): string => `${APP_KUSTOMIZATION_PREFIX}${app.name}`;

function syncTiming(site: SitePlan): { interval: string; retryInterval: string; timeout: string } {
  return { interval: site.sync.interval, retryInterval: site.sync.retryInterval, timeout: site.sync.timeout };
}

export function addonKustomization(site: SitePlan, addon: AddonPlan, patches: readonly FluxPatch[]): Kustomization {
  return new Kustomization({
    metadata: { name: addonKustomizationName(addon), namespace: FLUX_NAMESPACE, labels: { ...siteLabels(site), 'edgefleet.io/layer': 'infrastructure' } },
    spec: {
      ...syncTiming(site),
      sourceRef: { ...SOURCE_REF },
      path: addon.path,
      prune: true,
      // Add-ons are few and must be Ready before any app: wait on all their objects.
      wait: true,
      ...(addon.components.length > 0 ? { components: [...addon.components] } : {}),
      ...(patches.length > 0 ? { patches: patches.map((p) => ({ target: { ...p.target }, patch: p.patch })) } : {}),
      postBuild: { substitute: { ...site.variables } },
    },
  });
}

export function appKustomization(site: SitePlan, app: AppPlan, patches: readonly FluxPatch[]): Kustomization {
  const healthChecks = app.workloads
    .filter((w) => w.healthCheck)
    .map((w) => ({ apiVersion: w.kind === 'Job' ? 'batch/v1' : 'apps/v1', kind: w.kind, name: w.name, namespace: app.namespace }));
  return new Kustomization({
    metadata: { name: appKustomizationName(app), namespace: FLUX_NAMESPACE, labels: { ...siteLabels(site), 'edgefleet.io/layer': 'apps' } },
    spec: {
      ...syncTiming(site),
      sourceRef: { ...SOURCE_REF },
      path: app.path,
      prune: true,
      targetNamespace: app.namespace,
      dependsOn: site.addons.map((a) => ({ name: addonKustomizationName(a) })),
      ...(healthChecks.length > 0 ? { healthChecks } : { wait: true }),
      patches: patches.map((p) => ({ target: { ...p.target }, patch: p.patch })),
      postBuild: { substitute: { ...site.variables, ...app.variables } },
    },
  });
}
