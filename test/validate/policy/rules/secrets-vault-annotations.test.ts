import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/secrets-vault-annotations.js';
import { runRule, where } from '../rule-tester.js';

describe('secrets-vault-annotations', () => {
  it('is silent when the annotations are on the pod template and ask for injection', () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: pos-api
  annotations:
    edgefleet.io/owner: retail
spec:
  template:
    metadata:
      annotations:
        vault.hashicorp.com/agent-inject: "true"
        vault.hashicorp.com/role: pos-api
        vault.hashicorp.com/agent-inject-secret-db.env: secret/data/edge/eu-west/lyon-pos-01/pos-api/store-db
    spec:
      containers: [{ name: pos-api, image: pos-api:3.4.1 }]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: opted-out
spec:
  template:
    metadata:
      annotations:
        vault.hashicorp.com/agent-inject: "false"
        vault.hashicorp.com/agent-inject-secret-db.env: secret/data/edge/eu-west/lyon-pos-01/pos-api/store-db
    spec:
      containers: [{ name: app, image: app:1.0.0 }]
`;
    expect(runRule(rule, { yaml })).toEqual([]);
  });

  it('fires on annotations on the workload\'s own metadata (and a CronJob\'s job template) and on secrets without agent-inject', () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: pos-api
  annotations:
    vault.hashicorp.com/agent-inject: "true"
    vault.hashicorp.com/role: pos-api
spec:
  template:
    metadata:
      annotations:
        vault.hashicorp.com/agent-inject-secret-db.env: secret/data/edge/eu-west/lyon-pos-01/pos-api/store-db
    spec:
      containers: [{ name: pos-api, image: pos-api:3.4.1 }]
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-sync
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    metadata:
      annotations:
        vault.hashicorp.com/agent-inject: "true"
    spec:
      template:
        metadata:
          annotations:
            vault.hashicorp.com/agent-pre-populate-only: "true"
        spec:
          containers: [{ name: sync, image: sync:1.0.0 }]
`;
    const findings = runRule(rule, { yaml });
    expect(where(findings)).toEqual([
      '6:5 metadata.annotations["vault.hashicorp.com/agent-inject"]',
      '12:9 spec.template.metadata.annotations["vault.hashicorp.com/agent-inject-secret-db.env"]',
      '25:9 spec.jobTemplate.metadata.annotations["vault.hashicorp.com/agent-inject"]',
    ]);
    expect(findings[0]!.message).toBe('2 vault.hashicorp.com annotations (vault.hashicorp.com/agent-inject, …) are on the Deployment\'s own metadata, which the Vault injector never reads: the pod starts without its secrets');
    expect(findings[1]!.message).toBe('vault.hashicorp.com/agent-inject-secret-db.env without vault.hashicorp.com/agent-inject: "true": the injector skips the pod and the secret is never rendered');
    expect(findings[2]!.message).toContain('is on the job template\'s metadata');
  });
});
