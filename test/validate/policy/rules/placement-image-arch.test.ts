import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/placement-image-arch.js';
import { exampleSite, runRule, where } from '../rule-tester.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: inference-service
  namespace: inference-service
spec:
  template:
    spec:
      initContainers:
        - name: fetch-models
          image: registry.example.com/vision/model-fetch:1.2.0
      containers:
        - name: triton
          image: nvcr.io/nvidia/tritonserver:24.08-py3
`;

describe('placement-image-arch', () => {
  it("is silent when the app's architectures include the site's", () => {
    expect(runRule(rule, { app: 'inference-service', yaml: deployment })).toEqual([]); // lyon-pos-01: amd64
  });

  it('is silent on workloads of no catalogue app', () => {
    expect(runRule(rule, { site: exampleSite('austin-pos-02'), yaml: deployment })).toEqual([]);
  });

  it("fires on every image of an app not built for the site's arch", () => {
    const findings = runRule(rule, { app: 'inference-service', site: exampleSite('austin-pos-02'), yaml: deployment });
    expect(where(findings)).toEqual(['11:18 spec.template.spec.initContainers[0].image', '14:18 spec.template.spec.containers[0].image']);
    expect(findings[1]!.message).toBe('image nvcr.io/nvidia/tritonserver:24.08-py3 of app inference-service is built for amd64, not for arm64 (site austin-pos-02): it cannot run there');
  });

});
