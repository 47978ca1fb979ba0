import type { Loaded, Site } from '../../inventory/types.js';
import { locate } from '../../util/yaml-source.js';
import type { Finding, Waived } from '../findings.js';
import { annotations } from './helpers.js';
import type { PolicyObject } from './types.js';

export const WAIVE_PREFIX = 'edgefleet.io/waive.';
const EXPIRES = /^(.*?)\s*\(expires (\d{4}-\d{2}-\d{2})\)\s*$/;
const SOON_DAYS = 14;

/** A waiver as written, before it is matched to findings. */
export interface Waiver {
  readonly rule: string;
  readonly reason: string;
  readonly expires?: string;
  readonly by: string;
  readonly location: { file: string; line: number; column: number };
  readonly object?: { readonly kind: string; readonly name: string; readonly namespace?: string };
  readonly sites: readonly string[];
}

/**
 * Waivers are data: an object annotation `edgefleet.io/waive.<rule-id>: "<reason> (expires YYYY-MM-DD)"`
 * (the expiry is optional there) or an entry in a site's inventory with rule, reason and expiry.
 */
export function annotationWaivers(obj: PolicyObject, site: string): Waiver[] {
  return Object.entries(annotations(obj.object))
    .filter(([k]) => k.startsWith(WAIVE_PREFIX))
    .map(([k, v]) => {
      const m = EXPIRES.exec(String(v));
      const location = obj.locate(['metadata', 'annotations', k], true);
      return {
        rule: k.slice(WAIVE_PREFIX.length),
        reason: (m ? m[1] : String(v))?.trim() ?? '',
        ...(m?.[2] ? { expires: m[2] } : {}),
        by: `${location.file}:${location.line}`,
        location,
        object: { kind: obj.ref.kind, name: obj.ref.name, ...(obj.ref.namespace ? { namespace: obj.ref.namespace } : {}) },
        sites: [site],
      };
    });
}

export function inventoryWaivers(site: Loaded<Site>): Waiver[] {
  return (site.value.spec.waivers ?? []).map((w, i) => {
    const at = locate(site.source, ['spec', 'waivers', i]);
    return { rule: w.rule, reason: w.reason.trim(), expires: w.expires, by: `${at.file}:${at.line}`, location: at, ...(w.object ? { object: w.object } : {}), sites: [site.value.metadata.name] };
  });
}

/** Marks the findings a valid waiver covers; returns them with findings about the waivers themselves. */
export function applyWaivers(findings: readonly Finding[], waivers: readonly Waiver[], today: string, knownRules: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  const valid = waivers.filter((w) => {
    const problem = waiverProblem(w, today, knownRules);
    if (problem) out.push({ ruleId: 'waiver', severity: problem.severity, message: problem.message, ...w.location, jsonPath: '', sites: w.sites });
    return !problem || problem.severity === 'warning';
  });
  for (const f of findings) {
    const w = valid.find((v) => v.rule === f.ruleId && v.sites.some((s) => f.sites.includes(s)) && (!v.object || sameObject(v.object, f.object)));
    const waived: Waived | undefined = w ? { reason: w.reason, ...(w.expires ? { expires: w.expires } : {}), by: w.by } : undefined;
    out.push(waived ? { ...f, waived } : f);
  }
  return out;
}

function waiverProblem(w: Waiver, today: string, knownRules: ReadonlySet<string>): { severity: 'error' | 'warning'; message: string } | undefined {
  if (!knownRules.has(w.rule)) return { severity: 'error', message: `waiver for unknown rule "${w.rule}"` };
  if (!w.reason) return { severity: 'error', message: `waiver of ${w.rule} has no reason; say why the exception is acceptable` };
  if (!w.expires) return undefined;
  if (w.expires < today) return { severity: 'error', message: `waiver of ${w.rule} expired on ${w.expires}; fix the finding or renew the waiver with a new reason` };
  const days = Math.round((Date.parse(w.expires) - Date.parse(today)) / 86_400_000);
  if (days <= SOON_DAYS) return { severity: 'warning', message: `waiver of ${w.rule} expires in ${days} day(s) (${w.expires})` };
  return undefined;
}

function sameObject(w: NonNullable<Waiver['object']>, ref: Finding['object']): boolean {
  return ref !== undefined && w.kind === ref.kind && w.name === ref.name && (w.namespace === undefined || w.namespace === ref.namespace);
}
