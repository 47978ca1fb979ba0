import { counts, partition } from '../finding-text.js';
import type { Formatter } from './types.js';

/**
 * Machine-readable, stable key order: `summary` (counts of active findings, waived apart, and what was
 * checked), `findings` (active only, so a consumer that fails on any finding stays right) and `waived`.
 */
export const formatJson: Formatter = (report) => {
  const { active, waived } = partition(report.findings);
  const { errors, warnings, waived: waivedCount } = counts(report);
  const { sites, kustomizations, objects } = report.stats;
  const summary = { errors, warnings, waived: waivedCount, sites, kustomizations, objects };
  return `${JSON.stringify({ summary, findings: active, waived }, null, 2)}\n`;
};
