import { describe, scale } from '../../../util/quantity.js';
import type { PathSegment } from '../../../util/yaml-source.js';
import { OFFLINE_LINKS, onFlakyLink } from '../defaults.js';
import { defineRule } from '../define-rule.js';
import { containers, get, podTemplate, quantity, record } from '../helpers.js';
import type { PolicyObject } from '../types.js';
import { vectorConfigs, type VectorConfig } from '../vector-config.js';

interface Options {
  /** Largest share of the site's allocatable disk (ephemeral-storage) one disk buffer may claim. */
  readonly maxFractionOfAllocatableDisk: number;
  /** Link kinds (a network profile's `link`) on which a memory buffer is a warning. */
  readonly links: readonly string[];
}

/** Vector's smallest disk buffer (its docs: max_size minimum 268435488 bytes). */
const VECTOR_MIN_DISK_BUFFER = 268_435_488n;
const NANO = 1_000_000_000n;
/** Vector's default data_dir. */
const DEFAULT_DATA_DIR = '/var/lib/vector';
/** Sinks that write locally or are scraped: nothing to buffer across a link outage. */
const LOCAL_SINKS = new Set(['console', 'blackhole', 'file', 'prometheus_exporter']);

/**
 * Telemetry survives link outages on disk: a Vector sink with a disk buffer keeps it in data_dir, which must be
 * on a PersistentVolumeClaim (an emptyDir or the container's own filesystem is lost with the pod, and with it
 * everything buffered since the link went down), and `buffer.max_size` must fit both the claim's requested
 * storage and a share of the site's allocatable disk (`maxFractionOfAllocatableDisk`), and be at least Vector's
 * minimum. On intermittent- and scheduled-link sites, a sink with a memory buffer (Vector's default when no
 * buffer is set) is a warning: it holds seconds of data and loses it on restart.
 *
 * The Vector configuration is read from ConfigMap values (`*.yaml`, `*.yml`, `*.json`) that have sinks; the
 * data_dir's volume from the workload that mounts that ConfigMap. A sink's buffer may be a list of stages
 * (memory overflowing to disk); a disk stage counts as a disk buffer.
 */
export default defineRule<Options>({
  id: 'resilience-telemetry-buffer',
  meta: {
    category: 'resilience',
    severity: 'error',
    description: 'Telemetry sinks buffer on a disk that survives pod restarts (a PersistentVolumeClaim) and that the buffer fits, so that hours of data collected while the link is down are neither lost nor fill the node.',
    remediation: 'Mount a PersistentVolumeClaim at Vector\'s data_dir, give each sink `buffer: { type: disk, max_size: <bytes> }` with max_size at most the claim\'s size and the configured share of the site\'s disk (synth renders VECTOR_DATA_USABLE_BYTES for this).',
    kinds: ['ConfigMap', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod'],
  },
  options: { maxFractionOfAllocatableDisk: 0.05, links: OFFLINE_LINKS },
  create(context) {
    const { site, options } = context;
    const configs: VectorConfig[] = [];
    const workloads: PolicyObject[] = [];
    const claims = new Map<string, PolicyObject>();
    const diskLimit = scale(site.capacity.allocatable['ephemeral-storage'], options.maxFractionOfAllocatableDisk);
    const linkDown = onFlakyLink(context);

    return {
      '*'(obj) {
        if (obj.ref.kind === 'ConfigMap') configs.push(...vectorConfigs(obj));
        else if (obj.ref.kind === 'PersistentVolumeClaim') claims.set(`${obj.ref.namespace ?? ''}/${obj.ref.name}`, obj);
        else if (podTemplate(obj) && obj.ref.kind !== 'Job' && obj.ref.kind !== 'CronJob') workloads.push(obj);
      },
      onSiteEnd() {
        for (const vc of configs) {
          const { obj, key, config } = vc;
          const at: PathSegment[] = ['data', key];
          const report = (message: string, severity?: 'warning'): void => context.report({ object: obj, path: at, message: `${key}: ${message}`, ...(severity ? { severity } : {}) });
          const disk: { id: string; maxSize: unknown }[] = [];
          for (const [id, raw] of Object.entries(record(config.sinks))) {
            const sink = record(raw);
            const stages = (Array.isArray(sink.buffer) ? (sink.buffer as unknown[]) : sink.buffer === undefined ? [] : [sink.buffer]).map(record);
            const diskStage = stages.find((s) => s.type === 'disk');
            if (diskStage) disk.push({ id, maxSize: diskStage.max_size });
            else if (linkDown && !LOCAL_SINKS.has(String(sink.type))) {
              report(`sink "${id}" buffers in memory${sink.buffer === undefined ? ' (Vector\'s default)' : ''}: on a site with the "${site.networkProfile}" network profile, an outage longer than a few seconds drops telemetry, and a restart loses what was held`, 'warning');
            }
          }
          if (disk.length === 0) continue;

          const dataDir = typeof config.data_dir === 'string' ? config.data_dir : DEFAULT_DATA_DIR;
          const claimSizes: { name: string; size: bigint }[] = [];
          for (const w of workloads.filter((o) => o.ref.namespace === obj.ref.namespace)) {
            const placed = dataDirVolume(w, obj.ref.name, dataDir);
            if (!placed) continue;
            if (placed.problem) {
              context.report({ object: w, path: placed.path, message: `${placed.problem}: Vector's disk buffers under data_dir ${dataDir} (from ConfigMap "${obj.ref.name}") are lost when the pod is recreated` });
              continue;
            }
            const pvc = claims.get(`${obj.ref.namespace ?? ''}/${placed.claim}`);
            const parsed = pvc ? quantity(get(pvc.object, ['spec', 'resources', 'requests', 'storage'])) : undefined;
            if (parsed !== undefined) claimSizes.push({ name: placed.claim ?? '', size: parsed });
          }

          let total = 0n;
          for (const { id, maxSize } of disk) {
            const field = `sinks.${id}.buffer.max_size`;
            const bytes = byteCount(maxSize);
            if (maxSize === undefined) {
              report(`${field} is missing: Vector requires a size for a disk buffer`);
              continue;
            }
            if (bytes === undefined) {
              if (!String(maxSize).includes('${')) report(`${field} "${String(maxSize)}" is not a number of bytes`);
              continue;
            }
            total += bytes;
            if (bytes < VECTOR_MIN_DISK_BUFFER) report(`${field} ${bytes} is below Vector's minimum disk buffer (${VECTOR_MIN_DISK_BUFFER} bytes): Vector refuses to start`);
            if (bytes * NANO > diskLimit) {
              report(`${field} ${bytes} (${describe('storage', bytes * NANO)}) exceeds ${options.maxFractionOfAllocatableDisk * 100}% of the site's allocatable disk (${describe('storage', diskLimit)}): a long outage would fill the node's disk`);
            }
            for (const claim of claimSizes) {
              if (bytes * NANO > claim.size) report(`${field} ${bytes} (${describe('storage', bytes * NANO)}) exceeds the ${describe('storage', claim.size)} requested by PersistentVolumeClaim "${claim.name}": the buffer fails before it is full`);
            }
          }
          if (disk.length > 1) {
            for (const claim of claimSizes) {
              if (total * NANO > claim.size) report(`the disk buffers of ${disk.length} sinks together (${describe('storage', total * NANO)}) exceed the ${describe('storage', claim.size)} requested by PersistentVolumeClaim "${claim.name}"`);
            }
          }
        }
      },
    };
  },
});

/** Bytes as Vector reads them: a non-negative integer (YAML number or digit string). */
function byteCount(v: unknown): bigint | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return BigInt(v.trim());
  return undefined;
}

