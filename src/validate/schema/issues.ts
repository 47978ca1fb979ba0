/** ajv errors of one document → the SchemaIssues we report, one clear message per problem. */
import { collapseErrors } from './collapse-errors.js';
import { issueMessage } from './issue-message.js';
import { formatPointer, parsePointer, toJsonPath, valueAt } from './json-pointer.js';
import type { SchemaIssue } from './types.js';
import type { AjvErrorLike } from './validators.js';

/** `fieldsAt(segments)` lists the field names the schema allows in the object at `segments`. */
export function toIssues(
  errors: readonly AjvErrorLike[],
  doc: unknown,
  fieldsAt: (segments: readonly string[]) => readonly string[],
): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const error of collapseErrors(errors)) {
    const at = parsePointer(error.instancePath);
    // Missing and unknown fields are reported at the field itself, not at the object holding it.
    const field = error.keyword === 'required' ? error.params.missingProperty : error.keyword === 'additionalProperties' ? error.params.additionalProperty : undefined;
    const segments = typeof field === 'string' ? [...at, field] : at;
    const message = issueMessage(error, valueAt(doc, at), () => fieldsAt(at));
    const pointer = formatPointer(segments);
    const key = `${pointer}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ jsonPath: toJsonPath(doc, segments), pointer, message, keyword: error.keyword });
  }
  return issues;
}
