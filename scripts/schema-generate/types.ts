/**
 * Build-time types for `scripts/generate-schemas.ts`. Nothing under `generate/` is imported by the
 * runtime validator; it lives in src/ so it is type-checked and unit-testable like the rest.
 */
import type { NameRule } from '../../src/validate/schema/patterns.js';

/** npm packages whose type declarations and bundled validators the schemas are generated from. */
export type SourcePackage = 'kubernetes-models' | '@kubernetes-models/flux-cd';

export interface KindSpec {
  readonly pkg: SourcePackage;
  readonly apiVersion: string;
  readonly kind: string;
  /** How the API server validates metadata.name for this kind. @default 'dns-subdomain' */
  readonly name?: NameRule;
}

/** The JSON Schema subset the generator produces and rewrites. */
export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  $ref?: string;
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  [keyword: string]: unknown;
}

/** A kind's root schema with `#/definitions/<name>` references into its package's pool. */
export interface KindSchema {
  readonly spec: KindSpec;
  readonly root: SchemaNode;
}

/** Definitions shared by all kinds of one source package, by name. */
export type DefinitionPool = Map<string, SchemaNode>;

export const LOCAL_REF_PREFIX = '#/definitions/';

export function refName(ref: string): string | undefined {
  return ref.startsWith(LOCAL_REF_PREFIX) ? ref.slice(LOCAL_REF_PREFIX.length) : undefined;
}

export function kindKey(spec: Pick<KindSpec, 'apiVersion' | 'kind'>): string {
  return `${spec.apiVersion}/${spec.kind}`;
}

/** `schemas/kubernetes/` relative file of a kind: core kinds live under `core/`. */
export function kindFile(spec: Pick<KindSpec, 'apiVersion' | 'kind'>): string {
  const [group, version] = spec.apiVersion.includes('/') ? spec.apiVersion.split('/') : ['core', spec.apiVersion];
  return `${group}/${version}/${spec.kind.toLowerCase()}.json`;
}

export function poolFile(pkg: SourcePackage): string {
  return `_definitions/${pkg.replace(/^@kubernetes-models\//, '')}.json`;
}
