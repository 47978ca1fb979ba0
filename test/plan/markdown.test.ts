import { describe, expect, it } from 'vitest';
import { GITHUB_COMMENT_LIMIT, markdownPlan } from '../../src/plan/format/markdown.js';
import type { ChangePlan, ObjectChange, SiteChange } from '../../src/plan/types.js';

function object(i: number, diffLines: number): ObjectChange {
  const diff = `@@ -1,${diffLines} +1,${diffLines} @@\n${Array.from({ length: diffLines }, (_, j) => `${j % 2 ? '+' : '-'}  key-${i}-${j}: value`).join('\n')}\n`;
  return { change: 'changed', id: { group: 'apps', kind: 'Deployment', namespace: 'ns', name: `app-${i}` }, kustomization: `app-${i}`, file: 'apps/x/base/deployment.yaml', diff, lines: { added: diffLines / 2, removed: diffLines / 2 }, bytes: { base: 100, head: 100, changed: 40 } };
}

function site(i: number, diffLines: number): SiteChange {
  return {
    site: `site-${String(i).padStart(4, '0')}`,
    status: 'changed',
    attributes: { region: i % 2 ? 'eu-west' : 'us-south', jurisdiction: i % 2 ? 'eu' : 'us', networkProfile: 'always-on', runtime: 'k3s' },
    objects: [object(i, diffLines), object(i + 1, diffLines)],
    counts: { added: 0, changed: 2, removed: 0, unchanged: 10 },
    bytesChanged: 80,
    errors: { base: [], head: [] },
  };
}

function plan(sites: SiteChange[]): ChangePlan {
  return {
    base: { ref: 'origin/main', commit: 'a'.repeat(40) },
    head: { ref: null, commit: null },
    fleet: { sites: sites.length, affected: sites.length },
    sites,
    groups: { region: { 'eu-west': [], 'us-south': [] }, jurisdiction: {}, networkProfile: {}, runtime: {} },
    totals: { added: 0, changed: 2 * sites.length, removed: 0, bytesChanged: 80 * sites.length },
    download: { method: 'm', branch: 'main', bytesPerSite: 30_000, objects: 100, sites: sites.length, totalBytes: 30_000 * sites.length, byNetworkProfile: { 'always-on': { sites: sites.length, bytes: 30_000 * sites.length, slowestSeconds: 0.5 } } },
    synthesized: [],
  };
}

describe('markdownPlan', () => {
  it('puts every site in a collapsed section when the comment fits', () => {
    const md = markdownPlan(plan([site(1, 6), site(2, 6)]));
    expect(md.match(/<details>/g)).toHaveLength(2);
    expect(md).toContain('<summary><b>site-0001</b>');
    expect(md).toContain('```diff\n@@ -1,6 +1,6 @@\n');
    expect(md).not.toMatch(/omitted|without diffs/);
    expect(md).toContain('### edgefleet plan: 2 of 2 site(s) change');
  });

  it('degrades to summary lines, then a count of omitted sites, and stays under the limit', () => {
    const sites = Array.from({ length: 3000 }, (_, i) => site(i, 40));
    const md = markdownPlan(plan(sites));
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const details = md.match(/<details>/g)?.length ?? 0;
    const compact = Number(/\*\*(\d+) more site\(s\), without diffs\*\*/.exec(md)?.[1] ?? 0);
    const omitted = Number(/…and \*\*(\d+)\*\* more affected site\(s\) omitted/.exec(md)?.[1] ?? 0);
    expect(details).toBeGreaterThan(0);
    expect(compact).toBeGreaterThan(0);
    expect(omitted).toBeGreaterThan(0);
    expect(details + compact + omitted).toBe(3000);
    // The last site shown in full is followed by the first summary line: nothing is skipped in between.
    expect(md).toContain(`- **site-${String(details).padStart(4, '0')}**`);
    expect(md).toContain("GitHub's 65,536-character comment limit");
  });

  it('cuts a huge diff of one object rather than dropping the site', () => {
    const md = markdownPlan(plan([site(1, 2000)]));
    expect(md.match(/<details>/g)).toHaveLength(1);
    expect(md).toMatch(/… \d+ more diff line\(s\) not shown/);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
  });

  it('fences diffs that contain backticks with a longer fence', () => {
    const s = site(1, 2);
    const withTicks = { ...s, objects: [{ ...(s.objects[0] as ObjectChange), diff: '@@ -1 +1 @@\n-a: ```\n+a: ````\n' }] };
    const md = markdownPlan(plan([withTicks]));
    expect(md).toContain('`````diff\n@@ -1 +1 @@\n-a: ```\n+a: ````\n`````\n');
  });
});
