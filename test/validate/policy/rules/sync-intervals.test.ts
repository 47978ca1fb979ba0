import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/sync-intervals.js';
import { exampleSite, runRule, where } from '../rule-tester.js';

const ks = (spec: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: app-pos-api
  namespace: flux-system
spec:
${spec}
  sourceRef: { kind: GitRepository, name: flux-system }
  prune: true
`;

describe('sync-intervals', () => {
  it('is silent on the profile timing, compared as durations', () => {
    expect(runRule(rule, { yaml: ks('  interval: 5m\n  retryInterval: 30s\n  timeout: 2m') })).toEqual([]);
    // 300s and 5m are the same duration: no string comparison.
    expect(runRule(rule, { yaml: ks('  interval: 300s\n  retryInterval: 1m\n  timeout: 5m') })).toEqual([]);
  });

  it('fires when a retry is not sooner than the interval, and when the timeout exceeds it', () => {
    const findings = runRule(rule, { yaml: ks('  interval: 5m\n  retryInterval: 5m\n  timeout: 1h') });
    expect(where(findings)).toEqual(['8:18 spec.retryInterval', '9:12 spec.timeout']);
    expect(findings[0]!.message).toContain('not shorter than interval 5m');
    expect(findings[1]!.message).toContain('timeout 1h exceeds interval 5m');
  });

  it('fires when polling more often than the site network profile allows', () => {
    const site = exampleSite('ohio-gw-02'); // intermittent: 30m
    const findings = runRule(rule, { site, yaml: ks('  interval: 5m\n  retryInterval: 30s\n  timeout: 2m') });
    expect(where(findings)).toEqual(['7:13 spec.interval']);
    expect(findings[0]!.message).toContain('"intermittent" profile allows (30m)');
  });
});
