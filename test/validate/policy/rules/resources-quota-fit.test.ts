import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/resources-quota-fit.js';
import { exampleSite, runRule, where } from '../rule-tester.js';

const quota = (hard: string) => `apiVersion: v1
kind: ResourceQuota
metadata:
  name: edgefleet-capacity
  namespace: pos-api
spec:
  hard:
${hard}
`;

// 100m/128Mi for pos-api plus the Vault Agent's 25m/64Mi: 125m/192Mi a pod.
const deployment = (spec: string) => `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: pos-api
  namespace: pos-api
spec:
${spec}
  template:
    metadata:
      annotations:
        vault.hashicorp.com/agent-inject: "true"
        vault.hashicorp.com/agent-requests-cpu: 25m
        vault.hashicorp.com/agent-requests-mem: 64Mi
    spec:
      containers:
        - name: pos-api
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
`;

const hard = '    pods: "3"\n    requests.cpu: 375m\n    requests.memory: 576Mi\n    limits.cpu: 3000m';

describe('resources-quota-fit', () => {
  it('is silent when replicas plus the default 25% surge (rounded up) fit, the injected agent included', () => {
    expect(runRule(rule, { yaml: quota(hard) + deployment('  replicas: 2') })).toEqual([]);
  });

  it('fires when the surge pod does not fit, at the field that sets the share', () => {
    const findings = runRule(rule, { yaml: quota(hard.replace('375m', '300m').replace('"3"', '"2"')) + deployment('  replicas: 2') });
    expect(where(findings)).toEqual(['19:13 spec.replicas', '30:30 spec.template.spec.containers[0].resources.requests.cpu']);
    expect(findings[0]!.message).toBe('namespace "pos-api" needs 3 pods during a rolling update (Deployment pos-api: 2 + 1 surge pod(s) × 1) but ResourceQuota edgefleet-capacity allows 2: pods past the quota are rejected');
    expect(findings[1]!.message).toBe('namespace "pos-api" needs 375m requests.cpu during a rolling update (Deployment pos-api: 2 + 1 surge pod(s) × 125m) but ResourceQuota edgefleet-capacity allows 300m: pods past the quota are rejected');
  });

  it('takes maxSurge as set, and no surge for Recreate', () => {
    const tight = quota(hard.replace('375m', '250m').replace('"3"', '"2"').replace('576Mi', '384Mi'));
    expect(runRule(rule, { yaml: tight + deployment('  replicas: 2\n  strategy: { type: Recreate }') })).toEqual([]);
    expect(runRule(rule, { yaml: tight + deployment('  replicas: 2\n  strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }') })).toEqual([]);
    const findings = runRule(rule, { yaml: tight + deployment('  replicas: 2\n  strategy: { rollingUpdate: { maxSurge: 50% } }') });
    expect(findings.map((f) => f.message)).toContain(
      'namespace "pos-api" needs 576Mi requests.memory during a rolling update (Deployment pos-api: 2 + 1 surge pod(s) × 192Mi) but ResourceQuota edgefleet-capacity allows 384Mi: pods past the quota are rejected',
    );
  });

  it('counts a DaemonSet pod on every node of the site', () => {
    const ds = `---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
  namespace: pos-api
spec:
  template:
    spec:
      containers:
        - name: agent
          resources:
            requests: { cpu: 100m, memory: 32Mi }
            limits: { cpu: 100m, memory: 32Mi }
`;
    const site = exampleSite('oslo-gw-03'); // three nodes
    const findings = runRule(rule, { site, yaml: quota('    requests.cpu: 250m') + ds });
    expect(where(findings)).toEqual(['21:30 spec.template.spec.containers[0].resources.requests.cpu']);
    expect(findings[0]!.message).toBe('namespace "pos-api" needs 300m requests.cpu (DaemonSet node-agent: 3 pod(s) × 100m) but ResourceQuota edgefleet-capacity allows 250m: pods past the quota are rejected');
    expect(runRule(rule, { yaml: quota('    requests.cpu: 250m') + ds })).toEqual([]); // lyon-pos-01: one node
    // Selecting the GPU nodes: at most one node per GPU.
    const oneGpuNode = exampleSite('det-inference-02', (s) => ({ ...s, nodes: 3, gpu: s.gpu && { ...s.gpu, count: 1 } }));
    const onGpus = ds.replace('    spec:\n', '    spec:\n      nodeSelector: { nvidia.com/gpu.present: "true" }\n');
    expect(runRule(rule, { site: oneGpuNode, yaml: quota('    requests.cpu: 250m') + onGpus })).toEqual([]);
    expect(runRule(rule, { site: oneGpuNode, yaml: quota('    requests.cpu: 250m') + ds })).toHaveLength(1);
  });

  it('rolls the workloads of a namespace together unless told otherwise', () => {
    const second = deployment('  replicas: 1').replace('name: pos-api\n  namespace', 'name: pos-worker\n  namespace');
    const yaml = quota('    requests.cpu: 500m') + deployment('  replicas: 2') + second; // 2×125m + 125m steady, 125m + 125m surge
    const findings = runRule(rule, { yaml });
    expect(findings.map((f) => f.message)).toEqual([
      'namespace "pos-api" needs 625m requests.cpu during a rolling update (Deployment pos-api: 2 + 1 surge pod(s) × 125m; Deployment pos-worker: 1 + 1 surge pod(s) × 125m) but ResourceQuota edgefleet-capacity allows 500m: pods past the quota are rejected',
    ]);
    expect(runRule(rule, { yaml, options: { simultaneousRollouts: false } })).toEqual([]);
  });

  it('fires when the claims of a namespace exceed its storage quota', () => {
    const pvc = (name: string, size: string) => `---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
  namespace: pos-api
spec:
  resources:
    requests:
      storage: ${size}
`;
    const findings = runRule(rule, { yaml: quota('    requests.storage: 8Gi\n    persistentvolumeclaims: "2"') + pvc('data', '6Gi') + pvc('cache', '3072Mi') });
    expect(where(findings)).toEqual(['19:16 spec.resources.requests.storage']);
    expect(findings[0]!.message).toBe('namespace "pos-api" claims 9Gi of storage (data 6Gi, cache 3Gi) but ResourceQuota edgefleet-capacity allows 8Gi: the claim is rejected');
    expect(runRule(rule, { yaml: quota('    requests.storage: 9Gi') + pvc('data', '6Gi') + pvc('cache', '3072Mi') })).toEqual([]);
  });

});
