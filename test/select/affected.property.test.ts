/**
 * The selection is never too narrow: for a random single-file change to any kind of input, every site
 * whose output actually changes (re-synthesized and rebuilt with kustomize, substituted per site) is
 * among the sites affectedSites selects.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/plan/identity.js';
import { siteDocs, synthesizedSide } from '../../src/plan/sides.js';
import { siteObjects } from '../../src/plan/site-objects.js';
import { affectedSites } from '../../src/select/affected.js';
import { createBuildCache, type BuildCache } from '../../src/validate/build/cache.js';
import { copyFixtureFleet } from '../helpers/fixture-fleet.js';

const SITES = ['austin-pos-02', 'berlin-kiosk-03', 'det-inference-02', 'fra-inference-01', 'lyon-pos-01', 'ohio-gw-02', 'oslo-gw-03', 'rotterdam-gw-01'];
const APPS = ['inference-service', 'mqtt-broker', 'pos-api', 'telemetry'];
const PROFILES = ['always-on', 'intermittent', 'scheduled'];

/** One realistic edit of one file, kept valid (the inventory still loads and every site still fits). */
interface Mutation {
  readonly file: string;
  readonly describe: string;
  apply(text: string): string;
}

function replaceOnce(text: string, re: RegExp, to: (m: RegExpExecArray) => string): string {
  const m = re.exec(text);
  if (!m) throw new Error(`mutation does not apply: ${re}`);
  return text.slice(0, m.index) + to(m) + text.slice(m.index + m[0].length);
}

const n = fc.integer({ min: 1, max: 9 });
const site = fc.constantFrom(...SITES);
const app = fc.constantFrom(...APPS);

