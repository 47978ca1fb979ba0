import type { Finding } from '../validate/findings.js';
import type { Report, RuleDescriptor } from './formatters/types.js';

/** The checks validate runs itself (not policy rules), described for reports that carry rule metadata (SARIF). */
export const BUILTIN_RULES: readonly RuleDescriptor[] = [
  {
    id: 'build',
    severity: 'error',
    category: 'build',
    description: "A site's Flux Kustomization does not build the way kustomize-controller would build it (kustomize, patches), or could not be built to be checked.",
    remediation: 'Fix the kustomization.yaml or patch at the reported place so that the build succeeds for every site that applies it.',
  },
  {
    id: 'drift',
    severity: 'error',
    category: 'build',
    description: 'A file under clusters/ differs from what synth renders from the inventory: edited by hand, missing, stale, or left over from an interrupted synth.',
    remediation: 'Run `npm run synth` and commit clusters/.',
  },
  {
    id: 'inventory',
    severity: 'error',
    category: 'inventory',
    description: 'The inventory (fleet.yaml, sites/*.yaml, apps/*/app.yaml) is invalid, so the sites cannot be planned.',
    remediation: 'Fix the inventory field at the reported place; the message says what was expected.',
  },
  {
    id: 'kubernetes-version',
    severity: 'warning',
    category: 'schema',
    description: 'The fleet targets a Kubernetes minor version other than the one the bundled schemas describe, so schema findings are approximate.',
    remediation: 'Align fleet.yaml spec.kubernetesVersion with the schemas, or upgrade edgefleet to a release whose schemas describe that version.',
  },
  {
    id: 'no-schema',
    severity: 'error',
    category: 'schema',
    description: 'No schema is known for an object\'s apiVersion and kind, so the object cannot be checked.',
    remediation: 'Correct a typo in apiVersion or kind, or list the CRD under fleet.yaml spec.validation.allowedKinds.',
  },
  {
    id: 'reference',
    severity: 'error',
    category: 'build',
    description: "A Flux Kustomization refers to something that is not there: its source, its path, a dependsOn target (or a dependsOn cycle), or a health-check workload no Kustomization of the site applies.",
    remediation: 'Point the reference at an object or path the site has, or break the dependsOn cycle.',
  },
  {
    id: 'schema',
    severity: 'error',
    category: 'schema',
    description: 'An object does not match the strict, offline JSON Schema of its apiVersion and kind: an unknown field, a wrong type, or a missing required field.',
    remediation: 'Fix the field at the reported path in the source file; an unknown field is usually a typo.',
  },
  {
    id: 'substitution',
    severity: 'error',
    category: 'build',
    description: "Flux postBuild variable substitution would fail or leave a wrong value for a site: a variable without a value and without a default, or a malformed expression.",
    remediation: "Give the variable a value in the site's postBuild.substitute (through the inventory), a default (`${VAR:=value}`), or escape a literal `$`.",
  },
  {
    id: 'waiver',
    severity: 'error',
    category: 'waiver',
    description: 'A waiver is itself wrong: it names an unknown rule, gives no reason, or has expired (a warning when it expires soon).',
    remediation: 'Fix the finding the waiver covers, or renew the waiver with a reason and a new expiry date.',
  },
  {
    id: 'yaml',
    severity: 'error',
    category: 'yaml',
    description: 'A manifest is not valid YAML, or a document in it is not a Kubernetes object (a mapping).',
    remediation: 'Fix the YAML syntax at the reported place.',
  },
];

const BUILTIN = new Map(BUILTIN_RULES.map((r) => [r.id, r]));

/**
 * The rules a report's findings refer to and the run's catalogue, sorted by id: the catalogue's entry wins,
 * then the built-in table; a ruleId known to neither gets a generic entry, so every finding has its rule.
 */
export function rulesOf(report: Report): RuleDescriptor[] {
  const catalogue = new Map((report.rules ?? []).map((r) => [r.id, r]));
  const ids = new Set([...catalogue.keys(), ...report.findings.map((f) => f.ruleId)]);
  return [...ids].sort().map((id) => catalogue.get(id) ?? BUILTIN.get(id) ?? unknownRule(id, report.findings));
}

function unknownRule(id: string, findings: readonly Finding[]): RuleDescriptor {
  const severity = findings.some((f) => f.ruleId === id && f.severity === 'error') ? 'error' : 'warning';
  return { id, severity, description: `edgefleet check ${id}.`, remediation: 'See the finding message.' };
}
