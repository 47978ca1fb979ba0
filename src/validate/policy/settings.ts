import { LINK_KINDS, type FleetSpec, type RuleSetting } from '../../inventory/types.js';
import type { InputProblem } from '../../util/errors.js';
import { didYouMean } from '../../util/suggest.js';
import { problemAt, type SourceDocument } from '../../util/yaml-source.js';
import type { Severity } from '../findings.js';
import type { AnyRule } from './types.js';

const AT = ['spec', 'validation', 'rules'] as const;

/** fleet.yaml's setting for a rule (spec.validation.rules.<id>), if any. */
export function ruleSetting(fleet: FleetSpec, id: string): RuleSetting | undefined {
  const rules = fleet.validation?.rules;
  return rules && Object.hasOwn(rules, id) ? rules[id] : undefined;
}

/** The severity a finding of `rule` gets: fleet.yaml's override, else the report's own, else the rule's. */
export function effectiveSeverity(setting: RuleSetting | undefined, reported: Severity | undefined, rule: AnyRule): Severity {
  return setting?.severity === 'error' || setting?.severity === 'warning' ? setting.severity : (reported ?? rule.meta.severity);
}

/**
 * Problems with spec.validation.rules, located in fleet.yaml: an id the catalogue lacks (with the
 * nearest one), an option the rule does not have, or an option whose value is not of its default's
 * kind (number, string, boolean, list of strings). Rule defaults are the options' schema.
 */
export function checkRuleSettings(source: SourceDocument, fleet: FleetSpec, rules: readonly AnyRule[]): InputProblem[] {
  const out: InputProblem[] = [];
  const byId = new Map(rules.map((r) => [r.id, r]));
  for (const [id, setting] of Object.entries(fleet.validation?.rules ?? {})) {
    const rule = byId.get(id);
    if (!rule) {
      out.push(problemAt(source, [...AT, id], `unknown rule "${id}"${didYouMean(id, [...byId.keys()])} (see docs/rules.md)`, { key: true }));
      continue;
    }
    const defaults = rule.options as Readonly<Record<string, unknown>>;
    for (const [name, value] of Object.entries(setting.options ?? {})) {
      const at = [...AT, id, 'options', name];
      if (!Object.hasOwn(defaults, name)) {
        const known = Object.keys(defaults);
        out.push(problemAt(source, at, `rule ${id} has no option "${name}"${didYouMean(name, known)} (${known.length > 0 ? `its options: ${known.join(', ')}` : 'it takes no options'})`, { key: true }));
        continue;
      }
      const expected = kindOf(defaults[name]);
      if (kindOf(value) !== expected) out.push(problemAt(source, at, `option ${name} of rule ${id} must be ${expected} (default: ${JSON.stringify(defaults[name])})`));
      else if (expected === 'a number' && (value as number) < 0) out.push(problemAt(source, at, `option ${name} of rule ${id} must not be negative`));
      else if (name === 'links') {
        // A misspelt link kind would match no site and silently switch the rule off.
        (value as string[]).forEach((v, i) => {
          if (!(LINK_KINDS as readonly string[]).includes(v)) out.push(problemAt(source, [...at, i], `"${v}" is not a link kind${didYouMean(v, LINK_KINDS)} (one of ${LINK_KINDS.join(', ')})`));
        });
      }
    }
  }
  return out;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? 'a list of strings' : 'a list';
  if (typeof value === 'number') return Number.isFinite(value) ? 'a number' : 'a finite number';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return value === null ? 'null' : 'an object';
}
