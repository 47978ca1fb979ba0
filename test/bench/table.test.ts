import { describe, expect, it } from 'vitest';
import { summarise, withFloor } from '../../bench/lib/figures.js';
import type { Sample } from '../../bench/lib/measure.js';
import { formatColumns, formatFigures, formatTargets } from '../../bench/lib/table.js';

const sample = (wallS: number, cpuS: number, rssMb: number): Sample => ({ wallS, cpuS, sysS: cpuS / 10, maxRssKiB: (rssMb * 1e6) / 1024, exitCode: 0 });

describe('formatColumns', () => {
  it('pads text left, numbers right, with a rule under the header', () => {
    expect(formatColumns([['name', 'n'], ['a', '1'], ['bb', '100']], new Set([1]))).toBe(['name    n', '----  ---', 'a       1', 'bb    100'].join('\n'));
  });
});

describe('formatFigures', () => {
  it('prints one row per figure, the floor ratio, and why rounds were cut', () => {
    const floor = summarise('synth-floor', 10000, [sample(10, 10, 400), sample(11, 10, 401)], 2);
    const synth = withFloor(summarise('synth', 10000, [sample(38, 40, 1296), sample(40, 41, 1300)], 2), floor);
    const validate = summarise('validate', 10000, [sample(271.25, 255, 2330)], 3, '1 of 3 rounds: over budget');
    expect(formatFigures([floor, synth, validate])).toBe(
      [
        ' sites  figure                                 rounds   wall s (median)  wall s (runs)  CPU s  sys s  CPU/wall  max RSS MB  × floor',
        '------  -------------------------------------  -------  ---------------  -------------  -----  -----  --------  ----------  -------',
        '10,000  floor: yaml.stringify + writeFileSync  2                  10.50  10.00 11.00     10.0    1.0      0.95         401',
        '10,000  full synth                             2                  39.00  38.00 40.00     40.5    4.0      1.04        1300     3.71',
        '10,000  full validate                          1 of 3*           271.25  271.25         255.0   25.5      0.94        2330',
        '* 10,000 sites, full validate: 1 of 3 rounds: over budget',
      ].join('\n'),
    );
  });
});

describe('formatTargets', () => {
  it('shows PASS, FAIL and not measured, never hiding a miss', () => {
    const text = formatTargets([
      { name: 'a', comparison: '<=', limit: 2, unit: '×', measured: 3.1, pass: false },
      { name: 'b', comparison: '<=', limit: 60, unit: 's', measured: 41, pass: true },
      { name: 'c', comparison: '>=', limit: 1.5, unit: 'cores of 2', measured: null, pass: null },
      { name: 'd', comparison: '<=', limit: 1500, unit: 'MB', measured: 2582.94, pass: false },
    ]);
    expect(text.split('\n').slice(2)).toEqual([
      'a       ≤ 2×                 3.10×  FAIL',
      'b       ≤ 60 s             41.00 s  PASS',
      'c       ≥ 1.5 cores of 2         —  not measured',
      'd       ≤ 1500 MB          2583 MB  FAIL',
    ]);
  });
});
