import type { Formatter } from './types.js';

/** Machine-readable: the findings and counts, stable key order. */
export const formatJson: Formatter = (report) => {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  return `${JSON.stringify({ summary: { errors, warnings: report.findings.length - errors, ...report.stats }, findings: report.findings }, null, 2)}\n`;
};
