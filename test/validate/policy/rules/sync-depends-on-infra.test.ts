import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/sync-depends-on-infra.js';
import { runRule, where } from '../rule-tester.js';

const ks = (name: string, dependsOn = '') => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 5m
  prune: true
${dependsOn}`;

const infra = ks('infra-vault-agent-injector') + ks('infra-nvidia-device-plugin');

describe('sync-depends-on-infra', () => {
  it('is silent when every app depends on every infra Kustomization (namespace defaulting to its own)', () => {
    const deps = '  dependsOn:\n    - name: infra-vault-agent-injector\n    - name: infra-nvidia-device-plugin\n      namespace: flux-system\n';
    expect(runRule(rule, { yaml: infra + ks('app-pos-api', deps) })).toEqual([]);
  });

  it('does not ask infra Kustomizations, or other Kustomizations, to depend on anything', () => {
    expect(runRule(rule, { yaml: infra + ks('site-config') })).toEqual([]);
  });

  it('fires when an app misses an infra Kustomization, at dependsOn', () => {
    const findings = runRule(rule, { yaml: infra + ks('app-pos-api', '  dependsOn:\n    - name: infra-vault-agent-injector\n') });
    expect(where(findings)).toEqual(['29:5 spec.dependsOn']);
    expect(findings[0]!.message).toBe('app-pos-api does not depend on infra-nvidia-device-plugin: after an outage its pods can start before the add-on is ready');
  });

  it('fires when an app has no dependsOn, and when a dependency names another namespace', () => {
    expect(runRule(rule, { yaml: infra + ks('app-pos-api') }).map((f) => f.message)).toEqual([
      'app-pos-api does not depend on infra-vault-agent-injector, infra-nvidia-device-plugin: after an outage its pods can start before the add-on is ready',
    ]);
    const elsewhere = '  dependsOn:\n    - name: infra-vault-agent-injector\n      namespace: default\n    - name: infra-nvidia-device-plugin\n';
    expect(runRule(rule, { yaml: infra + ks('app-pos-api', elsewhere) }).map((f) => f.message)).toEqual([
      'app-pos-api does not depend on infra-vault-agent-injector: after an outage its pods can start before the add-on is ready',
    ]);
  });

});
