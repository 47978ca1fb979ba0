import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/resources-limit-range.js';
import { runRule, where } from '../rule-tester.js';

const limitRange = (items: string) => `apiVersion: v1
kind: LimitRange
metadata:
  name: edgefleet-defaults
  namespace: pos-api
spec:
  limits:
${items}`;

describe('resources-limit-range', () => {
  it('is silent on coherent bounds, compared as quantities (0.5 = 500m, 1Gi = 1024Mi)', () => {
    const items = `    - type: Container
      min: { cpu: 5m, memory: 8Mi }
      defaultRequest: { cpu: "0.05", memory: 64Mi, ephemeral-storage: 64Mi }
      default: { cpu: 500m, memory: 1Gi, ephemeral-storage: 512Mi }
      max: { cpu: "0.5", memory: 1024Mi }
      maxLimitRequestRatio: { cpu: "10" }
    - type: PersistentVolumeClaim
      min: { storage: 1Gi }
      max: { storage: 933479Mi }
`;
    expect(runRule(rule, { yaml: limitRange(items) })).toEqual([]);
  });

  it('fires where the chain min ≤ defaultRequest ≤ default ≤ max breaks, once per break', () => {
    const items = `    - type: Container
      min: { cpu: 5m, memory: 2Gi }
      defaultRequest: { cpu: 500m, memory: 64Mi }
      default: { cpu: 250m, memory: 256Mi }
      max: { cpu: "4", memory: 1Gi }
`;
    const findings = runRule(rule, { yaml: limitRange(items) });
    expect(where(findings)).toEqual(['10:30 spec.limits[0].defaultRequest.cpu', '9:31 spec.limits[0].min.memory']);
    expect(findings.map((f) => f.message)).toEqual([
      'defaultRequest cpu 500m exceeds default 250m: the bounds must keep min ≤ defaultRequest ≤ default ≤ max',
      'min memory 2Gi exceeds defaultRequest 64Mi: the bounds must keep min ≤ defaultRequest ≤ default ≤ max',
    ]);
  });

  it('fires when the defaults break maxLimitRequestRatio, and on defaults outside type Container', () => {
    const items = `    - type: Container
      defaultRequest: { cpu: 50m }
      default: { cpu: 250m }
      maxLimitRequestRatio: { cpu: "2.5" }
    - type: Pod
      max: { cpu: "2" }
      default: { cpu: 250m }
`;
    const findings = runRule(rule, { yaml: limitRange(items) });
    expect(where(findings)).toEqual(['11:36 spec.limits[0].maxLimitRequestRatio.cpu', '14:7 spec.limits[1].default']);
    expect(findings[0]!.message).toBe('default cpu 250m is more than maxLimitRequestRatio 2.5 × defaultRequest 50m: every pod relying on the defaults is rejected');
    expect(findings[1]!.message).toBe('default applies to type Container only; on type Pod the API server rejects the LimitRange');
  });

});
