/**
 * kustomize runs by key (see build.ts for what the key covers): a key is built once, a key requested while
 * its build runs waits for that build, a failed build is remembered like a successful one. At most
 * `concurrency` kustomize processes run at a time. Also holds the per-repository file caches.
 */
import { resolve } from 'node:path';
import { KubectlNotFoundError } from './errors.js';
import { KustomizeRunError, runKustomize, runKustomizeGroup, type KubectlOptions, type RawBuild } from './kustomize.js';
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

/** Builds one kustomize process may take on at once (its OpenAPI data is loaded once for all of them). */
const MAX_GROUP = 8;

type Settle = { readonly resolve: (build: RawBuild) => void; readonly reject: (err: Error) => void };
type RequestJob = Settle & { readonly request: KustomizeRequest };
type Job = RequestJob | (Settle & { readonly build: () => Promise<RawBuild> });

export class RunCache {
  readonly options: RunCacheOptions;
  private readonly entries = new Map<string, Promise<RawBuild>>();
  private readonly results = new Map<string, unknown>();
  private readonly repos = new Map<string, RepoFiles>();
  private queue: Job[] = [];
  private pumping = false;
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

  /**
   * The build a request describes, unless its key is known. With the default runner, requests waiting for
   * a slot are built together, several to a kustomize process (runKustomizeGroup); a group that fails is
   * built part by part, so each request still gets its own result or error.
   */
  run(request: KustomizeRequest): Promise<RawBuild> {
    const { runner } = this.options;
    if (runner) return this.get(request.key, () => runner(request));
    return this.remember(request.key, () => this.enqueue({ request }));
  }

  /** The build of `key`: an earlier one, the one in flight, or a new run of `build` once a slot is free. */
  get(key: string, build: () => Promise<RawBuild>): Promise<RawBuild> {
    return this.remember(key, () => this.enqueue({ build }));
  }

  private remember(key: string, start: () => Promise<RawBuild>): Promise<RawBuild> {
    const known = this.entries.get(key);
    if (known) {
      this.hits++;
      return known;
    }
    const p = start();
    this.entries.set(key, p);
    return p;
  }

  private enqueue(job: { request: KustomizeRequest } | { build: () => Promise<RawBuild> }): Promise<RawBuild> {
    return new Promise<RawBuild>((resolvePromise, reject) => {
      this.queue.push({ ...job, resolve: resolvePromise, reject });
      // Requests made in the same turn (a site's Kustomizations start together) are queued before any starts.
      if (!this.pumping) {
        this.pumping = true;
        queueMicrotask(() => {
          this.pumping = false;
          this.pump();
        });
      }
    });
  }

  /** Starts queued work while slots are free: a closure alone; requests of one repository in groups shared across the free slots. */
  private pump(): void {
    const concurrency = this.options.concurrency ?? 2;
    while (this.running < concurrency && this.queue.length > 0) {
      const head = this.queue[0] as Job;
      if (!('request' in head)) {
        this.queue.shift();
        this.start([head]);
        continue;
      }
      // Parts of one process must not make the same object: builds of one path (the same app for other
      // sites) mostly would, so a group takes each path once; other clashes fail the group (then built alone).
      const same = this.queue.filter((j): j is RequestJob => 'request' in j && j.request.realRoot === head.request.realRoot);
      const size = Math.min(MAX_GROUP, Math.ceil(same.length / (concurrency - this.running)));
      const paths = new Set<string>();
      const group: RequestJob[] = [];
      for (const job of same) {
        if (group.length === size) break;
        if (paths.has(job.request.dirRel)) continue;
        paths.add(job.request.dirRel);
        group.push(job);
      }
      this.queue = this.queue.filter((j) => !group.includes(j as RequestJob));
      this.start(group);
    }
  }

  private start(jobs: readonly Job[]): void {
    this.running++;
    this.builds += jobs.length;
    void this.execute(jobs).finally(() => {
      this.running--;
      this.pump();
    });
  }

  private async execute(jobs: readonly Job[]): Promise<void> {
    const alone = async (job: Job): Promise<void> => {
      try {
        job.resolve(await ('request' in job ? runKustomize(job.request.realRoot, job.request.dirRel, job.request.text, this.options) : job.build()));
      } catch (err) {
        job.reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    const first = jobs[0];
    if (jobs.length === 1 && first) return alone(first);
    const requests = jobs as readonly RequestJob[];
    let built: RawBuild[] | undefined;
    try {
      built = await runKustomizeGroup(requests[0]?.request.realRoot ?? '', requests.map((j) => j.request), this.options);
    } catch (err) {
      for (const job of requests) job.reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (built) requests.forEach((job, i) => job.resolve(built[i] as RawBuild));
    else for (const job of requests) await alone(job);
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
