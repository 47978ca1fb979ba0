import type { Finding } from '../../validate/findings.js';
import { abbreviate, counts, location, messageWithPath, partition, plural } from '../finding-text.js';
import type { Formatter } from './types.js';

/** GitHub rejects a comment body over 65,536 characters; stay well under it, whatever the findings say. */
export const MARKDOWN_BUDGET = 60_000;
export const MAX_ROWS = 100;
const MAX_CELL = 300;

/**
 * A PR comment: a verdict heading, a summary table, a table of active findings (capped in rows and in
 * size, then "… and N more") and the waived ones in a collapsed <details>.
 */
export const formatMarkdown: Formatter = (report) => {
  const c = counts(report);
  const { active, waived } = partition(report.findings);
  const head = [
    c.errors > 0 ? `## ❌ edgefleet validate: ${plural(c.errors, 'error')}` : '## ✅ edgefleet validate: no errors',
    '',
    '| Errors | Warnings | Waived | Sites checked |',
    '|---:|---:|---:|---:|',
    `| ${c.errors} | ${c.warnings} | ${c.waived} | ${report.stats.sites} |`,
  ].join('\n');

  // The waived table gets what the active one leaves; both stop at MAX_ROWS or at the budget.
  let budget = MARKDOWN_BUDGET - head.length - 500;
  const parts = [head];
  if (active.length > 0) {
    const t = table(['Severity', 'Rule', 'Location', 'Message', 'Sites'], active, (f) => [severityCell(f), code(f.ruleId), code(location(f)), cell(messageWithPath(f)), sitesCell(f)], budget);
    budget -= t.length;
    parts.push(`### Findings\n\n${t}`);
  }
  if (waived.length > 0) {
    const t = table(['Severity', 'Rule', 'Location', 'Message', 'Sites', 'Reason', 'Expires'], waived, (f) => [
      f.severity,
      code(f.ruleId),
      code(location(f)),
      cell(messageWithPath(f)),
      sitesCell(f),
      cell(f.waived?.reason ?? ''),
      f.waived?.expires ?? '—',
    ], budget);
    parts.push(`<details>\n<summary>${plural(waived.length, 'waived finding')}</summary>\n\n${t}\n\n</details>`);
  }
  return `${parts.join('\n\n')}\n`;
};

function table(header: readonly string[], findings: readonly Finding[], row: (f: Finding) => string[], budget: number): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  let size = lines.join('\n').length;
  let shown = 0;
  for (const f of findings) {
    const line = `| ${row(f).join(' | ')} |`;
    if (shown === MAX_ROWS || size + line.length + 1 > budget) break;
    lines.push(line);
    size += line.length + 1;
    shown++;
  }
  if (shown < findings.length) lines.push('', `… and ${findings.length - shown} more`);
  return lines.join('\n');
}

function severityCell(f: Finding): string {
  return f.severity === 'error' ? '❌ error' : '⚠️ warning';
}

function sitesCell(f: Finding): string {
  return f.sites.length === 0 ? 'fleet-wide' : cell(abbreviate(f.sites, 3));
}

/** A code span in a cell: entities are not decoded there, so only `|` is escaped (GFM tables need it even in code). */
function code(text: string): string {
  if (text.includes('`')) return cell(text);
  return `\`${text.replaceAll('|', '\\|').replace(/\r\n|\r|\n/g, ' ')}\``;
}

/** Table-cell text: `|` would end the cell and a newline the row; HTML in a message stays text. */
export function cell(text: string): string {
  const chars = [...text];
  const cut = chars.length > MAX_CELL ? `${chars.slice(0, MAX_CELL - 1).join('')}…` : text;
  return cut
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '\\|')
    .replace(/\r\n|\r|\n/g, '<br>');
}
