import { describe, expect, it } from 'vitest';
import rule, { egressHost } from '../../../../src/validate/policy/rules/sovereignty-egress-jurisdiction.js';
import { exampleSite, runRule, where } from '../rule-tester.js';

// fleet.yaml: eu → https://telemetry.eu.example.com/…, us → https://telemetry.us.example.com/…; lyon-pos-01 is eu.
const vector = (sinks: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: telemetry
  namespace: telemetry
data:
  vector.yaml: |
    sinks:
${sinks}
`;
const triton = (arg: string, env = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: inference-service
  namespace: inference-service
spec:
  template:
    spec:
      containers:
        - name: triton
          image: nvcr.io/nvidia/tritonserver:24.08-py3
          args: [tritonserver, "${arg}"]
          env:
            - { name: VAULT_ADDR, value: "https://vault.example.com:8200" }${env}
`;
const S3_HOSTS = { hosts: { eu: ['s3.eu.example.com'], us: ['s3.us.example.com'] } };

describe('sovereignty-egress-jurisdiction', () => {
  it('is silent on the site\'s own endpoint, in-cluster names, unjudged hosts, and jurisdiction names in paths', () => {
    const sinks = `      upstream: { type: http, inputs: [a], uri: "https://telemetry.eu.example.com/us/v1/aggregate" }
      loki: { type: loki, inputs: [a], endpoint: "http://loki.monitoring.svc:3100" }
      peer: { type: vector, inputs: [a], address: "telemetry:6000" }
      local: { type: http, inputs: [a], uri: "http://localhost:8080/" }
      lan: { type: http, inputs: [a], uri: "http://192.168.1.20/ingest" }
      debug: { type: console, inputs: [a] }`;
    expect(runRule(rule, { yaml: vector(sinks) })).toEqual([]);
    expect(runRule(rule, { yaml: triton('--model-repository=s3://https://s3.eu.example.com:443/edge-models/triton') })).toEqual([]);
    // Hosts listed for the site's own jurisdiction are allowed for sinks too.
    const extra = vector('      archive: { type: aws_s3, inputs: [a], endpoint: "https://archive.eu.example.net" }');
    expect(runRule(rule, { yaml: extra, options: { hosts: { eu: ['*.eu.example.net'] } } })).toEqual([]);
  });

  it('fires on a sink that ships to another jurisdiction\'s endpoint, or to any host not of the site\'s jurisdiction', () => {
    const sinks = `      upstream: { type: http, inputs: [a], uri: "https://telemetry.us.example.com/api/v1/aggregate" }
      lookalike: { type: http, inputs: [a], uri: "https://telemetry.us.example.com.evil.eu/api" }
      peer: { type: vector, inputs: [a], address: "telemetry.us.example.com:6000" }`;
    const findings = runRule(rule, { yaml: vector(sinks) });
    expect(where(findings)).toEqual(['7:16 data["vector.yaml"]', '7:16 data["vector.yaml"]', '7:16 data["vector.yaml"]']);
    expect(findings.map((f) => f.message)).toEqual([
      'vector.yaml: sink "upstream" ships to telemetry.us.example.com, the telemetry endpoint of jurisdiction "us", from a site of jurisdiction "eu"',
      'vector.yaml: sink "lookalike" ships to telemetry.us.example.com.evil.eu, which is not a host of jurisdiction "eu" (telemetry.eu.example.com), from a site of jurisdiction "eu"',
      'vector.yaml: sink "peer" ships to telemetry.us.example.com, the telemetry endpoint of jurisdiction "us", from a site of jurisdiction "eu"',
    ]);
  });

  it('fires on an env, arg or ConfigMap URL whose host belongs to another jurisdiction, by host only', () => {
    const env = '\n            - { name: EXPORT_URL, value: "https://telemetry.us.example.com/api/v1/aggregate" }';
    const findings = runRule(rule, { yaml: triton('--model-repository=s3://https://s3.us.example.com:443/edge-models/triton', env), options: S3_HOSTS });
    expect(where(findings)).toEqual(['15:42 spec.template.spec.containers[0].env[1].value', '12:32 spec.template.spec.containers[0].args[1]']);
    expect(findings.map((f) => f.message)).toEqual([
      'env EXPORT_URL of container "triton" sends to telemetry.us.example.com, the telemetry endpoint of jurisdiction "us", from a site of jurisdiction "eu"',
      'args[1] of container "triton" sends to s3.us.example.com, a host of jurisdiction "us", from a site of jurisdiction "eu"',
    ]);
    // The same base on a US site is fine there, and an EU host is foreign to it.
    const austin = exampleSite('austin-pos-02');
    expect(runRule(rule, { site: austin, yaml: triton('--model-repository=s3://https://s3.us.example.com:443/m', env), options: S3_HOSTS })).toEqual([]);
    expect(runRule(rule, { site: austin, yaml: triton('--model-repository=s3://https://s3.eu.example.com:443/m'), options: S3_HOSTS })).toHaveLength(1);
    const cm = `apiVersion: v1
kind: ConfigMap
metadata:
  name: pos-api
data:
  HEAD_OFFICE: "https://telemetry.us.example.com/orders"
  NOT_THERE: "https://eu.telemetry.us.example.com.example.org/eu"
`;
    expect(where(runRule(rule, { yaml: cm }))).toEqual(['6:16 data.HEAD_OFFICE']);
  });

  it('takes the host a nested URL reaches', () => {
    expect(egressHost('s3://https://s3.eu.example.com:443/edge-models/triton')).toBe('s3.eu.example.com');
    expect(egressHost('https://user:pw@Telemetry.EU.example.com./x')).toBe('telemetry.eu.example.com');
    expect(egressHost('https://[2001:db8::1]:8443/x')).toBe('2001:db8::1');
    expect(egressHost('file:///etc/x')).toBeUndefined();
    expect(egressHost('https://${TELEMETRY_ENDPOINT}')).toBeUndefined();
  });
});
