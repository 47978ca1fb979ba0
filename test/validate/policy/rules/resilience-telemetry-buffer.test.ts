import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/resilience-telemetry-buffer.js';
import { exampleSite, runRule, where } from '../rule-tester.js';

// lyon-pos-01: 107725Mi allocatable disk, so 5% is 5647881994 bytes.
const vector = (sinks: string, dataDir = '/var/lib/vector') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: telemetry
  namespace: telemetry
data:
  vector.yaml: |
    data_dir: ${dataDir}
    sources:
      apps: { type: vector, address: 0.0.0.0:6000 }
    sinks:
${sinks}
`;
const DISK_SINK = (maxSize: string) => `      upstream:
        type: http
        inputs: [apps]
        uri: https://telemetry.eu.example.com/api/v1/aggregate
        buffer:
          type: disk
          max_size: ${maxSize}
          when_full: block`;
const pvcAndDeployment = (volume = 'persistentVolumeClaim: { claimName: vector-data }', mountPath = '/var/lib/vector') => `---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: vector-data
  namespace: telemetry
spec:
  resources:
    requests:
      storage: 512Mi
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: telemetry
  namespace: telemetry
spec:
  template:
    spec:
      containers:
        - name: vector
          image: timberio/vector:0.46.1-distroless-libc
          volumeMounts:
            - { name: config, mountPath: /etc/vector, readOnly: true }
            - { name: data, mountPath: ${mountPath} }
      volumes:
        - name: config
          configMap: { name: telemetry }
        - name: data
          ${volume}
`;

describe('resilience-telemetry-buffer', () => {
  it('is silent on a disk buffer on a claim that fits it and the site (the example\'s telemetry)', () => {
    const yaml = vector(DISK_SINK('483183820')) + pvcAndDeployment();
    expect(runRule(rule, { yaml, app: 'telemetry' })).toEqual([]);
    expect(runRule(rule, { yaml, app: 'telemetry', site: exampleSite('ohio-gw-02') })).toEqual([]);
    // A data_dir below the mount, and a memory stage overflowing to disk, are fine too.
    const overflow = vector(DISK_SINK('483183820').replace('        buffer:\n          type: disk', '        buffer:\n          - { type: memory, max_events: 500, when_full: overflow }\n          - type: disk'), '/var/lib/vector/buffers');
    expect(runRule(rule, { yaml: overflow + pvcAndDeployment(), site: exampleSite('ohio-gw-02') })).toEqual([]);
  });

  it('fires when data_dir is on an emptyDir or on the container\'s own filesystem, at the volume or the mounts', () => {
    const emptyDir = runRule(rule, { yaml: vector(DISK_SINK('483183820')) + pvcAndDeployment('emptyDir: {}') });
    expect(where(emptyDir)).toEqual(['49:21 spec.template.spec.volumes[1].emptyDir']);
    expect(emptyDir[0]!.message).toBe('container "vector" keeps /var/lib/vector on volume "data" of type emptyDir, not a PersistentVolumeClaim: Vector\'s disk buffers under data_dir /var/lib/vector (from ConfigMap "telemetry") are lost when the pod is recreated');
    const unmounted = runRule(rule, { yaml: vector(DISK_SINK('483183820')) + pvcAndDeployment(undefined, '/data') });
    expect(where(unmounted)).toEqual(['43:13 spec.template.spec.containers[0].volumeMounts']);
    expect(unmounted[0]!.message).toContain('container "vector" mounts no volume at /var/lib/vector, so it is on the container\'s own filesystem');
  });

  it('fires when max_size exceeds the claim or the configured share of the site\'s disk, is below Vector\'s minimum, or is missing', () => {
    const big = runRule(rule, { yaml: vector(DISK_SINK('6000000000')) + pvcAndDeployment() });
    expect(where(big)).toEqual(['7:16 data["vector.yaml"]', '7:16 data["vector.yaml"]']);
    expect(big.map((f) => f.message)).toEqual([
      'vector.yaml: sinks.upstream.buffer.max_size 6000000000 (5723Mi) exceeds 5% of the site\'s allocatable disk (5387Mi): a long outage would fill the node\'s disk',
      'vector.yaml: sinks.upstream.buffer.max_size 6000000000 (5723Mi) exceeds the 512Mi requested by PersistentVolumeClaim "vector-data": the buffer fails before it is full',
    ]);
    expect(runRule(rule, { yaml: vector(DISK_SINK('6000000000')) + pvcAndDeployment(), options: { maxFractionOfAllocatableDisk: 0.1 } })).toHaveLength(1);
    const small = runRule(rule, { yaml: vector(DISK_SINK('1048576')) + pvcAndDeployment() });
    expect(small.map((f) => f.message)).toEqual(['vector.yaml: sinks.upstream.buffer.max_size 1048576 is below Vector\'s minimum disk buffer (268435488 bytes): Vector refuses to start']);
    const missing = runRule(rule, { yaml: vector(DISK_SINK('0').replace('          max_size: 0\n', '')) + pvcAndDeployment() });
    expect(missing.map((f) => f.message)).toEqual(['vector.yaml: sinks.upstream.buffer.max_size is missing: Vector requires a size for a disk buffer']);
  });

  it('warns on a memory buffer (explicit or Vector\'s default) on intermittent and scheduled sites only', () => {
    const memory = vector(`      upstream:
        type: http
        inputs: [apps]
        uri: https://telemetry.eu.example.com/api/v1/aggregate
      debug:
        type: console
        inputs: [apps]
        encoding: { codec: json }`);
    expect(runRule(rule, { yaml: memory })).toEqual([]); // lyon-pos-01: always-on
    const findings = runRule(rule, { yaml: memory, site: exampleSite('rotterdam-gw-01') });
    expect(where(findings)).toEqual(['7:16 data["vector.yaml"]']);
    expect(findings[0]!.severity).toBe('warning');
    expect(findings[0]!.message).toBe('vector.yaml: sink "upstream" buffers in memory (Vector\'s default): on a site with the "intermittent" network profile, an outage longer than a few seconds drops telemetry, and a restart loses what was held');
  });
});
