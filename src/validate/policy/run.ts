import { pathToString } from '../../util/yaml-source.js';
import type { Finding } from '../findings.js';
import { effectiveSeverity, ruleSetting } from './settings.js';
import type { AnyRule, PolicyObject, RuleReport, SiteContext } from './types.js';

/**
 * Runs every rule over one site's objects; findings point at the source of the offending field.
 * fleet.yaml's spec.validation.rules turns a rule off, overrides its severity or its options
 * (checked beforehand by checkRuleSettings); `options` (tests, library callers) win over both.
 */
export function runRules(rules: readonly AnyRule[], ctx: SiteContext, options: Readonly<Record<string, object>> = {}): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const setting = ruleSetting(ctx.fleet, rule.id);
    if (setting?.severity === 'off') continue;
    const report = (r: RuleReport): void => {
      const where = r.object.locate(r.path, r.key === true);
      findings.push({
        ruleId: rule.id,
        severity: effectiveSeverity(setting, r.severity, rule),
        message: r.message,
        ...where,
        jsonPath: pathToString(r.path),
        object: r.object.ref,
        sites: [ctx.site.name],
        ...(r.object.kustomization ? { via: [`${ctx.site.name}/${r.object.kustomization}`] } : {}),
      });
    };
    const visitors = rule.create({ ...ctx, options: { ...rule.options, ...setting?.options, ...options[rule.id] }, report });
    const all = visitors['*'];
    for (const obj of ctx.objects) {
      visit(visitors[obj.ref.kind], obj);
      visit(all, obj);
    }
    visitors.onSiteEnd?.();
  }
  return findings;
}

function visit(fn: ((obj: PolicyObject) => void) | undefined, obj: PolicyObject): void {
  if (typeof fn === 'function') fn(obj);
}
