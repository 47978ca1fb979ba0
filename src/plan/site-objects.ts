/**
 * Everything one site applies, for diffing: its committed manifests and every object its Flux
 * Kustomizations build and substitute (validate/site-objects.ts, shared with validate), without the
 * schema checks and findings, which a plan does not need and which cost most of the time on big fleets.
 */
import type { BuildCache } from '../validate/build/cache.js';
import { BuildError } from '../validate/build/errors.js';
import { buildKustomizations, substituteBuild, type KustomizationBuild, type SubstitutionMemo } from '../validate/site-objects.js';
import type { SourceDocument } from '../util/yaml-source.js';

export type { SubstitutionMemo } from '../validate/site-objects.js';

export interface SiteDoc {
  /** Repository-relative file it was read from. */
  readonly file: string;
  readonly object: Record<string, unknown>;
  readonly source?: SourceDocument;
}

export interface AppliedObject {
  readonly object: Record<string, unknown>;
  /** The site Kustomization that built it; undefined for objects committed under clusters/<site>/. */
  readonly kustomization?: string;
  /** File it came from: the clusters/ file, or the base file kustomize read it from. */
  readonly file: string;
}

export interface SiteObjects {
  readonly objects: AppliedObject[];
  /** Why some objects could not be built: a Kustomization whose build or substitution fails. */
  readonly errors: string[];
}

/** A site's Kustomizations built (kustomize only, not yet substituted). */
export interface SiteBuilds {
  readonly committed: readonly AppliedObject[];
  readonly builds: readonly KustomizationBuild[];
  /** Build keys in order (a failed build shows as its error): equal lists mean equal kustomize output. */
  readonly keys: readonly string[];
}

export async function buildSiteKustomizations(root: string, cache: BuildCache, docs: readonly SiteDoc[]): Promise<SiteBuilds> {
  const builds = await buildKustomizations(root, cache, docs);
  const keys = builds.map((b) => (b.result instanceof BuildError ? `error: ${buildErrors(b).join('\n')}` : b.result.key));
  return { committed: docs.map((d) => ({ object: d.object, file: d.file })), builds, keys };
}

/** Flux's postBuild substitution of every built object, with its Kustomization's variables. */
export function substituteSite(site: SiteBuilds, strict: boolean, memo?: SubstitutionMemo): SiteObjects {
  const objects = [...site.committed];
  const errors: string[] = [];
  for (const build of site.builds) {
    errors.push(...buildErrors(build));
    for (const { built, result } of substituteBuild(build, strict, memo)) {
      for (const issue of result.issues) if (issue.severity === 'error') errors.push(`${build.name}: ${built.origin.file}: ${issue.message}`);
      if (result.object) objects.push({ object: result.object, kustomization: build.name, file: built.origin.file });
    }
  }
  return { objects, errors };
}

function buildErrors(build: KustomizationBuild): string[] {
  return build.result instanceof BuildError ? build.result.problems.map((p) => `${build.name}: ${p.file}:${p.line}:${p.column}: ${p.message}`) : [];
}

export async function siteObjects(root: string, cache: BuildCache, strict: boolean, docs: readonly SiteDoc[], memo?: SubstitutionMemo): Promise<SiteObjects> {
  return substituteSite(await buildSiteKustomizations(root, cache, docs), strict, memo);
}
