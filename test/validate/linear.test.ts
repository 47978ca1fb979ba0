import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Composer, Document } from 'yaml';
import { loadInventory } from '../../src/inventory/load.js';
import { synthesize } from '../../src/synth/synthesize.js';
import { createBuildCache } from '../../src/validate/build/cache.js';
import { validateRepository } from '../../src/validate/validate-repo.js';
import { fleetOf } from '../helpers/example-fleet.js';

describe('validation does work linear in the number of sites', () => {
  const cleanups: (() => void)[] = [];
  afterAll(() => cleanups.forEach((c) => c()));

  /** Work of one validation run: YAML documents read and written per site, and kustomize runs in all. */
  async function work(n: number): Promise<{ parsedPerSite: number; writtenPerSite: number; builds: number; objects: number }> {
    const fleet = fleetOf(n);
    cleanups.push(fleet.cleanup);
    for (const [path, content] of synthesize(loadInventory(fleet.fleetFile)).files) {
      const file = join(fleet.dir, 'clusters', path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    const parsed = vi.spyOn(Composer.prototype, 'next');
    const written = vi.spyOn(Document.prototype, 'toString');
    const cache = createBuildCache();
    try {
      const result = await validateRepository({ fleetFile: fleet.fleetFile, cache, today: '2026-11-26' });
      expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(result.stats.sites).toBe(n);
      return { parsedPerSite: parsed.mock.calls.length / n, writtenPerSite: written.mock.calls.length / n, builds: cache.stats.builds, objects: result.stats.objects / n };
    } finally {
      parsed.mockRestore();
      written.mockRestore();
    }
  }

  it('reads, writes and builds no more per site as the fleet grows (16 → 48 sites)', async () => {
    const small = await work(16);
    const large = await work(48);
    // The same 8-site mix repeats: every site checks the same objects…
    expect(large.objects).toBe(small.objects);
    // …kustomize runs once per distinct (base, patches) pair, however many sites share it…
    expect(large.builds).toBe(small.builds);
    // …and what is parsed or serialised per distinct object is not redone per site: YAML work per
    // site goes down as sites share more (never up), and synth's files are not parsed back at all.
    expect(large.parsedPerSite).toBeLessThanOrEqual(small.parsedPerSite);
    expect(large.writtenPerSite).toBeLessThanOrEqual(small.writtenPerSite);
    expect(small.writtenPerSite).toBeGreaterThan(0);
  }, 120_000);
});
