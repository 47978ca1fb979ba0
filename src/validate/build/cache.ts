/**
 * The build cache a validation run shares across all its sites: builds are keyed by what they depend on —
 * every file the build reads (repository-relative path + content) and the kustomization Flux builds at the
 * path, which holds the patch text before substitution, targetNamespace, images, prefix/suffix and
 * components. postBuild is not part of the key (substitution runs per site, after the build), so a fleet
 * whose sites share bases and patches runs kustomize once per distinct (base, patches) pair.
 */
import { buildKustomization, type BuildOptions } from './build.js';
import { RunCache, type RunCacheOptions, type RunCacheStats } from './run-cache.js';
import type { BuildResult, FluxKustomizationLike } from './types.js';

export type BuildCacheOptions = RunCacheOptions;
export type BuildCacheStats = RunCacheStats;

export class BuildCache {
  readonly runs: RunCache;

  constructor(options: BuildCacheOptions = {}) {
    this.runs = new RunCache(options);
  }

  /** `builds`: distinct builds run (a kustomize process may run several); `hits`: builds answered by an earlier or in-flight run of the same key. */
  get stats(): BuildCacheStats {
    return this.runs.stats;
  }

  build(root: string, ks: FluxKustomizationLike, options: Omit<BuildOptions, 'cache'> = {}): Promise<BuildResult> {
    return buildKustomization(root, ks, { ...options, cache: this });
  }
}

export function createBuildCache(options: BuildCacheOptions = {}): BuildCache {
  return new BuildCache(options);
}
