import type { ResourceKind } from './pod-resources.js';

/*
 * What the Vault Agent Injector (vault-k8s) reads from a pod: its annotations, the defaults it gives the
 * containers it injects, the environment of its own Deployment that overrides those defaults, and the
 * secret paths of the templates the agent renders.
 */

export const VAULT_PREFIX = 'vault.hashicorp.com/';
export const AGENT_INJECT = `${VAULT_PREFIX}agent-inject`;
export const AGENT_INJECT_SECRET_PREFIX = `${VAULT_PREFIX}agent-inject-secret-`;
export const AGENT_INJECT_TEMPLATE_PREFIX = `${VAULT_PREFIX}agent-inject-template-`;
export const AGENT_INJECT_TEMPLATE_FILE_PREFIX = `${VAULT_PREFIX}agent-inject-template-file-`;
export const AGENT_PRE_POPULATE = `${VAULT_PREFIX}agent-pre-populate`;
export const AGENT_PRE_POPULATE_ONLY = `${VAULT_PREFIX}agent-pre-populate-only`;
export const AUTH_PATH = `${VAULT_PREFIX}auth-path`;
export const ROLE = `${VAULT_PREFIX}role`;

/** The annotations that set the injected agent's resources. */
export const AGENT_RESOURCE_ANNOTATIONS: Readonly<Record<ResourceKind, Readonly<Record<string, string>>>> = {
  requests: { cpu: `${VAULT_PREFIX}agent-requests-cpu`, memory: `${VAULT_PREFIX}agent-requests-mem`, 'ephemeral-storage': `${VAULT_PREFIX}agent-requests-ephemeral` },
  limits: { cpu: `${VAULT_PREFIX}agent-limits-cpu`, memory: `${VAULT_PREFIX}agent-limits-mem`, 'ephemeral-storage': `${VAULT_PREFIX}agent-limits-ephemeral` },
};

/** vault-k8s defaults for the injected containers (ephemeral storage: unset). */
export const INJECTOR_DEFAULTS: Readonly<Record<ResourceKind, Readonly<Record<string, string>>>> = {
  requests: { cpu: '250m', memory: '64Mi' },
  limits: { cpu: '500m', memory: '128Mi' },
};

/** The injector's environment overrides its defaults (an empty value keeps the default). */
export const INJECTOR_ENV: Readonly<Record<string, readonly [ResourceKind, string]>> = {
  AGENT_INJECT_CPU_REQUEST: ['requests', 'cpu'],
  AGENT_INJECT_MEM_REQUEST: ['requests', 'memory'],
  AGENT_INJECT_EPHEMERAL_REQUEST: ['requests', 'ephemeral-storage'],
  AGENT_INJECT_CPU_LIMIT: ['limits', 'cpu'],
  AGENT_INJECT_MEM_LIMIT: ['limits', 'memory'],
  AGENT_INJECT_EPHEMERAL_LIMIT: ['limits', 'ephemeral-storage'],
};

/** Go's strconv.ParseBool, as vault-k8s reads its boolean annotations. */
export function parseBool(value: unknown): boolean | undefined {
  const s = String(value);
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(s)) return false;
  return undefined;
}

/** A Vault read in a Consul Template: the function and its path (undefined for a path computed at run time). */
export interface TemplateRead {
  readonly fn: 'secret' | 'secrets' | 'pkiCert';
  readonly path: string | undefined;
}

const QUOTED = String.raw`"(?:[^"\\]|\\.)*"|\`[^\`]*\``;
/** `"path" | secret`, `(printf …) | pkiCert`: the piped form. */
const PIPED = new RegExp(String.raw`(${QUOTED}|\))\s*\|\s*(secrets?|pkiCert)\b`, 'g');
/** `secret "path"`, `pkiCert "path" "common_name=…"`: the call form (an argument, not a pipe). */
const CALLED = new RegExp(String.raw`(?:^|[\s(|])(secrets?|pkiCert)\s+(?![|}])(${QUOTED}|[^\s)|]+)`, 'g');

/** Every `secret`/`secrets`/`pkiCert` read in a Consul Template's actions, in order, whichever form it is written in. */
export function templateReads(template: string): TemplateRead[] {
  const out: { at: number; read: TemplateRead }[] = [];
  for (const action of template.matchAll(/\{\{-?([\s\S]*?)-?\}\}/g)) {
    const text = action[1] ?? '';
    const base = action.index ?? 0;
    const literal = (arg: string): string | undefined => (arg.startsWith('"') || arg.startsWith('`') ? arg.slice(1, -1) : undefined);
    for (const m of text.matchAll(PIPED)) out.push({ at: base + (m.index ?? 0), read: { fn: m[2] as TemplateRead['fn'], path: literal(m[1] ?? '') } });
    for (const m of text.matchAll(CALLED)) out.push({ at: base + (m.index ?? 0), read: { fn: m[1] as TemplateRead['fn'], path: literal(m[2] ?? '') } });
  }
  return out.sort((a, b) => a.at - b.at).map((r) => r.read);
}

/** Paths of `secret "…"` / `secrets "…"` reads (either form) in a Consul Template's actions; undefined for a path computed at run time. */
export function templatePaths(template: string): (string | undefined)[] {
  return templateReads(template).filter((r) => r.fn !== 'pkiCert').map((r) => r.path);
}
