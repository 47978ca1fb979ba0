import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { substituteResource } from '../../../src/validate/build/substitute.js';

// substituteResource patches the fields a substitution changed instead of re-reading the whole text
// when that cannot differ; `reparse: true` always re-reads. Both must agree on every input.

const HOSTILE = ['a', 'Z', '0', '7', '.', '-', ' ', ':', '#', '"', "'", '\\', '\n', '\t', '{', '}', '[', ']', ',', '*', '&', '!', '|', '>', '%', '@', '`', '?', 'é', '😀', '~', '_', 'x'];
const PIECES = ['${V1}', '${V2}', '${V2:-d f}', '${UNSET:-0}', '$${V1}', '$$', 'yes', '0x1F', '-', ': ', ' #', 'on'];
const VALUES = ['3', '0755', '-5', '-.5', '1e3', '1e999', '.inf', 'yes', 'on', '~', '', ' lead', 'trail ', 'a: b', 'a:b', '# c', 'x #y', '"q"', "'s'", 'it\'s', '[a, b]', '{a: 1}', '&anchor', '*alias', '!tag', '-x', '- x', '?', '12:30', '2024-01-01', 'é', '😀', 'tab\there', 'line\nbreak', '\\'];

const text = fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.constantFrom(...PIECES)), { maxLength: 8 }).map((a) => a.join(''));
const lines = fc.array(text, { minLength: 2, maxLength: 4 }).map((a) => `${a.join('\n')}${a.length % 2 ? '\n' : ''}`);
const leaf = fc.oneof(text, text, lines, fc.integer(), fc.boolean(), fc.constant(null));
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('map'), tie('list')),
  map: fc.dictionary(fc.oneof(fc.constantFrom('a', 'b', 'image', 'replicas', '1', 'yes'), text), tie('node'), { maxKeys: 4 }),
  list: fc.array(tie('node'), { maxLength: 3 }),
}));
const vars = fc.record({ V1: fc.constantFrom(...VALUES), V2: fc.constantFrom(...VALUES) }, { requiredKeys: [] });

describe('substitution shortcut', () => {
  it('gives what re-reading the whole substituted text gives', () => {
    fc.assert(
      fc.property(tree.map, vars, fc.boolean(), (data, v, strict) => {
        const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data, spec: { replicas: '${V1}', image: 'reg/app:${V2}' } };
        const quick = substituteResource(obj, { KEEP: 'x', ...v }, { strict });
        const full = substituteResource(obj, { KEEP: 'x', ...v }, { strict, reparse: true });
        expect(quick).toEqual(full);
      }),
      { numRuns: 1000 },
    );
  });

  it('is taken for plain fields, sharing what did not change between sites', () => {
    const template = '{{ with secret "${MOUNT}/data/${SITE}/db" }}\n  password={{ .Data.data.password }}\n{{ end }}\n';
    const obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { site: '${SITE}' }, annotations: { t: template } }, spec: { replicas: '${R}', template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } };
    const a = substituteResource(obj, { MOUNT: 'kv', SITE: 'plant-1', R: '2' }, { strict: true });
    const b = substituteResource(obj, { MOUNT: 'kv', SITE: 'plant-2', R: '3' }, { strict: true });
    expect(a.object).toMatchObject({ metadata: { labels: { site: 'plant-1' }, annotations: { t: template.replace('${MOUNT}/data/${SITE}', 'kv/data/plant-1') } }, spec: { replicas: 2 } });
    expect(b.object).toMatchObject({ metadata: { labels: { site: 'plant-2' }, annotations: { t: template.replace('${MOUNT}/data/${SITE}', 'kv/data/plant-2') } }, spec: { replicas: 3 } });
    // the template was read back once: both sites share its untouched parts
    const containers = (o: typeof a.object) => (o?.['spec'] as { template: { spec: { containers: unknown } } }).template.spec.containers;
    expect(containers(a.object)).toBe(containers(b.object));
    expect(obj.spec.replicas).toBe('${R}');
    // re-reading gives equal, unshared objects
    const c = substituteResource(obj, { MOUNT: 'kv', SITE: 'plant-1', R: '2' }, { strict: true, reparse: true });
    expect(c.object).toEqual(a.object);
    expect(containers(c.object)).not.toBe(containers(a.object));
  });

  it('is taken for a `$$` escape in a literal block and for a flag argument', () => {
    const config = 'sinks:\n  up:\n    uri: ${URI}\n    host: "$${HOSTNAME}"\n    cost: $$5 and $$$\n';
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'vector.yaml': config, arg: '--repo=s3://${URI}/m', other: 'same' } };
    const a = substituteResource(obj, { URI: 'a.example.com' }, { strict: true });
    const b = substituteResource(obj, { URI: 'b.example.com' }, { strict: true });
    expect(a.object).toEqual(substituteResource(obj, { URI: 'a.example.com' }, { strict: true, reparse: true }).object);
    expect((a.object?.['data'] as Record<string, string>)['vector.yaml']).toBe('sinks:\n  up:\n    uri: a.example.com\n    host: "${HOSTNAME}"\n    cost: $5 and $$\n');
    expect((b.object?.['data'] as Record<string, string>)['arg']).toBe('--repo=s3://b.example.com/m');
    // patched, not re-read: the untouched metadata is the shared template's
    expect(a.object?.['metadata']).toBe(b.object?.['metadata']);
  });

  it('is not taken where a value could change the structure', () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { motd: 'note ${M}' } };
    for (const M of ['a: b', 'x #c', '"', "'"]) {
      expect(substituteResource(obj, { M }, { strict: true })).toEqual(substituteResource(obj, { M }, { strict: true, reparse: true }));
    }
  });
});
