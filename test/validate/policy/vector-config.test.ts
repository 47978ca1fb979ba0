import { describe, expect, it } from 'vitest';
import type { PolicyObject } from '../../../src/validate/policy/types.js';
import { vectorConfigs } from '../../../src/validate/policy/vector-config.js';

const configMap = (data: Record<string, unknown>, kind = 'ConfigMap'): PolicyObject => ({
  object: { apiVersion: 'v1', kind, metadata: { name: 'vector' }, data },
  ref: { apiVersion: 'v1', kind, name: 'vector', namespace: 'telemetry' },
  locate: () => ({ file: 'fixture.yaml', line: 1, column: 1 }),
});

describe('vector configurations', () => {
  it('reads YAML and JSON values that have sinks', () => {
    const obj = configMap({
      'vector.yaml': 'sinks:\n  out: { type: http, uri: "https://example.com" }\n',
      'extra.json': '{"sinks": {"k": {"type": "kafka"}}}',
    });
    expect(vectorConfigs(obj).map((v) => [v.key, Object.keys(v.config.sinks as object)])).toEqual([
      ['vector.yaml', ['out']],
      ['extra.json', ['k']],
    ]);
  });

  it('skips other keys, values without typed sinks, unparsable values and other kinds', () => {
    expect(vectorConfigs(configMap({ 'vector.toml': '[sinks.out]\ntype = "http"', 'a.yaml': 'sinks: { out: {} }', 'b.yaml': 'sinks: [', 'c.yaml': 42 }))).toEqual([]);
    expect(vectorConfigs(configMap({ 'vector.yaml': 'sinks: { out: { type: http } }' }, 'Secret'))).toEqual([]);
  });
});
