import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/resilience-probes.js';
import { runRule, where } from '../rule-tester.js';

const deployment = (probes: string, kind = 'Deployment') => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: telemetry
spec:
  template:
    spec:
      containers:
        - name: vector
          image: timberio/vector:0.46.1
          ports: [{ name: api, containerPort: 8686 }]
${probes}
`;

describe('resilience-probes', () => {
  it('is silent on distinct probes, on one endpoint with a longer liveness window, on Jobs and on port-less containers', () => {
    const distinct = `          livenessProbe: { httpGet: { path: /healthz, port: api } }
          readinessProbe: { httpGet: { path: /readyz, port: api } }`;
    expect(runRule(rule, { yaml: deployment(distinct) })).toEqual([]);
    // The example's Vector: same endpoint, liveness gives up after 90 s, readiness after 20 s.
    const sameEndpoint = `          livenessProbe: { httpGet: { path: /health, port: api }, periodSeconds: 30, failureThreshold: 3 }
          readinessProbe: { httpGet: { path: /health, port: api }, periodSeconds: 10, failureThreshold: 2 }`;
    expect(runRule(rule, { yaml: deployment(sameEndpoint) })).toEqual([]);
    const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: migrate, image: migrate:1.0.0, ports: [{ containerPort: 80 }] }]
`;
    expect(runRule(rule, { yaml: job })).toEqual([]);
    const daemon = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: nvidia-device-plugin
spec:
  template:
    spec:
      containers: [{ name: plugin, image: plugin:0.17.2 }]
`;
    expect(runRule(rule, { yaml: daemon })).toEqual([]);
  });

  it('fires on a missing probe, at the container', () => {
    const findings = runRule(rule, { yaml: deployment('          readinessProbe: { tcpSocket: { port: api } }') });
    expect(where(findings)).toEqual(['9:11 spec.template.spec.containers[0].livenessProbe']);
    expect(findings[0]!.message).toBe('container "vector" has no livenessProbe: a wedged process is never restarted, and nobody is on site to do it');
    const none = runRule(rule, { yaml: deployment('', 'StatefulSet') });
    expect(none.map((f) => f.jsonPath)).toEqual(['spec.template.spec.containers[0].livenessProbe', 'spec.template.spec.containers[0].readinessProbe']);
    // Port-less containers too, when the option asks for it.
    const portless = deployment('').replace('          ports: [{ name: api, containerPort: 8686 }]\n', '');
    expect(runRule(rule, { yaml: portless })).toEqual([]);
    expect(runRule(rule, { yaml: portless, options: { requireWithoutPorts: true } })).toHaveLength(2);
  });

  it('fires on identical probes, and on one endpoint where liveness gives up no later than readiness (named ports resolved)', () => {
    const identical = `          livenessProbe: { httpGet: { path: /health, port: api } }
          readinessProbe: { httpGet: { path: /health, port: 8686, scheme: HTTP } }`;
    const findings = runRule(rule, { yaml: deployment(identical) });
    expect(where(findings)).toEqual(['12:26 spec.template.spec.containers[0].livenessProbe']);
    expect(findings[0]!.message).toBe('container "vector": livenessProbe is identical to readinessProbe (HTTP :8686/health): every time the pod is not ready it is also restarted');
    const sooner = `          livenessProbe: { tcpSocket: { port: api }, periodSeconds: 5, failureThreshold: 2 }
          readinessProbe: { tcpSocket: { port: api }, periodSeconds: 10, failureThreshold: 3 }`;
    const f2 = runRule(rule, { yaml: deployment(sooner) });
    expect(where(f2)).toEqual(['12:26 spec.template.spec.containers[0].livenessProbe']);
    expect(f2[0]!.message).toBe('container "vector": livenessProbe checks the same TCP :8686 as readinessProbe and gives up after 10s, no later than readiness (30s): every readiness failure is also a restart');
  });
});
