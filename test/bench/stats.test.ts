import { describe, expect, it } from 'vitest';
import { kibToMb, median, round } from '../../bench/lib/stats.js';

describe('median', () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
    [[2, 2, 9], 2],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses an empty list', () => {
    expect(() => median([])).toThrow(/empty/);
  });
});

describe('units', () => {
  it('rounds to a number of decimals', () => {
    expect(round(1.23456, 2)).toBe(1.23);
    expect(round(1.235, 1)).toBe(1.2);
  });

  it('reads KiB as decimal MB, as the targets are written', () => {
    expect(kibToMb(1_464_844)).toBeCloseTo(1500, 0);
    expect(kibToMb(1024)).toBeCloseTo(1.048576, 6);
  });
});
