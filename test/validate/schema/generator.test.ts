/** The generator's pure steps, on small hand-made schemas (the real output is covered elsewhere). */
import { describe, expect, it } from 'vitest';
import { enrichFromUpstream, type ProbeReport, type UpstreamError } from '../../../scripts/schema-generate/probe-upstream.js';
import { stableStringify } from '../../../scripts/schema-generate/stable-json.js';
import { nullable, pruneUnreachable, tightenKind, tightenPool } from '../../../scripts/schema-generate/tighten.js';
import type { KindSchema, SchemaNode } from '../../../scripts/schema-generate/types.js';
import { QUANTITY_PATTERN } from '../../../src/validate/schema/patterns.js';

const widget = (spec: SchemaNode): KindSchema => ({
  spec: { pkg: 'kubernetes-models', apiVersion: 'example.com/v1', kind: 'Widget' },
  root: {
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kind'],
    properties: {
      apiVersion: { type: 'string', const: 'example.com/v1' },
      kind: { type: 'string', const: 'Widget' },
      metadata: { $ref: '#/definitions/ObjectMeta' },
      spec,
    },
  },
});

describe('probing the upstream validators', () => {
  /** Stands in for a package's compiled validator: an int32 `count` and a patterned `mode`. */
  const upstream = (doc: Record<string, unknown>): UpstreamError[] => {
    const spec = (doc.spec ?? {}) as Record<string, unknown>;
    const errors: UpstreamError[] = [];
    if (typeof spec.count === 'number' && !Number.isInteger(spec.count)) {
      errors.push({ instancePath: '/spec/count', keyword: 'type', params: { type: 'integer' } });
    }
    if (typeof spec.count === 'number' && Math.abs(spec.count) > 2 ** 31) {
      errors.push({ instancePath: '/spec/count', keyword: 'format', params: { format: 'int32' } });
    }
    if (typeof spec.mode === 'string' && !/^[a-z]+$/.test(spec.mode)) {
      errors.push({ instancePath: '/spec/mode', keyword: 'pattern', params: { pattern: '^[a-z]+$' } });
    }
    return errors;
  };

  it('copies integer, format and pattern facts onto the declared structure', () => {
    const kind = widget({
      type: 'object',
      additionalProperties: false,
      properties: { count: { type: 'number' }, mode: { type: 'string' }, ratio: { type: 'number' } },
    });
    const report: ProbeReport = { facts: {}, warnings: [] };
    enrichFromUpstream(kind, new Map([['ObjectMeta', { type: 'object' }]]), new Set(), new Set(), upstream, report);
    expect(kind.root.properties?.spec?.properties).toEqual({
      count: { type: 'integer', format: 'int32' },
      mode: { type: 'string', pattern: '^[a-z]+$' },
      ratio: { type: 'number' },
    });
    expect(report).toEqual({ facts: { integer: 1, 'format int32': 1, pattern: 1 }, warnings: [] });
  });
});

describe('tightening', () => {
  it('optional fields accept null; required ones do not', () => {
    expect(nullable({ type: 'string' })).toEqual({ type: ['string', 'null'] });
    expect(nullable({ type: 'string', enum: ['A'] })).toEqual({ type: ['string', 'null'], enum: ['A', null] });
    expect(nullable({ $ref: '#/definitions/X' })).toEqual({ anyOf: [{ $ref: '#/definitions/X' }, { type: 'null' }] });
    expect(nullable({})).toEqual({});
  });

  it('inlines Quantity, opens empty interfaces and adds the kind\'s metadata.name rule', () => {
    const kind = widget({
      type: 'object',
      additionalProperties: false,
      required: ['cpu'],
      properties: { cpu: { $ref: '#/definitions/Quantity' }, extra: { type: 'object', additionalProperties: false } },
    });
    const report = { openedEmptyObjects: 0, durationPatternsAdded: 0 };
    const spec = tightenKind(kind, report).root.properties?.spec;
    expect(spec?.properties).toEqual({
      cpu: { type: ['string', 'number'], pattern: QUANTITY_PATTERN },
      extra: { type: ['object', 'null'] },
    });
    expect(report.openedEmptyObjects).toBe(1);
    expect(tightenKind(kind, report).root.properties?.metadata).toMatchObject({
      anyOf: [{ allOf: [{ $ref: '#/definitions/ObjectMeta' }, { properties: { name: { maxLength: 253 } } }] }, { type: 'null' }],
    });
  });

  it('drops the inlined scalars and definitions no kind reaches', () => {
    const pool = new Map<string, SchemaNode>([
      ['ObjectMeta', { type: 'object', properties: {} }],
      ['Quantity', { type: ['number', 'string'] }],
      ['Unused', { type: 'object' }],
    ]);
    const tight = tightenPool(pool, { openedEmptyObjects: 0, durationPatternsAdded: 0 });
    expect([...pruneUnreachable(tight, [{ $ref: '#/definitions/ObjectMeta' }]).keys()]).toEqual(['ObjectMeta']);
  });
});

describe('stable JSON', () => {
  it('sorts keys at every depth and ends with a newline', () => {
    expect(stableStringify({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });
});
