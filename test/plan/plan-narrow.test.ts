import { afterAll, describe, expect, it } from 'vitest';
import { planChanges } from '../../src/plan/plan.js';
import { createBuildCache } from '../../src/validate/build/cache.js';
import { fleetOf } from '../helpers/example-fleet.js';
import { runCli } from '../helpers/temp-repo.js';
import { repoAt, type GitFixture } from './git-fixture.js';

describe('plan of a one-site change', () => {
  let repo: GitFixture | undefined;
  afterAll(() => repo?.cleanup());

  it('builds only the sites the change can reach, and finds the change', async () => {
    const fleet = fleetOf(24);
    repo = repoAt(fleet.dir);
    expect((await runCli(['synth'], fleet.dir)).code).toBe(0);
    const base = repo.commit('fleet');
    const site = 'lyon-pos-01-0004';
    repo.edit(`sites/${site}.yaml`, '    - name: pos-api\n', '    - name: pos-api\n      replicas: { pos-api: 3 }\n');
    const cache = createBuildCache();
    const plan = await planChanges({ fleetFile: `${fleet.dir}/fleet.yaml`, base, cache, displayFrom: fleet.dir, measureDownload: false });
    expect(plan.sites.map((s) => s.site)).toEqual([site]);
    expect(plan.fleet).toEqual({ sites: 24, affected: 1 });
    expect(plan.sites[0]?.objects.some((o) => o.change === 'changed')).toBe(true);
    // Both sides of that one site, not 24 sites' Kustomizations twice over.
    const requests = cache.stats.builds + cache.stats.hits;
    expect(requests).toBeGreaterThan(0);
    expect(requests).toBeLessThanOrEqual(2 * 6);
  }, 120_000);
});
