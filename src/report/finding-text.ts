import { countBySeverity, type Finding, type ObjectRef } from '../validate/findings.js';
import type { Report } from './formatters/types.js';

/** Pieces of text every format says the same way. */

export interface Counts {
  /** Findings at error severity that no waiver covers: these fail the run. */
  readonly errors: number;
  readonly warnings: number;
  readonly waived: number;
}

export function counts(report: Report): Counts {
  const { error, warning } = countBySeverity(report.findings);
  return { errors: error, warnings: warning, waived: report.findings.filter((f) => f.waived).length };
}

/** Active and waived findings, each in the report's order. */
export function partition(findings: readonly Finding[]): { active: Finding[]; waived: Finding[] } {
  return { active: findings.filter((f) => !f.waived), waived: findings.filter((f) => f.waived) };
}

export function location(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}`;
}

/** `Deployment pos/pos-api`. */
export function describeObject(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** The message, prefixed with the field it is about. */
export function messageWithPath(f: Finding): string {
  return f.jsonPath ? `${f.jsonPath}: ${f.message}` : f.message;
}

export function abbreviate(list: readonly string[], max = 5): string {
  return list.length <= max ? list.join(', ') : `${list.slice(0, max).join(', ')} and ${list.length - max} more`;
}

/** `fleet-wide`, `site lyon-pos-01`, or `3 sites: a, b, c`. */
export function sitesLabel(sites: readonly string[]): string {
  if (sites.length === 0) return 'fleet-wide';
  if (sites.length === 1) return `site ${sites[0]}`;
  return `${sites.length} sites: ${abbreviate(sites)}`;
}

/** `reason (expires 2026-03-31; waived at sites/x.yaml:12)`. */
export function waiverText(f: Finding): string {
  if (!f.waived) return '';
  const { reason, expires, by } = f.waived;
  return `${reason} (${expires ? `expires ${expires}; ` : ''}waived at ${by})`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
