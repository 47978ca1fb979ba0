export interface SchemaIssue {
  /** Dotted path for humans: `spec.template.spec.containers[0].resources.limits.cpu`. */
  readonly jsonPath: string;
  /** RFC 6901 pointer to the same place: `/spec/template/spec/containers/0/resources/limits/cpu`. */
  readonly pointer: string;
  /** What was expected, e.g. `unknown field "nodeselector" (did you mean "nodeSelector"?)`. */
  readonly message: string;
  /** The JSON Schema keyword that failed (`additionalProperties`, `type`, `pattern`, …). */
  readonly keyword: string;
}

/**
 * `invalid` means the manifest is wrong; `no-schema` means we could not check it, which callers
 * may allow for listed kinds (CRDs we do not ship schemas for).
 */
export type SchemaResult =
  | { readonly status: 'valid' }
  | { readonly status: 'invalid'; readonly issues: readonly SchemaIssue[] }
  | { readonly status: 'no-schema'; readonly apiVersion: string; readonly kind: string };

/** Where the schemas came from, as recorded in `schemas/kubernetes/index.json` at generation. */
export interface SchemaSources {
  /** The Kubernetes release the built-in kinds describe, e.g. "1.33.0". */
  readonly kubernetesVersion: string;
  readonly packages: ReadonlyArray<{ readonly name: string; readonly version: string; readonly describes: string }>;
  readonly tools: ReadonlyArray<{ readonly name: string; readonly version: string }>;
}

export interface SchemaKind {
  readonly apiVersion: string;
  readonly kind: string;
  /** Schema file relative to `schemas/kubernetes/`. */
  readonly file: string;
  /** npm package the schema was generated from. */
  readonly package: string;
}
