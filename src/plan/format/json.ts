import type { ChangePlan } from '../types.js';

/** The whole plan, for tools (diffs are redacted like every other format). */
export function jsonPlan(plan: ChangePlan): string {
  return `${JSON.stringify({ version: 1, ...plan }, null, 2)}\n`;
}
