import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/placement-gpu.js';
import { exampleSite, runRule, where } from '../rule-tester.js';

const fra = exampleSite('fra-inference-01'); // k3s, one L4

const placed = `      runtimeClassName: nvidia
      tolerations:
        - { key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }
`;

const deployment = (podSpec: string, resources: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: inference-service
  namespace: inference-service
spec:
  template:
    spec:
${podSpec}      containers:
        - name: triton
          resources:
${resources}`;

const oneGpu = '            limits: { cpu: "4", nvidia.com/gpu: 1 }\n';

describe('placement-gpu', () => {
  it('is silent on a GPU limit with the toleration and the nvidia RuntimeClass, on a GPU site', () => {
    expect(runRule(rule, { site: fra, yaml: deployment(placed, oneGpu) })).toEqual([]);
    expect(runRule(rule, { site: fra, yaml: deployment(placed, `            requests: { nvidia.com/gpu: "1" }\n${oneGpu}`) })).toEqual([]);
  });

  it('asks no RuntimeClass on k0s, and nothing of pods without a GPU', () => {
    const k0s = exampleSite('fra-inference-01', (s) => ({ ...s, runtime: 'k0s' }));
    expect(runRule(rule, { site: k0s, yaml: deployment('      tolerations: [{ operator: Exists }]\n', oneGpu) })).toEqual([]);
    expect(runRule(rule, { yaml: deployment('', '            limits: { cpu: "1" }\n') })).toEqual([]);
  });

  it('fires on a GPU asked for on a site without one', () => {
    const findings = runRule(rule, { yaml: deployment(placed, oneGpu) }); // lyon-pos-01
    expect(where(findings)).toEqual(['15:49 spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"]']);
    expect(findings[0]!.message).toBe('the pod asks for 1 GPU(s) but site lyon-pos-01 has none: it stays Pending');
  });

  it('fires without the toleration, and without runtimeClassName nvidia on k3s', () => {
    const findings = runRule(rule, { site: fra, yaml: deployment('', oneGpu) });
    expect(where(findings)).toEqual(['9:7 spec.template.spec.tolerations', '9:7 spec.template.spec.runtimeClassName']);
    expect(findings[0]!.message).toBe('a GPU pod without the nvidia.com/gpu toleration cannot be scheduled on GPU nodes tainted nvidia.com/gpu:NoSchedule');
    expect(findings[1]!.message).toBe(
      'no runtimeClassName on k3s site fra-inference-01: k3s registers the NVIDIA runtime as the "nvidia" handler, and without it the container starts without the GPU driver',
    );
  });

  it('fires on a GPU request without a limit, and on other GPU resource names', () => {
    const findings = runRule(rule, { site: fra, yaml: deployment(placed, '            requests: { nvidia.com/gpu: 1 }\n            limits: { amd.com/gpu: 1 }\n') });
    expect(where(findings)).toEqual(['16:23 spec.template.spec.containers[0].resources.limits["amd.com/gpu"]', '15:25 spec.template.spec.containers[0].resources.requests["nvidia.com/gpu"]']);
    expect(findings[0]!.message).toBe('amd.com/gpu is not a resource the sites advertise: the NVIDIA device plugin registers GPUs as nvidia.com/gpu only, so the pod stays Pending');
    expect(findings[1]!.message).toBe('nvidia.com/gpu is requested without a limit: GPUs are asked for in limits (the request defaults to it), and the API server rejects a request alone');
  });

  it('fires when a pod asks for more GPUs than the site has', () => {
    const findings = runRule(rule, { site: fra, yaml: deployment(placed, '            limits: { nvidia.com/gpu: "2" }\n') });
    expect(where(findings)).toEqual(['15:39 spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"]']);
    expect(findings[0]!.message).toBe('the pod asks for 2 GPUs but site fra-inference-01 has 1 (L4): it stays Pending');
  });

});
