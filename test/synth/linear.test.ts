import { afterAll, describe, expect, it, vi } from 'vitest';
import { ApiObject, App } from 'cdk8s';
import { Node } from 'constructs';
import { loadInventory } from '../../src/inventory/load.js';
import { synthesize } from '../../src/synth/synthesize.js';
import { fleetOf } from '../helpers/example-fleet.js';

describe('synthesis does work linear in the number of sites', () => {
  const cleanups: (() => void)[] = [];
  afterAll(() => cleanups.forEach((c) => c()));

  /** Work counters per site: object serialisations, and constructs visited by tree walks (cdk8s validation walks the whole App). */
  function workPerSite(n: number): { serialisations: number; visited: number; appSyntheses: number } {
    const fleet = fleetOf(n);
    cleanups.push(fleet.cleanup);
    const inv = loadInventory(fleet.fleetFile);
    const realFindAll = Node.prototype.findAll;
    let visited = 0;
    const findAll = vi.spyOn(Node.prototype, 'findAll').mockImplementation(function (this: Node, order) {
      const out = realFindAll.call(this, order);
      visited += out.length;
      return out;
    });
    const toJson = vi.spyOn(ApiObject.prototype, 'toJson');
    const synth = vi.spyOn(App.prototype, 'synth');
    try {
      const result = synthesize(inv);
      expect(result.plan.sites).toHaveLength(n);
      return { serialisations: toJson.mock.calls.length / n, visited: visited / n, appSyntheses: synth.mock.calls.length };
    } finally {
      findAll.mockRestore();
      toJson.mockRestore();
      synth.mockRestore();
    }
  }

  it('keeps per-site work constant from 16 to 208 sites', () => {
    const small = workPerSite(16);
    const large = workPerSite(208);
    expect(small.serialisations).toBeGreaterThan(0);
    // The same 8-site mix repeats, so each site must cost exactly the same whatever the fleet size.
    expect(large.serialisations).toBe(small.serialisations);
    expect(large.visited).toBe(small.visited);
    expect(large.appSyntheses).toBe(0);
  });
});
