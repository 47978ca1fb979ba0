import { describe, expect, it } from 'vitest';
import { collapseErrors } from '../../../src/validate/schema/collapse-errors.js';
import { toIssues } from '../../../src/validate/schema/issues.js';
import { toJsonPath } from '../../../src/validate/schema/json-pointer.js';
import type { AjvErrorLike } from '../../../src/validate/schema/validators.js';

const err = (instancePath: string, keyword: string, params: Record<string, unknown> = {}, schemaPath = '#'): AjvErrorLike => ({
  instancePath,
  keyword,
  params,
  schemaPath,
});

describe('collapsing union errors', () => {
  it('keeps the explaining branch when one branch matched the type', () => {
    const errors = [
      err('/spec', 'additionalProperties', { additionalProperty: 'x' }),
      err('/spec', 'type', { type: 'null' }, '#/properties/spec/anyOf/1/type'),
      err('/spec', 'anyOf', {}, '#/properties/spec/anyOf'),
    ];
    expect(collapseErrors(errors)).toEqual([errors[0]]);
  });

  it('merges type errors into one when no branch matched', () => {
    const errors = [err('/a', 'type', { type: 'object' }), err('/a', 'type', { type: 'null' }), err('/a', 'anyOf')];
    expect(collapseErrors(errors)).toEqual([err('/a', 'type', { type: ['object', 'null'] })]);
  });

  it('a wrong type hides the format and pattern failures of the same value', () => {
    const errors = [err('/n', 'type', { type: 'integer' }), err('/n', 'format', { format: 'int64' })];
    expect(collapseErrors(errors)).toEqual([errors[0]]);
  });

  it('leaves errors of places without unions alone', () => {
    const errors = [err('/a', 'required', { missingProperty: 'b' }), err('/c', 'enum', { allowedValues: ['x'] })];
    expect(collapseErrors(errors)).toEqual(errors);
  });
});

describe('issues', () => {
  const doc = { spec: { containers: [{ name: 'a' }], 'a.b/c': 1 } };

  it('paths read like the document: indices in brackets, dotted keys quoted', () => {
    expect(toJsonPath(doc, ['spec', 'containers', '0', 'name'])).toBe('spec.containers[0].name');
    expect(toJsonPath(doc, ['spec', 'a.b/c'])).toBe('spec["a.b/c"]');
    expect(toJsonPath(doc, [])).toBe('');
  });

  it('reports one issue per place and message', () => {
    const errors = [err('/spec', 'required', { missingProperty: 'x' }), err('/spec', 'required', { missingProperty: 'x' })];
    expect(toIssues(errors, doc, () => [])).toEqual([
      { jsonPath: 'spec.x', pointer: '/spec/x', keyword: 'required', message: 'missing required field "x"' },
    ]);
  });

  it('asks for known fields only for unknown-field errors', () => {
    const asked: string[][] = [];
    const fieldsAt = (segments: readonly string[]) => (asked.push([...segments]), ['containers']);
    const issues = toIssues([err('/spec', 'additionalProperties', { additionalProperty: 'container' })], doc, fieldsAt);
    expect(issues[0]?.message).toBe('unknown field "container" (did you mean "containers"?)');
    expect(asked).toEqual([['spec']]);
  });
});
