import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../../src/validate/findings.js';
import { objectRef } from '../../../../src/validate/manifests.js';
import rule from '../../../../src/validate/policy/rules/sync-health-checks.js';
import { runRules } from '../../../../src/validate/policy/run.js';
import type { AnyRule, PolicyObject } from '../../../../src/validate/policy/types.js';
import { locate, parseYamlFile } from '../../../../src/util/yaml-source.js';
import { exampleApps, exampleFleet, exampleSite, where } from '../rule-tester.js';

/** Like runRule, but each document says which Kustomization built it (committed ones: none). */
function run(docs: readonly { yaml: string; builtBy?: string }[]): Finding[] {
  const objects: PolicyObject[] = docs.flatMap((d) =>
    parseYamlFile('fixture.yaml', d.yaml).documents.map((source) => {
      const object = source.value as Record<string, unknown>;
      return { object, ref: objectRef(object), ...(d.builtBy ? { kustomization: d.builtBy } : {}), locate: (path, key) => locate(source, path, { key: key === true }) };
    }),
  );
  return runRules([rule as unknown as AnyRule], { site: exampleSite('lyon-pos-01'), fleet: exampleFleet, apps: exampleApps, objects });
}

const ks = (name: string, spec: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 5m
  prune: true
${spec}`;

const workload = (kind: string, name: string, ns: string) => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${ns}
spec: {}
`;

const check = (kind: string, name: string, ns = 'pos-api', apiVersion = 'apps/v1') => `    - apiVersion: ${apiVersion}\n      kind: ${kind}\n      name: ${name}\n      namespace: ${ns}\n`;

describe('sync-health-checks', () => {
  it('is silent when each workload is health-checked by name, or the Kustomization waits', () => {
    const built = [{ yaml: workload('Deployment', 'pos-api', 'pos-api'), builtBy: 'app-pos-api' }, { yaml: workload('StatefulSet', 'pos-db', 'pos-api'), builtBy: 'app-pos-api' }];
    expect(run([{ yaml: ks('app-pos-api', `  healthChecks:\n${check('Deployment', 'pos-api')}${check('StatefulSet', 'pos-db')}`) }, ...built])).toEqual([]);
    expect(run([{ yaml: ks('app-pos-api', '  wait: true\n') }, ...built])).toEqual([]);
  });

  it('fires on a wildcard name: Flux has none', () => {
    const findings = run([{ yaml: ks('app-pos-api', `  healthChecks:\n${check('Deployment', "'*'")}`) }, { yaml: workload('Deployment', 'pos-api', 'pos-api'), builtBy: 'app-pos-api' }]);
    expect(where(findings)).toEqual(['12:13 spec.healthChecks[0].name', '10:5 spec.healthChecks']);
    expect(findings[0]!.message).toBe(
      'health check name "*" is not a wildcard to Flux: it looks up an object named "*", never finds it, and app-pos-api never becomes Ready; name each workload or set wait: true',
    );
    expect(findings[1]!.message).toBe('Deployment pos-api/pos-api is neither health-checked nor waited for: app-pos-api turns Ready before its pods run, and a failed rollout goes unnoticed');
  });

  it('fires for each workload not covered, and says why a near miss does not count', () => {
    const findings = run([
      { yaml: ks('app-pos-api', `  healthChecks:\n${check('Deployment', 'pos-api', 'default')}`) },
      { yaml: workload('Deployment', 'pos-api', 'pos-api'), builtBy: 'app-pos-api' },
      { yaml: workload('DaemonSet', 'pos-printer', 'pos-api'), builtBy: 'app-pos-api' },
    ]);
    expect(where(findings)).toEqual(['10:5 spec.healthChecks', '10:5 spec.healthChecks']);
    expect(findings.map((f) => f.message)).toEqual([
      'Deployment pos-api/pos-api is neither health-checked nor waited for (healthChecks names it with namespace "default", and Flux looks it up exactly: apps group, namespace "pos-api"): app-pos-api turns Ready before its pods run, and a failed rollout goes unnoticed',
      'DaemonSet pos-api/pos-printer is neither health-checked nor waited for: app-pos-api turns Ready before its pods run, and a failed rollout goes unnoticed',
    ]);
  });

  it('checks any Kustomization that builds workloads, not only app-*', () => {
    const findings = run([{ yaml: ks('infra-device-plugin', '') }, { yaml: workload('DaemonSet', 'device-plugin', 'kube-system'), builtBy: 'infra-device-plugin' }]);
    expect(where(findings)).toEqual(['7:3 spec.healthChecks']);
    expect(findings[0]!.message).toMatch(/^DaemonSet kube-system\/device-plugin is neither health-checked nor waited for/);
    expect(run([{ yaml: ks('infra-config', '') }, { yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n', builtBy: 'infra-config' }])).toEqual([]);
  });

});
