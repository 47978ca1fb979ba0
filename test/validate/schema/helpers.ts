import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { validateManifest, type SchemaIssue } from '../../../src/validate/schema/index.js';

/** Manifests are untyped YAML; tests poke at them freely. */
export type Manifest = Record<string, any>;

const documents: Manifest[] = parseAllDocuments(
  readFileSync(new URL('../../fixtures/schema/valid-kinds.yaml', import.meta.url), 'utf8'),
).map((d) => d.toJSON() as Manifest);

export function allValidFixtures(): Manifest[] {
  return structuredClone(documents);
}

/** A fresh copy of the valid fixture of `kind`, changed by `edit`. */
export function fixture(kind: string, edit: (m: Manifest) => void = () => {}): Manifest {
  const found = documents.find((d) => d.kind === kind);
  if (!found) throw new Error(`no fixture of kind ${kind}`);
  const copy = structuredClone(found);
  edit(copy);
  return copy;
}

export function issuesOf(manifest: unknown): readonly SchemaIssue[] {
  const result = validateManifest(manifest);
  if (result.status === 'invalid') return result.issues;
  if (result.status === 'valid') return [];
  throw new Error(`no schema for ${result.apiVersion}/${result.kind}`);
}

/** The one issue at `jsonPath`; fails loudly when there is none or more than one. */
export function issueAt(manifest: unknown, jsonPath: string): SchemaIssue {
  const issues = issuesOf(manifest);
  const here = issues.filter((i) => i.jsonPath === jsonPath);
  if (here.length !== 1) throw new Error(`expected one issue at ${jsonPath}, got ${JSON.stringify(issues, null, 2)}`);
  return here[0] as SchemaIssue;
}
