import { UsageError } from '../../util/errors.js';
import type { ChangePlan } from '../types.js';
import { jsonPlan } from './json.js';
import { markdownPlan } from './markdown.js';
import { textPlan } from './text.js';

export type PlanFormatter = (plan: ChangePlan) => string;

const FORMATTERS: Readonly<Record<string, PlanFormatter>> = { text: textPlan, json: jsonPlan, markdown: (p) => markdownPlan(p) };

export const PLAN_FORMATS = Object.keys(FORMATTERS);

/** The formatter for `--format`; an unknown name is a usage error (checked before any work is done). */
export function planFormatter(name: string): PlanFormatter {
  const f = FORMATTERS[name];
  if (!f) throw new UsageError(`unknown plan format "${name}" (expected one of: ${PLAN_FORMATS.join(', ')})`);
  return f;
}
