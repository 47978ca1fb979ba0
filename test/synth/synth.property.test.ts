import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadInventory } from '../../src/inventory/load.js';
import { synthesize } from '../../src/synth/synthesize.js';
import { InputError } from '../../src/util/errors.js';
import { parseQuantity } from '../../src/util/quantity.js';
import { copyFixtureFleet } from '../helpers/fixture-fleet.js';

const APPS = ['inference-service', 'pos-api', 'mqtt-broker', 'telemetry'] as const;

const siteArb = fc.record({
  arch: fc.constantFrom('amd64', 'arm64'),
  runtime: fc.constantFrom('k3s', 'k0s'),
  nodes: fc.integer({ min: 1, max: 4 }),
  cpu: fc.constantFrom('2', '4', '8', '16', '3500m'),
  memory: fc.constantFrom('2Gi', '4Gi', '8Gi', '16Gi', '64Gi'),
  storage: fc.constantFrom('16Gi', '32Gi', '128Gi', '1Ti'),
  gpu: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  profile: fc.constantFrom('always-on', 'intermittent', 'scheduled'),
  jurisdiction: fc.constantFrom('eu', 'us'),
  apps: fc.subarray([...APPS], { minLength: 1 }),
  posReplicas: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
});
type SiteArb = typeof siteArb extends fc.Arbitrary<infer T> ? T : never;

/** Mostly sites whose apps suit their hardware (so rendering is exercised), some arbitrary ones. */
const mixedSiteArb = fc.oneof(
  { weight: 4, arbitrary: siteArb.map((s) => ({ ...s, memory: s.memory === '2Gi' ? '8Gi' : s.memory, apps: s.apps.filter((a) => a !== 'inference-service' || (s.arch === 'amd64' && s.gpu !== undefined)) })).filter((s) => s.apps.length > 0) },
  { weight: 1, arbitrary: siteArb },
);

function siteYaml(name: string, s: SiteArb): string {
  const apps = s.apps
    .map((a) => `    - name: ${a}${a === 'pos-api' && s.posReplicas !== undefined ? `\n      replicas: { pos-api: ${s.posReplicas} }` : ''}`)
    .join('\n');
  return `apiVersion: edgefleet.io/v1alpha1
kind: Site
metadata:
  name: ${name}
spec:
  region: r-${s.jurisdiction}
  jurisdiction: ${s.jurisdiction}
  runtime: ${s.runtime}
  hardware:
    arch: ${s.arch}
    nodes: ${s.nodes}
    cpu: "${s.cpu}"
    memory: ${s.memory}
    storage: ${s.storage}
${s.gpu ? `    gpu: { vendor: nvidia, model: T4, count: ${s.gpu} }\n` : ''}  network:
    profile: ${s.profile}
    bandwidthMbps: 10
  apps:
${apps}
`;
}

describe('inventory → synth (property)', () => {
  const root = mkdtempSync(join(tmpdir(), 'edgefleet-prop-'));
  copyFixtureFleet(root, ['fleet.yaml', 'apps', 'infrastructure']);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('either renders a coherent site or rejects it with located problems in the site file', () => {
    const outcomes = { rejectedAtLoad: 0, rejectedForCapacity: 0, rendered: 0 };
    fc.assert(
      fc.property(fc.array(mixedSiteArb, { minLength: 1, maxLength: 2 }), (sites) => {
        rmSync(join(root, 'sites'), { recursive: true, force: true });
        mkdirSync(join(root, 'sites'));
        sites.forEach((s, i) => writeFileSync(join(root, 'sites', `s${i}.yaml`), siteYaml(`s${i}`, s)));
        let inv;
        try {
          inv = loadInventory(join(root, 'fleet.yaml'), { displayFrom: root });
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
          const problems = (err as InputError).problems;
          expect(problems.length).toBeGreaterThan(0);
          for (const p of problems) {
            expect(p.file).toMatch(/^sites\/s\d\.yaml$/);
            expect(p.line).toBeGreaterThan(0);
          }
          // Only the two inventory-level incompatibilities can reject these sites at load time.
          for (const p of problems) expect(p.message).toMatch(/publishes images for|needs \d+ NVIDIA GPU/);
          outcomes.rejectedAtLoad++;
          return;
        }
        let result;
        try {
          result = synthesize(inv);
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
          for (const p of (err as InputError).problems) {
            expect(p.file).toMatch(/^sites\/s\d\.yaml$/);
            expect(p.message).toMatch(/cannot run its apps|reserve|more than one node|above one node|below the LimitRange/);
          }
          outcomes.rejectedForCapacity++;
          return;
        }
        outcomes.rendered++;
        // Deterministic: the same inventory renders the same bytes.
        expect([...synthesize(inv).files]).toEqual([...result.files]);
        for (const site of result.plan.sites) {
          const spec = sites[Number(site.name.slice(1))]!;
          for (const r of ['cpu', 'memory', 'ephemeral-storage'] as const) {
            expect(site.capacity.requested[r] <= site.capacity.allocatable[r]).toBe(true);
          }
          const gpuUse = site.apps.reduce((s, a) => s + a.quota.gpu, 0);
          expect(gpuUse).toBeLessThanOrEqual(spec.gpu ?? 0);
          expect(site.apps.map((a) => a.name).sort()).toEqual([...spec.apps].sort());
          for (const app of site.apps) {
            const text = result.files.get(`${site.name}/apps/${app.name}.yaml`)!;
            const docs = parseAllDocuments(text).map((d) => d.toJS());
            const k = docs.find((d) => d.kind === 'Kustomization');
            expect(k.spec.postBuild.substitute.ARCH).toBe(spec.arch);
            expect(k.spec.path).toBe(`./apps/${app.name}/base`);
            const quota = docs.find((d) => d.kind === 'ResourceQuota');
            const perPod = app.workloads.reduce((s, w) => s + w.pods + w.surge, 0);
            expect(Number(quota.spec.hard.pods)).toBe(perPod);
            expect(parseQuantity(quota.spec.hard['requests.cpu'])! >= app.workloads.reduce((s, w) => s + w.podRequests.cpu * BigInt(w.pods), 0n)).toBe(true);
          }
        }
      }),
      { numRuns: 80, seed: 20261126 },
    );
    // The generator must exercise every path, or the property proves little.
    expect(outcomes.rendered).toBeGreaterThan(5);
    expect(outcomes.rejectedAtLoad).toBeGreaterThan(0);
    expect(outcomes.rejectedForCapacity).toBeGreaterThan(0);
  });
});
