/**
 * Reads the generated files in `schemas/kubernetes/`. The directory sits three levels above this
 * file both as `src/validate/schema/*.ts` (vitest, tsx) and as `dist/validate/schema/*.js` (built
 * package), so one relative URL serves both.
 */
import { readFileSync } from 'node:fs';
import type { SchemaKind, SchemaSources } from './types.js';

export const SCHEMA_DIR = new URL('../../../schemas/kubernetes/', import.meta.url);

export interface SchemaIndex {
  readonly kubernetesVersion: string;
  readonly sources: Omit<SchemaSources, 'kubernetesVersion'>;
  readonly kinds: Readonly<Record<string, SchemaKind>>;
}

const cache = new Map<string, unknown>();

/** A generated JSON file by its path relative to `schemas/kubernetes/`; parsed once per process. */
export function readSchemaFile(file: string): unknown {
  let value = cache.get(file);
  if (value === undefined) {
    value = JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8')) as unknown;
    cache.set(file, value);
  }
  return value;
}

export function readIndex(): SchemaIndex {
  return readSchemaFile('index.json') as SchemaIndex;
}
