/**
 * A small pool of worker threads for work that is the same function over many items (sites).
 *
 * This file is also the workers' entry: a worker imports the task's module and runs its function over
 * the batches the parent sends. With one job, or too few items to share, the module is imported here
 * and run inline — the same function on the same items, so the results cannot differ.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { InputError, InternalError, UsageError } from './errors.js';

/** Functions of the calling thread that the task's function may call from a worker (argument and result are cloned). */
export type PoolServiceTable = Readonly<Record<string, (arg: never) => Promise<unknown>>>;

/** What the task's function gets to call the services with; the same calls whether it runs in a worker or inline. */
export interface PoolServices {
  call(name: string, arg: unknown): Promise<unknown>;
}

export interface PoolTask<S, I> {
  /** Module exporting `fn(shared, item, services)`; loaded by each worker (a `.ts` module is loaded through tsx). */
  module: URL;
  fn: string;
  /**
   * Run in this thread for every worker: one place for work the workers would otherwise each do
   * (a cache shared by all of them, say).
   */
  services?: PoolServiceTable;
  /** Sent once to each worker (structured clone). */
  shared: S;
  items: readonly I[];
  /**
   * What `fn` gets for an item, made just before the item is sent (or run inline): a caller can then hand
   * over small items (names, say) and let each big one exist only until it is sent. @default the item itself
   */
  prepare?: (item: I) => unknown;
  /** Worker threads (default: defaultJobs()). 1 runs inline. */
  jobs?: number;
  /** Items sent to a worker at a time (default: enough for about 8 batches per worker, at most 64). */
  batch?: number;
  /**
   * Batches a worker works on at once (default 1: one after the other). More suits a function that waits
   * (on a child process, say): while one batch waits, another's items run, and no batch's slowest item
   * holds up the next. Results stay in item order either way.
   */
  overlap?: number;
}

type Fn<S, I, R> = (shared: S, item: I, services: PoolServices) => R | Promise<R>;

/** Environment variable that sets the number of worker threads. */
export const JOBS_ENV = 'EDGEFLEET_JOBS';

