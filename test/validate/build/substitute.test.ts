import { describe, expect, it } from 'vitest';
import {
  SUBSTITUTE_KEY,
  fluxYaml,
  isSubstitutionDisabled,
  substituteResource,
  validateVariableNames,
} from '../../../src/validate/build/substitute.js';

// Outcomes are those of kustomize-controller (JSONToYAML → envsubst → YAMLToJSON), checked against
// the Go code for these inputs.

function deployment(container: Record<string, unknown>, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', ...metadata },
    spec: { replicas: '${REPLICAS}', template: { spec: { containers: [container] } } },
  };
}

function configMap(data: Record<string, unknown>, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', ...metadata }, data };
}

const lax = { strict: false };
const strict = { strict: true };

describe('substituteResource: values are re-read as YAML', () => {
  it('turns `replicas: ${REPLICAS}` into a number', () => {
    const r = substituteResource(deployment({ name: 'web', image: 'nginx:${TAG}' }), { REPLICAS: '3', TAG: '1.25' }, strict);
    expect(r.issues).toEqual([]);
    expect(r.object).toMatchObject({ spec: { replicas: 3, template: { spec: { containers: [{ image: 'nginx:1.25' }] } } } });
    expect(r.usedVariables).toEqual(['REPLICAS', 'TAG']);
  });

  it.each([
    ['3', 3],
    ['0755', 493],
    ['08', 8],
    ['0x1F', 31],
    ['1_000', 1000],
    ['1e3', 1000],
    ['.5', 0.5],
    ['yes', true],
    ['on', true],
    ['Off', false],
    ['~', null],
    ['', null],
    ['1e999', '1e999'],
    ['2024-01-01', '2024-01-01'],
    ['12:30', '12:30'],
    ['a:b', 'a:b'],
    ['[a, b]', ['a', 'b']],
    ['{a: 1}', { a: 1 }],
  ])('a whole-field ${V} with V=%j reads back as %j (YAML 1.1, as go-yaml v2)', (value, expected) => {
    const r = substituteResource(configMap({ k: '${V}' }), { V: value }, strict);
    expect(r.issues).toEqual([]);
    expect(r.object?.['data']).toEqual({ k: expected });
  });

  it('keeps strings with no variable in them exactly as they were', () => {
    const data = { a: 'on', b: '0755', c: '1e3', d: 'true', e: '', f: '~', g: 'null', h: '12:30', i: '2024-01-01', j: "it's", k: '$HOME', l: 'tab\there', m: 'é😀', n: ' lead', o: 'x '.repeat(60) };
    const obj = { ...configMap(data), n: [1, 1.5, -3, true, null, 1e21], o: { nested: ['yes', 'no'] } };
    const r = substituteResource(obj, { UNUSED: 'x' }, strict);
    expect(r.issues).toEqual([]);
    expect(r.object).toEqual(obj);
  });

  it('fails the resource when a value breaks the YAML, pointing at the field', () => {
    const r = substituteResource(deployment({ name: 'web', image: '${IMAGE}' }), { REPLICAS: '1', IMAGE: 'nginx: latest' }, lax);
    expect(r.object).toBeUndefined();
    expect(r.issues).toEqual([
      expect.objectContaining({ severity: 'error', jsonPath: 'spec.template.spec.containers[0].image', message: expect.stringMatching(/^YAMLToJSON: /) }),
    ]);
  });

  it('a quote in a value closes a quoted field early', () => {
    const r = substituteResource(configMap({ motd: 'note: ${MOTD}' }), { MOTD: "it's" }, lax);
    expect(r.object).toBeUndefined();
    expect(r.issues[0]).toMatchObject({ severity: 'error', jsonPath: 'data.motd' });
  });

  it('a `#` after a space starts a comment, as in Flux', () => {
    const r = substituteResource(configMap({ k: 'color ${C}' }), { C: '#fff' }, lax);
    expect(r.object?.['data']).toEqual({ k: 'color' });
  });

  it('on a line long enough for Go to fold it, that comment breaks the YAML', () => {
    const long = `${'word '.repeat(12)}color \${C} and more words after it`;
    const r = substituteResource(configMap({ k: long }), { C: '#fff' }, lax);
    expect(r.object).toBeUndefined();
  });

  it('substitutes into a multi-line ConfigMap file, keeping $${VAR} literal', () => {
    const conf = 'server {\n  listen ${PORT};\n  server_name $${HOSTNAME};\n}\n';
    const r = substituteResource(configMap({ 'nginx.conf': conf }), { PORT: '8080' }, strict);
    expect(r.issues).toEqual([]);
    expect(r.object?.['data']).toEqual({ 'nginx.conf': 'server {\n  listen 8080;\n  server_name ${HOSTNAME};\n}\n' });
  });

  it('substitutes into keys, which are strings again after reading back', () => {
    const r = substituteResource(configMap({ '${KEY}': 'v', '${N}': 'w' }), { KEY: 'on', N: '1.50' }, strict);
    expect(r.object?.['data']).toEqual({ true: 'v', '1.5': 'w' });
  });

  it('removes line breaks from values, as Flux does when it loads them', () => {
    const r = substituteResource(configMap({ k: '${V}' }), { V: 'a\nb\n' }, strict);
    expect(r.object?.['data']).toEqual({ k: 'ab' });
  });

  it('does not modify its input', () => {
    const obj = configMap({ k: '${V}' });
    const copy = structuredClone(obj);
    substituteResource(obj, { V: '1' }, strict);
    expect(obj).toEqual(copy);
  });
});

