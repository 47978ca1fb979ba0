import type { PathSegment } from '../util/yaml-source.js';
import { BuildError, KubectlNotFoundError } from './build/errors.js';
import type { BuildCache } from './build/cache.js';
import { locateInSource } from './build/locate.js';
import { substituteResource } from './build/substitute.js';
import type { BuiltObject, FluxKustomizationLike } from './build/types.js';
import type { Finding } from './findings.js';
import { objectRef, type ManifestDoc } from './manifests.js';
import { fluxKustomizations, healthCheckFindings } from './refs.js';
import { documentLocator, schemaFindings } from './schema-findings.js';
import type { PolicyObject } from './policy/types.js';
import { APP_KUSTOMIZATION_PREFIX as APP_PREFIX } from '../synth/flux.js';


export interface SiteBuildContext {
  readonly root: string;
  readonly cache: BuildCache;
  /** kustomize-controller's StrictPostBuildSubstitutions. */
  readonly strict: boolean;
  readonly allowedKinds: ReadonlySet<string>;
}

/**
 * Builds every Flux Kustomization of one site as kustomize-controller would: the real kustomize
 * build (shared across sites through the cache), then postBuild substitution with this site's
 * variables, then strict schemas on what would be applied. Findings point at the base file.
 */
export interface SiteBuild {
  readonly findings: Finding[];
  readonly kustomizations: number;
  /** Everything the site applies: its committed manifests and every object its Kustomizations build. */
  readonly applied: PolicyObject[];
}

export async function buildSite(ctx: SiteBuildContext, site: string, docs: readonly ManifestDoc[]): Promise<SiteBuild> {
  const findings: Finding[] = [];
  const applied: PolicyObject[] = docs.map((d) => ({ object: d.object, ref: objectRef(d.object), locate: documentLocator(d.source) }));
  const ks = fluxKustomizations(docs);
  for (const k of ks) {
    const via = [`${site}/${k.name}`];
    let built: BuiltObject[];
    try {
      const result = await ctx.cache.build(ctx.root, k.object as unknown as FluxKustomizationLike, { source: k.source });
      built = result.objects;
      for (const w of result.warnings) findings.push({ ruleId: 'build', severity: 'warning', message: w.message, file: w.file, line: w.line, column: w.column, jsonPath: '', sites: [site], via });
    } catch (err) {
      if (err instanceof KubectlNotFoundError) throw err;
      if (!(err instanceof BuildError)) throw err;
      for (const p of err.problems) {
        findings.push({ ruleId: 'build', severity: p.cannotCheck ? 'warning' : 'error', message: p.message, file: p.file, line: p.line, column: p.column, jsonPath: p.path, sites: [site], via });
      }
      continue;
    }
    const vars = (k.spec.postBuild as { substitute?: Record<string, string> } | undefined)?.substitute ?? {};
    const app = k.name.startsWith(APP_PREFIX) ? k.name.slice(APP_PREFIX.length) : undefined;
    for (const b of built) {
      const at = (path: readonly PathSegment[], key: boolean) => locateInSource(ctx.root, b.origin, path, { key });
      const sub = mentionsDollar(b.object) ? substituteResource(b.object, vars, { strict: ctx.strict }) : { object: b.object, issues: [] };
      for (const issue of sub.issues) {
        const path = issue.jsonPath ? parsePath(issue.jsonPath) : [];
        findings.push({ ruleId: 'substitution', severity: issue.severity, message: issue.message, ...at(path, false), jsonPath: issue.jsonPath ?? '', object: objectRef(b.object), sites: [site], via });
      }
      if (!sub.object) continue;
      applied.push({ object: sub.object, ref: objectRef(sub.object), kustomization: k.name, ...(app ? { app } : {}), locate: at });
      findings.push(...schemaFindings(sub.object, at, { allowedKinds: ctx.allowedKinds }, { sites: [site], via }));
    }
  }
  const keys = new Set(applied.map((o) => `${o.ref.kind}/${o.ref.namespace ?? ''}/${o.ref.name}`));
  for (const k of ks) findings.push(...healthCheckFindings(site, k, keys));
  return { findings, kustomizations: ks.length, applied };
}

const dollar = new WeakMap<object, boolean>();

/** Whether any string of a built object holds `$` (without one, substitution cannot change it). */
function mentionsDollar(obj: Record<string, unknown>): boolean {
  let has = dollar.get(obj);
  if (has === undefined) {
    has = JSON.stringify(obj).includes('$');
    dollar.set(obj, has);
  }
  return has;
}

/** `spec.containers[0].image` → ['spec', 'containers', 0, 'image']. */
export function parsePath(jsonPath: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const m of jsonPath.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(`"${m[3]}"`) as string);
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}
