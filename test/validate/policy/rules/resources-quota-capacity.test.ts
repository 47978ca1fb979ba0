import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/resources-quota-capacity.js';
import { runRule, where } from '../rule-tester.js';

// lyon-pos-01: 4 cores and 8Gi, 3250m and 5980Mi allocatable after k3s, the OS and eviction.
const quota = (ns: string, hard: string, name = 'edgefleet-capacity') => `---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  hard:
${hard}
`;

const injector = (cpu: string) => `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: vault-agent-injector
  namespace: vault-system
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: injector
          resources:
            requests: { cpu: ${cpu}, memory: 64Mi }
`;

describe('resources-quota-capacity', () => {
  it('is silent while the quotas (with the add-ons) fit the allocatable capacity, up to the last millicore and mebibyte', () => {
    const yaml = quota('pos-api', '    requests.cpu: "2"\n    requests.memory: 4Gi') + quota('telemetry', '    requests.cpu: 1000m\n    memory: 1820Mi') + injector('250m');
    expect(runRule(rule, { yaml })).toEqual([]);
  });

  it('holds a namespace with several quotas to the smallest, and ignores scoped quotas', () => {
    const yaml =
      quota('pos-api', '    requests.cpu: "3"') +
      quota('pos-api', '    requests.cpu: 2500m', 'tighter') +
      quota('pos-api', '    requests.cpu: "10"', 'best-effort').replace('spec:\n', 'spec:\n  scopes: [BestEffort]\n') +
      quota('telemetry', '    requests.cpu: 750m');
    expect(runRule(rule, { yaml })).toEqual([]);
  });

  it('fires on the largest quota when the quotas promise more than the site has', () => {
    const findings = runRule(rule, { yaml: quota('pos-api', '    requests.cpu: "2"') + quota('telemetry', '    cpu: 1500m') });
    expect(where(findings)).toEqual(['9:19 spec.hard["requests.cpu"]']);
    expect(findings[0]!.message).toBe(
      'the ResourceQuotas of site lyon-pos-01 promise 3500m requests.cpu (pos-api 2, telemetry 1500m), more than its 3250m allocatable: some admitted pods can never be scheduled',
    );
  });

  it('counts what workloads in namespaces without a quota request (add-ons)', () => {
    const yaml = quota('pos-api', '    requests.memory: 5Gi') + quota('telemetry', '    requests.memory: 768Mi') + injector('50m').replace('memory: 64Mi', 'memory: 128Mi');
    const findings = runRule(rule, { yaml });
    expect(where(findings)).toEqual(['9:22 spec.hard["requests.memory"]']);
    expect(findings[0]!.message).toBe(
      'the ResourceQuotas of site lyon-pos-01 promise 5888Mi requests.memory (pos-api 5Gi, telemetry 768Mi) plus 128Mi requested in namespaces without a quota (vault-system), more than its 5980Mi allocatable: some admitted pods can never be scheduled',
    );
    expect(runRule(rule, { yaml, options: { countUnquotaedWorkloads: false } })).toEqual([]);
  });

});
