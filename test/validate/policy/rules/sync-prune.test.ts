import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/sync-prune.js';
import { runRule, where } from '../rule-tester.js';

const ks = (prune: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: app-pos-api
  namespace: flux-system
spec:
  interval: 5m
  path: ./apps/pos-api/base
  sourceRef: { kind: GitRepository, name: flux-system }
${prune}`;

describe('sync-prune', () => {
  it('is silent when prune is true', () => {
    expect(runRule(rule, { yaml: ks('  prune: true\n') })).toEqual([]);
  });

  it('fires when prune is false, at its value', () => {
    const findings = runRule(rule, { yaml: ks('  prune: false\n') });
    expect(where(findings)).toEqual(['10:10 spec.prune']);
    expect(findings[0]!.message).toBe('prune is false: objects removed from Git stay on site lyon-pos-01 and keep running');
  });

  it('fires when prune is not set, at the spec', () => {
    const findings = runRule(rule, { yaml: ks('') });
    expect(where(findings)).toEqual(['7:3 spec.prune']);
    expect(findings[0]!.message).toBe('prune is not set: objects removed from Git stay on site lyon-pos-01 and keep running');
  });

  it('ignores kustomize config Kustomizations', () => {
    expect(runRule(rule, { yaml: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata:\n  name: base\nresources: [a.yaml]\n' })).toEqual([]);
  });

});
