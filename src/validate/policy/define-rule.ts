import type { Rule } from './types.js';

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Typed factory for rules (in the manner of typescript-eslint's createRule): checks the metadata once, at load. */
export function defineRule<O extends object = Record<string, never>>(rule: Rule<O>): Rule<O> {
  if (!ID.test(rule.id)) throw new Error(`rule id "${rule.id}" must be kebab-case`);
  if (!rule.meta.remediation.trim().endsWith('.')) throw new Error(`rule ${rule.id}: remediation must end with a full stop`);
  if (rule.meta.kinds.length === 0) throw new Error(`rule ${rule.id}: meta.kinds is empty`);
  return rule;
}

/** Where a rule's documentation lives. */
export function ruleDocsUrl(id: string): string {
  return `docs/rules.md#${id}`;
}
