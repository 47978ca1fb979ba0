import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadInventory } from '../../src/inventory/load.js';
import { resolveFleet } from '../../src/model/resolve.js';
import { parseQuantity } from '../../src/util/quantity.js';
import { FIXTURE_FLEET, FIXTURE_FLEET_FILE } from '../helpers/fixture-fleet.js';

const inv = loadInventory(FIXTURE_FLEET_FILE, { displayFrom: FIXTURE_FLEET });
const plan = resolveFleet(inv);
const site = (name: string) => {
  const s = plan.sites.find((x) => x.name === name);
  if (!s) throw new Error(name);
  return s;
};
const q = (s: string) => parseQuantity(s)!;

describe('capacity arithmetic', () => {
  it('subtracts the runtime, OS and eviction reserve per node', () => {
    // lyon-pos-01: k3s, 1 node, 4 CPU / 8Gi / 128Gi.
    const c = site('lyon-pos-01').capacity;
    expect(c.reserved.cpu).toBe(q('750m'));
    expect(c.reserved.memory).toBe(q('1600Mi') + q('512Mi') + q('100Mi'));
    expect(c.allocatable.memory).toBe(q('8Gi') - q('2212Mi'));
    // Disk: 6Gi runtime + 4Gi OS + 10% nodefs eviction threshold.
    expect(c.reserved['ephemeral-storage']).toBe(q('10Gi') + q('128Gi') / 10n);
  });

  it('multiplies the reserve by the number of nodes and splits allocatable per node', () => {
    const c = site('oslo-gw-03').capacity; // k0s, 3 nodes, 12 CPU
    expect(c.reserved.cpu).toBe(q('2250m'));
    expect(c.perNode.cpu).toBe((q('12') - q('2250m')) / 3n);
  });

  it('counts replicas, the Vault agent and the rolling-update surge in the quota', () => {
    const pos = site('lyon-pos-01').apps.find((a) => a.name === 'pos-api')!;
    const w = pos.workloads[0]!;
    expect(w.replicas).toBe(2);
    expect(w.surge).toBe(1); // 25% of 2, rounded up
    // pod = pos-api 100m + Vault agent 25m
    expect(w.podRequests.cpu).toBe(q('125m'));
    expect(pos.quota.requests.cpu).toBe(q('375m'));
    expect(pos.quota.pods).toBe(3);
  });

  it('falls back to Recreate where a surge pod would need a GPU the site does not have', () => {
    const inf = site('det-inference-02').apps.find((a) => a.name === 'inference-service')!;
    expect(inf.workloads[0]).toMatchObject({ replicas: 2, strategy: 'Recreate', surge: 0 });
    expect(inf.quota.gpu).toBe(2);
    const single = site('fra-inference-01').apps.find((a) => a.name === 'inference-service')!;
    // One replica on one GPU: a surge pod would need a second GPU.
    expect(single.workloads[0]).toMatchObject({ replicas: 1, strategy: 'Recreate' });
  });

  it('keeps an app-declared Recreate and sizes the telemetry buffer from the disk', () => {
    const tel = site('rotterdam-gw-01').apps.find((a) => a.name === 'telemetry')!;
    expect(tel.workloads[0]).toMatchObject({ strategy: 'Recreate', surge: 0 });
    const v = tel.volumes[0]!;
    expect(v.size).toBe(q('512Mi')); // 2% of ~20 GiB is below the 512Mi minimum
    expect(v.usableBytes >= 268435488n).toBe(true);
    const big = site('det-inference-02').apps.find((a) => a.name === 'telemetry')!;
    expect(big.volumes[0]!.size).toBe(q('8Gi')); // capped at max
  });

  it('applies per-site overrides of replicas and resources', () => {
    const pos = site('berlin-kiosk-03').apps.find((a) => a.name === 'pos-api')!;
    expect(pos.workloads[0]!.replicas).toBe(1);
    expect(pos.workloads[0]!.containers[0]!.requests.memory).toBe(q('96Mi'));
    expect(pos.variables.POS_API_MEMORY_REQUEST).toBe('96Mi');
  });

  it('never plans more requests than a site can allocate', () => {
    for (const s of plan.sites) {
      for (const r of ['cpu', 'memory', 'ephemeral-storage'] as const) {
        expect(s.capacity.requested[r] <= s.capacity.allocatable[r], `${s.name} ${r}`).toBe(true);
      }
    }
  });
});