/**
 * Where a workload that mounts ConfigMap `configMap` keeps `dataDir`: the claim of a PersistentVolumeClaim
 * volume, or a problem (and where to report it). Undefined when the workload does not mount the ConfigMap.
 */
function dataDirVolume(w: PolicyObject, configMap: string, dataDir: string): { claim?: string; problem?: string; path: PathSegment[] } | undefined {
  const t = podTemplate(w);
  if (!t) return undefined;
  const volumes = (Array.isArray(t.spec.volumes) ? (t.spec.volumes as unknown[]) : []).map(record);
  const usesConfig = (v: Record<string, unknown>): boolean =>
    record(v.configMap).name === configMap ||
    (Array.isArray(record(v.projected).sources) && (record(v.projected).sources as unknown[]).some((s) => record(record(s).configMap).name === configMap));
  const configVolumes = new Set(volumes.filter(usesConfig).map((v) => String(v.name)));
  if (configVolumes.size === 0) return undefined;
  const dir = trimSlash(dataDir);
  for (const c of containers(w)) {
    const mounts = (Array.isArray(c.container.volumeMounts) ? (c.container.volumeMounts as unknown[]) : []).map(record);
    if (!mounts.some((m) => configVolumes.has(String(m.name)))) continue;
    let best: { mount: Record<string, unknown>; index: number; length: number } | undefined;
    mounts.forEach((m, index) => {
      const p = trimSlash(String(m.mountPath ?? ''));
      if ((dir === p || dir.startsWith(`${p}/`) || p === '') && (!best || p.length > best.length)) best = { mount: m, index, length: p.length };
    });
    const who = `container "${String(c.container.name ?? '?')}"`;
    if (!best) return { problem: `${who} mounts no volume at ${dataDir}, so it is on the container's own filesystem`, path: [...c.path, 'volumeMounts'] };
    const volIndex = volumes.findIndex((v) => v.name === best?.mount.name);
    const vol = volumes[volIndex];
    if (!vol) return undefined; // a mount of an undeclared volume: the schema checks report it
    const claim = record(vol.persistentVolumeClaim).claimName;
    if (typeof claim === 'string') return { claim, path: [] };
    const type = Object.keys(vol).find((k) => k !== 'name') ?? 'unknown';
    return { problem: `${who} keeps ${dataDir} on volume "${String(vol.name)}" of type ${type}, not a PersistentVolumeClaim`, path: [...t.path, 'spec', 'volumes', volIndex, type] };
  }
  return undefined;
}

function trimSlash(p: string): string {
  return p.replace(/\/+$/, '');
}