const mutations: fc.Arbitrary<Mutation>[] = [
  // Site files.
  fc.tuple(site, fc.constantFrom(...PROFILES)).map(([s, p]) => ({
    file: `sites/${s}.yaml`,
    describe: `${s}: network profile ${p}`,
    apply: (t) => replaceOnce(t, /profile: [a-z-]+/, () => `profile: ${p}`),
  })),
  fc.tuple(fc.constantFrom('austin-pos-02', 'berlin-kiosk-03', 'lyon-pos-01'), fc.integer({ min: 1, max: 3 })).map(([s, r]) => ({
    file: `sites/${s}.yaml`,
    describe: `${s}: pos-api replicas ${r}`,
    apply: (t) => replaceOnce(t, /- name: pos-api\n(\s+replicas: \{ pos-api: \d+ \}\n)?/, () => `- name: pos-api\n      replicas: { pos-api: ${r} }\n`),
  })),
  fc.tuple(site, n).map(([s, k]) => ({
    file: `sites/${s}.yaml`,
    describe: `${s}: bandwidth`,
    apply: (t) => replaceOnce(t, /bandwidthMbps: (\d+)/, (m) => `bandwidthMbps: ${Number(m[1]) + k}`),
  })),
  // app.yaml: a container's CPU request, lowered so that it still fits everywhere.
  fc.tuple(app, n).map(([a, k]) => ({
    file: `apps/${a}/app.yaml`,
    describe: `${a}: cpu request -${k}m`,
    apply: (t) =>
      replaceOnce(t, /requests: \{ cpu: "?(\d+)(m?)"?/, (m) => {
        const milli = m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
        return `requests: { cpu: ${Math.max(5, milli - k)}m`;
      }),
  })),
  // App bases: an image tag; pos-api's ConfigMap value.
  fc.tuple(app, n).map(([a, k]) => ({
    file: `apps/${a}/base/deployment.yaml`,
    describe: `${a}: image tag`,
    apply: (t) => replaceOnce(t, /image: (\S+)/, (m) => `image: ${m[1]}-m${k}`),
  })),
  n.map((k) => ({
    file: 'apps/pos-api/base/configmap.yaml',
    describe: 'pos-api: ConfigMap value',
    apply: (t) => replaceOnce(t, /SYNC_RETRY_MAX: "30m"/, () => `SYNC_RETRY_MAX: "${30 + k}m"`),
  })),
  // Infrastructure: manifests, requests (they enter every site's capacity), a component.
  fc.tuple(fc.constantFrom('vault-agent-injector/deployment.yaml', 'nvidia-device-plugin/daemonset.yaml'), n).map(([f, k]) => ({
    file: `infrastructure/${f}`,
    describe: `${f}: image tag`,
    apply: (t) => replaceOnce(t, /image: (\S+)/, (m) => `image: ${m[1]}-m${k}`),
  })),
  fc.tuple(fc.constantFrom('vault-agent-injector/deployment.yaml', 'nvidia-device-plugin/daemonset.yaml'), n).map(([f, k]) => ({
    file: `infrastructure/${f}`,
    describe: `${f}: cpu request`,
    apply: (t) => replaceOnce(t, /requests: \{ cpu: (\d+)m/, (m) => `requests: { cpu: ${Math.max(1, Number(m[1]) - k)}m`),
  })),
  n.map((k) => ({
    file: 'infrastructure/nvidia-device-plugin/components/k3s-runtime-class/runtimeclass.yaml',
    describe: 'runtime class handler',
    apply: (t) => replaceOnce(t, /handler: nvidia/, () => `handler: nvidia-${k}`),
  })),
  n.map((k) => ({ file: 'infrastructure/README.md', describe: 'README', apply: (t) => `${t}\nEdit ${k}.\n` })),
  // fleet.yaml: a profile's interval (longer keeps retryInterval < interval and timeout <= interval); a default.
  fc.tuple(fc.constantFrom(...PROFILES), n).map(([p, k]) => ({
    file: 'fleet.yaml',
    describe: `fleet: ${p} interval`,
    apply: (t) => replaceOnce(t, new RegExp(`(    ${p}:\\n(?:      .*\\n)*?      interval: )(\\d+)([mh])`), (m) => `${m[1]}${Number(m[2]) + k}${m[3]}`),
  })),
  n.map((k) => ({
    file: 'fleet.yaml',
    describe: 'fleet: LimitRange default memory',
    apply: (t) => replaceOnce(t, /default: \{ cpu: 250m, memory: 256Mi/, () => `default: { cpu: 250m, memory: ${256 + k}Mi`),
  })),
  // A hand-written manifest next to what synth renders.
  fc.tuple(site, n).map(([s, k]) => ({
    file: `clusters/${s}/extra-${k}.yaml`,
    describe: `${s}: hand-written ConfigMap`,
    apply: () => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra-${k}\n  namespace: default\ndata:\n  k: "${k}"\n`,
  })),
];

async function siteHashes(dir: string, cache: BuildCache): Promise<Map<string, string>> {
  const side = synthesizedSide(dir, 'fleet.yaml', dir);
  const out = new Map<string, string>();
  for (const s of side.sites.keys()) {
    const { docs, errors } = siteDocs(side, s);
    const built = await siteObjects(dir, cache, side.strict, docs);
    const text = canonicalJson({ objects: built.objects.map((o) => o.object), errors: [...errors, ...built.errors] });
    out.set(s, createHash('sha256').update(text).digest('hex'));
  }
  return out;
}

function copyExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgefleet-affected-prop-'));
  copyFixtureFleet(dir);
  return dir;
}

describe('affectedSites is never too narrow', () => {
  // One cache for every run: each run builds in a directory of its own (the cache's file reads are per
  // directory), and kustomize runs are keyed by content, so only the changed bases are rebuilt.
  const cache = createBuildCache();
  let baseline: Map<string, string>;
  const dirs: string[] = [];
  const seen = { runs: 0, changedSites: 0, narrowerThanAll: 0 };

  beforeAll(async () => {
    const dir = copyExample();
    dirs.push(dir);
    baseline = await siteHashes(dir, cache);
    expect([...baseline.keys()]).toEqual(SITES);
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('every site whose output changes is selected', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(...mutations), async (m) => {
        const dir = copyExample();
        dirs.push(dir);
        const abs = join(dir, m.file);
        let before = '';
        try {
          before = readFileSync(abs, 'utf8');
        } catch {
          mkdirSync(join(abs, '..'), { recursive: true });
        }
        writeFileSync(abs, m.apply(before));
        const after = await siteHashes(dir, cache);
        const changed = SITES.filter((s) => after.get(s) !== baseline.get(s));
        const { loadInventory } = await import('../../src/inventory/load.js');
        const selected = affectedSites(dir, [m.file], loadInventory(join(dir, 'fleet.yaml'))).sites;
        seen.runs++;
        seen.changedSites += changed.length;
        if (selected !== 'all' && selected.length < SITES.length) seen.narrowerThanAll++;
        if (selected !== 'all') expect(changed.filter((s) => !selected.includes(s)), `${m.describe}: changed ${changed} but selected ${selected}`).toEqual([]);
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 25 },
    );
    // Not vacuous: the mutations changed outputs, and the selection was usually narrower than the fleet.
    expect(seen.changedSites).toBeGreaterThan(0);
    expect(seen.narrowerThanAll).toBeGreaterThan(0);
  }, 120_000);
});
