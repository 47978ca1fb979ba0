import { stringify } from 'yaml';

/** What makes two objects "the same object" across base and head: API group, kind, namespace, name. */
export interface ObjectId {
  readonly group: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export function objectId(obj: Record<string, unknown>): ObjectId {
  const apiVersion = String(obj.apiVersion ?? '');
  const metadata = (obj.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  return {
    group: apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '',
    kind: String(obj.kind ?? ''),
    ...(typeof metadata.namespace === 'string' && metadata.namespace !== '' ? { namespace: metadata.namespace } : {}),
    name: String(metadata.name ?? ''),
  };
}

export function idKey(id: ObjectId): string {
  return `${id.group}/${id.kind}/${id.namespace ?? ''}/${id.name}`;
}

/** `Deployment pos-api/pos-api (apps)`, `Namespace pos-api`. */
export function describeId(id: ObjectId): string {
  const where = id.namespace ? `${id.namespace}/${id.name}` : id.name;
  return `${id.kind} ${where}${id.group ? ` (${id.group})` : ''}`;
}

export function compareIds(a: ObjectId, b: ObjectId): number {
  return cmp(a.namespace ?? '', b.namespace ?? '') || cmp(a.kind, b.kind) || cmp(a.group, b.group) || cmp(a.name, b.name);
}

/** JSON with sorted keys: equal text ⇔ equal objects. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** The object as YAML with sorted keys and no line folding, the text diffs are computed on. */
export function stableYaml(value: unknown): string {
  return stringify(value, { sortMapEntries: true, lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
