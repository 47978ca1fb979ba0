import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/security-image-pull-policy.js';
import { exampleSite, runRule, where } from '../rule-tester.js';

const deployment = (container: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: mqtt-broker
spec:
  template:
    spec:
      containers:
        - name: mosquitto
${container}
`;

describe('security-image-pull-policy', () => {
  it('is silent on always-on sites, and on IfNotPresent or versioned images elsewhere', () => {
    expect(runRule(rule, { yaml: deployment('          image: eclipse-mosquitto:2.0.20\n          imagePullPolicy: Always') })).toEqual([]); // lyon-pos-01: always-on
    const site = exampleSite('ohio-gw-02');
    expect(runRule(rule, { site, yaml: deployment('          image: eclipse-mosquitto:2.0.20\n          imagePullPolicy: IfNotPresent') })).toEqual([]);
    expect(runRule(rule, { site, yaml: deployment('          image: eclipse-mosquitto:2.0.20') })).toEqual([]);
    expect(runRule(rule, { site, yaml: deployment('          image: eclipse-mosquitto:latest\n          imagePullPolicy: IfNotPresent') })).toEqual([]);
  });

  it('fires on Always, explicit or the default of an unversioned image, on intermittent and scheduled sites', () => {
    const site = exampleSite('ohio-gw-02'); // intermittent
    const explicit = runRule(rule, { site, yaml: deployment('          image: eclipse-mosquitto:2.0.20\n          imagePullPolicy: Always') });
    expect(where(explicit)).toEqual(['11:28 spec.template.spec.containers[0].imagePullPolicy']);
    expect(explicit[0]!.message).toBe('container "mosquitto": imagePullPolicy Always needs the registry at every container start; on a site with the "intermittent" network profile, a restart while the link is down fails');
    const implicit = runRule(rule, { site: exampleSite('berlin-kiosk-03'), yaml: deployment('          image: eclipse-mosquitto') });
    expect(where(implicit)).toEqual(['10:18 spec.template.spec.containers[0].image']);
    expect(implicit[0]!.message).toContain('without a version defaults imagePullPolicy to Always; on a site with the "scheduled" network profile');
  });
});
