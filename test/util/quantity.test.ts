import { describe, expect, it } from 'vitest';
import { formatBytes, formatBytesMi, formatCpu, parseQuantity } from '../../src/util/quantity.js';
import { formatDuration, parseDuration } from '../../src/util/duration.js';

describe('parseQuantity', () => {
  it.each([
    ['1.5', '1500m'],
    ['1.5Gi', '1536Mi'],
    ['2e3', '2k'],
    [2, '2000m'],
    ['0.1', '100m'],
    ['1Ki', '1024'],
  ])('%s equals %s', (a, b) => {
    expect(parseQuantity(a)).toBe(parseQuantity(b));
  });

  it('compares numerically, not as strings', () => {
    expect(parseQuantity('900m')! < parseQuantity('1')!).toBe(true);
    expect(parseQuantity('512Mi')! < parseQuantity('1Gi')!).toBe(true);
  });

  it.each(['2GB', '1.5 Gi', 'Gi', '', '1e', '--1', '1iB', '0x10'])('rejects %j', (bad) => {
    expect(parseQuantity(bad)).toBeUndefined();
  });

  it('formats for output', () => {
    expect(formatCpu(parseQuantity('1500m')!)).toBe('1500m');
    expect(formatCpu(parseQuantity('2')!)).toBe('2');
    expect(formatBytes(parseQuantity('1536Mi')!)).toBe('1536Mi');
    expect(formatBytes(parseQuantity('2Gi')!)).toBe('2Gi');
    expect(formatBytesMi(parseQuantity('1000000')!)).toBe('1Mi');
  });
});

describe('parseDuration', () => {
  it.each([
    ['5m', 300_000],
    ['30s', 30_000],
    ['1h30m', 5_400_000],
    ['2m30s', 150_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['5 minutes', '5', 'm', '1d', ''])('rejects %j', (bad) => {
    expect(parseDuration(bad)).toBeUndefined();
  });

  it('round-trips through formatDuration', () => {
    expect(formatDuration(parseDuration('1h30m')!)).toBe('1h30m');
  });
});
