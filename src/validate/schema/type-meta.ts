/** apiVersion and kind pick the schema, so they are checked before any schema can be. */
import { describe } from './issue-message.js';
import type { SchemaIssue } from './types.js';

export function issuesForMissingTypeMeta(obj: unknown): SchemaIssue[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return [{ jsonPath: '', pointer: '', keyword: 'type', message: `expected a Kubernetes object (a mapping with apiVersion and kind), got ${describe(obj)}` }];
  }
  const issues: SchemaIssue[] = [];
  for (const field of ['apiVersion', 'kind'] as const) {
    const value = (obj as Record<string, unknown>)[field];
    if (value === undefined) {
      issues.push({ jsonPath: field, pointer: `/${field}`, keyword: 'required', message: `missing required field "${field}"` });
    } else if (typeof value !== 'string' || value === '') {
      issues.push({ jsonPath: field, pointer: `/${field}`, keyword: 'type', message: `expected a non-empty string, got ${describe(value)}` });
    }
  }
  return issues;
}
