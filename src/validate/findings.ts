import { cmp } from '../util/errors.js';

export type Severity = 'error' | 'warning';

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/**
 * One problem found by validate. `file:line:column` is in the source the engineer edits: for a
 * built object, the base file of the offending field. A fault in a shared base is one finding that
 * lists every affected site, not one per site.
 */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Field path inside the object, e.g. `spec.template.spec.containers[0].image`; empty for a whole file. */
  readonly jsonPath: string;
  readonly object?: ObjectRef;
  /** Sites affected, sorted; empty when the finding is not about a site. */
  readonly sites: readonly string[];
  /** The site Kustomizations (`<site>/<name>`) whose build produced the object, for built objects. */
  readonly via?: readonly string[];
  /** Set when a waiver covers the finding: it is listed apart and does not fail the run. */
  readonly waived?: Waived;
}

export interface Waived {
  readonly reason: string;
  /** ISO date (YYYY-MM-DD) after which the waiver no longer applies. */
  readonly expires?: string;
  /** Where the waiver is written: an object annotation or a site's inventory entry, as file:line. */
  readonly by: string;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.sites[0] ?? '', b.sites[0] ?? '') ||
    cmp(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.jsonPath, b.jsonPath) ||
    cmp(a.message, b.message)
  );
}

/** Merges findings that differ only in the site (and Kustomization) they came through. */
export function mergeAcrossSites(findings: readonly Finding[]): Finding[] {
  const byKey = new Map<string, { finding: Finding; sites: Set<string>; via: Set<string> }>();
  for (const f of findings) {
    const key = JSON.stringify([f.ruleId, f.severity, f.message, f.file, f.line, f.column, f.jsonPath, f.object ?? null, f.waived ?? null]);
    const entry = byKey.get(key);
    if (entry) {
      f.sites.forEach((s) => entry.sites.add(s));
      f.via?.forEach((v) => entry.via.add(v));
    } else byKey.set(key, { finding: f, sites: new Set(f.sites), via: new Set(f.via ?? []) });
  }
  return [...byKey.values()]
    .map(({ finding, sites, via }) => ({ ...finding, sites: [...sites].sort(), ...(via.size > 0 ? { via: [...via].sort() } : {}) }))
    .sort(compareFindings);
}

/** Counts of findings that are not waived, by severity. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const active = findings.filter((f) => !f.waived);
  return {
    error: active.filter((f) => f.severity === 'error').length,
    warning: active.filter((f) => f.severity === 'warning').length,
  };
}

/** Whether the run fails: an error that no waiver covers. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error' && !f.waived);
}
