import type { Nanos } from '../../util/quantity.js';
import type { PathSegment } from '../../util/yaml-source.js';
import { containers, envEntries, namespaceOf, podTemplate, quantity, record } from './helpers.js';
import type { PolicyObject } from './types.js';
import { AGENT_INJECT, AGENT_PRE_POPULATE, AGENT_PRE_POPULATE_ONLY, AGENT_RESOURCE_ANNOTATIONS, INJECTOR_DEFAULTS, INJECTOR_ENV, parseBool } from './vault.js';

/*
 * What a pod really asks for once admitted, shared by the resources-* rules: the containers as written,
 * plus the Vault Agent the injector adds at admission, each with the API server's defaulting (a request
 * defaults to its limit) and the namespace's LimitRange defaults applied. Mutating webhooks that change a
 * pod make the API server re-run its built-in admission plugins, so LimitRange defaults reach the
 * injected containers too.
 */

export type ResourceKind = 'requests' | 'limits';

/** Where an effective value comes from. */
export type Origin = 'set' | 'from-limit' | 'limit-range' | 'injector-default';

export interface Amount {
  /** Undefined when the written value is not a quantity (the schema check reports it). */
  readonly value: Nanos | undefined;
  readonly origin: Origin;
}

export interface PodContainer {
  readonly name: string;
  /** `init` runs alone before the others; `sidecar` is an init container that keeps running (restartPolicy: Always). */
  readonly role: 'main' | 'init' | 'sidecar';
  /** The Vault Agent the injector adds (`vault-agent`, `vault-agent-init`). */
  readonly injected: boolean;
  /** The container in the object; for the injected agent, the pod template's annotations. */
  readonly path: readonly PathSegment[];
  /** Where `requests.cpu` (…) of this container is written: its resources, or the agent's annotation. */
  field(kind: ResourceKind, resource: string): readonly PathSegment[];
  readonly requests: ReadonlyMap<string, Amount>;
  readonly limits: ReadonlyMap<string, Amount>;
}

export interface LimitRangeDefaults {
  readonly requests: ReadonlyMap<string, Nanos>;
  readonly limits: ReadonlyMap<string, Nanos>;
}

/** What the rules need to know about the whole site to resolve a pod: LimitRange defaults and the injector's defaults. */
export interface SiteResources {
  readonly limitRanges: ReadonlyMap<string, LimitRangeDefaults>;
  readonly agentDefaults: Readonly<Record<ResourceKind, Readonly<Record<string, string>>>>;
}

export function siteResources(objects: readonly PolicyObject[]): SiteResources {
  const limitRanges = new Map<string, { requests: Map<string, Nanos>; limits: Map<string, Nanos> }>();
  const agentDefaults = { requests: { ...INJECTOR_DEFAULTS.requests }, limits: { ...INJECTOR_DEFAULTS.limits } };
  for (const obj of objects) {
    if (obj.ref.kind === 'LimitRange') {
      const ns = namespaceOf(obj);
      const into = limitRanges.get(ns) ?? { requests: new Map(), limits: new Map() };
      limitRanges.set(ns, into);
      const items = record(obj.object.spec).limits;
      for (const item of Array.isArray(items) ? items : []) {
        const it = record(item);
        if (it.type !== 'Container') continue;
        // The API server's own defaulting of a LimitRange: default ← max, defaultRequest ← default ← min.
        const dflt = { ...record(it.max), ...record(it.default) };
        const dReq = { ...record(it.min), ...dflt, ...record(it.defaultRequest) };
        // LimitRanger applies every LimitRange of the namespace; the first to default a field wins.
        for (const [r, v] of Object.entries(dflt)) if (!into.limits.has(r) && quantity(v) !== undefined) into.limits.set(r, quantity(v) as Nanos);
        for (const [r, v] of Object.entries(dReq)) if (!into.requests.has(r) && quantity(v) !== undefined) into.requests.set(r, quantity(v) as Nanos);
      }
    }
    for (const c of containers(obj)) {
      for (const { entry } of envEntries(c)) {
        const { name, value } = entry;
        const target = typeof name === 'string' ? INJECTOR_ENV[name] : undefined;
        if (target && typeof value === 'string' && value.trim() !== '' && quantity(value) !== undefined) agentDefaults[target[0]][target[1]] = value;
      }
    }
  }
  return { limitRanges, agentDefaults };
}

type Raw = Record<ResourceKind, Map<string, { value: unknown; origin: Origin }>>;

function resolve(raw: Raw, lr: LimitRangeDefaults | undefined): { requests: Map<string, Amount>; limits: Map<string, Amount> } {
  const limits = new Map<string, Amount>();
  const requests = new Map<string, Amount>();
  for (const [r, v] of raw.limits) limits.set(r, { value: quantity(v.value), origin: v.origin });
  for (const [r, v] of raw.requests) requests.set(r, { value: quantity(v.value), origin: v.origin });
  // The API server defaults a missing request to the limit before admission; LimitRanger then fills the rest.
  for (const [r, v] of limits) if (!requests.has(r)) requests.set(r, { value: v.value, origin: 'from-limit' });
  for (const [r, v] of lr?.limits ?? []) if (!limits.has(r)) limits.set(r, { value: v, origin: 'limit-range' });
  for (const [r, v] of lr?.requests ?? []) if (!requests.has(r)) requests.set(r, { value: v, origin: 'limit-range' });
  return { requests, limits };
}