describe('substituteResource: escapes', () => {
  it('`$${VAR}` yields a literal `${VAR}` without a warning', () => {
    const r = substituteResource(configMap({ k: 'echo $${HOME}' }), { V: 'x' }, strict);
    expect(r.object?.['data']).toEqual({ k: 'echo ${HOME}' });
    expect(r.issues).toEqual([]);
  });

  it('`$$` elsewhere becomes `$`, with a warning', () => {
    const r = substituteResource(configMap({ script: 'kill $$', password: 'pa$$word' }), { V: 'x' }, strict);
    expect(r.object?.['data']).toEqual({ script: 'kill $', password: 'pa$word' });
    // in go-yaml's key order, which is the order of the text Flux substitutes
    expect(r.issues.map((i) => [i.severity, i.jsonPath])).toEqual([
      ['warning', 'data.password'],
      ['warning', 'data.script'],
    ]);
  });

  it('leaves `$VAR` without braces alone', () => {
    const r = substituteResource(configMap({ k: '$V and ${V}' }), { V: 'x' }, strict);
    expect(r.object?.['data']).toEqual({ k: '$V and x' });
  });
});

describe('substituteResource: opt-out', () => {
  const optedOut = (where: 'labels' | 'annotations') =>
    configMap({ k: '${UNSET}', script: 'echo $$' }, { [where]: { [SUBSTITUTE_KEY]: 'disabled' } });

  it.each(['labels', 'annotations'] as const)('a resource with the %s opt-out is returned untouched', (where) => {
    const obj = optedOut(where);
    expect(isSubstitutionDisabled(obj)).toBe(true);
    const r = substituteResource(obj, { 'bad-name': 'x' }, strict);
    expect(r).toEqual({ object: obj, issues: [], usedVariables: [], skipped: 'disabled' });
    expect(r.object).toBe(obj);
  });

  it('only the exact value "disabled" opts out', () => {
    const obj = configMap({ k: '${V}' }, { annotations: { [SUBSTITUTE_KEY]: 'Disabled' } });
    expect(isSubstitutionDisabled(obj)).toBe(false);
    expect(substituteResource(obj, { V: 'x' }, strict).object?.['data']).toEqual({ k: 'x' });
  });

  it('with no variables at all Flux substitutes nothing', () => {
    const obj = configMap({ k: '${V}', s: 'echo $$' });
    expect(substituteResource(obj, {}, strict)).toEqual({ object: obj, issues: [], usedVariables: [], skipped: 'no-variables' });
  });
});

