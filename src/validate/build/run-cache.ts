/**
 * kustomize runs by key (see build.ts for what the key covers): a key is built once, a key requested while
 * its build runs waits for that build, a failed build is remembered like a successful one. At most
 * `concurrency` kustomize processes run at a time. Also holds the per-repository file caches.
 */
import { resolve } from 'node:path';
import { KubectlNotFoundError } from './errors.js';
import { KustomizeRunError, runKustomize, type KubectlOptions, type RawBuild } from './kustomize.js';
import { RepoFiles } from './repo-files.js';

/** One kustomize run as plain data: `text` built as the kustomization of `dirRel` under `realRoot`. */
export interface KustomizeRequest {
  readonly key: string;
  readonly realRoot: string;
  readonly dirRel: string;
  readonly text: string;
}

/** Runs a request somewhere: here (the default) or in another thread's cache (`remoteRunner`). */
export type KustomizeRunner = (request: KustomizeRequest) => Promise<RawBuild>;

export interface RunCacheOptions extends KubectlOptions {
  /** How many kustomize processes (or runner calls) may run at once. @default 2 */
  readonly concurrency?: number;
  /** @default running kustomize in this thread with these options */
  readonly runner?: KustomizeRunner;
}

export interface RunCacheStats {
  /** kustomize runs started. */
  readonly builds: number;
  /** Requests answered by an earlier or in-flight build of the same key. */
  readonly hits: number;
}

export class RunCache {
  readonly options: RunCacheOptions;
  private readonly entries = new Map<string, Promise<RawBuild>>();
  private readonly results = new Map<string, unknown>();
  private readonly repos = new Map<string, RepoFiles>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private builds = 0;
  private hits = 0;

  constructor(options: RunCacheOptions = {}) {
    const concurrency = options.concurrency ?? 2;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    this.options = { ...options, concurrency };
  }

  get stats(): RunCacheStats {
    return { builds: this.builds, hits: this.hits };
  }

  /** The file cache of a repository, shared by every build of this cache. */
  files(root: string): RepoFiles {
    const abs = resolve(root);
    let f = this.repos.get(abs);
    if (!f) {
      f = new RepoFiles(abs);
      this.repos.set(abs, f);
    }
    return f;
  }

  /** What is made of the build of `key` (the same for every Kustomization with that key), made once. */
  result<T>(key: string, make: () => T): T {
    if (!this.results.has(key)) this.results.set(key, make());
    return this.results.get(key) as T;
  }

  /** The build a request describes, run by this cache's runner unless its key is known. */
  run(request: KustomizeRequest): Promise<RawBuild> {
    const runner = this.options.runner ?? ((r: KustomizeRequest) => runKustomize(r.realRoot, r.dirRel, r.text, this.options));
    return this.get(request.key, () => runner(request));
  }

  /** The build of `key`: an earlier one, the one in flight, or a new run of `build` once a slot is free. */
  get(key: string, build: () => Promise<RawBuild>): Promise<RawBuild> {
    const known = this.entries.get(key);
    if (known) {
      this.hits++;
      return known;
    }
    const p = this.limited(build);
    this.entries.set(key, p);
    return p;
  }

  private async limited(build: () => Promise<RawBuild>): Promise<RawBuild> {
    if (this.running >= (this.options.concurrency ?? 2)) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    this.builds++;
    try {
      return await build();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** What `serveKustomize` answers, as plain data: the objects, or which of the two expected failures it was. */
export type KustomizeReply =
  | { readonly objects: RawBuild['objects'] }
  | { readonly failed: string }
  | { readonly notFound: string };

/**
 * Answers another thread's request from `cache`, so every thread of a run shares one set of kustomize runs
 * (worker threads each running the same builds would double the kustomize work). The two failures the
 * build code tells apart travel as data and are thrown again as themselves by `remoteRunner`.
 */
export async function serveKustomize(cache: RunCache, request: KustomizeRequest): Promise<KustomizeReply> {
  try {
    return { objects: (await cache.run(request)).objects };
  } catch (err) {
    if (err instanceof KustomizeRunError) return { failed: err.message };
    if (err instanceof KubectlNotFoundError) return { notFound: err.command };
    throw err;
  }
}

/** A runner that sends each request to `serveKustomize` in another thread through `ask`. */
export function remoteRunner(ask: (request: KustomizeRequest) => Promise<unknown>): KustomizeRunner {
  return async (request) => {
    const reply = (await ask(request)) as KustomizeReply;
    if ('objects' in reply) return { objects: reply.objects };
    if ('failed' in reply) throw new KustomizeRunError(reply.failed);
    throw new KubectlNotFoundError(reply.notFound);
  };
}
