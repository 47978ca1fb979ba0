import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load.js';
import { synthesize } from '../../src/synth/synthesize.js';
import { createBuildCache } from '../../src/validate/build/cache.js';
import { spread, validateRepository } from '../../src/validate/validate-repo.js';
import { fleetOf } from '../helpers/example-fleet.js';

describe('validate in worker threads', () => {
  const fleet = fleetOf(136);
  afterAll(() => fleet.cleanup());

  it('reports exactly what one thread reports, in the same order', async () => {
    for (const [path, content] of synthesize(loadInventory(fleet.fleetFile)).files) {
      const file = join(fleet.dir, 'clusters', path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    // something to find: a file synth does not write, with a schema error
    const site = join(fleet.dir, 'clusters', 'austin-pos-02-0000');
    writeFileSync(join(site, 'extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: default\ndata:\n  n: 1\n');
    const single = createBuildCache();
    const one = await validateRepository({ fleetFile: fleet.fleetFile, cache: single, today: '2026-11-26', jobs: 1 });
    const cache = createBuildCache();
    const two = await validateRepository({ fleetFile: fleet.fleetFile, cache, today: '2026-11-26', jobs: 2 });
    // the workers' builds ran here, through the caller's cache: each distinct build once, as in one thread
    expect(single.stats.builds).toBeGreaterThan(0);
    expect(cache.stats.builds).toBe(single.stats.builds);
    expect(cache.stats.hits).toBeGreaterThan(0);
    expect(one.findings.some((f) => f.file.endsWith('extra.yaml') && f.severity === 'error')).toBe(true);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  }, 120_000);

  it('hands batches out in a stride through the fleet, each batch once', () => {
    expect(spread(10)).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 3, 7]);
    expect(spread(1)).toEqual([0]);
    expect(spread(0)).toEqual([]);
    for (const n of [2, 9, 136, 625]) {
      const order = spread(n);
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      // the first ⌈√n⌉ batches reach across the whole fleet
      expect(Math.max(...order.slice(0, Math.ceil(Math.sqrt(n))))).toBeGreaterThanOrEqual(n - Math.ceil(Math.sqrt(n)));
    }
  });
});
