import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/secrets-inline-secret.js';
import { runRule, where } from '../rule-tester.js';

describe('secrets-inline-secret', () => {
  it('is silent on Secrets that carry no value (a service-account token request, a placeholder)', () => {
    const yaml = `apiVersion: v1
kind: Secret
metadata:
  name: pos-api-token
  annotations:
    kubernetes.io/service-account.name: pos-api
type: kubernetes.io/service-account-token
---
apiVersion: v1
kind: Secret
metadata:
  name: filled-on-site
type: Opaque
data: {}
`;
    expect(runRule(rule, { yaml })).toEqual([]);
  });

  it('fires on data and on stringData, whatever the type, pointing at the field', () => {
    const yaml = `apiVersion: v1
kind: Secret
metadata:
  name: store-db
type: Opaque
data:
  DB_PASSWORD: aHVudGVyMg==
stringData:
  DB_USER: pos
---
apiVersion: v1
kind: Secret
metadata:
  name: edge-tls
type: kubernetes.io/tls
data:
  tls.crt: LS0t
  tls.key: LS0t
---
apiVersion: v1
kind: Secret
metadata:
  name: prefilled-token
type: kubernetes.io/service-account-token
data:
  token: ZXlK
`;
    const findings = runRule(rule, { yaml });
    expect(where(findings)).toEqual(['6:1 data', '8:1 stringData', '16:1 data', '25:1 data']);
    expect(findings[0]!.message).toBe('Secret "store-db" (type Opaque) commits a value in data (DB_PASSWORD): anything in the fleet repository is readable by every site that clones it');
    expect(findings[2]!.message).toContain('(type kubernetes.io/tls) commits 2 values in data (tls.crt, tls.key)');
    expect(findings[3]!.message).toContain('(type kubernetes.io/service-account-token)');
  });

  it('accepts SOPS-encrypted values only when the option says so', () => {
    const yaml = `apiVersion: v1
kind: Secret
metadata:
  name: sealed
stringData:
  token: ENC[AES256_GCM,data:abc,type:str]
sops:
  version: 3.9.0
`;
    expect(where(runRule(rule, { yaml }))).toEqual(['5:1 stringData']);
    expect(runRule(rule, { yaml, options: { allowSopsEncrypted: true } })).toEqual([]);
    const partly = yaml.replace('  token: ENC[AES256_GCM,data:abc,type:str]', '  token: ENC[AES256_GCM,data:abc,type:str]\n  plain: hunter2');
    expect(where(runRule(rule, { yaml: partly, options: { allowSopsEncrypted: true } }))).toEqual(['5:1 stringData']);
  });
});
