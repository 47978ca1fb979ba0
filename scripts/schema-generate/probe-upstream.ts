/**
 * Recovers what the `.d.ts` files lose (integer vs number, formats, patterns, length and range
 * limits, enums) from the validators the packages ship in `_schemas/`.
 *
 * Those are ajv *standalone code*, not JSON: the OpenAPI/CRD schemas they were compiled from are
 * not in the packages. Rather than parse minified code, we ask it: for every leaf of the structure
 * we already have, validate a document holding a deliberately wrong value at exactly that place,
 * and read the constraint back from the ajv error's `keyword` and `params` (which carry the
 * pattern text, the format name, the enum values and the limits). The probe relies only on
 * the models' public `validate()` and ajv's documented error format.
 */
import { refName, type DefinitionPool, type KindSchema, type KindSpec, type SchemaNode } from './types.js';

export interface UpstreamError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
}

export type UpstreamValidate = (doc: Record<string, unknown>) => readonly UpstreamError[];

type Segment = { readonly prop: string } | 'item' | 'entry';

export interface ProbeReport {
  readonly facts: Record<string, number>;
  readonly warnings: string[];
}

// Longer than any maxLength/maxItems in the packages (Flux has maxLength 32768 and maxItems 25);
// a limit above these would go unseen. Arrays are kept shorter: each null item costs an error.
const LONG_STRING = '\u0000'.repeat(1 << 16);
const LONG_ARRAY_LENGTH = 1025;
const LIMIT_KEYWORDS = new Set([
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minLength', 'maxLength', 'minItems', 'maxItems',
]);

/** The model class of a kind; its `validate()` runs the package's precompiled validator. */
export async function loadUpstreamValidator(spec: KindSpec): Promise<UpstreamValidate> {
  const mod = (await import(`${spec.pkg}/${spec.apiVersion}/${spec.kind}`)) as Record<string, unknown>;
  const Model = mod[spec.kind] as (new (data: unknown) => { validate(): void }) | undefined;
  if (typeof Model !== 'function') throw new Error(`${spec.pkg}/${spec.apiVersion} exports no ${spec.kind} model`);
  return (doc) => {
    try {
      new Model(doc).validate();
      return [];
    } catch (error) {
      const errors = (error as { errors?: unknown }).errors;
      if (Array.isArray(errors)) return errors as UpstreamError[];
      throw error;
    }
  };
}

/**
 * Writes upstream constraints into `kind.root` and into pool definitions not probed before.
 * Definitions named in `skip` are replaced wholesale later (Quantity, IntOrString, …).
 */
export function enrichFromUpstream(
  kind: KindSchema,
  pool: DefinitionPool,
  probed: Set<string>,
  skip: ReadonlySet<string>,
  validate: UpstreamValidate,
  report: ProbeReport,
): void {
  const { apiVersion, kind: kindName } = kind.spec;
  const errorsAt = (path: readonly Segment[], value: unknown): UpstreamError[] => {
    const doc = { apiVersion, kind: kindName, ...(place(path, value) as Record<string, unknown>) };
    const pointer = toPointer(path);
    return validate(doc).filter((e) => e.instancePath === pointer);
  };
  const where = (path: readonly Segment[]) => `${apiVersion}/${kindName} ${toPointer(path) || '/'}`;
  const note = (fact: string) => {
    report.facts[fact] = (report.facts[fact] ?? 0) + 1;
  };

  const walk = (node: SchemaNode, path: readonly Segment[]): void => {
    const target = node.$ref === undefined ? undefined : refName(node.$ref);
    if (target !== undefined) {
      if (skip.has(target) || probed.has(target)) return;
      probed.add(target);
      const def = pool.get(target);
      if (def) walk(def, path);
      return;
    }
    for (const branch of [...(node.anyOf ?? []), ...(node.allOf ?? []), ...(node.oneOf ?? [])]) walk(branch, path);
    for (const [prop, child] of Object.entries(node.properties ?? {})) walk(child, [...path, { prop }]);
    if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, [...path, 'entry']);
    if (node.items) {
      applyFacts(node, path, 'array', [...errorsAt(path, []), ...errorsAt(path, new Array(LONG_ARRAY_LENGTH).fill(null))]);
      walk(node.items, [...path, 'item']);
      return;
    }
    if (node.const !== undefined || node.enum !== undefined || node.properties !== undefined) return;
    if (node.type === 'number') applyFacts(node, path, 'number', [1.5, 1e300, -1e300].flatMap((v) => errorsAt(path, v)));
    else if (node.type === 'string') applyFacts(node, path, 'string', ['', LONG_STRING].flatMap((v) => errorsAt(path, v)));
    else if (node.type === undefined && node.anyOf === undefined && node.allOf === undefined) probeAny(node, path);
  };

  /** `any` in the declarations: the upstream schema may still say "object" (preserve-unknown-fields). */
  const probeAny = (node: SchemaNode, path: readonly Segment[]) => {
    const rejected = ['x', 1.5, true, [], {}].filter((v) => errorsAt(path, v).some((e) => e.keyword === 'type'));
    if (rejected.length === 4 && errorsAt(path, {}).length === 0) {
      node.type = 'object';
      note('object');
    } else if (rejected.length > 0) {
      report.warnings.push(`${where(path)}: untyped field rejects ${JSON.stringify(rejected)} upstream; left open`);
    }
  };

  const applyFacts = (node: SchemaNode, path: readonly Segment[], declared: string, errors: readonly UpstreamError[]) => {
    const facts = new Set<string>();
    for (const e of errors) {
      const p = e.params;
      if (e.keyword === 'type' && declared === 'number' && p.type === 'integer') {
        node.type = 'integer';
        facts.add('integer');
      } else if (e.keyword === 'type') {
        report.warnings.push(`${where(path)}: declared ${declared}, upstream expects ${String(p.type)}`);
      } else if (e.keyword === 'format' && typeof p.format === 'string') {
        node.format = p.format;
        facts.add(`format ${p.format}`);
      } else if (e.keyword === 'pattern' && typeof p.pattern === 'string') {
        node.pattern = p.pattern;
        facts.add('pattern');
      } else if (e.keyword === 'enum' && Array.isArray(p.allowedValues)) {
        node.enum = [...p.allowedValues];
        facts.add('enum');
      } else if (e.keyword === 'multipleOf' && typeof p.multipleOf === 'number') {
        node.multipleOf = p.multipleOf;
        facts.add('multipleOf');
      } else if (LIMIT_KEYWORDS.has(e.keyword) && typeof p.limit === 'number') {
        node[e.keyword] = p.limit;
        facts.add(e.keyword);
      } else {
        report.warnings.push(`${where(path)}: upstream keyword "${e.keyword}" not carried over`);
      }
    }
    for (const fact of facts) note(fact);
  };

  walk(kind.root, []);
}

/** The smallest document that holds `value` at `path`. */
function place(path: readonly Segment[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const inner = place(rest, value);
  if (head === 'item') return [inner];
  if (head === 'entry') return { probe: inner };
  return { [head.prop]: inner };
}

function toPointer(path: readonly Segment[]): string {
  return path
    .map((s) => (s === 'item' ? '/0' : s === 'entry' ? '/probe' : `/${s.prop.replace(/~/g, '~0').replace(/\//g, '~1')}`))
    .join('');
}
