import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/secrets-vault-offline-start.js';
import { exampleSite, runRule, where } from '../rule-tester.js';

const deployment = (annotations: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: mqtt-broker
spec:
  template:
    metadata:
      annotations:
${annotations}
    spec:
      containers: [{ name: mosquitto, image: eclipse-mosquitto:2.0.20 }]
`;
const INJECT = `        vault.hashicorp.com/agent-inject: "true"
        vault.hashicorp.com/role: mqtt-broker`;

describe('secrets-vault-offline-start', () => {
  it('is silent on always-on sites, without injection, and with agent-pre-populate "false"', () => {
    expect(runRule(rule, { yaml: deployment(INJECT) })).toEqual([]); // lyon-pos-01: always-on
    const site = exampleSite('ohio-gw-02'); // intermittent
    expect(runRule(rule, { site, yaml: deployment('        edgefleet.io/x: "y"') })).toEqual([]);
    expect(runRule(rule, { site, yaml: deployment(`${INJECT}\n        vault.hashicorp.com/agent-pre-populate: "false"`) })).toEqual([]);
  });

  it('warns on intermittent and scheduled sites that inject with an init container', () => {
    for (const name of ['ohio-gw-02', 'berlin-kiosk-03']) {
      const site = exampleSite(name);
      const findings = runRule(rule, { site, yaml: deployment(INJECT) });
      expect(where(findings)).toEqual(['9:43 spec.template.metadata.annotations["vault.hashicorp.com/agent-inject"]']);
      expect(findings[0]!.severity).toBe('warning');
      expect(findings[0]!.message).toBe(`Vault Agent renders this pod's secrets in an init container: on a site with the "${site.networkProfile}" network profile, a pod recreated while Vault is unreachable cannot start until the link is back`);
    }
    // agent-pre-populate-only still renders in an init container.
    const jobs = runRule(rule, { site: exampleSite('ohio-gw-02'), yaml: deployment(`${INJECT}\n        vault.hashicorp.com/agent-pre-populate-only: "true"`) });
    expect(where(jobs)).toHaveLength(1);
  });

  it('has the link profiles as an option', () => {
    const site = exampleSite('berlin-kiosk-03'); // scheduled
    expect(runRule(rule, { site, yaml: deployment(INJECT), options: { links: ['intermittent'] } })).toEqual([]);
  });
});
