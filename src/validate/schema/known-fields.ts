/**
 * The field names a schema allows at a place in a document, for "did you mean" suggestions.
 * Only consulted when a document has an unknown field, so the JSON schemas are read lazily
 * instead of bloating the compiled validators with field lists.
 */
import path from 'node:path';
import { readSchemaFile } from './schema-files.js';

interface SchemaLike {
  $ref?: string;
  properties?: Record<string, SchemaLike>;
  additionalProperties?: boolean | SchemaLike;
  items?: SchemaLike;
  allOf?: SchemaLike[];
  anyOf?: SchemaLike[];
  oneOf?: SchemaLike[];
}

/** A schema node and the file its relative `$ref`s resolve against. */
interface Located {
  readonly file: string;
  readonly node: SchemaLike;
}

/**
 * `segments` are the unescaped pointer segments of the object holding the unknown field,
 * starting at the kind's schema file (relative to `schemas/kubernetes/`).
 */
export function knownFields(kindFile: string, segments: readonly string[]): string[] {
  let here = expand({ file: kindFile, node: readSchemaFile(kindFile) as SchemaLike });
  for (const segment of segments) {
    here = here.flatMap(({ file, node }) => {
      const next: SchemaLike[] = [];
      const property = node.properties?.[segment];
      if (property !== undefined && Object.hasOwn(node.properties ?? {}, segment)) next.push(property);
      else if (typeof node.additionalProperties === 'object') next.push(node.additionalProperties);
      if (node.items !== undefined && /^\d+$/.test(segment)) next.push(node.items);
      return next.flatMap((n) => expand({ file, node: n }));
    });
  }
  return [...new Set(here.flatMap(({ node }) => Object.keys(node.properties ?? {})))].sort();
}

/** Follows `$ref`s and opens `allOf`/`anyOf`/`oneOf` into the schemas that apply together or instead. */
function expand(at: Located): Located[] {
  const { file, node } = at;
  if (node.$ref !== undefined) return expand(resolveRef(file, node.$ref));
  const branches = [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])];
  return [at, ...branches.flatMap((b) => expand({ file, node: b }))];
}

function resolveRef(from: string, ref: string): Located {
  const [target = '', fragment = ''] = ref.split('#');
  const file = target === '' ? from : path.posix.join(path.posix.dirname(from), target);
  let node: unknown = readSchemaFile(file);
  for (const raw of fragment.split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  if (node === undefined) throw new Error(`schema reference ${ref} in ${from} does not resolve`);
  return { file, node: node as SchemaLike };
}
