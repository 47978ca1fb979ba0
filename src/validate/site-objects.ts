/**
 * What one site applies, before any judgement: each Flux Kustomization built with the real kustomize
 * (shared across sites through the cache), then postBuild substitution with its own variables.
 * `validate` checks the result (site-build.ts); `plan` diffs it.
 */
import type { SourceDocument } from '../util/yaml-source.js';
import type { BuildCache } from './build/cache.js';
import { BuildError, KubectlNotFoundError } from './build/errors.js';
import { substituteResource, type SubstitutionResult } from './build/substitute.js';
import type { BuildResult, BuiltObject, FluxKustomizationLike } from './build/types.js';

export const KUSTOMIZATION_API = 'kustomize.toolkit.fluxcd.io/v1';

/** A Flux Kustomization as committed, with the document it was read from (for error locations). */
export interface KustomizationDoc {
  readonly object: Record<string, unknown>;
  readonly source?: SourceDocument;
}

export interface KustomizationBuild {
  readonly name: string;
  readonly doc: KustomizationDoc;
  readonly vars: Readonly<Record<string, string>>;
  /** The build, or why kustomize-controller would fail it. */
  readonly result: BuildResult | BuildError;
}

export function isFluxKustomization(obj: Record<string, unknown>): boolean {
  return obj.apiVersion === KUSTOMIZATION_API && obj.kind === 'Kustomization';
}

/**
 * Builds every Flux Kustomization among `docs`; results in document order. The builds start together
 * (the cache bounds how many kustomize processes run at once), so one site's few builds overlap.
 */
export async function buildKustomizations(root: string, cache: BuildCache, docs: readonly KustomizationDoc[]): Promise<KustomizationBuild[]> {
  return Promise.all(
    docs.filter((d) => isFluxKustomization(d.object)).map(async (doc): Promise<KustomizationBuild> => {
      const name = String((doc.object.metadata as { name?: unknown } | undefined)?.name ?? '?');
      const spec = (doc.object.spec ?? {}) as { postBuild?: { substitute?: Record<string, string> } };
      let result: BuildResult | BuildError;
      try {
        result = await cache.build(root, doc.object as unknown as FluxKustomizationLike, doc.source ? { source: doc.source } : {});
      } catch (err) {
        if (err instanceof KubectlNotFoundError || !(err instanceof BuildError)) throw err;
        result = err;
      }
      return { name, doc, vars: spec.postBuild?.substitute ?? {}, result };
    }),
  );
}

/**
 * Substitution results by (build key, object index, strictness, variables): the same built object with
 * the same variables substitutes the same way (plan meets each unchanged site twice).
 */
export type SubstitutionMemo = Map<string, SubstitutionResult>;

export interface SubstitutedObject {
  readonly built: BuiltObject;
  readonly result: SubstitutionResult;
}

/** Flux's postBuild substitution of every object a Kustomization built. */
export function substituteBuild(build: KustomizationBuild, strict: boolean, memo?: SubstitutionMemo): SubstitutedObject[] {
  if (build.result instanceof BuildError) return [];
  const { key, objects } = build.result;
  const varsKey = memo ? JSON.stringify(Object.entries(build.vars).sort(([a], [b]) => (a < b ? -1 : 1))) : '';
  return objects.map((built, i) => {
    const memoKey = `${key}\0${i}\0${strict}\0${varsKey}`;
    let result = memo?.get(memoKey);
    if (!result) {
      result = mentionsDollar(built.object) ? substituteResource(built.object, build.vars, { strict }) : { object: built.object, issues: [], usedVariables: [] };
      memo?.set(memoKey, result);
    }
    return { built, result };
  });
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
