import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/placement-arch.js';
import { exampleSite, runRule, where } from '../rule-tester.js';

const deployment = (podSpec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: pos-api
  namespace: pos-api
spec:
  template:
    spec:
${podSpec}      containers:
        - name: pos-api
          image: registry.example.com/retail/pos-api:3.4.1
`;

const affinity = (operator: string, values: string) => `      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions:
                  - { key: kubernetes.io/arch, operator: ${operator}, values: [${values}] }
`;

describe('placement-arch', () => {
  it("is silent when the selector or the required affinity admits the site's arch", () => {
    expect(runRule(rule, { app: 'pos-api', yaml: deployment('      nodeSelector:\n        kubernetes.io/arch: amd64\n') })).toEqual([]);
    expect(runRule(rule, { app: 'pos-api', yaml: deployment(affinity('In', 'arm64, amd64')) })).toEqual([]);
    expect(runRule(rule, { app: 'pos-api', site: exampleSite('austin-pos-02'), yaml: deployment(affinity('NotIn', 'amd64')) })).toEqual([]);
  });

  it('is silent by default on add-ons without an arch selector (multi-arch images, DaemonSets reach every node)', () => {
    expect(runRule(rule, { yaml: deployment('') })).toEqual([]);
  });

  it("fires when the node selector names another arch than the site's", () => {
    const findings = runRule(rule, { app: 'pos-api', site: exampleSite('austin-pos-02'), yaml: deployment('      nodeSelector:\n        kubernetes.io/arch: amd64\n') });
    expect(where(findings)).toEqual(['10:29 spec.template.spec.nodeSelector["kubernetes.io/arch"]']);
    expect(findings[0]!.message).toBe('nodeSelector kubernetes.io/arch: amd64 does not match site austin-pos-02 (arm64): the pod stays Pending');
    expect(findings[0]!.severity).toBe('error');
  });

  it("fires when no required affinity term admits the site's arch", () => {
    const findings = runRule(rule, { app: 'pos-api', yaml: deployment(affinity('In', 'arm64')) });
    expect(where(findings)).toEqual(['13:15 spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms']);
    expect(findings[0]!.message).toBe('required node affinity on kubernetes.io/arch excludes amd64, the architecture of site lyon-pos-01: the pod stays Pending');
  });

  it('warns when a catalogue app has no arch selector (synth always sets one), and on every workload with requireSelector "all"', () => {
    const findings = runRule(rule, { app: 'pos-api', yaml: deployment('') });
    expect(where(findings)).toEqual(['9:7 spec.template.spec.nodeSelector']);
    expect(findings[0]!.severity).toBe('warning');
    expect(findings[0]!.message).toBe('Deployment pos-api does not select kubernetes.io/arch: amd64: a node of another architecture joining site lyon-pos-01 would get pods that cannot run there');
    expect(runRule(rule, { yaml: deployment(''), options: { requireSelector: 'all' } })).toHaveLength(1);
    expect(runRule(rule, { app: 'pos-api', yaml: deployment(''), options: { requireSelector: 'none' } })).toEqual([]);
  });

});
