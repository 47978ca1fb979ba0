/**
 * Pure rewrites from "what the types say" to "what the API server accepts". Every rule is generic
 * (by upstream type name or schema shape), never per kind, so a new kind needs no code here.
 */
import { DNS_LABEL_PATTERN, DURATION_PATTERN, NAME_RULES, QUANTITY_PATTERN, type NameRule } from '../../src/validate/schema/patterns.js';
import { refName, type DefinitionPool, type KindSchema, type SchemaNode } from './types.js';

/**
 * apimachinery types whose wire form the declarations cannot express (`number | string`, a bare
 * `string`, an empty interface). They are inlined where used, so their definitions disappear.
 */
export const SCALAR_DEFINITIONS: Readonly<Record<string, SchemaNode>> = {
  // Numbers are also valid quantities on the wire (`cpu: 2`); the pattern constrains strings only.
  Quantity: { type: ['string', 'number'], pattern: QUANTITY_PATTERN },
  // x-kubernetes-int-or-string: an int32 or any string ("http", "25%"), but not 1.5.
  IntOrString: { type: ['integer', 'string'], format: 'int32' },
  Time: { type: 'string', format: 'date-time' },
  MicroTime: { type: 'string', format: 'date-time' },
  // Embedded objects of any kind (webhook payloads, managedFields): unknown fields are the point.
  RawExtension: { type: 'object' },
  FieldsV1: { type: 'object' },
  JSON: {},
};

/** Flux fields that are Go durations; used only where the CRD carries no pattern of its own. */
export const FLUX_DURATION_FIELDS: ReadonlySet<string> = new Set(['interval', 'retryInterval', 'timeout']);

export interface TightenReport {
  openedEmptyObjects: number;
  durationPatternsAdded: number;
}

export function tightenKind(kind: KindSchema, report: TightenReport): KindSchema {
  const root = tighten(withNameRule(kind.root, kind.spec.name ?? 'dns-subdomain'), report);
  if (kind.spec.pkg === '@kubernetes-models/flux-cd') addDurationPatterns(root, report);
  return { spec: kind.spec, root };
}

export function tightenPool(pool: DefinitionPool, report: TightenReport): DefinitionPool {
  const out: DefinitionPool = new Map();
  for (const [name, def] of pool) {
    if (name in SCALAR_DEFINITIONS) continue;
    out.set(name, tighten(name === 'ObjectMeta' ? withNamespaceRule(def) : def, report));
  }
  return out;
}

/** Drops definitions no kind reaches (e.g. the inlined scalars' former users' leftovers). */
export function pruneUnreachable(pool: DefinitionPool, roots: readonly SchemaNode[]): DefinitionPool {
  const reached = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const name = key === '$ref' && typeof value === 'string' ? refName(value) : undefined;
      if (name === undefined) visit(value);
      else if (!reached.has(name)) {
        reached.add(name);
        visit(pool.get(name));
      }
    }
  };
  roots.forEach(visit);
  return new Map([...pool].filter(([name]) => reached.has(name)));
}

function tighten(node: SchemaNode, report: TightenReport): SchemaNode {
  const target = node.$ref === undefined ? undefined : refName(node.$ref);
  const scalar = target === undefined ? undefined : SCALAR_DEFINITIONS[target];
  if (scalar !== undefined) return structuredClone(scalar);
  const out: SchemaNode = { ...node };
  if (out.properties) {
    const required = new Set(out.required ?? []);
    out.properties = Object.fromEntries(
      Object.entries(out.properties).map(([name, child]) => {
        const tight = tighten(child, report);
        // The API server treats `field: null` as unset, so only required fields refuse null.
        return [name, required.has(name) ? tight : nullable(tight)];
      }),
    );
  }
  if (typeof out.additionalProperties === 'object') out.additionalProperties = tighten(out.additionalProperties, report);
  if (out.items) out.items = tighten(out.items, report);
  for (const key of ['anyOf', 'allOf', 'oneOf'] as const) {
    const branches = out[key];
    if (branches) out[key] = branches.map((b) => tighten(b, report));
  }
  if (out.type === 'object' && out.additionalProperties === false && Object.keys(out.properties ?? {}).length === 0) {
    // An empty interface is how the declarations render a free-form object.
    delete out.additionalProperties;
    delete out.properties;
    report.openedEmptyObjects++;
  }
  return out;
}

export function nullable(node: SchemaNode): SchemaNode {
  if (node.$ref !== undefined || node.anyOf || node.allOf || node.oneOf) return { anyOf: [node, { type: 'null' }] };
  if (node.type === undefined) return node;
  const types = Array.isArray(node.type) ? node.type : [node.type];
  if (types.includes('null')) return node;
  const out: SchemaNode = { ...node, type: [...types, 'null'] };
  if (out.enum) out.enum = [...out.enum, null];
  if ('const' in out) {
    out.enum = [out.const, null];
    delete out.const;
  }
  return out;
}

/** metadata.name rules differ by kind, so they sit beside the shared ObjectMeta, not inside it. */
function withNameRule(root: SchemaNode, rule: NameRule): SchemaNode {
  const metadata = root.properties?.metadata;
  if (!metadata) throw new Error('kind schema has no metadata property');
  const { pattern, maxLength } = NAME_RULES[rule];
  const name: SchemaNode = { type: 'string', pattern, ...(maxLength === undefined ? {} : { maxLength }) };
  return {
    ...root,
    properties: { ...root.properties, metadata: { allOf: [metadata, { type: 'object', properties: { name } }] } },
  };
}

function withNamespaceRule(objectMeta: SchemaNode): SchemaNode {
  const namespace: SchemaNode = { ...objectMeta.properties?.namespace, type: 'string', pattern: DNS_LABEL_PATTERN, maxLength: 63 };
  return { ...objectMeta, properties: { ...objectMeta.properties, namespace } };
}

function addDurationPatterns(node: unknown, report: TightenReport): void {
  if (Array.isArray(node)) return node.forEach((n) => addDurationPatterns(n, report));
  if (node === null || typeof node !== 'object') return;
  const properties = (node as SchemaNode).properties ?? {};
  for (const [name, child] of Object.entries(properties)) {
    const types = Array.isArray(child.type) ? child.type : [child.type];
    if (FLUX_DURATION_FIELDS.has(name) && types.includes('string') && child.pattern === undefined) {
      child.pattern = DURATION_PATTERN;
      report.durationPatternsAdded++;
    }
  }
  Object.values(node).forEach((v) => addDurationPatterns(v, report));
}
