/**
 * Everything one site applies, without validating it: its committed manifests, and every object each of
 * its Flux Kustomizations builds (real kustomize through the shared cache, then postBuild substitution
 * with that Kustomization's variables). The same steps as validate/site-build.ts's buildSite minus the
 * schema checks and findings, which a plan does not need and which cost most of the time on big fleets.
 * TODO(lead): site-build.ts could export this and build buildSite on top of it.
 */
import type { BuildCache } from '../validate/build/cache.js';
import { BuildError, KubectlNotFoundError } from '../validate/build/errors.js';
import { substituteResource } from '../validate/build/substitute.js';
import type { BuildResult, FluxKustomizationLike } from '../validate/build/types.js';
import type { SourceDocument } from '../util/yaml-source.js';

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

const KUSTOMIZATION_API = 'kustomize.toolkit.fluxcd.io/v1';

/**
 * Substitution results by (build key, object index, variables, strictness). A plan substitutes the same
 * built objects with the same variables on both sides of every site whose Kustomization did not change;
 * substitution (serialise, envsubst, parse again) is most of a site's build time.
 */
export type SubstitutionMemo = Map<string, ReturnType<typeof substituteResource>>;

/** A site's Kustomizations built (kustomize only, not yet substituted). */
export interface SiteBuilds {
  readonly committed: readonly AppliedObject[];
  readonly kustomizations: readonly { readonly name: string; readonly vars: Readonly<Record<string, string>>; readonly result: BuildResult }[];
  /** Build keys in order (a failed build shows as its error): equal lists mean equal kustomize output. */
  readonly keys: readonly string[];
  readonly errors: readonly string[];
}

export async function buildSiteKustomizations(root: string, cache: BuildCache, docs: readonly SiteDoc[]): Promise<SiteBuilds> {
  const committed: AppliedObject[] = docs.map((d) => ({ object: d.object, file: d.file }));
  const kustomizations: SiteBuilds['kustomizations'][number][] = [];
  const keys: string[] = [];
  const errors: string[] = [];
  for (const k of docs.filter((d) => d.object.apiVersion === KUSTOMIZATION_API && d.object.kind === 'Kustomization')) {
    const name = String((k.object.metadata as { name?: unknown } | undefined)?.name ?? '?');
    try {
      const result = await cache.build(root, k.object as unknown as FluxKustomizationLike, k.source ? { source: k.source } : {});
      const spec = (k.object.spec ?? {}) as { postBuild?: { substitute?: Record<string, string> } };
      kustomizations.push({ name, vars: spec.postBuild?.substitute ?? {}, result });
      keys.push(result.key);
    } catch (err) {
      if (err instanceof KubectlNotFoundError || !(err instanceof BuildError)) throw err;
      const messages = err.problems.map((p) => `${name}: ${p.file}:${p.line}:${p.column}: ${p.message}`);
      errors.push(...messages);
      keys.push(`error: ${messages.join('\n')}`);
    }
  }
  return { committed, kustomizations, keys, errors };
}

/** Flux's postBuild substitution of every built object, with its Kustomization's variables. */
export function substituteSite(builds: SiteBuilds, strict: boolean, memo?: SubstitutionMemo): SiteObjects {
  const objects = [...builds.committed];
  const errors = [...builds.errors];
  for (const { name, vars, result } of builds.kustomizations) {
    const varsKey = JSON.stringify(Object.entries(vars).sort(([a], [b]) => (a < b ? -1 : 1)));
    for (const [i, b] of result.objects.entries()) {
      const key = `${result.key}\0${i}\0${strict}\0${varsKey}`;
      let sub = memo?.get(key);
      if (!sub) {
        sub = substituteResource(b.object, vars, { strict });
        memo?.set(key, sub);
      }
      for (const issue of sub.issues) if (issue.severity === 'error') errors.push(`${name}: ${b.origin.file}: ${issue.message}`);
      if (sub.object) objects.push({ object: sub.object, kustomization: name, file: b.origin.file });
    }
  }
  return { objects, errors };
}

export async function siteObjects(root: string, cache: BuildCache, strict: boolean, docs: readonly SiteDoc[], memo?: SubstitutionMemo): Promise<SiteObjects> {
  return substituteSite(await buildSiteKustomizations(root, cache, docs), strict, memo);
}
