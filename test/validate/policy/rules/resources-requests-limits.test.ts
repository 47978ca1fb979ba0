import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/resources-requests-limits.js';
import { runRule, where } from '../rule-tester.js';

const deployment = (podAnnotations: string, containers: string, initContainers = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: pos-api
  namespace: pos-api
spec:
  template:
    metadata:
      annotations:
${podAnnotations || '        example.com/none: "x"'}
    spec:
${initContainers}      containers:
${containers}`;

const full = `        - name: pos-api
          image: registry.example.com/retail/pos-api:3.4.1
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
`;

const bare = `        - name: pos-api
          image: registry.example.com/retail/pos-api:3.4.1
`;

const limitRange = `---
apiVersion: v1
kind: LimitRange
metadata:
  name: edgefleet-defaults
  namespace: pos-api
spec:
  limits:
    - type: Container
      default: { cpu: 250m, memory: 256Mi }
      defaultRequest: { cpu: 50m, memory: 64Mi }
`;

describe('resources-requests-limits', () => {
  it('is silent when every container sets requests and limits, and the injected agent has the injector defaults', () => {
    expect(runRule(rule, { yaml: deployment('        vault.hashicorp.com/agent-inject: "true"', full) })).toEqual([]);
  });

  it('is silent when a LimitRange of the namespace defaults what the containers leave out', () => {
    expect(runRule(rule, { yaml: deployment('        vault.hashicorp.com/agent-inject: "true"\n        vault.hashicorp.com/agent-limits-mem: ""', bare) + limitRange })).toEqual([]);
  });

  it('takes a limit without a request as both (the API server defaults the request to the limit)', () => {
    const limitsOnly = `        - name: pos-api\n          resources:\n            limits: { cpu: 500m, memory: 256Mi }\n`;
    expect(runRule(rule, { yaml: deployment('', limitsOnly) })).toEqual([]);
  });

  it('fires for a container without resources in a namespace without a LimitRange, at the container', () => {
    const findings = runRule(rule, { yaml: deployment('', bare) });
    expect(where(findings)).toEqual(['13:11 spec.template.spec.containers[0].resources.requests.cpu', '13:11 spec.template.spec.containers[0].resources.limits.cpu']);
    expect(findings[0]!.message).toBe('container "pos-api" has no CPU and memory request, and namespace "pos-api" has no LimitRange to default them');
    expect(findings[1]!.message).toBe('container "pos-api" has no CPU and memory limit, and namespace "pos-api" has no LimitRange to default them');
  });

  it('counts init containers', () => {
    const init = `      initContainers:\n        - name: migrate\n          resources:\n            requests: { cpu: 100m, memory: 64Mi }\n`;
    const findings = runRule(rule, { yaml: deployment('', full, init) });
    expect(where(findings)).toEqual(['15:13 spec.template.spec.initContainers[0].resources.limits.cpu']);
    expect(findings[0]!.message).toBe('init container "migrate" has no CPU and memory limit, and namespace "pos-api" has no LimitRange to default them');
  });

  it('counts the injected Vault Agent: an empty annotation unsets the injector default', () => {
    const findings = runRule(rule, { yaml: deployment('        vault.hashicorp.com/agent-inject: "true"\n        vault.hashicorp.com/agent-limits-mem: ""', full) });
    expect(where(findings)).toEqual(['11:47 spec.template.metadata.annotations["vault.hashicorp.com/agent-limits-mem"]']);
    expect(findings[0]!.message).toBe(
      'injected Vault Agent (vault-agent) has no memory limit (an empty vault.hashicorp.com/agent-limits-mem unsets the injector\'s default), and namespace "pos-api" has no LimitRange to default it',
    );
  });

  it('fires on an agent annotation that is not a quantity', () => {
    const findings = runRule(rule, { yaml: deployment('        vault.hashicorp.com/agent-inject: "true"\n        vault.hashicorp.com/agent-requests-cpu: 25 millicores', full) });
    expect(where(findings)).toEqual(['11:49 spec.template.metadata.annotations["vault.hashicorp.com/agent-requests-cpu"]']);
    expect(findings[0]!.message).toBe(
      'vault.hashicorp.com/agent-requests-cpu is not a quantity: the injector cannot build the Vault Agent, so the pod is rejected (or starts without its secrets if the webhook fails open)',
    );
  });

  it('fires when a request exceeds the limit, its own or the LimitRange default, compared as quantities', () => {
    const big = `        - name: pos-api\n          resources:\n            requests: { cpu: "1", memory: 128Mi }\n`;
    const findings = runRule(rule, { yaml: deployment('', big) + limitRange });
    expect(where(findings)).toEqual(['15:30 spec.template.spec.containers[0].resources.requests.cpu']);
    expect(findings[0]!.message).toBe('container "pos-api" requests 1 CPU, more than its limit 250m (the LimitRange default of namespace "pos-api"): the API server rejects the pod');
    // 0.5 = 500m: equal, not more.
    const equal = `        - name: pos-api\n          resources:\n            requests: { cpu: "0.5", memory: 1Gi }\n            limits: { cpu: 500m, memory: 1024Mi }\n`;
    expect(runRule(rule, { yaml: deployment('', equal) })).toEqual([]);
  });

});
