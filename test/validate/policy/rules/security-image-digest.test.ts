import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/security-image-digest.js';
import { runRule, where } from '../rule-tester.js';

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: telemetry
spec:
  template:
    spec:
      containers:
        - name: vector
          image: ${image}
`;

describe('security-image-digest', () => {
  it('is silent on digests, and leaves missing and floating tags to security-image-pinning', () => {
    expect(runRule(rule, { yaml: deployment(`timberio/vector:0.46.1-distroless-libc@sha256:${'0'.repeat(64)}`) })).toEqual([]);
    expect(runRule(rule, { yaml: deployment('timberio/vector') })).toEqual([]);
    expect(runRule(rule, { yaml: deployment('timberio/vector:latest') })).toEqual([]);
  });

  it('warns on a tag without a digest; the severity is an option', () => {
    const findings = runRule(rule, { yaml: deployment('timberio/vector:0.46.1-distroless-libc') });
    expect(where(findings)).toEqual(['10:18 spec.template.spec.containers[0].image']);
    expect(findings[0]!.severity).toBe('warning');
    expect(findings[0]!.message).toBe('container "vector": image "timberio/vector:0.46.1-distroless-libc" is pinned by tag only; a tag can be re-pushed, a digest (timberio/vector:0.46.1-distroless-libc@sha256:…) cannot');
    expect(runRule(rule, { yaml: deployment('timberio/vector:0.46.1'), options: { severity: 'error' } })[0]!.severity).toBe('error');
  });
});