/**
 * Every container a pod of this workload runs, in the order the kubelet starts them (init containers,
 * then the rest), the injected Vault Agent included; undefined for objects without a pod template.
 */
export function podContainers(obj: PolicyObject, site: SiteResources): PodContainer[] | undefined {
  const t = podTemplate(obj);
  if (!t) return undefined;
  const lr = site.limitRanges.get(namespaceOf(obj));
  const declared = containers(obj).map((c): PodContainer => {
    const res = record(c.container.resources);
    const raw: Raw = { requests: new Map(), limits: new Map() };
    for (const kind of ['requests', 'limits'] as const) {
      for (const [r, v] of Object.entries(record(res[kind]))) raw[kind].set(r, { value: v, origin: 'set' });
    }
    const role = c.init ? (c.container.restartPolicy === 'Always' ? 'sidecar' : 'init') : 'main';
    return { name: String(c.container.name ?? ''), role, injected: false, path: c.path, field: (kind, r) => [...c.path, 'resources', kind, r], ...resolve(raw, lr) };
  });
  const agent = agentContainers(t.path, record(t.metadata.annotations), site, lr);
  // vault-k8s appends its init container after the declared ones, and its sidecar after the containers.
  return [
    ...declared.filter((c) => c.role !== 'main'),
    ...(agent.init ? [agent.init] : []),
    ...declared.filter((c) => c.role === 'main'),
    ...(agent.main ? [agent.main] : []),
  ];
}

function agentContainers(
  templatePath: readonly PathSegment[],
  ann: Record<string, unknown>,
  site: SiteResources,
  lr: LimitRangeDefaults | undefined,
): { init?: PodContainer; main?: PodContainer } {
  if (parseBool(ann[AGENT_INJECT]) !== true) return {};
  const annPath = [...templatePath, 'metadata', 'annotations'];
  const raw: Raw = { requests: new Map(), limits: new Map() };
  for (const kind of ['requests', 'limits'] as const) {
    for (const [r, key] of Object.entries(AGENT_RESOURCE_ANNOTATIONS[kind])) {
      if (key in ann) {
        // An empty annotation unsets the resource (vault-k8s skips empty values).
        if (String(ann[key]).trim() !== '') raw[kind].set(r, { value: String(ann[key]), origin: 'set' });
      } else {
        const d = site.agentDefaults[kind][r];
        if (d !== undefined) raw[kind].set(r, { value: d, origin: 'injector-default' });
      }
    }
  }
  const resolved = resolve(raw, lr);
  const field = (kind: ResourceKind, r: string): readonly PathSegment[] => [...annPath, AGENT_RESOURCE_ANNOTATIONS[kind][r] ?? AGENT_INJECT];
  const make = (name: string, role: 'main' | 'init'): PodContainer => ({ name, role, injected: true, path: [...annPath, AGENT_INJECT], field, ...resolved });
  const prePopulateOnly = parseBool(ann[AGENT_PRE_POPULATE_ONLY]) === true;
  const prePopulate = parseBool(ann[AGENT_PRE_POPULATE]) !== false;
  return {
    ...(prePopulate || prePopulateOnly ? { init: make('vault-agent-init', 'init') } : {}),
    ...(!prePopulateOnly ? { main: make('vault-agent', 'main') } : {}),
  };
}

/**
 * What one pod accounts for (scheduling, quota): the larger of the running containers plus sidecars and
 * each init container plus the sidecars started before it.
 */
export function podAmount(cs: readonly PodContainer[], kind: ResourceKind, resource: string): Nanos {
  let sidecars = 0n;
  let initPeak = 0n;
  let main = 0n;
  for (const c of cs) {
    const v = c[kind].get(resource)?.value ?? 0n;
    if (c.role === 'sidecar') sidecars += v;
    else if (c.role === 'init') initPeak = v + sidecars > initPeak ? v + sidecars : initPeak;
    else main += v;
  }
  return main + sidecars > initPeak ? main + sidecars : initPeak;
}

/** The written field of the container that contributes most to a pod's amount of a resource. */
export function largestField(cs: readonly PodContainer[], kind: ResourceKind, resource: string): readonly PathSegment[] {
  let best: PodContainer | undefined;
  let bestValue = -1n;
  for (const c of cs) {
    const v = c[kind].get(resource)?.value ?? 0n;
    if (v > bestValue) {
      best = c;
      bestValue = v;
    }
  }
  return best ? best.field(kind, resource) : [];
}

/** `injected Vault Agent (vault-agent)`, `container "web"`, or `init container "migrate"` (sidecars too). */
export function containerLabel(c: PodContainer): string {
  return c.injected ? `injected Vault Agent (${c.name})` : `${c.role === 'main' ? 'container' : 'init container'} "${c.name}"`;
}

/** The injected agent's init container has the agent's resources: rules report the agent once, on its sidecar. */
export function isAgentDuplicate(c: PodContainer, cs: readonly PodContainer[]): boolean {
  return c.injected && c.role === 'init' && cs.some((o) => o.injected && o.role === 'main');
}
