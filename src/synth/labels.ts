import type { SitePlan } from '../model/plan.js';

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'edgefleet' } as const;

/** Labels every generated object carries, so a site's objects can be selected and traced. */
export function siteLabels(site: SitePlan): Record<string, string> {
  return { ...MANAGED_BY, 'edgefleet.io/site': site.name };
}

/** Namespace labels: where the site is, and the Pod Security level Kubernetes enforces there. */
export function namespaceLabels(site: SitePlan): Record<string, string> {
  const version = `v${site.kubernetesVersion}`;
  return {
    ...siteLabels(site),
    'edgefleet.io/region': site.region,
    'edgefleet.io/jurisdiction': site.jurisdiction,
    env: site.environment,
    topology: 'edge',
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': version,
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': version,
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': version,
  };
}
