import { parse } from 'yaml';
import { record } from './helpers.js';
import type { PolicyObject } from './types.js';

/** A Vector configuration held in one value of a ConfigMap. */
export interface VectorConfig {
  readonly obj: PolicyObject;
  /** The ConfigMap key that holds it. */
  readonly key: string;
  readonly config: Record<string, unknown>;
}

/** Parsed once per object, whichever rules ask. */
const seen = new WeakMap<PolicyObject, VectorConfig[]>();

/** Vector configurations in a ConfigMap: YAML or JSON values with a `sinks` map. */
export function vectorConfigs(obj: PolicyObject): VectorConfig[] {
  if (obj.ref.kind !== 'ConfigMap') return [];
  let out = seen.get(obj);
  if (!out) {
    out = parseConfigs(obj);
    seen.set(obj, out);
  }
  return out;
}

function parseConfigs(obj: PolicyObject): VectorConfig[] {
  const out: VectorConfig[] = [];
  for (const [key, value] of Object.entries(record(obj.object.data))) {
    if (typeof value !== 'string' || !/\.(ya?ml|json)$/i.test(key)) continue;
    let config: unknown;
    try {
      config = parse(value);
    } catch {
      continue; // not YAML: nothing to judge here
    }
    const sinks = record(record(config).sinks);
    if (Object.values(sinks).some((s) => typeof record(s).type === 'string')) out.push({ obj, key, config: record(config) });
  }
  return out;
}
