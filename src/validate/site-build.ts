import type { PathSegment } from '../util/yaml-source.js';
import { BuildError } from './build/errors.js';
import type { BuildCache } from './build/cache.js';
import { locateInSource } from './build/locate.js';
import { buildKustomizations, substituteBuild } from './site-objects.js';
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
  for (const build of await buildKustomizations(ctx.root, ctx.cache, ks)) {
    const via = [`${site}/${build.name}`];
    if (build.result instanceof BuildError) {
      for (const p of build.result.problems) {
        findings.push({ ruleId: 'build', severity: p.cannotCheck ? 'warning' : 'error', message: p.message, file: p.file, line: p.line, column: p.column, jsonPath: p.path, sites: [site], via });
      }
      continue;
    }
    for (const w of build.result.warnings) findings.push({ ruleId: 'build', severity: 'warning', message: w.message, file: w.file, line: w.line, column: w.column, jsonPath: '', sites: [site], via });
    const app = build.name.startsWith(APP_PREFIX) ? build.name.slice(APP_PREFIX.length) : undefined;
    for (const { built, result: sub } of substituteBuild(build, ctx.strict)) {
      const at = (path: readonly PathSegment[], key: boolean) => locateInSource(ctx.root, built.origin, path, { key });
      for (const issue of sub.issues) {
        const path = issue.jsonPath ? parsePath(issue.jsonPath) : [];
        findings.push({ ruleId: 'substitution', severity: issue.severity, message: issue.message, ...at(path, false), jsonPath: issue.jsonPath ?? '', object: objectRef(built.object), sites: [site], via });
      }
      if (!sub.object) continue;
      applied.push({ object: sub.object, ref: objectRef(sub.object), kustomization: build.name, ...(app ? { app } : {}), locate: at });
      findings.push(...schemaFindings(sub.object, at, { allowedKinds: ctx.allowedKinds }, { sites: [site], via }));
    }
  }
  const keys = new Set(applied.map((o) => `${o.ref.kind}/${o.ref.namespace ?? ''}/${o.ref.name}`));
  for (const k of ks) findings.push(...healthCheckFindings(site, k, keys));
  return { findings, kustomizations: ks.length, applied };
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
