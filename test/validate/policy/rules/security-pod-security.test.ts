import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/security-pod-security.js';
import { runRule, where } from '../rule-tester.js';

// lyon-pos-01 runs pos-api and telemetry: their namespaces are app namespaces.
const namespace = (name: string, level: string | undefined, reason?: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels:
    app.kubernetes.io/part-of: ${name}${level ? `\n    pod-security.kubernetes.io/enforce: ${level}` : ''}${reason !== undefined ? `\n  annotations:\n    edgefleet.io/pod-security-reason: "${reason}"` : ''}
`;

const RESTRICTED_POD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: pos-api
  namespace: pos-api
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile: { type: RuntimeDefault }
      containers:
        - name: pos-api
          image: pos-api:3.4.1
          ports: [{ containerPort: 80 }]
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: { drop: [ALL], add: [NET_BIND_SERVICE] }
      volumes:
        - { name: tmp, emptyDir: {} }
        - { name: data, persistentVolumeClaim: { claimName: data } }
`;

describe('security-pod-security', () => {
  it('is silent on restricted-compliant pods in app namespaces and on add-ons at their recorded level', () => {
    expect(runRule(rule, { yaml: `${namespace('pos-api', 'restricted')}---\n${RESTRICTED_POD}` })).toEqual([]);
    // Container-level settings count when every container sets them.
    const perContainer = `${namespace('pos-api', 'restricted')}---
apiVersion: v1
kind: Pod
metadata:
  name: one-off
  namespace: pos-api
spec:
  containers:
    - name: a
      image: a:1.0.0
      securityContext:
        runAsNonRoot: true
        allowPrivilegeEscalation: false
        seccompProfile: { type: Localhost, localhostProfile: profiles/a.json }
        capabilities: { drop: [ALL] }
`;
    expect(runRule(rule, { yaml: perContainer })).toEqual([]);
    const addon = `${namespace('nvidia-device-plugin', 'privileged', 'hostPath to the kubelet device-plugin socket directory')}---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: nvidia-device-plugin
  namespace: nvidia-device-plugin
spec:
  template:
    spec:
      containers: [{ name: plugin, image: plugin:0.17.2 }]
      volumes: [{ name: dp, hostPath: { path: /var/lib/kubelet/device-plugins } }]
---
${namespace('metrics', 'baseline', 'the exporter image runs as root')}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: exporter
  namespace: metrics
spec:
  template:
    spec:
      containers: [{ name: exporter, image: exporter:1.0.0, securityContext: { runAsUser: 0 } }]
`;
    expect(runRule(rule, { yaml: addon })).toEqual([]);
  });

  it('fires on each restricted control a pod in an app namespace breaks, at the field', () => {
    const yaml = `${namespace('pos-api', 'restricted')}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: pos-api
  namespace: pos-api
spec:
  template:
    spec:
      hostNetwork: true
      containers:
        - name: pos-api
          image: pos-api:3.4.1
          ports: [{ containerPort: 8080, hostPort: 8080 }]
          securityContext:
            privileged: true
            capabilities: { add: [SYS_ADMIN] }
      initContainers:
        - name: init
          image: init:1.0.0
          securityContext: { runAsNonRoot: true, runAsUser: 0, allowPrivilegeEscalation: false, seccompProfile: { type: RuntimeDefault }, capabilities: { drop: [ALL] } }
      volumes:
        - { name: host, hostPath: { path: /etc } }
        - { name: nfs, nfs: { server: nas, path: /x } }
`;
    const findings = runRule(rule, { yaml });
    expect(where(findings)).toEqual([
      '17:20 spec.template.spec.hostNetwork',
      '30:35 spec.template.spec.volumes[0].hostPath',
      '31:29 spec.template.spec.volumes[1].nfs',
      '23:25 spec.template.spec.containers[0].securityContext.privileged',
      '21:52 spec.template.spec.containers[0].ports[0].hostPort',
      '24:35 spec.template.spec.containers[0].securityContext.capabilities.add[0]',
      '28:61 spec.template.spec.initContainers[0].securityContext.runAsUser',
      '23:13 spec.template.spec.containers[0].securityContext.runAsNonRoot',
      '23:13 spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
      '23:13 spec.template.spec.containers[0].securityContext.seccompProfile.type',
      '24:27 spec.template.spec.containers[0].securityContext.capabilities.drop',
    ]);
    const messages = findings.map((f) => f.message);
    expect(messages[0]).toBe('hostNetwork: true shares the node\'s namespace (namespace "pos-api" enforces restricted)');
    expect(messages).toContain('container "pos-api" adds capability SYS_ADMIN (restricted allows only NET_BIND_SERVICE) (namespace "pos-api" enforces restricted)');
    expect(messages).toContain('container "pos-api" may run as root: set runAsNonRoot: true on the pod or the container (namespace "pos-api" enforces restricted)');
    expect(messages).toContain('init container "init" runs as user 0 (root) (namespace "pos-api" enforces restricted)');
  });

  it('holds app namespaces to restricted even when labelled lower, and requires a reason below restricted elsewhere', () => {
    const yaml = `${namespace('pos-api', 'baseline', 'we would like to')}---
${namespace('tools', 'baseline')}---
${namespace('legacy', undefined)}---
${namespace('other', 'permissive')}`;
    const findings = runRule(rule, { yaml });
    expect(where(findings)).toEqual([
      '7:41 metadata.labels["pod-security.kubernetes.io/enforce"]',
      '17:41 metadata.labels["pod-security.kubernetes.io/enforce"]',
      '21:1 metadata',
      '32:41 metadata.labels["pod-security.kubernetes.io/enforce"]',
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'app namespace "pos-api" enforces baseline; app namespaces must enforce restricted',
      'namespace "tools" enforces baseline with no recorded reason: add the edgefleet.io/pod-security-reason annotation saying why restricted is not possible',
      'namespace "legacy" has no pod-security.kubernetes.io/enforce label, so it runs at the cluster default (privileged)',
      'pod-security.kubernetes.io/enforce: "permissive" is not a Pod Security level (privileged, baseline, restricted)',
    ]);
    // The pods of an app namespace labelled baseline are still held to restricted.
    const pod = runRule(rule, { yaml: `${namespace('pos-api', 'baseline')}---\n${RESTRICTED_POD.replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true')}` });
    expect(pod.map((f) => f.jsonPath)).toEqual(['metadata.labels["pod-security.kubernetes.io/enforce"]', 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation']);
  });

  it('checks baseline namespaces for baseline controls only, and skips the Linux-only controls of Windows pods', () => {
    const yaml = `${namespace('metrics', 'baseline', 'the exporter runs as root')}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: exporter
  namespace: metrics
spec:
  template:
    spec:
      securityContext:
        sysctls: [{ name: net.ipv4.tcp_keepalive_time, value: "60" }, { name: kernel.msgmax, value: "65536" }]
        seccompProfile: { type: Unconfined }
      containers: [{ name: exporter, image: exporter:1.0.0, securityContext: { runAsUser: 0 } }]
      volumes: [{ name: host, hostPath: { path: /proc } }]
`;
    const findings = runRule(rule, { yaml });
    expect(where(findings)).toEqual([
      '23:41 spec.template.spec.volumes[0].hostPath',
      '20:79 spec.template.spec.securityContext.sysctls[1].name',
      '21:33 spec.template.spec.securityContext.seccompProfile.type',
    ]);
    const windows = `${namespace('pos-api', 'restricted')}---
apiVersion: v1
kind: Pod
metadata:
  name: win
  namespace: pos-api
spec:
  os: { name: windows }
  securityContext: { runAsNonRoot: true }
  containers: [{ name: app, image: app:1.0.0 }]
`;
    expect(runRule(rule, { yaml: windows })).toEqual([]);
  });
});
