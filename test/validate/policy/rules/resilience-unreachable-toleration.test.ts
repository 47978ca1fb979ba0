import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/resilience-unreachable-toleration.js';
import { exampleSite, runRule, where } from '../rule-tester.js';

const deployment = (tolerations: string, kind = 'Deployment') => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: mqtt-broker
spec:
  template:
    spec:
      containers: [{ name: mosquitto, image: eclipse-mosquitto:2.0.20 }]
${tolerations}
`;
const OSLO = exampleSite('oslo-gw-03'); // 3 nodes, intermittent

describe('resilience-unreachable-toleration', () => {
  it('is silent on single-node and always-on sites, on DaemonSets, and with a long or unbounded toleration', () => {
    expect(runRule(rule, { site: exampleSite('ohio-gw-02'), yaml: deployment('') })).toEqual([]); // 1 node, intermittent
    expect(runRule(rule, { site: exampleSite('det-inference-02'), yaml: deployment('') })).toEqual([]); // 2 nodes, always-on
    expect(runRule(rule, { site: OSLO, yaml: deployment('', 'DaemonSet') })).toEqual([]);
    const long = `      tolerations:
        - { key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 7200 }`;
    expect(runRule(rule, { site: OSLO, yaml: deployment(long) })).toEqual([]);
    const forever = `      tolerations:
        - { operator: Exists }`;
    expect(runRule(rule, { site: OSLO, yaml: deployment(forever) })).toEqual([]);
  });

  it('fires on the 300 s default and on a short toleration, at the shortest matching toleration', () => {
    const findings = runRule(rule, { site: OSLO, yaml: deployment('') });
    expect(where(findings)).toEqual(['8:7 spec.template.spec.tolerations']);
    expect(findings[0]!.message).toBe('pods tolerate node.kubernetes.io/unreachable for 300 s (the default): on a 3-node site with the "intermittent" network profile, a node out of reach for 5 min has its pods evicted, and their replacements may not start while the link is down (tolerate at least 3600 s)');
    const short = `      tolerations:
        - { key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 10 }
        - { key: node.kubernetes.io/unreachable, operator: Exists, tolerationSeconds: 86400 }
        - { key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 600 }`;
    const f2 = runRule(rule, { site: OSLO, yaml: deployment(short) });
    expect(where(f2)).toEqual(['12:106 spec.template.spec.tolerations[2].tolerationSeconds']);
    expect(f2[0]!.message).toContain('for 600 s:');
    // The minimum is an option.
    expect(runRule(rule, { site: OSLO, yaml: deployment(short), options: { minTolerationSeconds: 600 } })).toEqual([]);
  });

  it('judges any multi-node site whose profile the option lists', () => {
    const scheduled = exampleSite('berlin-kiosk-03', (s) => ({ ...s, nodes: 2 }));
    expect(runRule(rule, { site: scheduled, yaml: deployment('') })).toHaveLength(1);
    expect(runRule(rule, { site: scheduled, yaml: deployment(''), options: { links: ['intermittent'] } })).toEqual([]);
  });
});
