import type { Finding } from '../../validate/findings.js';
import { counts, describeObject, messageWithPath, sitesLabel, waiverText } from '../finding-text.js';
import type { Formatter } from './types.js';

/**
 * GitHub Actions workflow commands: one annotation per finding on the file, line and column it is about
 * (`::error`, `::warning`; a waived finding is a `::notice` that says why), then a plain summary line.
 */
export const formatGithub: Formatter = (report) => {
  const lines = report.findings.map(annotation);
  const c = counts(report);
  lines.push(`edgefleet validate: ${c.errors} error(s), ${c.warnings} warning(s), ${c.waived} waived`);
  return `${lines.join('\n')}\n`;
};

function annotation(f: Finding): string {
  const command = f.waived ? 'notice' : f.severity;
  const title = `edgefleet ${f.ruleId}${f.waived ? ` (waived ${f.severity})` : ''}`;
  const context = [f.object ? describeObject(f.object) : '', f.sites.length > 0 ? sitesLabel(f.sites) : ''].filter(Boolean).join('; ');
  const message = `${messageWithPath(f)}${context ? ` (${context})` : ''}${f.waived ? `\nwaived: ${waiverText(f)}` : ''}`;
  const properties = [`file=${escapeProperty(f.file)}`, `line=${f.line}`, `col=${f.column}`, `title=${escapeProperty(title)}`].join(',');
  return `::${command} ${properties}::${escapeData(message)}`;
}

/** The message part of a workflow command (as @actions/core escapes it). */
export function escapeData(s: string): string {
  return s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** A property value: also `:` and `,`, which would otherwise end the value. */
export function escapeProperty(s: string): string {
  return escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
