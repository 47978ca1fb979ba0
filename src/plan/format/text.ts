import type { ChangePlan } from '../types.js';
import { downloadLines, groupLines, headline, objectLine, sideLabel, siteAttributes, siteCounts, synthesizedNote, totalsLine } from './common.js';

/** For a terminal: every affected site with its object changes and diffs, then the fleet-wide view. */
export function textPlan(plan: ChangePlan): string {
  const out: string[] = [`edgefleet plan: ${sideLabel(plan.base)} → ${sideLabel(plan.head)}`, `${headline(plan)}${plan.sites.length > 0 ? ` · ${totalsLine(plan)}` : ''}`, ''];
  for (const s of plan.sites) {
    out.push(`${s.site}  [${siteAttributes(s)}]  ${siteCounts(s)}`);
    for (const o of s.objects) {
      out.push(`  ${objectLine(o)}`);
      for (const line of o.diff.split('\n')) if (line !== '') out.push(`      ${line}`);
    }
    for (const [side, errors] of [['base', s.errors.base], ['head', s.errors.head]] as const) {
      if (errors.length === 0) continue;
      out.push(`  ${side} build errors:`);
      for (const e of errors) out.push(`    ${e}`);
    }
    out.push('');
  }
  if (plan.sites.length > 0) {
    out.push('Affected sites by');
    for (const [label, values] of groupLines(plan)) out.push(`  ${`${label}:`.padEnd(17)} ${values}`);
    out.push('');
  }
  out.push(...downloadLines(plan));
  if (plan.selection) {
    const sel = plan.selection.sites === 'all' ? 'every site' : `${plan.selection.sites.length} site(s)`;
    out.push(`Selection: files changed since ${plan.selection.since} can affect ${sel}; only those were compared`);
  }
  const note = synthesizedNote(plan);
  if (note) out.push(`Note: ${note}`);
  return `${out.join('\n')}\n`;
}
