import { describe, expect, it } from 'vitest';
import type { FleetSpec, RuleSetting } from '../../../src/inventory/types.js';
import imagePullPolicy from '../../../src/validate/policy/rules/security-image-pull-policy.js';
import unreachable from '../../../src/validate/policy/rules/resilience-unreachable-toleration.js';
import { useTempRepos } from '../../helpers/temp-repo.js';
import { exampleFleet, exampleSite, runRule } from './rule-tester.js';

const withRules = (rules: Record<string, RuleSetting>): FleetSpec => ({ ...exampleFleet, validation: { ...exampleFleet.validation, rules } });
const ALWAYS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: mqtt-broker
spec:
  template:
    spec:
      containers: [{ name: mosquitto, image: eclipse-mosquitto:2.0.20, imagePullPolicy: Always }]
`;
const OHIO = exampleSite('ohio-gw-02'); // intermittent
const OSLO = exampleSite('oslo-gw-03'); // 3 nodes, intermittent

describe('spec.validation.rules in fleet.yaml', () => {
  it('overrides a rule\'s severity, and leaves it alone without a setting', () => {
    expect(runRule(imagePullPolicy, { site: OHIO, yaml: ALWAYS }).map((f) => f.severity)).toEqual([imagePullPolicy.meta.severity]);
    const other = imagePullPolicy.meta.severity === 'error' ? 'warning' : 'error';
    expect(runRule(imagePullPolicy, { site: OHIO, yaml: ALWAYS, fleet: withRules({ [imagePullPolicy.id]: { severity: other } }) }).map((f) => f.severity)).toEqual([other]);
    expect(runRule(imagePullPolicy, { site: OHIO, yaml: ALWAYS, fleet: withRules({ 'sync-prune': { severity: 'off' } }) })).toHaveLength(1);
  });

  it('turns a rule off', () => {
    expect(runRule(imagePullPolicy, { site: OHIO, yaml: ALWAYS, fleet: withRules({ [imagePullPolicy.id]: { severity: 'off' } }) })).toEqual([]);
  });

  it('overrides a rule\'s options', () => {
    const yaml = ALWAYS.replace(', imagePullPolicy: Always', '');
    expect(runRule(unreachable, { site: OSLO, yaml })).toHaveLength(1);
    expect(runRule(unreachable, { site: OSLO, yaml, fleet: withRules({ [unreachable.id]: { options: { minTolerationSeconds: 300 } } }) })).toEqual([]);
    expect(runRule(unreachable, { site: OSLO, yaml, fleet: withRules({ [unreachable.id]: { options: { links: ['scheduled'] } } }) })).toEqual([]);
  });
});

describe('edgefleet validate with bad rule settings', () => {
  const tempRepo = useTempRepos();
  const settings = (yaml: string): string => `  validation:\n    rules:\n${yaml}`;

  it.each([
    ['an unknown rule id, with the nearest', '      security-image-pining:\n        severity: off\n', '      ^security-image-pining:', 'unknown rule "security-image-pining" (did you mean "security-image-pinning"?)'],
    ['an unknown option', '      resilience-unreachable-toleration:\n        options: { minToleration: 60 }\n', '{ ^minToleration', 'rule resilience-unreachable-toleration has no option "minToleration"'],
    ['an option of the wrong kind', '      resilience-unreachable-toleration:\n        options: { minTolerationSeconds: "1h" }\n', 'minTolerationSeconds: ^"1h"', 'option minTolerationSeconds of rule resilience-unreachable-toleration must be a number (default: 3600)'],
    ['a misspelt link kind', '      secrets-vault-offline-start:\n        options: { links: [intermittent, schedueld] }\n', 'intermittent, ^schedueld]', '"schedueld" is not a link kind (did you mean "scheduled"?)'],
  ])('%s is a located error (exit 2)', async (_, yaml, marked, message) => {
    const repo = tempRepo();
    repo.write('fleet.yaml', `${repo.read('fleet.yaml')}${settings(yaml)}`);
    const r = await repo.run(['validate', '--site', 'lyon-pos-01']);
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toContain(`error: ${repo.at('fleet.yaml', marked)}: spec.validation.rules.`);
    expect(r.stderr).toContain(message);
  });

  it('valid settings apply to a real run: a rule turned off reports nothing', async () => {
    const repo = tempRepo();
    const before = await repo.run(['validate', '--site', 'berlin-kiosk-03', '--format', 'json']);
    // The example is clean; its waived findings show a rule firing all the same.
    const ids = (out: string): string[] => {
      const report = JSON.parse(out) as { findings: { ruleId: string }[]; waived: { ruleId: string }[] };
      return [...report.findings, ...report.waived].map((f) => f.ruleId);
    };
    const fired = 'secrets-vault-offline-start';
    expect(ids(before.stdout)).toContain(fired);
    repo.write('fleet.yaml', `${repo.read('fleet.yaml')}${settings(`      ${fired}: { severity: off }\n`)}`);
    const after = await repo.run(['validate', '--site', 'berlin-kiosk-03', '--format', 'json']);
    expect(after.code, after.stderr).not.toBe(2);
    expect(ids(after.stdout)).not.toContain(fired);
  });

  it('an unknown severity is rejected by the schema', async () => {
    const repo = tempRepo();
    repo.write('fleet.yaml', `${repo.read('fleet.yaml')}${settings('      sync-prune:\n        severity: fatal\n')}`);
    const r = await repo.run(['validate', '--site', 'lyon-pos-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('spec.validation.rules.sync-prune.severity');
  });
});
