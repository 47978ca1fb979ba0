import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, splitLines, unifiedHunks, type Edit } from '../../src/plan/line-diff.js';

/** Length of a longest common subsequence, by dynamic programming (the reference Myers must match). */
function lcs(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let prev = 0;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = x === b[j - 1] ? prev + 1 : Math.max(row[j] as number, row[j - 1] as number);
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

const side = (e: Edit[], keep: '-' | '+'): string[] => e.filter((x) => x.op === '=' || x.op === keep).map((x) => x.line);

describe('diffLines', () => {
  it('reproduces both texts and is minimal (as many kept lines as an LCS)', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 30 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const edits = diffLines(a, b);
        expect(side(edits, '-')).toEqual(a);
        expect(side(edits, '+')).toEqual(b);
        expect(edits.filter((e) => e.op === '=').length).toBe(lcs(a, b));
      }),
      { numRuns: 300 },
    );
  });
});

describe('unifiedHunks', () => {
  it('writes hunks with three lines of context, merging close changes', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20'];
    const b = [...a];
    b[1] = 'two';
    b[4] = 'five';
    b[17] = 'eighteen';
    expect(unifiedHunks(diffLines(a, b))).toBe(
      [
        '@@ -1,8 +1,8 @@',
        ' 1',
        '-2',
        '+two',
        ' 3',
        ' 4',
        '-5',
        '+five',
        ' 6',
        ' 7',
        ' 8',
        '@@ -15,6 +15,6 @@',
        ' 15',
        ' 16',
        ' 17',
        '-18',
        '+eighteen',
        ' 19',
        ' 20',
        '',
      ].join('\n'),
    );
  });

  it('numbers an added and a removed text like diff -u', () => {
    expect(unifiedHunks(diffLines([], ['a', 'b']))).toBe('@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedHunks(diffLines(['a'], []))).toBe('@@ -1 +0,0 @@\n-a\n');
    expect(unifiedHunks(diffLines(['a'], ['a']))).toBe('');
  });

  it('splits text into lines without a phantom last line', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\nb')).toEqual(['a', 'b']);
    expect(splitLines('')).toEqual([]);
  });
});
