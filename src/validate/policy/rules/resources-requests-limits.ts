import { describe, parseQuantity, type Nanos } from '../../../util/quantity.js';
import type { PathSegment } from '../../../util/yaml-source.js';
import { defineRule } from '../define-rule.js';
import { containers, podTemplate, record } from '../helpers.js';
import type { PolicyObject } from '../types.js';

/*
 * What a pod really asks for once admitted, shared by the resources-* and placement-gpu rules (they import
 * it from here because a rules/ file must be a rule; it belongs in policy/ beside helpers.ts):
 * the containers as written, plus the Vault Agent the injector adds at admission, each with the API
 * server's defaulting (a request defaults to its limit) and the namespace's LimitRange defaults applied.
 * Mutating webhooks that change a pod make the API server re-run its built-in admission plugins, so
 * LimitRange defaults reach the injected containers too.
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

const VAULT = 'vault.hashicorp.com/';
export const AGENT_INJECT = `${VAULT}agent-inject`;
const AGENT_ANNOTATIONS: Record<ResourceKind, Record<string, string>> = {
  requests: { cpu: `${VAULT}agent-requests-cpu`, memory: `${VAULT}agent-requests-mem`, 'ephemeral-storage': `${VAULT}agent-requests-ephemeral` },
  limits: { cpu: `${VAULT}agent-limits-cpu`, memory: `${VAULT}agent-limits-mem`, 'ephemeral-storage': `${VAULT}agent-limits-ephemeral` },
};
/** vault-k8s defaults for the injected containers (ephemeral storage: unset). */
const INJECTOR_DEFAULTS: Record<ResourceKind, Record<string, string>> = {
  requests: { cpu: '250m', memory: '64Mi' },
  limits: { cpu: '500m', memory: '128Mi' },
};
/** The injector's environment overrides its defaults (an empty value keeps the default). */
const INJECTOR_ENV: Record<string, [ResourceKind, string]> = {
  AGENT_INJECT_CPU_REQUEST: ['requests', 'cpu'],
  AGENT_INJECT_MEM_REQUEST: ['requests', 'memory'],
  AGENT_INJECT_EPHEMERAL_REQUEST: ['requests', 'ephemeral-storage'],
  AGENT_INJECT_CPU_LIMIT: ['limits', 'cpu'],
  AGENT_INJECT_MEM_LIMIT: ['limits', 'memory'],
  AGENT_INJECT_EPHEMERAL_LIMIT: ['limits', 'ephemeral-storage'],
};

export function namespaceOf(obj: PolicyObject): string {
  return obj.ref.namespace ?? 'default';
}

export function quantity(value: unknown): Nanos | undefined {
  return typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
}

/** Go's strconv.ParseBool, as vault-k8s reads its boolean annotations. */
function parseBool(value: unknown): boolean | undefined {
  const s = String(value);
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(s)) return false;
  return undefined;
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
      const env = c.container.env;
      for (const e of Array.isArray(env) ? env : []) {
        const { name, value } = record(e);
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
    for (const [r, key] of Object.entries(AGENT_ANNOTATIONS[kind])) {
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
  const field = (kind: ResourceKind, r: string): readonly PathSegment[] => [...annPath, AGENT_ANNOTATIONS[kind][r] ?? AGENT_INJECT];
  const make = (name: string, role: 'main' | 'init'): PodContainer => ({ name, role, injected: true, path: [...annPath, AGENT_INJECT], field, ...resolved });
  const prePopulateOnly = parseBool(ann[`${VAULT}agent-pre-populate-only`]) === true;
  const prePopulate = parseBool(ann[`${VAULT}agent-pre-populate`]) !== false;
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

export function containerLabel(c: PodContainer): string {
  return c.injected ? `injected Vault Agent (${c.name})` : `${c.role === 'main' ? 'container' : 'init container'} "${c.name}"`;
}

const COMPUTE: readonly string[] = ['cpu', 'memory', 'ephemeral-storage'];
const RESOURCE_WORDS: Record<string, string> = { cpu: 'CPU', memory: 'memory', 'ephemeral-storage': 'ephemeral-storage' };

function list(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * Every container sets CPU and memory requests and limits, or its namespace's LimitRange supplies them:
 * a pod without a request is scheduled as if it needed nothing, one without a limit can take the whole node.
 */
export default defineRule({
  id: 'resources-requests-limits',
  meta: {
    category: 'resources',
    severity: 'error',
    description:
      'Every container, init containers and the injected Vault Agent included, has CPU and memory requests and limits (set, or defaulted by a LimitRange in its namespace), with requests not above limits: on a small edge node one unbounded pod starves the others and there is nowhere to reschedule them.',
    remediation:
      'Set resources.requests and resources.limits on the container (for the Vault Agent, the vault.hashicorp.com/agent-requests-* and agent-limits-* annotations), or give its namespace a LimitRange with default and defaultRequest.',
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'],
  },
  options: { resources: ['cpu', 'memory'] },
  create(context) {
    const site = siteResources(context.objects);
    return {
      '*'(obj) {
        const cs = podContainers(obj, site);
        if (!cs) return;
        const ns = namespaceOf(obj);
        const hasLimitRange = site.limitRanges.has(ns);
        for (const c of cs) {
          // vault-agent-init has the agent's resources: report the agent once.
          if (c.injected && c.role === 'init' && cs.some((o) => o.injected && o.role === 'main')) continue;
          for (const kind of ['requests', 'limits'] as const) {
            // Annotations are not schema-checked: a bad quantity there is ours to report.
            for (const [r, a] of c.injected ? c[kind] : []) {
              if (a.origin !== 'set' || a.value !== undefined) continue;
              const key = AGENT_ANNOTATIONS[kind][r] ?? AGENT_INJECT;
              context.report({
                object: obj,
                path: c.field(kind, r),
                message: `${key} is not a quantity: the injector cannot build the Vault Agent, so the pod is rejected (or starts without its secrets if the webhook fails open)`,
              });
            }
            const missing = context.options.resources.filter((r) => !c[kind].has(r));
            if (missing.length === 0) continue;
            const first = missing[0] as string;
            const why = hasLimitRange ? `the LimitRange of namespace "${ns}" has no default for ${missing.length > 1 ? 'them' : 'it'}` : `namespace "${ns}" has no LimitRange to default ${missing.length > 1 ? 'them' : 'it'}`;
            const agentHint = c.injected ? ` (an empty ${AGENT_ANNOTATIONS[kind][first] ?? 'annotation'} unsets the injector's default)` : '';
            context.report({
              object: obj,
              path: c.field(kind, first),
              message: `${containerLabel(c)} has no ${list(missing.map((r) => RESOURCE_WORDS[r] ?? r))} ${kind === 'requests' ? 'request' : 'limit'}${agentHint}, and ${why}`,
            });
          }
          for (const [r, req] of c.requests) {
            if (!COMPUTE.includes(r)) continue; // extended resources (GPUs): placement-gpu
            const lim = c.limits.get(r)?.value;
            if (req.value === undefined || lim === undefined || req.value <= lim) continue;
            const limOrigin = c.limits.get(r)?.origin;
            const by = limOrigin === 'limit-range' ? ` (the LimitRange default of namespace "${ns}")` : limOrigin === 'injector-default' ? ' (the injector default)' : '';
            context.report({
              object: obj,
              path: c.field('requests', r),
              message: `${containerLabel(c)} requests ${describe(r, req.value)} ${RESOURCE_WORDS[r] ?? r}, more than its limit ${describe(r, lim)}${by}: the API server rejects the pod`,
            });
          }
        }
      },
    };
  },
});
