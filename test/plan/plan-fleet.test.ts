import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonPlan } from '../../src/plan/format/json.js';
import { GITHUB_COMMENT_LIMIT, markdownPlan } from '../../src/plan/format/markdown.js';
import { textPlan } from '../../src/plan/format/text.js';
import { planChanges } from '../../src/plan/plan.js';
import type { ChangePlan } from '../../src/plan/types.js';
import { createBuildCache } from '../../src/validate/build/cache.js';
import { fleetOf } from '../helpers/example-fleet.js';
import { runCli } from '../helpers/temp-repo.js';
import { repoAt, type GitFixture } from './git-fixture.js';

const SITES = 300;

describe(`plan on a fleet of ${SITES} sites, after a fleet-wide change`, () => {
  let repo: GitFixture;
  let base: string;
  let plan: ChangePlan;
  let builds: { builds: number; hits: number };

  beforeAll(async () => {
    const fleet = fleetOf(SITES);
    repo = repoAt(fleet.dir);
    const synth = await runCli(['synth'], fleet.dir);
    expect(synth.code, synth.stderr).toBe(0);
    base = repo.commit('fleet');
    // Every container default memory limit changes: every app namespace's LimitRange, on every site.
    repo.edit('fleet.yaml', 'default: { cpu: 250m, memory: 256Mi', 'default: { cpu: 250m, memory: 320Mi');
    const cache = createBuildCache();
    plan = await planChanges({ fleetFile: `${fleet.dir}/fleet.yaml`, base, cache, displayFrom: fleet.dir });
    builds = cache.stats;
  }, 180_000);

  afterAll(() => repo?.cleanup());

  it('lists every site in JSON', () => {
    expect(plan.sites).toHaveLength(SITES);
    expect(plan.fleet).toEqual({ sites: SITES, affected: SITES });
    expect(plan.sites.every((s) => s.objects.some((o) => o.id.kind === 'LimitRange' && /^\+\s+memory: 320Mi$/m.test(o.diff)))).toBe(true);
    const json = JSON.parse(jsonPlan(plan)) as ChangePlan & { version: number };
    expect(json.version).toBe(1);
    expect(json.sites).toHaveLength(SITES);
    // What keeps plan fast on a large fleet: one kustomize build per distinct (base, patches) pair of the
    // two trees (9 here), whatever the number of sites; every other site's build is a cache hit.
    // (Wall time is not asserted: ~10 s idle on 2 cores, but a busy machine makes any limit flaky.)
    expect(builds.builds).toBeLessThanOrEqual(12);
    expect(builds.hits).toBeGreaterThanOrEqual(SITES);
  });

  it('keeps the markdown comment under GitHub’s limit, counting the sites it leaves out', () => {
    const md = markdownPlan(plan);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toContain(`### edgefleet plan: ${SITES} of ${SITES} site(s) change`);
    const details = md.match(/<details>/g)?.length ?? 0;
    const compact = Number(/\*\*(\d+) more site\(s\), without diffs\*\*/.exec(md)?.[1] ?? 0);
    const omitted = Number(/…and \*\*(\d+)\*\* more affected site\(s\) omitted/.exec(md)?.[1] ?? 0);
    expect(details).toBeGreaterThan(0);
    expect(details).toBeLessThan(SITES);
    expect(details + compact + omitted).toBe(SITES);
    expect(compact + omitted).toBeGreaterThan(0);
  });

  it('prints no Vault template body in any format', () => {
    for (const out of [textPlan(plan), jsonPlan(plan), markdownPlan(plan)]) {
      expect(out).not.toContain('.Data.data');
      expect(out).not.toContain('with secret');
    }
  });
});
