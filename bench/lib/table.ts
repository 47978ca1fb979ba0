import { FIGURE_LABELS, type Figure } from './figures.js';
import type { Target } from './targets.js';

/** Left-aligned text columns, right-aligned numbers; a header rule under the first row. */
export function formatColumns(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const [head, ...body] = rows;
  if (!head) return '';
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const fixed = (v: number, digits: number): string => v.toFixed(digits);

export function formatFigures(figures: readonly Figure[]): string {
  const rows: string[][] = [['sites', 'figure', 'rounds', 'wall s (median)', 'wall s (runs)', 'CPU s', 'sys s', 'CPU/wall', 'max RSS MB', '× floor']];
  for (const f of figures) {
    rows.push([
      f.sites.toLocaleString('en-US'),
      FIGURE_LABELS[f.name],
      f.rounds.run === f.rounds.planned ? String(f.rounds.run) : `${f.rounds.run} of ${f.rounds.planned}*`,
      fixed(f.wall_s.median, 2),
      f.wall_s.runs.map((r) => fixed(r, 2)).join(' '),
      fixed(f.cpu_s.median, 1),
      fixed(f.sys_s.median, 1),
      fixed(f.cpu_per_wall, 2),
      fixed(f.max_rss_mb.max, 0),
      f.ratio_to_floor === undefined ? '' : fixed(f.ratio_to_floor, 2),
    ]);
  }
  const notes = figures.filter((f) => f.rounds.note).map((f) => `* ${f.sites.toLocaleString('en-US')} sites, ${FIGURE_LABELS[f.name]}: ${f.rounds.note}`);
  return [formatColumns(rows, new Set([0, 3, 5, 6, 7, 8, 9])), ...notes].join('\n');
}

/** As many decimals as the unit deserves: MB whole, seconds and ratios to the hundredth. */
function shown(value: number, unit: string): string {
  return unit === 'MB' ? value.toFixed(0) : value.toFixed(2);
}

export function formatTargets(targets: readonly Target[]): string {
  const rows: string[][] = [['target', 'limit', 'measured', 'result']];
  for (const t of targets) {
    const unit = t.unit === '×' ? '×' : ` ${t.unit}`;
    rows.push([t.name, `${t.comparison === '<=' ? '≤' : '≥'} ${t.limit}${unit}`, t.measured === null ? '—' : `${shown(t.measured, t.unit)}${unit}`, t.pass === null ? 'not measured' : t.pass ? 'PASS' : 'FAIL']);
  }
  return formatColumns(rows, new Set([2]));
}
