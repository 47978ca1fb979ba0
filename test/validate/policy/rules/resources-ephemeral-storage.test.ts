import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/resources-ephemeral-storage.js';
import { exampleSite, runRule, where } from '../rule-tester.js';

// berlin-kiosk-03: a 32Gi disk, 19252Mi allocatable. lyon-pos-01: 128Gi.
const berlin = exampleSite('berlin-kiosk-03');

const deployment = (annotations: string, resources: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: pos-api
  namespace: pos-api
spec:
  template:
    metadata:
      annotations:
        vault.hashicorp.com/agent-inject: "true"
${annotations}
    spec:
      containers:
        - name: pos-api
          resources:
${resources}
`;

const limited = '            limits: { cpu: 500m, memory: 256Mi, ephemeral-storage: 512Mi }';
const unlimited = '            limits: { cpu: 500m, memory: 256Mi }';
const agentLimit = '        vault.hashicorp.com/agent-limits-ephemeral: 512Mi';

const limitRange = (limit: string) => `---
apiVersion: v1
kind: LimitRange
metadata:
  name: edgefleet-defaults
  namespace: pos-api
spec:
  limits:
    - type: Container
      default: { ephemeral-storage: ${limit} }
`;

describe('resources-ephemeral-storage', () => {
  it('is silent on a small disk when every container, the Vault Agent included, has a limit', () => {
    expect(runRule(rule, { site: berlin, yaml: deployment(agentLimit, limited) })).toEqual([]);
  });

  it('is silent on a small disk when a LimitRange defaults the limit', () => {
    expect(runRule(rule, { site: berlin, yaml: deployment('', unlimited) + limitRange('512Mi') })).toEqual([]);
  });

  it('is silent on sites with enough disk per node, and below a lower threshold', () => {
    expect(runRule(rule, { yaml: deployment('', unlimited) })).toEqual([]);
    expect(runRule(rule, { site: berlin, yaml: deployment('', unlimited), options: { smallDiskBelow: '16Gi' } })).toEqual([]);
  });

  it('fires for each container without a limit on a small disk, at its resources (the agent: at its annotations)', () => {
    const findings = runRule(rule, { site: berlin, yaml: deployment('        vault.hashicorp.com/role: pos-api', unlimited) });
    expect(where(findings)).toEqual(['16:21 spec.template.spec.containers[0].resources.limits.ephemeral-storage', '10:9 spec.template.metadata.annotations["vault.hashicorp.com/agent-limits-ephemeral"]']);
    expect(findings[0]!.message).toBe(
      'container "pos-api" has no ephemeral-storage limit and namespace "pos-api" has no LimitRange default for it; site berlin-kiosk-03 has 19252Mi of disk per node, which one container can fill',
    );
    expect(findings[1]!.message).toMatch(/^injected Vault Agent \(vault-agent\) has no ephemeral-storage limit/);
  });

  it('fires when the limit is not below the disk', () => {
    const findings = runRule(rule, { site: berlin, yaml: deployment(agentLimit, unlimited) + limitRange('20Gi') });
    expect(where(findings)).toEqual(['16:21 spec.template.spec.containers[0].resources.limits.ephemeral-storage']);
    expect(findings[0]!.message).toBe(
      'container "pos-api" has an ephemeral-storage limit of 20Gi (LimitRange default of namespace "pos-api"), not below the 19252Mi of disk per node of site berlin-kiosk-03: the node runs out of disk before the limit evicts it',
    );
  });

});
