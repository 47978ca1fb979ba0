import type { Finding } from '../../validate/findings.js';
import type { Formatter } from './types.js';

const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** Human-readable: one line per finding (file:line:col severity rule message), then the sites it affects. */
export const formatText: Formatter = (report, { color }) => {
  const paint = (code: string, s: string): string => (color ? `${code}${s}${RESET}` : s);
  const lines: string[] = [];
  for (const f of report.findings) {
    const sev = f.severity === 'error' ? paint(RED, 'error') : paint(YELLOW, 'warning');
    const path = f.jsonPath ? `${f.jsonPath}: ` : '';
    lines.push(`${f.file}:${f.line}:${f.column}: ${sev} [${f.ruleId}] ${path}${f.message}`);
    const context = contextLine(f);
    if (context) lines.push(paint(DIM, `    ${context}`));
  }
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  const { sites, kustomizations, objects } = report.stats;
  lines.push(`${lines.length > 0 ? '\n' : ''}${errors} error(s), ${warnings} warning(s) — ${sites} site(s), ${kustomizations} Flux Kustomization(s), ${objects} built object(s) checked`);
  return `${lines.join('\n')}\n`;
};

function contextLine(f: Finding): string {
  const parts: string[] = [];
  if (f.object) parts.push(`${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`);
  if (f.sites.length > 0) parts.push(`site${f.sites.length > 1 ? 's' : ''}: ${abbreviate(f.sites)}`);
  if (f.via && f.via.length > 0) parts.push(`via ${abbreviate(f.via)}`);
  return parts.join(' · ');
}

function abbreviate(list: readonly string[]): string {
  return list.length <= 5 ? list.join(', ') : `${list.slice(0, 5).join(', ')} and ${list.length - 5} more`;
}
