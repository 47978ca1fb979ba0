import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { emitYaml } from '../../src/util/yaml-emit.js';
import { FIXTURE_FLEET } from '../helpers/fixture-fleet.js';

const yaml = (v: unknown): string => stringify(v, { lineWidth: 0, aliasDuplicateObjects: false });

// Text that hits every branch: indicators, comment and key markers, other types, spaces, line breaks.
const atoms = ['a', 'Z', '9', '0', '.', '-', '_', '/', ' ', ':', '#', '$', '{', '}', '[', ']', ',', '"', "'", '\n', '\t', '*', '&', '!', '|', '>', '%', '@', '`', '?', '=', '~', 'é', 'true', 'null', '0x1F', '1e3', '.inf', '${VAR}', '---', 'yes'];
const text = fc.array(fc.constantFrom(...atoms), { maxLength: 8 }).map((a) => a.join(''));
const leaf = fc.oneof(text, text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('map'), tie('list')),
  map: fc.dictionary(text, tie('node'), { maxKeys: 4 }),
  list: fc.array(tie('node'), { maxLength: 3 }),
}));

describe('emitYaml', () => {
  it('writes what yaml.stringify writes, or gives up', () => {
    let written = 0;
    fc.assert(
      fc.property(tree.map, (value) => {
        const out = emitYaml(value);
        if (out !== undefined) {
          written++;
          expect(out).toBe(yaml(value));
        }
      }),
      { numRuns: 3000 },
    );
    expect(written).toBeGreaterThan(300); // the rest has floats, tabs or non-ASCII text
  });

  it('writes every document of the committed clusters/ itself, identical to yaml', () => {
    let docs = 0;
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.yaml')) {
          for (const d of parseAllDocuments(readFileSync(p, 'utf8'))) {
            const v = d.toJS();
            expect(emitYaml(v)).toBe(yaml(v));
            docs++;
          }
        }
      }
    };
    walk(join(FIXTURE_FLEET, 'clusters'));
    expect(docs).toBeGreaterThan(50);
  });

  it('gives up on what it does not know', () => {
    const shared = { x: 1 };
    expect(emitYaml({ a: shared, b: shared })).toBeUndefined(); // yaml writes an anchor and an alias
    for (const v of [{ a: 1.5 }, { a: [[1]] }, { a: 'é' }, { a: 'a\n\n' }, [1], 'text']) expect(emitYaml(v)).toBeUndefined();
  });
});
