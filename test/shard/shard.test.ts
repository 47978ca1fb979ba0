import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseShardSpec, shardSites } from '../../src/shard/shard.js';
import { UsageError } from '../../src/util/errors.js';

const SITES = ['lyon-pos-01', 'austin-pos-02', 'berlin-kiosk-03', 'det-inference-02', 'fra-inference-01', 'ohio-gw-02', 'oslo-gw-03', 'rotterdam-gw-01'];

function allShards(sites: readonly string[], total: number): string[][] {
  return Array.from({ length: total }, (_, k) => shardSites(sites, `${k + 1}/${total}`));
}

describe('parseShardSpec', () => {
  it.each([
    ['1/1', 1, 1],
    ['2/4', 2, 4],
    ['4/4', 4, 4],
    [' 3/10 ', 3, 10],
  ])('%j', (spec, index, total) => {
    expect(parseShardSpec(spec)).toEqual({ index, total });
  });

  it.each(['0/4', '5/4', '1/0', '2', '2/', '/4', '-1/4', '1.5/4', '01/4', '2/04', 'a/b', '1/4/2', '', '2 / 4', '99999999999999999/99999999999999999'])(
    'rejects %j with a usage error naming the expected form',
    (spec) => {
      expect(() => parseShardSpec(spec)).toThrow(UsageError);
      expect(() => parseShardSpec(spec)).toThrow(`--shard takes i/n with 1 ≤ i ≤ n (for example --shard 2/4), got "${spec}"`);
    },
  );
});

describe('shardSites', () => {
  it('cuts the sorted names into contiguous chunks, the first ones one longer', () => {
    expect(allShards(SITES, 3)).toEqual([
      ['austin-pos-02', 'berlin-kiosk-03', 'det-inference-02'],
      ['fra-inference-01', 'lyon-pos-01', 'ohio-gw-02'],
      ['oslo-gw-03', 'rotterdam-gw-01'],
    ]);
    expect(shardSites(SITES, '1/1')).toEqual([...SITES].sort());
  });

  it('gives empty shards when there are more shards than sites', () => {
    expect(allShards(['b', 'a'], 4)).toEqual([['a'], ['b'], [], []]);
    expect(shardSites([], '1/3')).toEqual([]);
  });

  it('sorts by code unit, not by locale', () => {
    expect(shardSites(['b', 'B', 'a', 'A'], '1/1')).toEqual(['A', 'B', 'a', 'b']);
  });

  it('accepts a parsed spec and checks it the same way', () => {
    expect(shardSites(SITES, { index: 2, total: 8 })).toEqual(['berlin-kiosk-03']);
    expect(() => shardSites(SITES, { index: 0, total: 2 })).toThrow(UsageError);
  });

  const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), { maxLength: 120 });

  it('puts every site in exactly one shard, with sizes that differ by at most one (property)', () => {
    fc.assert(
      fc.property(names, fc.integer({ min: 1, max: 40 }), (sites, total) => {
        const shards = allShards(sites, total);
        expect(shards.flat().sort()).toEqual([...sites].sort());
        const sizes = shards.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        // The larger shards come first, so shard i/n never depends on anything but i, n and the names.
        expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
      }),
    );
  });

  it('does not depend on the order or repetition of the input (property)', () => {
    fc.assert(
      fc.property(
        names.chain((sites) => fc.tuple(fc.constant(sites), fc.shuffledSubarray(sites, { minLength: sites.length, maxLength: sites.length }), fc.subarray(sites))),
        fc.integer({ min: 1, max: 12 }),
        ([sites, shuffled, repeated], total) => {
          expect(allShards([...shuffled, ...repeated], total)).toEqual(allShards(sites, total));
        },
      ),
    );
  });

  it('moves at most one site per shard boundary when a site is added (property)', () => {
    fc.assert(
      fc.property(names, fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), fc.integer({ min: 1, max: 12 }), (sites, added, total) => {
        fc.pre(!sites.includes(added));
        const before = allShards(sites, total);
        const after = allShards([...sites, added], total);
        for (let k = 0; k < total; k++) {
          const kept = before[k]!.filter((s) => after[k]!.includes(s));
          expect(before[k]!.length - kept.length).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});
