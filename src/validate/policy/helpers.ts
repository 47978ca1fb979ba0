import { parseQuantity, type Nanos } from '../../util/quantity.js';
import type { PathSegment } from '../../util/yaml-source.js';
import type { PolicyObject } from './types.js';

/** Kinds whose objects carry a pod template, and where it is. */
const POD_TEMPLATE_PATH: Record<string, readonly string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export const WORKLOAD_KINDS = Object.keys(POD_TEMPLATE_PATH);
/** The workload kinds, then Pod: every kind with pod containers. */
export const POD_KINDS: readonly string[] = [...WORKLOAD_KINDS, 'Pod'];

export interface PodTemplate {
  readonly path: readonly PathSegment[];
  readonly metadata: Record<string, unknown>;
  readonly spec: Record<string, unknown>;
}

/** The pod template of a workload (or the pod spec of a Pod), with its path for reports. */
export function podTemplate(obj: PolicyObject): PodTemplate | undefined {
  if (obj.ref.kind === 'Pod') return { path: [], metadata: record(obj.object.metadata), spec: record(obj.object.spec) };
  const path = POD_TEMPLATE_PATH[obj.ref.kind];
  if (!path) return undefined;
  const template = record(get(obj.object, path));
  return { path, metadata: record(template.metadata), spec: record(template.spec) };
}

export interface ContainerAt {
  readonly container: Record<string, unknown>;
  /** Path of the container inside the object. */
  readonly path: readonly PathSegment[];
  readonly init: boolean;
}

/** Every container and init container of a workload's pod template. */
export function containers(obj: PolicyObject): ContainerAt[] {
  const t = podTemplate(obj);
  if (!t) return [];
  const specPath = [...t.path, 'spec'];
  const list = (field: 'containers' | 'initContainers', init: boolean): ContainerAt[] =>
    (Array.isArray(t.spec[field]) ? (t.spec[field] as unknown[]) : []).map((c, i) => ({ container: record(c), path: [...specPath, field, i], init }));
  return [...list('initContainers', true), ...list('containers', false)];
}

/** `init container "migrate"` or `container "web"`, for messages. */
export function describeContainer(c: ContainerAt): string {
  return `${c.init ? 'init container' : 'container'} "${String(c.container.name ?? '?')}"`;
}

export interface EnvEntry {
  readonly entry: Record<string, unknown>;
  /** Path of the entry inside the object. */
  readonly path: readonly PathSegment[];
}

/** A container's env entries, in order. */
export function envEntries(c: ContainerAt): EnvEntry[] {
  const env = c.container.env;
  return (Array.isArray(env) ? (env as unknown[]) : []).map((e, i) => ({ entry: record(e), path: [...c.path, 'env', i] }));
}

export interface ArgList {
  readonly field: 'command' | 'args';
  readonly args: readonly unknown[];
  /** Path of the list inside the object. */
  readonly path: readonly PathSegment[];
}

/** A container's command and args, each empty when absent. */
export function argLists(c: ContainerAt): ArgList[] {
  return (['command', 'args'] as const).map((field) => {
    const args = c.container[field];
    return { field, args: Array.isArray(args) ? (args as unknown[]) : [], path: [...c.path, field] };
  });
}

/** The string values of a ConfigMap's `data`, by key. */
export function configMapStrings(obj: PolicyObject): [key: string, value: string][] {
  return Object.entries(record(obj.object.data)).filter((e): e is [string, string] => typeof e[1] === 'string');
}

export function namespaceOf(obj: PolicyObject): string {
  return obj.ref.namespace ?? 'default';
}

/** A written quantity (`500m`, `1Gi`, `2`) in nano-units; undefined when it is not one. */
export function quantity(value: unknown): Nanos | undefined {
  return typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
}

export function isFluxKustomization(obj: PolicyObject): boolean {
  return obj.ref.kind === 'Kustomization' && obj.ref.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/');
}

export function get(value: unknown, path: readonly PathSegment[]): unknown {
  let cur = value;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[String(seg)];
  }
  return cur;
}

export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function annotations(obj: Record<string, unknown>): Record<string, string> {
  return record(record(obj.metadata).annotations) as Record<string, string>;
}

export function labels(obj: Record<string, unknown>): Record<string, string> {
  return record(record(obj.metadata).labels) as Record<string, string>;
}