/** EDGEFLEET_JOBS if set, else the CPUs this process may use; at least 1. */
export function defaultJobs(): number {
  const env = process.env[JOBS_ENV];
  if (env !== undefined && env.trim() !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${JOBS_ENV} must be a positive integer, got "${env}"`);
    return n;
  }
  return Math.max(1, availableParallelism());
}

/** Runs `fn(shared, item)` exported by `module` for every item; results in item order. */
export async function mapInWorkers<S, I, R>(task: PoolTask<S, I>): Promise<R[]> {
  const { items } = task;
  const jobs = Math.max(1, Math.floor(task.jobs ?? defaultJobs()));
  const batch = Math.max(1, Math.floor(task.batch ?? Math.min(64, Math.ceil(items.length / (jobs * 8)))));
  // Fewer than two batches: nothing to share, and a worker's start-up would only add time.
  if (jobs === 1 || items.length < 2 * batch) return runInline<S, I, R>(task);
  return runInWorkers<S, I, R>(task, Math.min(jobs, Math.ceil(items.length / batch)), batch);
}

async function loadFn<S, I, R>(module: string, name: string): Promise<Fn<S, I, R>> {
  const mod = (await import(module)) as Record<string, unknown>;
  const fn = mod[name];
  if (typeof fn !== 'function') throw new InternalError(`${module} does not export a function ${name}`);
  return fn as Fn<S, I, R>;
}

async function runInline<S, I, R>(task: PoolTask<S, I>): Promise<R[]> {
  const fn = await loadFn<S, I, R>(task.module.href, task.fn);
  const services: PoolServices = { call: (name, arg) => callService(task.services, name, arg) };
  const results: R[] = [];
  const prepare = task.prepare ?? ((item: I) => item);
  for (const item of task.items) results.push(await fn(task.shared, prepare(item) as I, services));
  return results;
}

function callService(table: PoolServiceTable | undefined, name: string, arg: unknown): Promise<unknown> {
  const service = table && Object.hasOwn(table, name) ? table[name] : undefined;
  if (!service) return Promise.reject(new InternalError(`no pool service named ${name}`));
  return service(arg as never);
}

/** What the parent puts in workerData; the marker tells this module it is a pool worker. */
interface WorkerInit {
  readonly edgefleetPool: 1;
  readonly module: string;
  readonly fn: string;
  readonly shared: unknown;
  readonly overlap: number;
}

type ToWorker =
  | { readonly start: number; readonly items: readonly unknown[] }
  | { readonly reply: number; readonly value: unknown }
  | { readonly reply: number; readonly error: SerializedError };
type FromWorker =
  | { readonly start: number; readonly results: unknown[] }
  | { readonly start: number; readonly error: SerializedError }
  | { readonly call: number; readonly name: string; readonly arg: unknown };

interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** Own enumerable properties that survive structured clone (an InputError's problems, an fs error's code). */
  readonly props: Record<string, unknown>;
}

/** Batches a worker holds beyond those it works on: the next one is already there when it finishes one. */
const QUEUED = 1;

function runInWorkers<S, I, R>(task: PoolTask<S, I>, jobs: number, batch: number): Promise<R[]> {
  const { items } = task;
  const results = new Array<R>(items.length);
  const overlap = Math.max(1, Math.floor(task.overlap ?? 1));
  const init: WorkerInit = { edgefleetPool: 1, module: task.module.href, fn: task.fn, shared: task.shared, overlap };
  const workers: Worker[] = [];
  let next = 0;
  let pending = items.length;
  let settled = false;

  return new Promise<R[]>((resolvePool, rejectPool) => {
    const finish = (err: unknown): void => {
      if (settled) return;
      settled = true;
      // Terminate every worker before settling, so no thread outlives the call (and the process exits).
      void Promise.allSettled(workers.map((w) => w.terminate())).then(() => (err === undefined ? resolvePool(results) : rejectPool(err instanceof Error ? err : new Error(String(err)))));
    };
    const send = (worker: Worker): void => {
      if (settled || next >= items.length) return;
      const start = next;
      next = Math.min(items.length, next + batch);
      try {
        const batch = items.slice(start, next);
        worker.postMessage({ start, items: task.prepare ? batch.map(task.prepare) : batch } satisfies ToWorker);
      } catch (err) {
        finish(err); // an item that cannot be cloned
      }
    };
    try {
      for (let j = 0; j < jobs; j++) {
        const worker = startWorker(init);
        workers.push(worker);
        worker.on('message', (msg: FromWorker) => {
          if (settled) return;
          if ('call' in msg) {
            const reply = (m: ToWorker): void => {
              if (settled) return;
              try {
                worker.postMessage(m);
              } catch (err) {
                finish(err); // a result that cannot be cloned
              }
            };
            callService(task.services, msg.name, msg.arg).then(
              (value) => reply({ reply: msg.call, value }),
              (err: unknown) => reply({ reply: msg.call, error: serialize(err) }),
            );
            return;
          }
          if ('error' in msg) return finish(revive(msg.error));
          msg.results.forEach((r, i) => (results[msg.start + i] = r as R));
          pending -= msg.results.length;
          if (pending === 0) finish(undefined);
          else send(worker);
        });
        worker.on('messageerror', finish);
        worker.on('error', finish);
        worker.on('exit', (code) => finish(new InternalError(`a worker thread exited (code ${code}) before finishing its items`)));
        for (let k = 0; k < overlap + QUEUED; k++) send(worker);
      }
    } catch (err) {
      finish(err); // shared data that cannot be cloned, or no thread to be had
    }
  });
}

/**
 * Starts a worker running this file. From `dist/` that is plain JavaScript. From sources (vitest, tsx)
 * a worker cannot load TypeScript by itself, and on Node 20 neither an inherited nor an explicit
 * `--import tsx` reaches worker threads (the hooks stay on the parent's loader), so the worker first
 * registers tsx through its API, then imports this file. tsx is resolved from here: the working
 * directory may be anywhere.
 */
function startWorker(init: WorkerInit): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts') && !init.module.endsWith('.ts')) return new Worker(new URL(self), { workerData: init });
  const api = createRequire(self).resolve('tsx/esm/api');
  const boot = `require(${JSON.stringify(api)}).register(); import(${JSON.stringify(self)});`;
  return new Worker(boot, { eval: true, workerData: init });
}

function serialize(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), stack: undefined, props: {} };
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) {
    try {
      props[k] = structuredClone(v);
    } catch {
      // not cloneable (a function, a handle): leave it out
    }
  }
  return { name: err.name, message: err.message, stack: err.stack, props };
}

/** The error classes callers tell apart (the CLI maps them to exit codes) come back as themselves. */
const CLASSES: Readonly<Record<string, { prototype: Error }>> = { InputError, UsageError, InternalError };

function revive(s: SerializedError): Error {
  const err = new Error(s.message);
  const cls = CLASSES[s.name];
  if (cls) Object.setPrototypeOf(err, cls.prototype);
  Object.assign(err, s.props);
  err.name = s.name;
  if (s.stack !== undefined) err.stack = s.stack;
  return err;
}

async function workerMain(init: WorkerInit): Promise<void> {
  const port = parentPort;
  if (!port) return;
  let fn: Fn<unknown, unknown, unknown> | undefined;
  let loadError: unknown;
  const loading = loadFn<unknown, unknown, unknown>(init.module, init.fn).then(
    (f) => (fn = f),
    (err: unknown) => (loadError = err),
  );
  // Calls to the parent's services, answered by `reply` messages.
  const calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextCall = 0;
  const services: PoolServices = {
    call: (name, arg) =>
      new Promise((resolve, reject) => {
        const id = nextCall++;
        calls.set(id, { resolve, reject });
        port.postMessage({ call: id, name, arg } satisfies FromWorker);
      }),
  };
  // Batches start in the order they arrive, at most `overlap` at once; a batch's items run one after the other.
  type Batch = { readonly start: number; readonly items: readonly unknown[] };
  const waiting: Batch[] = [];
  let running = 0;
  const run = async (msg: Batch): Promise<void> => {
    running++;
    try {
      await loading;
      if (!fn) throw loadError;
      const results: unknown[] = [];
      for (const item of msg.items) results.push(await fn(init.shared, item, services));
      port.postMessage({ start: msg.start, results } satisfies FromWorker);
    } catch (err) {
      port.postMessage({ start: msg.start, error: serialize(err) } satisfies FromWorker);
    } finally {
      running--;
      const next = waiting.shift();
      if (next) void run(next);
    }
  };
  port.on('message', (msg: ToWorker) => {
    if ('reply' in msg) {
      const pending = calls.get(msg.reply);
      calls.delete(msg.reply);
      if ('error' in msg) pending?.reject(revive(msg.error));
      else pending?.resolve(msg.value);
      return;
    }
    if (running < init.overlap) void run(msg);
    else waiting.push(msg);
  });
}

const data = workerData as Partial<WorkerInit> | null | undefined;
if (!isMainThread && data?.edgefleetPool === 1) void workerMain(data as WorkerInit);
