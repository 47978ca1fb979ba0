import { describeId } from '../identity.js';
import type { ChangePlan, ObjectChange, SiteChange } from '../types.js';
import { CHANGE_MARK, downloadLines, formatSize, groupLines, headline, short, siteAttributes, siteCounts, synthesizedNote, totalsLine } from './common.js';

/** GitHub refuses issue and pull-request comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** One object's diff in a comment is cut after this many characters; the rest is a line count. */
const MAX_DIFF_CHARS = 6_000;

export interface MarkdownOptions {
  /** @default GITHUB_COMMENT_LIMIT */
  readonly limit?: number;
}

/**
 * A pull-request comment: summary, fleet-wide groups and download, then one collapsed `<details>` per
 * affected site with its diffs. Stays under `limit` characters (JS string length, which is never less than
 * what GitHub counts): sites that no longer fit with their diffs get one summary line each, and when even
 * those do not fit, the comment ends with how many sites it leaves out.
 */
export function markdownPlan(plan: ChangePlan, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const head = header(plan);
  const footer = footerText(plan);
  // Room kept for the "N sites not shown" line and the compact list's framing.
  const reserve = 600;
  const parts: string[] = [head];
  let used = head.length + footer.length;
  let i = 0;
  for (; i < plan.sites.length; i++) {
    const section = siteSection(plan.sites[i] as SiteChange);
    if (used + section.length + reserve > limit) break;
    parts.push(section);
    used += section.length;
  }
  const compact: string[] = [];
  for (; i < plan.sites.length; i++) {
    const line = `- **${(plan.sites[i] as SiteChange).site}** · ${siteAttributes(plan.sites[i] as SiteChange)} — ${siteCounts(plan.sites[i] as SiteChange)}\n`;
    if (used + line.length + reserve > limit) break;
    compact.push(line);
    used += line.length;
  }
  if (compact.length > 0) parts.push(`\n**${compact.length} more site(s), without diffs** (the comment would exceed GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character limit):\n\n${compact.join('')}`);
  const omitted = plan.sites.length - i;
  if (omitted > 0) {
    parts.push(`\n_…and **${omitted}** more affected site(s) omitted to stay under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character comment limit; run \`edgefleet plan --base ${plan.base.ref}\` (or \`--format json\`) for the full plan._\n`);
  }
  parts.push(footer);
  return parts.join('');
}

function header(plan: ChangePlan): string {
  const lines = [
    `### edgefleet plan: ${headline(plan)}`,
    '',
    `Base \`${plan.base.ref}\` (\`${short(plan.base.commit)}\`) → ${plan.head.ref === null ? 'working tree' : `\`${plan.head.ref}\` (\`${short(plan.head.commit)}\`)`}${plan.sites.length > 0 ? ` · ${totalsLine(plan)}` : ''}`,
    '',
  ];
  if (plan.sites.length > 0) {
    lines.push('| affected sites by | |', '|---|---|');
    for (const [label, values] of groupLines(plan)) lines.push(`| ${label} | ${escapeCell(values)} |`);
    lines.push('');
  }
  const [first, ...rest] = downloadLines(plan);
  lines.push((first ?? '').replace(/^([^:]+:)/, '**$1**'));
  for (const r of rest) lines.push(`<br>${r.trim()}`);
  lines.push('');
  return `${lines.join('\n')}\n`;
}

function footerText(plan: ChangePlan): string {
  const notes: string[] = [];
  if (plan.selection) {
    notes.push(`Only sites that files changed since \`${plan.selection.since}\` can affect were compared (${plan.selection.sites === 'all' ? 'every site' : `${plan.selection.sites.length}`}).`);
  }
  const synth = synthesizedNote(plan);
  if (synth) notes.push(`Note: ${synth}.`);
  notes.push('<sub>Secret values and Vault Agent templates are redacted.</sub>');
  return `\n${notes.join('\n\n')}\n`;
}

function siteSection(s: SiteChange): string {
  const body: string[] = [];
  for (const o of s.objects) body.push(objectBlock(o));
  for (const [side, errors] of [['base', s.errors.base], ['head', s.errors.head]] as const) {
    if (errors.length === 0) continue;
    body.push(`**${side} build errors**\n\n${fence(errors.join('\n'), '')}`);
  }
  return `\n<details>\n<summary><b>${s.site}</b> · ${siteAttributes(s)} — ${siteCounts(s)}</summary>\n\n${body.join('\n')}\n</details>\n`;
}

function objectBlock(o: ObjectChange): string {
  const via = o.kustomization ? ` via \`${o.kustomization}\`` : ` in \`${o.file}\``;
  const title = `\`${CHANGE_MARK[o.change]}\` ${describeId(o.id).replace(/^(\S+) (\S+)/, '**$1** `$2`')}${via} — +${o.lines.added} −${o.lines.removed} lines, ${formatSize(o.bytes.changed)}`;
  let diff = o.diff;
  if (diff.length > MAX_DIFF_CHARS) {
    const cut = diff.lastIndexOf('\n', MAX_DIFF_CHARS);
    const rest = diff.slice(cut + 1).split('\n').filter((l) => l !== '').length;
    diff = `${diff.slice(0, cut + 1)}… ${rest} more diff line(s) not shown\n`;
  }
  return `${title}\n\n${fence(diff, 'diff')}\n`;
}

/** A code block whose fence is longer than any run of backticks inside. */
function fence(text: string, lang: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text.endsWith('\n') ? text : `${text}\n`}${f}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
