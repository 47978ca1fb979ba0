import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load.js';
import { resolveFleet } from '../../src/model/resolve.js';
import { InputError, UsageError } from '../../src/util/errors.js';
import { copyFixtureFleet } from '../helpers/fixture-fleet.js';

// Hostile fragments a garbled or malicious inventory file can hold: aliases without anchors, alias
// fan-out, merge keys, flow collections left open, tags, deep nesting, wrong scalar types, odd bytes.
const FRAGMENTS = [
  '*a', '&a x', '<<: *a', '<<: [*a, *b]', '{', '[', '}', ']', ': :', '- - -', '!!binary', '!!int', '!custom', '~', 'null',
  '---', '...', '? ', '|', '>-', '"\\x', "'", '%YAML 1.1', '\t', '\u0000', '\ufeff', 'ä€😀', '0x1F', '1e400', '-.inf',
  'a: &a [*a]', 'x: &x {y: *x}', '[['.repeat(300), '{a: '.repeat(200), '${'.repeat(100), 'name: ' + 'x'.repeat(300),
  'cpu: -1', 'memory: 1Zi', 'nodes: 1.5', 'apps: {}', 'apps: [null]', 'metadata: []', 'spec: 7',
];

/** A file's text with one of: a cut at some point, a fragment inserted, a line removed, a line repeated. */
const mutation = (text: string) =>
  fc.oneof(
    fc.nat({ max: text.length }).map((at) => text.slice(0, at)),
    fc.tuple(fc.nat({ max: text.length }), fc.constantFrom(...FRAGMENTS)).map(([at, f]) => text.slice(0, at) + f + text.slice(at)),
    fc.tuple(fc.nat({ max: text.length }), fc.string({ maxLength: 12 })).map(([at, s]) => text.slice(0, at) + s + text.slice(at)),
    fc.nat().map((n) => {
      const lines = text.split('\n');
      lines.splice(n % lines.length, 1);
      return lines.join('\n');
    }),
    fc.nat().map((n) => {
      const lines = text.split('\n');
      const i = n % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }),
  );

describe('inventory fuzz: garbled inventories give located input errors, never internal ones', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgefleet-fuzz-'));
  copyFixtureFleet(dir, ['fleet.yaml', 'sites', 'apps']);
  const files = ['fleet.yaml', ...readdirSync(join(dir, 'sites')).map((f) => `sites/${f}`), 'apps/pos-api/app.yaml'];
  const originals = new Map(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('1,000 mutated files through load and resolve', () => {
    let rejected = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...files).chain((f) => fc.tuple(fc.constant(f), mutation(originals.get(f)!))),
        ([file, text]) => {
          writeFileSync(join(dir, file), text);
          try {
            resolveFleet(loadInventory(join(dir, 'fleet.yaml')));
          } catch (err) {
            // Anything else (TypeError, RangeError, InternalError) is a crash a user would see as a bug.
            if (!(err instanceof InputError || err instanceof UsageError)) throw err;
            rejected++;
            for (const p of err instanceof InputError ? err.problems : []) expect(p.line).toBeGreaterThanOrEqual(1);
          } finally {
            writeFileSync(join(dir, file), originals.get(file)!);
          }
        },
      ),
      { numRuns: 1000 },
    );
    // The mutations are mostly harmful: a fuzz that never reached the error paths would prove nothing.
    expect(rejected).toBeGreaterThan(300);
  });
});
