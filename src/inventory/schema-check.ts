import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import type { InputProblem } from '../util/errors.js';
import { closest } from '../util/suggest.js';
import { problemAt, pointerToPath, type PathSegment, type SourceDocument } from '../util/yaml-source.js';
import { INVENTORY_SCHEMA_FILES as SCHEMA_FILES, INVENTORY_VALIDATORS_FILE, SCHEMA_DIR } from './schema-files.js';

export type InventoryKind = keyof typeof SCHEMA_FILES;

type CompiledValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

// Precompiled (schema-compile.ts): importing takes ~30 ms; loading ajv and compiling took ~250 ms.
const compiled = (await import(new URL(INVENTORY_VALIDATORS_FILE, SCHEMA_DIR).href)) as Readonly<Record<InventoryKind, CompiledValidator>>;

interface JsonSchema {
  [key: string]: unknown;
}

/** The schema itself is read only to explain an error (which fields a place allows). */
const schemas = new Map<InventoryKind, JsonSchema>();
function schemaOf(kind: InventoryKind): JsonSchema {
  let schema = schemas.get(kind);
  if (!schema) schemas.set(kind, (schema = JSON.parse(readFileSync(new URL(SCHEMA_FILES[kind], SCHEMA_DIR), 'utf8')) as JsonSchema));
  return schema;
}

/** Absolute path of an inventory schema, for the `# yaml-language-server: $schema=` header. */
export function inventorySchemaFile(kind: InventoryKind): string {
  return SCHEMA_FILES[kind];
}

/** Checks a document against its inventory schema; every violation becomes a located problem. */
export function checkSchema(kind: InventoryKind, src: SourceDocument): InputProblem[] {
  const validate = compiled[kind];
  if (validate(src.value)) return [];
  return describeErrors(validate.errors ?? [], src, schemaOf(kind));
}

function describeErrors(errors: readonly ErrorObject[], src: SourceDocument, schema: JsonSchema): InputProblem[] {
  const out = new Map<string, InputProblem>();
  for (const err of errors) {
    const path = pointerToPath(err.instancePath);
    let problem: InputProblem;
    if (err.keyword === 'additionalProperties') {
      const field = String((err.params as { additionalProperty: string }).additionalProperty);
      const known = knownProperties(schema, err.schemaPath);
      const hint = closest(field, known);
      const expected = known.length > 0 ? ` (expected one of: ${known.join(', ')})` : '';
      problem = problemAt(
        src,
        [...path, field],
        `unknown field "${field}"${hint ? `, did you mean "${hint}"?` : expected}`,
        { key: true },
      );
    } else if (err.keyword === 'required') {
      const field = String((err.params as { missingProperty: string }).missingProperty);
      problem = problemAt(src, [...path, field], `missing required field "${field}"`);
    } else if (err.keyword === 'propertyNames') {
      const name = String((err.params as { propertyName: string }).propertyName);
      problem = problemAt(src, [...path, name], `invalid key "${name}": expected a lower-case DNS-1123 label (a-z, 0-9, -) or a label key`, { key: true });
    } else {
      problem = problemAt(src, path, valueMessage(err, path, src));
    }
    const key = `${problem.line}:${problem.column}:${problem.path}`;
    // propertyNames reports twice (the name's own error and the wrapper); keep the first per place.
    if (!out.has(key)) out.set(key, problem);
  }
  return [...out.values()];
}

function valueMessage(err: ErrorObject, path: PathSegment[], src: SourceDocument): string {
  const actual = JSON.stringify(getAt(src.value, path));
  const def = /#\/definitions\/([A-Za-z]+)\//.exec(err.schemaPath)?.[1];
  if (def === 'quantity') return `expected a Kubernetes quantity such as 500m, 1.5, 512Mi or 2Gi, got ${actual}`;
  if (def === 'duration') return `expected a duration such as 30s, 5m or 1h30m, got ${actual}`;
  if (def === 'dnsLabel') return `expected a DNS-1123 label (lower-case a-z, 0-9 and '-', at most 63 characters, starting and ending alphanumeric), got ${actual}`;
  switch (err.keyword) {
    case 'enum':
      return `expected one of ${((err.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}, got ${actual}`;
    case 'const':
      return `expected ${JSON.stringify((err.params as { allowedValue: unknown }).allowedValue)}, got ${actual}`;
    case 'type':
      return `expected ${(err.params as { type: string }).type}, got ${actual}`;
    case 'pattern':
      return `${actual} does not match the expected format ${(err.params as { pattern: string }).pattern}`;
    default:
      return `${err.message ?? 'invalid'}, got ${actual}`;
  }
}


function getAt(value: unknown, path: readonly PathSegment[]): unknown {
  let cur = value;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[String(seg)];
  }
  return cur;
}

/** Property names allowed at the schema location that reported additionalProperties. */
function knownProperties(schema: JsonSchema, schemaPath: string): string[] {
  const segs = schemaPath.replace(/^#\//, '').split('/').slice(0, -1);
  let node: unknown = schema;
  for (const seg of segs) {
    if (node === null || typeof node !== 'object') return [];
    node = (node as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  const props = (node as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props).sort() : [];
}
