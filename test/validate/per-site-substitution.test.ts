import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createBuildCache } from '../../src/validate/build/cache.js';
import { substituteResource } from '../../src/validate/build/substitute.js';
import type { FluxKustomizationLike } from '../../src/validate/build/types.js';
import { FIXTURE_FLEET } from '../helpers/fixture-fleet.js';

function kustomization(site: string, app: string): FluxKustomizationLike & { spec: { postBuild: { substitute: Record<string, string> } } } {
  const text = readFileSync(join(FIXTURE_FLEET, 'clusters', site, 'apps', `${app}.yaml`), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJS()).find((o) => o.kind === 'Kustomization');
}

describe('one build per distinct (base, patches) pair, substituted per site', () => {
  it('builds identical patch text once and fills ${CLUSTER_ID} with each site’s own value', async () => {
    const cache = createBuildCache();
    const sites = ['lyon-pos-01', 'austin-pos-02', 'berlin-kiosk-03'];
    const ks = sites.map((s) => kustomization(s, 'pos-api'));
    // A patch that carries a site variable: same text on every site.
    const withEnv = ks.map((k) => ({
      ...k,
      spec: { ...k.spec, patches: [...(k.spec.patches ?? []), { target: { kind: 'ConfigMap', name: 'pos-api' }, patch: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pos-api\ndata:\n  SITE_LABEL: "store-${CLUSTER_ID}"\n' }] },
    }));
    const results = await Promise.all(withEnv.map((k) => cache.build(FIXTURE_FLEET, k)));
    expect(cache.stats).toEqual({ builds: 1, hits: 2 });
    expect(new Set(results.map((r) => r.key)).size).toBe(1);

    const labels = results.map((r, i) => {
      const cm = r.objects.find((o) => o.object.kind === 'ConfigMap')!;
      expect((cm.object.data as Record<string, string>).SITE_LABEL).toBe('store-${CLUSTER_ID}'); // the build leaves it
      const sub = substituteResource(cm.object, withEnv[i]!.spec.postBuild.substitute, { strict: true });
      expect(sub.issues).toEqual([]);
      return (sub.object!.data as Record<string, string>).SITE_LABEL;
    });
    expect(labels).toEqual(sites.map((s) => `store-${s}`));

    const deployment = results[0]!.objects.find((o) => o.object.kind === 'Deployment')!;
    const sub = substituteResource(deployment.object, withEnv[0]!.spec.postBuild.substitute, { strict: true });
    const spec = (sub.object as { spec: { replicas: unknown; template: { spec: { nodeSelector: Record<string, string> } } } }).spec;
    expect(spec.replicas).toBe(2); // re-parsed as an integer after substitution
    expect(spec.template.spec.nodeSelector['kubernetes.io/arch']).toBe('amd64');
  });

  it('builds again when the patch text differs', async () => {
    const cache = createBuildCache();
    await cache.build(FIXTURE_FLEET, kustomization('lyon-pos-01', 'pos-api'));
    await cache.build(FIXTURE_FLEET, kustomization('fra-inference-01', 'inference-service'));
    await cache.build(FIXTURE_FLEET, kustomization('det-inference-02', 'inference-service'));
    expect(cache.stats).toEqual({ builds: 2, hits: 1 });
  });
});
