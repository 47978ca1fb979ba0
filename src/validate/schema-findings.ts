import { locate, pointerToPath, type PathSegment, type SourceDocument } from '../util/yaml-source.js';
import { validateManifest } from './schema/index.js';
import type { Finding } from './findings.js';
import { objectRef } from './manifests.js';

export interface SchemaCheckOptions {
  /** `apiVersion/kind` pairs that may have no schema (fleet.yaml spec.validation.allowedKinds). */
  readonly allowedKinds: ReadonlySet<string>;
  /** Skip problems in values that still hold `${VAR}` text (raw bases are checked after the build). */
  readonly rawVariables?: boolean;
}

/** Where a schema issue is, given a way to locate a field path. */
export type Locator = (path: readonly PathSegment[], key: boolean) => { file: string; line: number; column: number };

export function documentLocator(source: SourceDocument): Locator {
  return (path, key) => locate(source, path, { key });
}

/**
 * Schema results by object identity: a built object that substitution leaves untouched is the same
 * object on every site sharing the build, so it is validated once.
 */
const memo = new WeakMap<object, ReturnType<typeof validateManifest>>();

/** Strict-schema findings for one object. */
export function schemaFindings(
  obj: Record<string, unknown>,
  at: Locator,
  options: SchemaCheckOptions,
  context: { sites: readonly string[]; via?: readonly string[] },
): Finding[] {
  const result = memo.get(obj) ?? validateManifest(obj);
  memo.set(obj, result);
  const ref = objectRef(obj);
  const base = { object: ref, sites: context.sites, ...(context.via ? { via: context.via } : {}) };
  if (result.status === 'valid') return [];
  if (result.status === 'no-schema') {
    if (options.allowedKinds.has(`${result.apiVersion}/${result.kind}`)) return [];
    const where = at([], false);
    return [{ ...base, ruleId: 'no-schema', severity: 'error', ...where, jsonPath: '', message: `no schema for ${result.apiVersion} ${result.kind}: it cannot be checked (a typo in apiVersion or kind? if it is a CRD you use, list it under fleet.yaml spec.validation.allowedKinds)` }];
  }
  const out: Finding[] = [];
  for (const issue of result.issues) {
    const path = pointerToPath(issue.pointer);
    if (options.rawVariables && holdsVariable(obj, path)) continue;
    const where = at(path, issue.keyword === 'additionalProperties');
    out.push({ ...base, ruleId: 'schema', severity: 'error', ...where, jsonPath: issue.jsonPath, message: issue.message });
  }
  return out;
}


function holdsVariable(obj: unknown, path: readonly PathSegment[]): boolean {
  let cur: unknown = obj;
  for (const seg of path) {
    if (typeof cur === 'string') break;
    if (cur === null || typeof cur !== 'object') return false;
    cur = (cur as Record<string, unknown>)[String(seg)];
  }
  return typeof cur === 'string' && cur.includes('${');
}
