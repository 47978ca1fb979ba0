/**
 * Strict schema validation of one parsed manifest against the generated schemas.
 *
 * The models' own `validate()` (kubernetes-models classes) is not run beside ajv: the generator
 * copied every constraint those validators enforce into our schemas (see the header of
 * scripts/generate-schemas.ts), so it could only repeat our findings with vaguer messages, while
 * missing unknown fields entirely. test/validate/schema/upstream-parity.test.ts keeps that true.
 */
import { issuesForMissingTypeMeta } from './type-meta.js';
import { toIssues } from './issues.js';
import { knownFields } from './known-fields.js';
import { readIndex } from './schema-files.js';
import type { SchemaKind, SchemaResult, SchemaSources } from './types.js';
import { compiledValidator } from './validators.js';

export function validateManifest(obj: unknown): SchemaResult {
  const missing = issuesForMissingTypeMeta(obj);
  if (missing.length > 0) return { status: 'invalid', issues: missing };
  const { apiVersion, kind } = obj as { apiVersion: string; kind: string };
  const key = `${apiVersion}/${kind}`;
  const entry = schemaKindOf(key);
  const validate = compiledValidator(key);
  if (entry === undefined || validate === undefined) return { status: 'no-schema', apiVersion, kind };
  if (validate(obj)) return { status: 'valid' };
  const issues = toIssues(validate.errors ?? [], obj, (segments) => knownFields(entry.file, segments));
  return { status: 'invalid', issues };
}

/** Package versions and the Kubernetes version the schemas describe, to compare with a fleet's target. */
export function schemaSources(): SchemaSources {
  const { kubernetesVersion, sources } = readIndex();
  return { kubernetesVersion, packages: sources.packages, tools: sources.tools };
}

/** Every kind with a schema, sorted by `apiVersion/kind`. */
export function schemaKinds(): SchemaKind[] {
  return Object.keys(readIndex().kinds)
    .sort()
    .flatMap((key) => schemaKindOf(key) ?? []);
}

function schemaKindOf(key: string): SchemaKind | undefined {
  const kinds = readIndex().kinds;
  return Object.hasOwn(kinds, key) ? kinds[key] : undefined;
}
