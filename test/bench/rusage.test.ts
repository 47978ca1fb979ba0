import { describe, expect, it } from 'vitest';
import { parseTimeOutput } from '../../bench/lib/rusage.js';

describe('parseTimeOutput (GNU time -f "%e %U %S %M")', () => {
  it('reads elapsed, user, system and max RSS', () => {
    expect(parseTimeOutput('3.94 4.10 0.93 284260\n')).toEqual({ elapsedS: 3.94, userS: 4.1, systemS: 0.93, maxRssKiB: 284260 });
  });

  it('skips the status line GNU time adds when the child fails', () => {
    expect(parseTimeOutput('Command exited with non-zero status 1\n22.49 23.07 1.81 484616\n')).toEqual({ elapsedS: 22.49, userS: 23.07, systemS: 1.81, maxRssKiB: 484616 });
    expect(parseTimeOutput('Command terminated by signal 9\n0.10 0.00 0.01 4000\n').maxRssKiB).toBe(4000);
  });

  it('rejects anything else', () => {
    expect(() => parseTimeOutput('')).toThrow(/unexpected GNU time output/);
    expect(() => parseTimeOutput('3.94 4.10 0.93\n')).toThrow(/unexpected/);
    expect(() => parseTimeOutput('0:03.94 4.10 0.93 284260\n')).toThrow(/unexpected/);
  });
});