describe('substituteResource: strict and non-strict', () => {
  const obj = deployment({ name: 'web', image: 'nginx:${TAG}' });

  it('strict: an unset variable without default is an error at its field', () => {
    const r = substituteResource(obj, { REPLICAS: '2' }, strict);
    expect(r.object).toBeUndefined();
    expect(r.issues).toEqual([
      {
        severity: 'error',
        variable: 'TAG',
        jsonPath: 'spec.template.spec.containers[0].image',
        message: 'variable substitution failed: variable not set (strict mode): "TAG"',
      },
    ]);
  });

  it('non-strict: it becomes empty text, with a warning naming variable and field', () => {
    const r = substituteResource(obj, {}, lax);
    expect(r.skipped).toBe('no-variables');
    const s = substituteResource(obj, { TAG: '1.25' }, lax);
    expect(s.issues).toEqual([expect.objectContaining({ severity: 'warning', variable: 'REPLICAS', jsonPath: 'spec.replicas' })]);
    expect(s.object).toMatchObject({ spec: { replicas: null, template: { spec: { containers: [{ image: 'nginx:1.25' }] } } } });
  });

  it.each(['${TAG:-1.25}', '${TAG:=1.25}', '${TAG=1.25}', '${TAG:+1.25}', '${TAG:?1.25}'])(
    'strict: %s supplies a default',
    (expr) => {
      const r = substituteResource(deployment({ name: 'web', image: `nginx:${expr}` }), { REPLICAS: '2' }, strict);
      expect(r.issues).toEqual([]);
      expect(r.object).toMatchObject({ spec: { template: { spec: { containers: [{ image: 'nginx:1.25' }] } } } });
    },
  );

  it.each(['${#TAG}', '${TAG^^}', '${TAG:0:1}', '${TAG#v}', '${TAG/a/b/}'])('strict: %s on an unset variable is an error', (expr) => {
    const r = substituteResource(configMap({ k: expr }), { X: '1' }, strict);
    expect(r.issues).toEqual([expect.objectContaining({ severity: 'error', variable: 'TAG', jsonPath: 'data.k' })]);
  });

  it('strict: a nested reference in a default is checked even when the default is not needed', () => {
    const r = substituteResource(configMap({ k: '${A:-${B}}' }), { A: 'a' }, strict);
    expect(r.issues).toEqual([expect.objectContaining({ severity: 'error', variable: 'B' })]);
  });

  it('reports every unset variable, not just the first', () => {
    const r = substituteResource(configMap({ a: '${X}', 'b.txt': '${Y}' }), { Z: '1' }, strict);
    expect(r.issues.map((i) => [i.variable, i.jsonPath])).toEqual([
      ['X', 'data.a'],
      ['Y', 'data["b.txt"]'],
    ]);
  });
});

describe('substituteResource: syntax errors', () => {
  it.each([
    ['${TAG-1.25}', 'missing closing brace'],
    ['${ TAG}', 'unable to parse variable name'],
    ['${TAG', 'missing closing brace'],
  ])('%s fails the resource: %s', (expr, message) => {
    const r = substituteResource(configMap({ other: 'x', k: `v${expr}` }), { TAG: '1' }, strict);
    expect(r.object).toBeUndefined();
    expect(r.issues).toEqual([
      expect.objectContaining({ severity: 'error', jsonPath: 'data.k', message: expect.stringContaining(`variable substitution failed: ${message}`) }),
    ]);
  });
});

describe('variable names', () => {
  it.each([
    ['REPLICAS', true],
    ['_private', true],
    ['app_2', true],
    ['a', true],
    ['2fast', false],
    ['my-var', false],
    ['my.var', false],
    ['café', false],
    ['', false],
    ['A\n', false],
  ])('%j valid: %s', (name, valid) => {
    expect(validateVariableNames({ [name]: 'x' })).toHaveLength(valid ? 0 : 1);
  });

  it('an invalid name fails every resource, with Flux\'s message', () => {
    const r = substituteResource(configMap({ k: 'plain' }), { OK: '1', 'my-var': '2' }, strict);
    expect(r.object).toBeUndefined();
    expect(r.issues).toEqual([
      { severity: 'error', variable: 'my-var', message: "'my-var' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'" },
    ]);
  });
});

describe('fluxYaml', () => {
  it('writes what go-yaml v2 writes: sorted keys, its quoting, literal blocks, compact sequences', () => {
    const text = fluxYaml({ kind: 'ConfigMap', apiVersion: 'v1', data: { b: 'on', a: '${V}', c: 'x: ${V}', d: 'l1\n${V}\n', e: ['${V}', "'q'"] } });
    expect(text).toBe(
      [
        'apiVersion: v1',
        'data:',
        '  a: ${V}',
        '  b: "on"',
        "  c: 'x: ${V}'",
        '  d: |',
        '    l1',
        '    ${V}',
        '  e:',
        '  - ${V}',
        "  - '''q'''",
        'kind: ConfigMap',
        '',
      ].join('\n'),
    );
  });
});

describe('substituteResource: hostile input', () => {
  it('a value nested 3,000 deep is an error at its field, not a stack overflow', () => {
    const deep = '${a:=${a:=x'.repeat(1500) + '}}'.repeat(1500);
    const r = substituteResource(configMap({ k: deep }), { a: 'set' }, lax);
    expect(r.object).toBeUndefined();
    expect(r.issues).toMatchObject([{ severity: 'error', message: expect.stringContaining('nested more than'), jsonPath: expect.stringContaining('data') }]);
  });
});
