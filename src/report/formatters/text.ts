import type { Finding } from '../../validate/findings.js';
import { abbreviate, counts, describeObject, location, messageWithPath, partition, sitesLabel, waiverText } from '../finding-text.js';
import type { Formatter } from './types.js';

const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/**
 * Human-readable, grouped by site: a heading per site (a finding in a shared base lists all its sites under
 * one heading, once), fleet-wide findings after them, waived findings last, then the summary.
 */
export const formatText: Formatter = (report, { color }) => {
  const paint = (code: string, s: string): string => (color ? `${code}${s}${RESET}` : s);
  const findingLines = (f: Finding, context: string): string[] => {
    const sev = f.severity === 'error' ? paint(RED, 'error') : paint(YELLOW, 'warning');
    return [`  ${location(f)}: ${sev} [${f.ruleId}] ${messageWithPath(f)}`, ...(context ? [paint(DIM, `      ${context}`)] : [])];
  };

  const { active, waived } = partition(report.findings);
  const sections: string[][] = [];
  for (const [sites, group] of groupBySites(active)) {
    sections.push([paint(BOLD, sitesLabel(sites)), ...group.flatMap((f) => findingLines(f, contextLine(f, false)))]);
  }
  if (waived.length > 0) {
    sections.push([
      paint(BOLD, `waived (${waived.length})`),
      ...waived.flatMap((f) => [...findingLines(f, contextLine(f, true)), paint(DIM, `      ${waiverText(f)}`)]),
    ]);
  }
  const c = counts(report);
  const { sites, kustomizations, objects } = report.stats;
  const summary = `${c.errors} error(s), ${c.warnings} warning(s)${c.waived > 0 ? `, ${c.waived} waived` : ''} — ${sites} site(s), ${kustomizations} Flux Kustomization(s), ${objects} built object(s) checked`;
  return [...sections.map((s) => s.join('\n')), summary].join('\n\n') + '\n';
};

/** Findings grouped by the exact set of sites they affect, groups in order of first appearance, fleet-wide last. */
function groupBySites(findings: readonly Finding[]): [readonly string[], Finding[]][] {
  const groups = new Map<string, [readonly string[], Finding[]]>();
  for (const f of findings) {
    const key = f.sites.join('\n');
    const group = groups.get(key) ?? [f.sites, []];
    group[1].push(f);
    groups.set(key, group);
  }
  const fleetWide = groups.get('');
  groups.delete('');
  return [...groups.values(), ...(fleetWide ? [fleetWide] : [])];
}

/** The object and the Kustomizations it was built through; the sites too where no heading names them. */
function contextLine(f: Finding, withSites: boolean): string {
  const parts: string[] = [];
  if (f.object) parts.push(describeObject(f.object));
  if (withSites) parts.push(sitesLabel(f.sites));
  if (f.via && f.via.length > 0) parts.push(`via ${abbreviate(f.via)}`);
  return parts.join(' · ');
}
