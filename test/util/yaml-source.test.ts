import { describe, expect, it } from 'vitest';
import { MAX_PROBLEMS_PER_FILE, parseYamlFile } from '../../src/util/yaml-source.js';

// Inputs that used to escape parseYamlFile as exceptions (ReferenceError from toJS, RangeError from a
// spread of 130k problems) or be reported wrongly; each must become located problems.
describe('parseYamlFile: hostile and unusual YAML', () => {
  it('an unresolved alias is a problem at the alias', () => {
    const r = parseYamlFile('f.yaml', 'a: 1\nb: *nope\n');
    expect(r.documents).toEqual([]);
    expect(r.problems).toMatchObject([{ file: 'f.yaml', line: 2, column: 4, path: 'b', message: expect.stringContaining('alias *nope') }]);
  });

  it('an alias to an anchor in an earlier document is a problem (anchors do not cross ---)', () => {
    const r = parseYamlFile('f.yaml', 'metadata: &meta\n  name: a\n---\nmetadata: *meta\n');
    expect(r.documents).toHaveLength(1);
    expect(r.problems).toMatchObject([{ line: 4, column: 11, message: expect.stringContaining('anchors do not carry across') }]);
  });

  it('an alias bomb (billion laughs) is a problem, not an expansion', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) lines.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9).fill(`*${'abcdefghi'[i - 1]}`).join(',')}]`);
    const r = parseYamlFile('bomb.yaml', lines.join('\n') + '\n');
    expect(r.documents).toEqual([]);
    expect(r.problems).toMatchObject([{ file: 'bomb.yaml', line: 1, column: 1, message: expect.stringContaining('alias bomb') }]);
  });

  it('caps the problems of one file (130k syntax errors) and counts the rest', () => {
    const r = parseYamlFile('many.yaml', 'a: 1\n'.repeat(130_000));
    expect(r.problems).toHaveLength(MAX_PROBLEMS_PER_FILE + 1);
    expect(r.problems.at(-1)?.message).toMatch(/^\d+ more YAML problem\(s\) in this file not shown$/);
  });

  it('empty and comment-only documents are skipped, merge keys honoured', () => {
    const r = parseYamlFile('odd.yaml', 'a: 1\n---\n---\n# only a comment\n---\nx: &l { k: v }\ny:\n  <<: *l\n  z: 2\n');
    expect(r.problems).toEqual([]);
    expect(r.documents.map((d) => d.value)).toEqual([{ a: 1 }, { x: { k: 'v' }, y: { k: 'v', z: 2 } }]);
  });
});
